-- KPI targets from config/projects.yml, typed; target_by_gender JSON split per gender.
select
    id as kpi_id,
    project as project_id,
    cast(target as double) as target,
    direction,
    cast(baseline as double) as baseline,
    coalesce(lower(baseline_set_by_project) = 'true', false) as is_baseline_set_by_project,
    cast(target_factor as double) as target_factor,
    cast(target_per_year as double) as target_per_year,
    cast(json_extract_string(target_by_gender, '$.K') as double) as target_women,
    cast(json_extract_string(target_by_gender, '$.M') as double) as target_men
from {{ source('config', 'config_kpis') }}
