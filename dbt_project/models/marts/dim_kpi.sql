-- One row per KPI, the KPI registry: names, unit, display, forecast and status rule,
-- protection, sources, the definition shown to users, and the target as the config
-- gives it (for a full year or for the whole project; fct_kpi_monthly holds the target
-- that applies to each month and gender).
with definitions as (
    select * from {{ ref('kpi_definitions') }}
),

config_kpis as (
    select * from {{ ref('stg_config__kpis') }}
)

select
    definitions.kpi_id,
    coalesce(definitions.project_id, config_kpis.project_id) as project_id,
    definitions.name_sv,
    definitions.name_en,
    definitions.definition_sv,
    definitions.definition_en,
    definitions.unit,
    case
        when config_kpis.target is not null then config_kpis.target
        when config_kpis.baseline is not null and config_kpis.target_factor is not null
            then config_kpis.baseline * config_kpis.target_factor
        when config_kpis.target_per_year is not null then config_kpis.target_per_year
        else config_kpis.baseline
    end as target,
    config_kpis.target_women,
    config_kpis.target_men,
    config_kpis.target_per_year,
    config_kpis.baseline,
    config_kpis.target_factor,
    coalesce(config_kpis.is_baseline_set_by_project, false) as is_target_set_by_project,
    config_kpis.direction,
    definitions.has_gender_split,
    definitions.counts_people,
    definitions.running_total,
    definitions.forecast,
    definitions.status_rule,
    definitions.may_exceed_one,
    definitions.display_decimals,
    definitions.reference_name_sv,
    definitions.reference_name_en,
    definitions.excluded_name_sv,
    definitions.excluded_name_en,
    definitions.is_computed_monthly,
    definitions.sort_order
from definitions
left join config_kpis
    on definitions.kpi_id = config_kpis.kpi_id
