-- budget_burn (projects.md), per project with a budget and month: cost outcome to date
-- (every cost row of the project with a month up to M) over the total budget; the
-- elapsed share of the project period at the end of M is the reference_value beside it.
-- Money has no gender: the K and M rows are empty.
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id = 'budget_burn'
),

budget_months as (
    select * from {{ ref('int_budget_months_accumulated') }}
)

select
    frame.kpi_id,
    frame.project_id,
    frame.month,
    frame.gender,
    case when frame.gender = 'all' then budget_months.cumulative_cost_sek::double end
        as numerator,
    case when frame.gender = 'all' then budget_months.total_budget_sek::double end
        as denominator,
    case when frame.gender = 'all' then budget_months.budget_used_share end as value,
    null::bigint as excluded_count,
    case when frame.gender = 'all' then budget_months.elapsed_share end as reference_value
from frame
left join budget_months
    on
        frame.project_id = budget_months.project_id
        and frame.month = budget_months.month
