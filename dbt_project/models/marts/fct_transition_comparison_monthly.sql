-- The comparison group behind T2 etst_transition_ratio (projects.md), so that the
-- comparison group's rate can be shown with its numerator and denominator beside the
-- participants' (fct_kpi_monthly's numerator and denominator). Per project with the KPI,
-- reporting month and gender: the month's till_arbete + till_utbildning and inskrivna,
-- and their sums pooled from the project's first month to the month, as
-- int_comparison_group_months_pooled pools them for T2 too; comparison_rate equals
-- fct_kpi_monthly.reference_value of the same row.
select
    project_id,
    month,
    gender,
    moved_on_in_month::bigint as moved_on_in_month,
    registered_in_month::bigint as registered_in_month,
    comparison_numerator::bigint as comparison_numerator,
    comparison_denominator::bigint as comparison_denominator,
    comparison_rate
from {{ ref('int_comparison_group_months_pooled') }}
