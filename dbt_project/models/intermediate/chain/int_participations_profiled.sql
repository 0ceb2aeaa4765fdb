-- Participations with the person's attributes the marts split by, and the project's
-- as-of month (its latest reporting month). district: the Jobbtorg district of this
-- participation, else the person's latest known district, else 'unknown';
-- education_group 'unknown' without a known level.
-- The age group is the one age rule of Kedjan, shared by the funnel and the ESF report
-- (projects.md, ESF): age at entry in completed years from the date of birth, where
-- entry is inskriven, or the project's start when that is later.
with participations as (
    select * from {{ ref('int_participations_identified') }}
),

persons as (
    select * from {{ ref('int_persons_described') }}
),

projects as (
    select
        project_id,
        start_date
    from {{ ref('stg_config__projects') }}
),

as_of_months as (
    select
        project_id,
        max(month) as as_of_month
    from {{ ref('int_project_months_spined') }}
    group by project_id
),

profiled as (
    select
        participations.person_key,
        participations.project_id,
        participations.inskriven_date,
        participations.inskriven_source,
        participations.intake_month,
        participations.participation_end_date,
        -- A project the config does not know has no start: entry is inskriven.
        greatest(participations.inskriven_date, projects.start_date) as entry_date,
        persons.gender,
        persons.birth_year,
        persons.birth_date,
        persons.residence_permit_date,
        persons.education_level,
        persons.education_group,
        persons.is_short_educated,
        coalesce(participations.jobbtorg_district, persons.district, 'unknown') as district,
        as_of_months.as_of_month
    from participations
    inner join persons
        on participations.person_key = persons.person_key
    left join projects
        on participations.project_id = projects.project_id
    left join as_of_months
        on participations.project_id = as_of_months.project_id
),

aged as (
    select
        *,
        -- Completed years: one less while the birthday of the entry year is still to
        -- come (someone born on 29 February turns a year older on 1 March in other years).
        year(entry_date) - year(birth_date)
        - case
            when strftime(entry_date, '%m%d') < strftime(birth_date, '%m%d') then 1
            else 0
        end as age_at_entry
    from profiled
)

select
    *,
    case
        when age_at_entry is null then 'unknown'
        when age_at_entry < 25 then 'under 25'
        when age_at_entry <= 54 then '25-54'
        else 'over 54'
    end as age_group
from aged
