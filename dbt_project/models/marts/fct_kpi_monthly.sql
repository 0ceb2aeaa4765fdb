-- One row per KPI, project, month and gender ('all', 'K', 'M'), from the project's first
-- month to the earlier of its last month and its latest month of data (projects.md).
-- Each value is "as of" the end of its month. Counts have numerator = value and no
-- denominator. target_met compares value and target in the KPI's direction.
-- The KPI models share one set of columns (kpi_columns in kpi/_kpi__models.yml); they are
-- unioned by name, so a model listing them in another order cannot shift a value.
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
),

kpi_values as (
    select * from {{ ref('int_kpi_self_supporting_18m_calculated') }}
    union all by name
    select * from {{ ref('int_kpi_transition_ratio_calculated') }}
    union all by name
    select * from {{ ref('int_kpi_subsidised_jobs_calculated') }}
    union all by name
    select * from {{ ref('int_kpi_guide_matches_calculated') }}
    union all by name
    select * from {{ ref('int_kpi_short_educated_progress_calculated') }}
    union all by name
    select * from {{ ref('int_kpi_heart_counts_calculated') }}
    union all by name
    select * from {{ ref('int_kpi_entry_hub_calculated') }}
    union all by name
    select * from {{ ref('int_kpi_trainee_placements_calculated') }}
    union all by name
    select * from {{ ref('int_kpi_budget_burn_calculated') }}
)

select
    frame.project_id,
    frame.kpi_id,
    frame.month,
    frame.gender,
    kpi_values.numerator,
    kpi_values.denominator,
    kpi_values.value,
    frame.target,
    case
        when kpi_values.value is null or frame.target is null then null
        when frame.direction = '>=' then kpi_values.value >= frame.target
        when frame.direction = '>' then kpi_values.value > frame.target
        when frame.direction = '<=' then kpi_values.value <= frame.target
        when frame.direction = '<' then kpi_values.value < frame.target
    end as target_met,
    frame.direction,
    frame.unit,
    frame.is_target_set_by_project,
    kpi_values.excluded_count,
    kpi_values.reference_value,
    frame.month_end
from frame
left join kpi_values
    on
        frame.kpi_id = kpi_values.kpi_id
        and frame.project_id = kpi_values.project_id
        and frame.month = kpi_values.month
        and frame.gender = kpi_values.gender
