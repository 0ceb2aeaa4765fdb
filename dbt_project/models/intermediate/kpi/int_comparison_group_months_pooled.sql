-- The comparison group of T2 etst_transition_ratio (projects.md), pooled: per project with
-- the KPI, reporting month and gender ('all' sums K and M), the month's till_arbete +
-- till_utbildning and inskrivna (0 for a month not delivered), their sums from the
-- project's first month to the month, and the pooled rate (null while the pooled
-- inskrivna is 0). The one place the pooling is written: T2's value
-- (int_kpi_transition_ratio_calculated) and the comparison mart
-- (fct_transition_comparison_monthly) both read it.
with frame as (
    select distinct
        project_id,
        month,
        gender
    from {{ ref('int_kpi_months_spined') }}
    where kpi_id = 'etst_transition_ratio'
),

monthly as (
    select
        frame.project_id,
        frame.month,
        frame.gender,
        coalesce(sum(
            coalesce(comparison.to_work_count, 0)
            + coalesce(comparison.to_studies_count, 0)
        ), 0) as moved_on_in_month,
        coalesce(sum(comparison.registered_count), 0) as registered_in_month
    from frame
    left join {{ ref('stg_af__comparison_group') }} as comparison
        on
            frame.month = comparison.comparison_month
            and {{ is_in_gender_row('frame', 'comparison') }}
    group by all
),

pooled as (
    select
        *,
        sum(moved_on_in_month) over to_date as comparison_numerator,
        sum(registered_in_month) over to_date as comparison_denominator
    from monthly
    window to_date as (
        partition by project_id, gender
        order by month
        rows between unbounded preceding and current row
    )
)

select
    project_id,
    month,
    gender,
    moved_on_in_month,
    registered_in_month,
    comparison_numerator,
    comparison_denominator,
    comparison_numerator / nullif(comparison_denominator, 0) as comparison_rate
from pooled
