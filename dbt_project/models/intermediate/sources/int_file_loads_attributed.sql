-- For each loaded file and project: the first day from which the file's data counts for
-- the project's figures, so that a figure as of month M was fed by the files that count
-- from a day on or before the end of M (fct_kpi_sources).
-- A record counts for its own project (its project code, or its file's project: seed
-- file_projects) from its date, and, when it names a person, for every project of that
-- person from the later of its date and the person's inskriven (before it the person is
-- not a participant). Only current rows count (staging): a file wholly superseded by a
-- later one feeds nothing. A month's economic-assistance file counts from its month even
-- without rows, as it makes the month known for self-support (projects.md); a file
-- delivered again for the same month replaces it.
with records as (
    select * from {{ ref('int_dated_records_unioned') }}
),

participations as (
    select
        person_key,
        project_id,
        inskriven_date
    from {{ ref('int_participations_identified') }}
),

file_loads as (
    select * from {{ ref('stg_ingest__file_loads') }}
    where is_loaded
),

own_records as (
    select
        load_id,
        project_id,
        min(record_date) as counts_from
    from records
    where project_id is not null
    group by load_id, project_id
),

person_records as (
    select
        load_id,
        person_key,
        min(record_date) as first_record_date
    from records
    where person_key is not null
    group by load_id, person_key
),

participant_records as (
    select
        person_records.load_id,
        participations.project_id,
        min(greatest(person_records.first_record_date, participations.inskriven_date))
            as counts_from
    from person_records
    inner join participations
        on person_records.person_key = participations.person_key
    group by person_records.load_id, participations.project_id
),

assistance_projects as (
    select distinct definitions.project_id
    from {{ ref('kpi_sources') }} as sources
    inner join {{ ref('kpi_definitions') }} as definitions
        on sources.kpi_id = definitions.kpi_id
    where
        sources.file_kind = 'stad_ekonomiskt_bistand'
        and definitions.project_id is not null
),

assistance_months as (
    select
        load_id,
        delivered_month as counts_from
    from file_loads
    where file_kind = 'stad_ekonomiskt_bistand'
    qualify row_number() over (partition by delivered_month order by load_id desc) = 1
),

attributed as (
    select * from own_records
    union all
    select * from participant_records
    union all
    select
        assistance_months.load_id,
        assistance_projects.project_id,
        assistance_months.counts_from
    from assistance_months
    cross join assistance_projects
)

select
    attributed.load_id,
    attributed.project_id,
    file_loads.file_kind,
    min(attributed.counts_from) as counts_from
from attributed
inner join file_loads
    on attributed.load_id = file_loads.load_id
group by attributed.load_id, attributed.project_id, file_loads.file_kind
