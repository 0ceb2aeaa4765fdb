-- Every fact that can give a person a step of the chain (projects.md, "The chain"), from
-- every source whatever its project code, with the days on which it holds:
--   a point event (a plan, an SFI result, a certificate, a deregistration, an Entry Hub
--     visit) holds on its date: valid_from = valid_to = the date;
--   a period holds on every day of it: a matching-log row from Startdatum to Slutdatum, a
--     guide match from Matchningsdatum to Avslutsdatum, an employment spell from the
--     deregistration to work to its end (valid_to null = still running);
--   a month fact (a month-end status, a self-supporting month) holds on the last day of
--     its month.
-- Step 1 (inskriven) is not here: it is the participation itself.
with matching_log as (
    select * from {{ ref('stg_partner__matching_log') }}
    where start_date is not null
),

statuses as (
    select * from {{ ref('stg_af__monthly_statuses') }}
),

-- A visitor has a personnummer when any of their visits (same besokar_id) carries one
-- (projects.md, Entry Hub visitors): their visits without one belong to the personnummer
-- of the earliest visit carrying one (by date, then export date, then row number, then
-- load, as in int_entry_hub_visits_identified), never the key's sort order.
visitor_persons as (
    select
        visitor_id,
        arg_min(
            person_key,
            {{ entry_hub_visit_order() }}
        ) as person_key
    from {{ ref('stg_partner__entry_hub_visits') }}
    where
        person_key is not null
        and visit_date is not null
    group by visitor_id
),

entry_hub_visits as (
    select
        coalesce(visits.person_key, visitor_persons.person_key) as person_key,
        visits.visit_date,
        visits.activity,
        visits.chain_step
    from {{ ref('stg_partner__entry_hub_visits') }} as visits
    left join visitor_persons
        on visits.visitor_id = visitor_persons.visitor_id
    where
        coalesce(visits.person_key, visitor_persons.person_key) is not null
        and visits.visit_date is not null
        and visits.chain_step is not null
),

events as (
    -- plan: the individual establishment plan agreed at Jobbtorg.
    select
        person_key,
        'plan' as step,
        'stad_jobbtorg_deltagare' as event_source,
        'plan_agreed' as event_type,
        plan_date as valid_from,
        plan_date as valid_to
    from {{ ref('stg_stad__jobbtorg_participants') }}
    where plan_date is not null

    -- insats: a profession guide match (period).
    union all
    select
        person_key,
        'insats',
        'partner_yrkesguider',
        'guide_match',
        match_date,
        end_date
    from {{ ref('stg_partner__guide_matches') }}
    where match_date is not null

    -- insats: an OCN certificate (point).
    union all
    select
        person_key,
        'insats',
        'partner_ocn_intyg',
        'ocn_certificate',
        certificate_date,
        certificate_date
    from {{ ref('stg_partner__ocn_certificates') }}
    where certificate_date is not null

    -- insats: an SFI result, passed or not (point).
    union all
    select
        person_key,
        'insats',
        'stad_sfi_resultat',
        'sfi_result',
        result_date,
        result_date
    from {{ ref('stg_stad__sfi_results') }}
    where result_date is not null

    -- insats: a Praktik or Trainee placement (period).
    union all
    select
        person_key,
        'insats',
        'partner_matchning',
        'placement_' || lower(insats_type),
        start_date,
        end_date
    from matching_log
    where is_activity_insats

    -- insats: a month in status group "in programme" (month fact).
    union all
    select
        person_key,
        'insats',
        'af_manadsstatus',
        'status_in_programme',
        last_day(status_month),
        last_day(status_month)
    from statuses
    where status_group = 'in_programme'

    -- arbetsgivarkontakt: any matching-log row (period).
    union all
    select
        person_key,
        'arbetsgivarkontakt',
        'partner_matchning',
        'matching_' || lower(insats_type),
        start_date,
        end_date
    from matching_log

    -- arbetsgivarkontakt / anstalld: an Entry Hub employer meeting or reported hire of
    -- a visitor with a personnummer (point).
    union all
    select
        person_key,
        chain_step,
        'partner_entryhub_besok',
        'entry_hub_' || activity,
        visit_date,
        visit_date
    from entry_hub_visits

    -- anstalld: an employment insats in the matching log (period).
    union all
    select
        person_key,
        'anstalld',
        'partner_matchning',
        'employment_' || lower(insats_type),
        start_date,
        end_date
    from matching_log
    where is_employment_insats

    -- anstalld: a month-end status with employment support, or in status group
    -- "employed with support" or "part-time work" (month fact).
    union all
    select
        person_key,
        'anstalld',
        'af_manadsstatus',
        'status_employed',
        last_day(status_month),
        last_day(status_month)
    from statuses
    where
        employment_support is not null
        or status_group in ('employed_with_support', 'part_time_work')

    -- anstalld: a deregistration to work holds on its date, and its employment spell on
    -- every day of the spell. One period covers both: from the deregistration date to
    -- the later of that date and the spell's end (null = still running).
    union all
    select
        person_key,
        'anstalld',
        'af_avaktiveringar',
        'deregistration_to_work',
        deregistration_date,
        case when not is_running then greatest(deregistration_date, spell_end_date) end
    from {{ ref('int_deregistration_spells_derived') }}
    where reason_group = 'work'

    -- sjalvforsorjande: a self-supporting month (month fact; unknown months give none).
    union all
    select
        person_key,
        'sjalvforsorjande',
        'int_person_months_tracked',
        'self_supporting_month',
        month_end,
        month_end
    from {{ ref('int_person_months_tracked') }}
    where is_self_supporting
)

select
    person_key,
    step,
    event_source,
    event_type,
    valid_from,
    valid_to
from events
