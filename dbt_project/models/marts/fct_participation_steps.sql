-- One row per person and project: the date of each step of the chain (projects.md), plus
-- the person's attributes for splitting. Step dates use all delivered data; the funnel
-- (fct_funnel_cohort) reads them as of the project's as-of month.
with participations as (
    select * from {{ ref('int_participations_profiled') }}
),

steps as (
    select * from {{ ref('int_participation_steps_dated') }}
),

step_columns as (
    select
        person_key,
        project_id,
        {{ step_date_columns() }},
        min(step_evidence) filter (where step = 'insats') as insats_evidence,
        min(step_evidence) filter (where step = 'anstalld') as anstalld_evidence
    from steps
    group by person_key, project_id
)

select
    participations.person_key,
    participations.project_id,
    participations.inskriven_date,
    step_columns.plan_date,
    step_columns.insats_date,
    step_columns.arbetsgivarkontakt_date,
    step_columns.anstalld_date,
    step_columns.sjalvforsorjande_date,
    participations.gender,
    participations.birth_year,
    participations.education_group,
    participations.district,
    participations.intake_month,
    participations.inskriven_source,
    participations.participation_end_date,
    participations.residence_permit_date,
    participations.education_level,
    participations.is_short_educated,
    step_columns.insats_evidence,
    step_columns.anstalld_evidence
from participations
left join step_columns
    on
        participations.person_key = step_columns.person_key
        and participations.project_id = step_columns.project_id
