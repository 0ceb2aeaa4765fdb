-- projects.md: in fct_kpi_monthly a count has numerator = value and denominator null.
select *
from {{ ref('fct_kpi_monthly') }}
where unit = 'count'
  and (denominator is not null or numerator is distinct from value)
