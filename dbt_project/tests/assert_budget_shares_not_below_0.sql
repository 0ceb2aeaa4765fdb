-- The elapsed share of a project period lies in [0, 1], and a used share of the budget or
-- the grant is never below 0 (a cost outcome to date below 0 is a broken extract).
select *
from {{ ref('fct_budget_monthly') }}
where elapsed_share not between 0 and 1
   or budget_used_share < 0
   or esf_grant_used_share < 0
