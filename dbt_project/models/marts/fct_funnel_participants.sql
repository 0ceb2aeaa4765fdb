-- The chain's participants per project and reading, for a project manager's drill-down:
-- the dates of the steps as of the reading (a step dated after the reading's month is
-- not reached yet), with the attributes the Kedjan page filters by. Pseudonymous: the
-- person_key, never a personnummer or a date of birth.
with steps as (
    select * from {{ ref('int_funnel_steps_flagged') }}
),

participations as (
    select * from {{ ref('int_participations_profiled') }}
),

people as (
    select
        person_key,
        project_id,
        reading,
        reading_month,
        intake_month,
        inskriven_date,
        gender,
        district,
        education_group,
        age_group,
        {{ step_date_columns() }}
    from steps
    group by all
)

select
    people.person_key::varchar as person_key,
    people.project_id::varchar as project_id,
    people.reading::varchar as reading,
    people.reading_month::date as reading_month,
    people.intake_month::date as intake_month,
    people.gender::varchar as gender,
    people.district::varchar as district,
    people.education_group::varchar as education_group,
    people.age_group::varchar as age_group,
    people.inskriven_date::date as inskriven_date,
    people.plan_date::date as plan_date,
    people.insats_date::date as insats_date,
    people.arbetsgivarkontakt_date::date as arbetsgivarkontakt_date,
    people.anstalld_date::date as anstalld_date,
    people.sjalvforsorjande_date::date as sjalvforsorjande_date,
    case
        when participations.participation_end_date <= last_day(people.reading_month)
            then participations.participation_end_date
    end::date as participation_end_date
from people
inner join participations
    on
        people.person_key = participations.person_key
        and people.project_id = participations.project_id
