-- The comparison group behind T2 etst_transition_ratio (projects.md) beside the
-- participants, so that both rates can be shown with their numerators and denominators.
-- Per project with the KPI, reporting month and gender: the comparison group's month
-- (till_arbete + till_utbildning, inskrivna) and its sums pooled from the project's first
-- month to the month, as int_comparison_group_months_pooled pools them for T2 too
-- (comparison_rate equals fct_kpi_monthly.reference_value of the same row); and the
-- participants' pooled counts and rate (fct_kpi_monthly's numerator and denominator).
select
    comparison.project_id,
    comparison.month,
    comparison.gender,
    comparison.moved_on_in_month::bigint as moved_on_in_month,
    comparison.registered_in_month::bigint as registered_in_month,
    comparison.comparison_numerator::bigint as comparison_numerator,
    comparison.comparison_denominator::bigint as comparison_denominator,
    comparison.comparison_rate,
    participants.numerator::bigint as participant_numerator,
    participants.denominator::bigint as participant_denominator,
    participants.numerator / nullif(participants.denominator, 0) as participant_rate
from {{ ref('int_comparison_group_months_pooled') }} as comparison
left join {{ ref('int_kpi_transition_ratio_calculated') }} as participants
    on
        comparison.project_id = participants.project_id
        and comparison.month = participants.month
        and comparison.gender = participants.gender
