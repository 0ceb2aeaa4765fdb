-- The frame of fct_kpi_monthly: one row per KPI, project, reporting month and gender
-- ('all', 'K', 'M'), with the target that applies to that row.
-- KPIs: those of seed kpi_definitions that are computed monthly, for their project;
-- budget_burn for every project with a total budget.
-- Target (config/projects.yml, raw.config_kpis), for gender 'all':
--   target if given; else baseline x target_factor (T3); else target_per_year pro rata
--   by the project's months in the calendar year (T4: 400 for a full project year,
--   fewer in the first and last part years); else the baseline (Entry Hub's women's
--   share must exceed it).
-- For 'K' and 'M': target_by_gender where given (HEART interviews); else the same
--   target for a share or a ratio (a rate's target holds for each gender); none for a
--   count (a count's target is for the total) or a KPI without a gender split.
with definitions as (
    select * from {{ ref('kpi_definitions') }}
    where is_computed_monthly
),

config_kpis as (
    select * from {{ ref('stg_config__kpis') }}
),

projects as (
    select * from {{ ref('stg_config__projects') }}
),

project_months as (
    select * from {{ ref('int_project_months_spined') }}
),

kpi_projects as (
    select
        definitions.kpi_id,
        definitions.project_id
    from definitions
    where definitions.project_id is not null
    union all
    select
        definitions.kpi_id,
        projects.project_id
    from definitions
    cross join projects
    where
        definitions.kpi_id = 'budget_burn'
        and projects.total_budget_sek is not null
),

genders as (
    select * from {{ gender_rows() }}
),

-- Months of the project period in each calendar year, for T4's pro-rata target: the
-- months from the start month to the end month (a project without an end runs on) that
-- fall in the year. Months are counted as year * 12 + month.
project_year_months as (
    select
        project_months.project_id,
        year(project_months.month) as calendar_year,
        greatest(
            0,
            least(coalesce(
                year(projects.end_date) * 12 + month(projects.end_date),
                year(project_months.month) * 12 + 12
            ),
            year(project_months.month) * 12 + 12)
            - greatest(
                year(projects.start_date) * 12 + month(projects.start_date),
                year(project_months.month) * 12 + 1
            )
            + 1
        ) as project_months_in_year
    from (select distinct
        project_id,
        date_trunc('year', month) as month
    from project_months)
        as project_months
    inner join projects
        on project_months.project_id = projects.project_id
),

frame as (
    select
        kpi_projects.kpi_id,
        kpi_projects.project_id,
        project_months.month,
        project_months.month_end,
        project_months.start_date as project_start_date,
        project_months.end_date as project_end_date,
        genders.gender,
        definitions.unit,
        definitions.has_gender_split,
        config_kpis.direction,
        config_kpis.target as config_target,
        config_kpis.baseline,
        config_kpis.target_factor,
        config_kpis.target_per_year,
        config_kpis.target_women,
        config_kpis.target_men,
        coalesce(config_kpis.is_baseline_set_by_project, false) as is_target_set_by_project,
        project_year_months.project_months_in_year
    from kpi_projects
    inner join definitions on kpi_projects.kpi_id = definitions.kpi_id
    inner join project_months on kpi_projects.project_id = project_months.project_id
    cross join genders
    left join config_kpis
        on kpi_projects.kpi_id = config_kpis.kpi_id
    left join project_year_months
        on
            kpi_projects.project_id = project_year_months.project_id
            and year(project_months.month) = project_year_months.calendar_year
),

targets as (
    select
        *,
        case
            when config_target is not null then config_target
            when baseline is not null and target_factor is not null
                then baseline * target_factor
            when target_per_year is not null
                then target_per_year * project_months_in_year / 12.0
            else baseline
        end as total_target
    from frame
)

select
    kpi_id,
    project_id,
    month,
    month_end,
    gender,
    project_start_date,
    project_end_date,
    unit,
    has_gender_split,
    direction,
    is_target_set_by_project,
    case
        when gender = 'all' then total_target
        when not has_gender_split then null
        when gender = 'K' and target_women is not null then target_women
        when gender = 'M' and target_men is not null then target_men
        when unit in ('share', 'ratio') then total_target
    end as target
from targets
