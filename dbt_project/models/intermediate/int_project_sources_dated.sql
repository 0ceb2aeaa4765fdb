-- One row per project and file kind that delivers records of the project (projects.md):
-- its own records (project code, or a file of the project: seed file_projects) and the
-- person-level records without a project code of its participants. Which sources serve
-- which project, and how far each reaches: a project's latest month of data
-- (int_project_periods_bounded), and the data steward's freshness warnings, which count
-- a source as late only for projects still running.
with records as (
    select * from {{ ref('int_dated_records_unioned') }}
),

participations as (
    select distinct person_key, project_id from {{ ref('int_participations_identified') }}
),

own_records as (
    select project_id, record_source, record_month
    from records
    where project_id is not null
),

participant_records as (
    select participations.project_id, records.record_source, records.record_month
    from records
    inner join participations
        on records.person_key = participations.person_key
    where records.project_id is null
)

select
    project_id,
    record_source,
    max(record_month) as latest_record_month,
    count(*) as record_count
from (
    select * from own_records
    union all
    select * from participant_records
) as project_records
group by project_id, record_source
