-- Participations with the person's attributes the marts split by, and the project's
-- as-of month (its latest reporting month). district: the Jobbtorg district of this
-- participation, else the person's latest known district, else 'unknown';
-- education_group 'unknown' without a known level.
with participations as (
    select * from {{ ref('int_participations_identified') }}
),

persons as (
    select * from {{ ref('int_persons_described') }}
),

as_of_months as (
    select project_id, max(month) as as_of_month
    from {{ ref('int_project_months_spined') }}
    group by project_id
)

select
    participations.person_key,
    participations.project_id,
    participations.inskriven_date,
    participations.inskriven_source,
    participations.intake_month,
    participations.participation_end_date,
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
left join as_of_months
    on participations.project_id = as_of_months.project_id
