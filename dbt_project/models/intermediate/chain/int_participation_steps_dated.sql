-- One row per participation and step reached: the step's date is the first date, on or
-- after the participation's inskriven date, on which one of the person's chain events
-- holds (projects.md). An event that holds over a period which began before inskriven
-- and is still running then gives the inskriven date; an event that ended before
-- inskriven gives nothing. Step 1 (inskriven) is the participation's own date.
with participations as (
    select * from {{ ref('int_participations_identified') }}
),

events as (
    select * from {{ ref('int_chain_events_unioned') }}
),

candidate_dates as (
    select
        participations.person_key,
        participations.project_id,
        events.step,
        events.event_source,
        events.event_type,
        greatest(events.valid_from, participations.inskriven_date) as step_date
    from participations
    inner join events
        on participations.person_key = events.person_key
    where
        events.valid_to is null
        or events.valid_to >= greatest(events.valid_from, participations.inskriven_date)
),

later_steps as (
    select
        person_key,
        project_id,
        step,
        min(step_date) as step_date,
        -- The event that gave the date (on a tie, the first by source and type).
        min({ 'step_date': step_date, 'evidence': event_source || ':' || event_type }).evidence
            as step_evidence
    from candidate_dates
    group by person_key, project_id, step
),

inskriven_steps as (
    select
        person_key,
        project_id,
        'inskriven' as step,
        inskriven_date as step_date,
        inskriven_source || ':registration' as step_evidence
    from participations
)

select * from inskriven_steps
union all
select * from later_steps
