{{ config(severity='warn') }}
-- A used share above 1 is an overspend of the budget or the ESF grant: shown as a warning,
-- as budget_burn's, since it is a fact the steering group must see, not a broken build.
select *
from {{ ref('fct_budget_monthly') }}
where budget_used_share > 1
   or esf_grant_used_share > 1
