-- fct_transition_comparison_monthly shows T2's two sides beside each other: its
-- participants' counts and comparison rate must be fct_kpi_monthly's for the same row,
-- and its participant_rate their quotient (an analyst's SQL and the page agree).
with kpi as (
    select * from {{ ref('fct_kpi_monthly') }}
    where kpi_id = 'etst_transition_ratio'
)

select
    comparison.project_id,
    comparison.month,
    comparison.gender
from {{ ref('fct_transition_comparison_monthly') }} as comparison
full outer join kpi
    on
        comparison.project_id = kpi.project_id
        and comparison.month = kpi.month
        and comparison.gender = kpi.gender
where
    comparison.project_id is null
    or kpi.project_id is null
    or comparison.participant_numerator is distinct from kpi.numerator
    or comparison.participant_denominator is distinct from kpi.denominator
    or comparison.comparison_rate is distinct from kpi.reference_value
    or abs(comparison.participant_rate - kpi.numerator / kpi.denominator) > 1e-12
    or (comparison.participant_rate is null) != (coalesce(kpi.denominator, 0) = 0)
