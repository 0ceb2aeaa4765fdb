-- projects.md: a share KPI is a fraction of people, so its value lies in [0, 1].
-- A KPI the registry lets exceed 1 (budget_burn: an overspend is a fact, not an error)
-- has its own warning test.
select monthly.*
from {{ ref('fct_kpi_monthly') }} as monthly
inner join {{ ref('dim_kpi') }} as kpi
    on monthly.kpi_id = kpi.kpi_id
where monthly.unit = 'share'
  and (monthly.value < 0 or (monthly.value > 1 and not kpi.may_exceed_one))
