-- The Kedjan page's cells add up to the published funnel: as of the reporting month,
-- fct_funnel_steps summed over age groups gives fct_funnel_cohort's counts, and every
-- participant of a reading is in fct_funnel_participants once.
with steps as (
    select
        project_id, intake_month, gender, district, education_group, step,
        sum(cohort_size) as cohort_size,
        sum(reached_count) as reached_count,
        sum(reached_with_previous_count) as reached_with_previous_count,
        sum(skipped_count) as skipped_count
    from {{ ref('fct_funnel_steps') }}
    where reading = 'as_of'
    group by all
),

cohorts as (
    select
        project_id, intake_month, gender, district, education_group, step, cohort_size,
        reached_count,
        case when step_order > 1 then reached_with_previous_count end
            as reached_with_previous_count,
        skipped_count
    from {{ ref('fct_funnel_cohort') }}
),

participants as (
    select project_id, reading, count(*) as participant_count
    from {{ ref('fct_funnel_participants') }}
    group by all
),

enrolled as (
    select project_id, reading, sum(cohort_size) as participant_count
    from {{ ref('fct_funnel_steps') }}
    where step = 'inskriven'
    group by all
)

select 'cohort' as failing, steps.project_id, steps.step
from steps
full outer join cohorts
    using (project_id, intake_month, gender, district, education_group, step)
where steps.cohort_size is distinct from cohorts.cohort_size
   or steps.reached_count is distinct from cohorts.reached_count
   or steps.reached_with_previous_count is distinct from cohorts.reached_with_previous_count
   or steps.skipped_count is distinct from cohorts.skipped_count
union all
select 'participants', enrolled.project_id, enrolled.reading
from enrolled
full outer join participants using (project_id, reading)
where enrolled.participant_count is distinct from participants.participant_count
