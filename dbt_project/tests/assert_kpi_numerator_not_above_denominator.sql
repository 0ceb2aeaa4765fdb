-- A rate counts people of its population: the numerator never exceeds the denominator.
-- A share the registry lets exceed 1 (budget_burn: cost above the budget, an overspend,
-- its own warning test) is the one exception; a ratio (T2) may exceed 1 as a value, but
-- its numerator and denominator are the participants' counts.
select monthly.*
from {{ ref('fct_kpi_monthly') }} as monthly
inner join {{ ref('dim_kpi') }} as kpi
    on monthly.kpi_id = kpi.kpi_id
where monthly.numerator > monthly.denominator
  and not (kpi.unit = 'share' and kpi.may_exceed_one)
