-- Projects, periods and money from config/projects.yml, typed.
select
    code as project_id,
    name_sv,
    name_en,
    owner,
    funding,
    coalesce(lower(esf) = 'true', false) as is_esf,
    cast(start as date) as start_date,
    cast("end" as date) as end_date,
    cast(total_budget_sek as decimal(18, 2)) as total_budget_sek,
    cast(esf_grant_sek as decimal(18, 2)) as esf_grant_sek
from {{ source('config', 'config_projects') }}
