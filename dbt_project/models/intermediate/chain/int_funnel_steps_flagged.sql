-- One row per participation, chain step and reading. A reading counts the steps up to
-- the end of a month: 'as_of' the project's latest reporting month (steps dated after it
-- are not yet reached, so the funnel reads like the KPIs), 'latest' the latest month of
-- delivered data when that is later (follow-up after the project's end). Participations
-- with an intake after the reading's month are left out of it.
--   is_reached: the step has a date on or before the end of the reading's month;
--   is_previous_reached: the step before it is reached (inskriven has none);
--   is_skipping: reached while an earlier step (plan .. the step before) had not been
--     reached by this step's date (missing, or dated later): a hire without a plan;
--   is_matured: the cohort's follow-up window for the step (seed chain_steps) has
--     closed by the reading's month, so a low rate is not just a young cohort.
with periods as (
    select * from {{ ref('int_project_periods_bounded') }}
),

readings as (
    select
        project_id,
        'as_of' as reading,
        reporting_end_month as reading_month
    from periods
    where reporting_end_month is not null
    union all
    select
        project_id,
        'latest',
        latest_data_month
    from periods
    where latest_data_month > coalesce(reporting_end_month, date '0001-01-01')
),

participations as (
    select
        participations.*,
        readings.reading,
        readings.reading_month
    from {{ ref('int_participations_profiled') }} as participations
    inner join readings
        on
            participations.project_id = readings.project_id
            and participations.inskriven_date <= last_day(readings.reading_month)
),

steps as (
    select * from {{ ref('chain_steps') }}
),

step_dates as (
    select * from {{ ref('int_participation_steps_dated') }}
),

participation_steps as (
    select
        participations.person_key,
        participations.project_id,
        participations.reading,
        participations.reading_month,
        participations.inskriven_date,
        participations.intake_month,
        participations.gender,
        participations.district,
        participations.education_group,
        participations.age_group,
        steps.step,
        steps.step_order,
        steps.follow_up_months,
        case
            when step_dates.step_date <= last_day(participations.reading_month)
                then step_dates.step_date
        end as step_date
    from participations
    cross join steps
    left join step_dates
        on
            participations.person_key = step_dates.person_key
            and participations.project_id = step_dates.project_id
            and steps.step = step_dates.step
),

earlier_step_checks as (
    select
        later.person_key,
        later.project_id,
        later.reading,
        later.step,
        bool_or(earlier.step_date is null or earlier.step_date > later.step_date)
            as has_missed_earlier_step
    from participation_steps as later
    inner join participation_steps as earlier
        on
            later.person_key = earlier.person_key
            and later.project_id = earlier.project_id
            and later.reading = earlier.reading
            and earlier.step_order >= 2
            and later.step_order > earlier.step_order
    where later.step_date is not null
    group by later.person_key, later.project_id, later.reading, later.step
),

previous_steps as (
    select
        person_key,
        project_id,
        reading,
        step,
        lag(step_date) over (
            partition by person_key, project_id, reading order by step_order
        ) as previous_step_date
    from participation_steps
)

select
    participation_steps.person_key,
    participation_steps.project_id,
    participation_steps.reading,
    participation_steps.reading_month,
    participation_steps.inskriven_date,
    participation_steps.intake_month,
    participation_steps.gender,
    participation_steps.district,
    participation_steps.education_group,
    participation_steps.age_group,
    participation_steps.step,
    participation_steps.step_order,
    participation_steps.follow_up_months,
    participation_steps.step_date,
    participation_steps.step_date is not null as is_reached,
    case
        when participation_steps.step_order > 1 then previous_steps.previous_step_date is not null
    end as is_previous_reached,
    participation_steps.step_date - participation_steps.inskriven_date as days_to_step,
    coalesce(earlier_step_checks.has_missed_earlier_step, false) as is_skipping,
    (
        participation_steps.intake_month
        + to_months(participation_steps.follow_up_months)
    )::date
    <= participation_steps.reading_month as is_matured
from participation_steps
left join previous_steps
    on
        participation_steps.person_key = previous_steps.person_key
        and participation_steps.project_id = previous_steps.project_id
        and participation_steps.reading = previous_steps.reading
        and participation_steps.step = previous_steps.step
left join earlier_step_checks
    on
        participation_steps.person_key = earlier_step_checks.person_key
        and participation_steps.project_id = earlier_step_checks.project_id
        and participation_steps.reading = earlier_step_checks.reading
        and participation_steps.step = earlier_step_checks.step
