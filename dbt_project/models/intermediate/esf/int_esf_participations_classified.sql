-- ESF common indicators per participant (projects.md; Regulation 1304/2013 Annex I),
-- for the participations of ESF projects, as of the project's as-of month.
--   entry_date, age_at_entry and age_group: int_participations_profiled (entry is
--     inskriven, not before the project's start; age in completed years on that day,
--     under 25, 25-54, over 54), the age rule the funnel shares;
--   education: ISCED 0-2 = level 1-2, ISCED 3-4 = 3, ISCED 5-8 = 4-6, else unknown;
--   leaving: Jobbtorg's Utskrivningsdatum (the only end of participation delivered);
--   in education or training upon leaving: a studies spell (deregistration to studies)
--     holding on a day from leaving to leaving + 4 weeks (28 days);
--   in employment upon leaving: any anstalld event of the chain holding on such a day;
--   in employment 6 months after leaving: employed (monthly timeline) in the month that
--     holds leaving + 6 months, counted once that month is on or before the as-of month.
with participations as (
    select participations.*
    from {{ ref('int_participations_profiled') }} as participations
    inner join {{ ref('stg_config__projects') }} as projects
        on participations.project_id = projects.project_id
    where
        projects.is_esf
        and participations.as_of_month is not null
),

entries as (
    select
        *,
        case
            when participation_end_date <= last_day(as_of_month) then participation_end_date
        end as leaving_date
    from participations
    where entry_date <= last_day(as_of_month)
),

studies_spells as (
    select
        person_key,
        deregistration_date as valid_from,
        case when not is_running then greatest(deregistration_date, spell_end_date) end
            as valid_to
    from {{ ref('int_deregistration_spells_derived') }}
    where reason_group = 'studies'
),

employment_events as (
    select
        person_key,
        valid_from,
        valid_to
    from {{ ref('int_chain_events_unioned') }}
    where step = 'anstalld'
),

leaving_outcomes as (
    select
        entries.person_key,
        entries.project_id,
        exists(
            select 1 from studies_spells
            where
                studies_spells.person_key = entries.person_key
                and studies_spells.valid_from <= entries.leaving_date + 28
                and (
                    studies_spells.valid_to is null
                    or studies_spells.valid_to >= entries.leaving_date
                )
        ) as is_in_education_upon_leaving,
        exists(
            select 1 from employment_events
            where
                employment_events.person_key = entries.person_key
                and employment_events.valid_from <= entries.leaving_date + 28
                and (
                    employment_events.valid_to is null
                    or employment_events.valid_to >= entries.leaving_date
                )
        ) as is_employed_upon_leaving
    from entries
    where entries.leaving_date is not null
)

select
    entries.person_key,
    entries.project_id,
    entries.gender,
    entries.as_of_month,
    entries.entry_date,
    year(entries.entry_date) as entry_year,
    entries.age_at_entry,
    entries.age_group,
    entries.education_group,
    entries.leaving_date,
    year(entries.leaving_date) as leaving_year,
    leaving_outcomes.is_in_education_upon_leaving,
    leaving_outcomes.is_employed_upon_leaving,
    date_trunc('month', entries.leaving_date + interval 6 month)::date
    <= entries.as_of_month as is_six_month_follow_up_due,
    case
        when
            date_trunc('month', entries.leaving_date + interval 6 month)::date
            <= entries.as_of_month
            then coalesce(timeline.is_employed, false)
    end as is_employed_six_months_after_leaving
from entries
left join leaving_outcomes
    on
        entries.person_key = leaving_outcomes.person_key
        and entries.project_id = leaving_outcomes.project_id
left join {{ ref('int_person_months_tracked') }} as timeline
    on
        entries.person_key = timeline.person_key
        and timeline.month = date_trunc('month', entries.leaving_date + interval 6 month)::date
