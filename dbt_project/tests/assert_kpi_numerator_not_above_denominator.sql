-- A rate counts people of its population: the numerator never exceeds the denominator
-- (budget_burn's cost above its budget is an overspend: its own warning test).
select *
from {{ ref('fct_kpi_monthly') }}
where numerator > denominator
  and kpi_id <> 'budget_burn'
