{{ config(severity='warn') }}
-- budget_burn above 1 is an overspend: the steering group must see it, but it is a fact
-- of the project, not a reason to stop publishing.
select *
from {{ ref('fct_kpi_monthly') }}
where kpi_id = 'budget_burn'
  and (value > 1 or numerator > denominator)
