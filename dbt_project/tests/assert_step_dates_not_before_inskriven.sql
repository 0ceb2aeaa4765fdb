-- projects.md: a step counts for a project only on or after the person's inskriven date.
select *
from {{ ref('fct_participation_steps') }}
where plan_date < inskriven_date
   or insats_date < inskriven_date
   or arbetsgivarkontakt_date < inskriven_date
   or anstalld_date < inskriven_date
   or sjalvforsorjande_date < inskriven_date
