-- projects.md: a share KPI is a fraction of people, so its value lies in [0, 1].
-- budget_burn may exceed 1 (an overspend is a fact, not an error): its own warning test.
select *
from {{ ref('fct_kpi_monthly') }}
where unit = 'share'
  and (value < 0 or (value > 1 and kpi_id <> 'budget_burn'))
