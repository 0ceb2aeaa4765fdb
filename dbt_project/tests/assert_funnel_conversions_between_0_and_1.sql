-- A conversion is a share of the people who reached a step: it lies in [0, 1].
select *
from {{ ref('fct_funnel_cohort') }}
where conversion_from_previous not between 0 and 1
   or conversion_from_start not between 0 and 1
