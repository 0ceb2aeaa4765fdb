-- One row per project and file kind (record_source) that has delivered a record of the
-- project: how many, the first and the latest month they are dated in, and how many fall
-- in the project's period (first month to last month; a project without an end runs
-- on). A project's records are those of int_project_periods_bounded's rule (projects.md):
-- its own (project code or project file) and person-level records without a project
-- code of one of its participants. A file kind without a row has delivered nothing for
-- the project (fct_kpi_status: "no data delivered").
with records as (
    select * from {{ ref('int_dated_records_unioned') }}
),

participations as (
    select distinct
        person_key,
        project_id
    from {{ ref('int_participations_identified') }}
),

projects as (
    select
        project_id,
        date_trunc('month', start_date)::date as first_month,
        date_trunc('month', end_date)::date as last_month
    from {{ ref('stg_config__projects') }}
),

project_records as (
    select
        project_id,
        record_source,
        record_month
    from records
    where project_id is not null
    union all
    select
        participations.project_id,
        records.record_source,
        records.record_month
    from records
    inner join participations
        on records.person_key = participations.person_key
    where records.project_id is null
)

select
    project_records.project_id,
    project_records.record_source,
    count(*) as record_count,
    min(project_records.record_month) as first_record_month,
    max(project_records.record_month) as latest_record_month,
    count(*) filter (
        where project_records.record_month >= projects.first_month
        and (projects.last_month is null or project_records.record_month <= projects.last_month)
    ) as period_record_count
from project_records
left join projects
    on project_records.project_id = projects.project_id
group by all
