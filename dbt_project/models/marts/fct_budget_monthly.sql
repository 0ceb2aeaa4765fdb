-- Cost outcome per project and reporting month, cumulative, against the total budget
-- and the ESF grant, beside the elapsed share of the project period.
select
    project_id,
    month,
    cost_sek,
    esf_cost_sek,
    cumulative_cost_sek,
    cumulative_esf_cost_sek,
    total_budget_sek,
    esf_grant_sek,
    budget_used_share,
    esf_grant_used_share,
    elapsed_share
from {{ ref('int_budget_months_accumulated') }}
