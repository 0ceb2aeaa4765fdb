-- A rate counts people of its population: the numerator never exceeds the denominator
-- (a KPI the registry lets exceed 1, budget_burn's cost above its budget, is an
-- overspend: its own warning test).
select monthly.*
from {{ ref('fct_kpi_monthly') }} as monthly
inner join {{ ref('dim_kpi') }} as kpi
    on monthly.kpi_id = kpi.kpi_id
where monthly.numerator > monthly.denominator
  and not kpi.may_exceed_one
