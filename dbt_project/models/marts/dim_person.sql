-- One row per person (pseudonymous: person_key only, never a personnummer), with the
-- attributes the marts split by and the number of projects they take part in.
with persons as (
    select * from {{ ref('int_persons_described') }}
),

participations as (
    select
        person_key,
        count(*) as project_count,
        min(inskriven_date) as first_inskriven_date
    from {{ ref('int_participations_identified') }}
    group by person_key
)

select
    persons.person_key,
    persons.gender,
    persons.birth_year,
    persons.residence_permit_date,
    persons.education_level,
    persons.education_group,
    persons.is_short_educated,
    coalesce(persons.district, 'unknown') as district,
    coalesce(participations.project_count, 0) as project_count,
    participations.first_inskriven_date
from persons
left join participations
    on persons.person_key = participations.person_key
