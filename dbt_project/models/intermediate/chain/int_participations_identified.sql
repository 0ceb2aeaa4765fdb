-- One row per person and project: the participation of projects.md, step 1 (inskriven).
-- inskriven_date = the earliest registration that carries the project code, at the
-- employment service (AF inskrivningsdatum) or at Jobbtorg (Inskrivningsdatum), taken
-- from the current snapshot rows. A row without a registration date starts nothing.
-- The end of the participation is Jobbtorg's Utskrivningsdatum for that project (AF has
-- no end of participation); district is Jobbtorg's Stadsdel for that project.
with af_registrations as (
    select
        person_key,
        project_id,
        registration_date,
        'af_arbetssokande' as registration_source
    from {{ ref('stg_af__job_seekers') }}
    where
        project_id is not null
        and registration_date is not null
),

jobbtorg_registrations as (
    select
        person_key,
        project_id,
        registration_date,
        'stad_jobbtorg_deltagare' as registration_source
    from {{ ref('stg_stad__jobbtorg_participants') }}
    where
        project_id is not null
        and registration_date is not null
),

registrations as (
    select * from af_registrations
    union all
    select * from jobbtorg_registrations
),

earliest_registrations as (
    select
        person_key,
        project_id,
        min(registration_date) as inskriven_date,
        -- The source of the earliest registration; on a tie the employment service
        -- (sorted by source name).
        min({ 'registration_date': registration_date, 'source': registration_source }).source
            as inskriven_source
    from registrations
    group by person_key, project_id
),

-- A snapshot may hold more than one row per person and project (a re-enrolment): the
-- latest registration's row gives the end of participation and the district; on a tie
-- the one still open or ending last, then the later row of the file.
latest_jobbtorg_rows as (
    select
        person_key,
        project_id,
        discharge_date,
        district
    from {{ ref('stg_stad__jobbtorg_participants') }}
    where project_id is not null
    qualify row_number() over (
        partition by person_key, project_id
        order by
            registration_date desc nulls last, discharge_date desc nulls first,
            row_number desc
    ) = 1
)

select
    earliest_registrations.person_key,
    earliest_registrations.project_id,
    earliest_registrations.inskriven_date,
    earliest_registrations.inskriven_source,
    date_trunc('month', earliest_registrations.inskriven_date)::date as intake_month,
    latest_jobbtorg_rows.discharge_date as participation_end_date,
    latest_jobbtorg_rows.district as jobbtorg_district
from earliest_registrations
left join latest_jobbtorg_rows
    on
        earliest_registrations.person_key = latest_jobbtorg_rows.person_key
        and earliest_registrations.project_id = latest_jobbtorg_rows.project_id
