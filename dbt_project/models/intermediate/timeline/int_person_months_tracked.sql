-- The monthly timeline: one row per participant (of any project) and month, from the
-- person's first dated record (or intake, or 18-month mark) to the latest month of data.
-- Each column follows projects.md:
--   employed in M: an employment insats in the matching log overlapping M; a month-end
--     status in M with anstallningsstod set or status group "employed with support" or
--     "part-time work"; or a deregistration to work dated on or before the end of M with
--     no status row for a month ending after the deregistration date and not after M.
--   in studies in M: the same deregistration rule for studies.
--   economic assistance in M: the net sum of payments for M (corrections included) > 0.
--   self-supporting in M: employed or in studies, and no assistance; unknown (null) when
--     no economic-assistance file has been delivered for M.
-- Every column of month M uses only data dated up to the end of M (as-of semantics): a
-- later month's delivery changes an earlier row only when it carries a late record dated
-- in that month (a late deregistration, a re-delivered month), which the incremental run
-- below recomputes.
-- depends_on: {{ ref('stg_af__deregistrations') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['person_key', 'month'],
    on_schema_change='fail'
) }}

with participants as (
    select
        person_key,
        min(inskriven_date) as first_inskriven_date
    from {{ ref('int_participations_identified') }}
    group by person_key
),

persons as (
    select
        person_key,
        residence_permit_date
    from {{ ref('int_persons_described') }}
),

records as (
    select * from {{ ref('int_dated_records_unioned') }}
),

timeline_end as (
    select max(record_month) as last_month from records
),

first_record_months as (
    select
        person_key,
        min(record_month) as first_record_month
    from records
    where person_key is not null
    group by person_key
),

-- The first month a person needs: intake, first record, or the 18-month mark after the
-- residence permit (T1 reads self-support in that month).
person_ranges as (
    select
        participants.person_key,
        least(
            date_trunc('month', participants.first_inskriven_date),
            first_record_months.first_record_month,
            date_trunc('month', persons.residence_permit_date + interval 18 month)
        )::date as first_month
    from participants
    left join persons on participants.person_key = persons.person_key
    left join first_record_months on participants.person_key = first_record_months.person_key
),

{% if is_incremental() %}
-- Incremental run: recompute only the months that new loads can change, per person
-- (see the model's YAML). Everything before a person's cutoff stays as it was.
    previous_state as (
        select
            max(built_through_load_id) as built_through_load_id,
            max(month) as last_month
        from {{ this }}
    ),

    previous_person_starts as (
        select
            person_key,
            min(month) as first_month
        from {{ this }}
        group by person_key
    ),

    new_loads as (
        select
            file_kind,
            delivered_month
        from {{ ref('stg_ingest__file_loads') }}
        where
            is_loaded
            and load_id > (select built_through_load_id from previous_state)
    ),

    -- A new or re-delivered monthly file (status or assistance) can change that month for
    -- everyone (a replaced file drops rows; a new assistance file makes a month known).
    -- Months after the previous last month are new for everyone.
    global_cutoff as (
        select least(
            (
                select min(delivered_month) from new_loads
                where file_kind in ('af_manadsstatus', 'stad_ekonomiskt_bistand')
            ),
            ((select last_month from previous_state) + interval 1 month)::date
        ) as cutoff_month
    ),

    -- New person-level rows change their person from the row's month on.
    new_person_rows as (
        select
            person_key,
            status_month as affected_month
        from {{ ref('stg_af__monthly_statuses') }}
        where load_id > (select built_through_load_id from previous_state)
        union all
        select
            person_key,
            date_trunc('month', deregistration_date)::date
        from {{ ref('stg_af__deregistrations') }}
        where load_id > (select built_through_load_id from previous_state)
        union all
        select
            person_key,
            date_trunc('month', start_date)::date
        from {{ ref('stg_partner__matching_log') }}
        where load_id > (select built_through_load_id from previous_state)
        union all
        select
            person_key,
            payment_month
        from {{ ref('stg_stad__assistance_payments') }}
        where load_id > (select built_through_load_id from previous_state)
    ),

    person_cutoffs as (
        select
            person_ranges.person_key,
            greatest(
                person_ranges.first_month,
                least(
                    (select cutoff_month from global_cutoff),
                    min(new_person_rows.affected_month),
                    -- A new person, or one whose range now starts earlier: all their months.
                    case
                        when
                            previous_person_starts.first_month is null
                            or person_ranges.first_month < previous_person_starts.first_month
                            then person_ranges.first_month
                    end
                )
            ) as build_from_month
        from person_ranges
        left join previous_person_starts
            on person_ranges.person_key = previous_person_starts.person_key
        left join new_person_rows
            on person_ranges.person_key = new_person_rows.person_key
        group by
            person_ranges.person_key, person_ranges.first_month,
            previous_person_starts.first_month
    ),
{% else %}
person_cutoffs as (
    select person_key, first_month as build_from_month
    from person_ranges
),
{% endif %}

-- The months to build per person, and the earliest of them: the facts below are only
-- read from that month on, so an incremental run does not spread all history again.
months_to_build as (
    select
        person_cutoffs.person_key,
        unnest(generate_series(
            person_cutoffs.build_from_month, timeline_end.last_month,
            interval 1 month
        ))::date as month
    from person_cutoffs
    cross join timeline_end
    where person_cutoffs.build_from_month is not null
),

build_window as (
    select coalesce(min(build_from_month), (select last_month from timeline_end)) as first_month
    from person_cutoffs
),

status_months as (
    select
        person_key,
        status_month as month,
        -- One row per person and month is expected; should a file hold two, the
        -- lowest category (with its group) is shown and any support or employed status
        -- counts.
        min(jobseeker_category) as jobseeker_category,
        arg_min(status_group, jobseeker_category) as status_group,
        min(employment_support) as employment_support,
        bool_or(employment_support is not null) as has_employment_support,
        bool_or(
            employment_support is not null
            or status_group in ('employed_with_support', 'part_time_work'))
            as is_employed_by_status
    from {{ ref('stg_af__monthly_statuses') }}
    where status_month >= (select first_month from build_window)
    group by person_key, status_month
),

-- Matching-log rows spread over the months they overlap (an open end runs to the end of
-- the timeline).
matching_months as (
    select
        matching_log.person_key,
        unnest(generate_series(
            greatest(
                date_trunc('month', matching_log.start_date),
                (select first_month from build_window)
            ),
            date_trunc('month', coalesce(matching_log.end_date, timeline_end.last_month)),
            interval 1 month
        ))::date as month,
        matching_log.is_employment_insats,
        matching_log.is_subsidised_job
    from {{ ref('stg_partner__matching_log') }} as matching_log
    cross join timeline_end
    where
        matching_log.start_date is not null
        and (matching_log.is_employment_insats or matching_log.is_subsidised_job)
),

matching_flags as (
    select
        person_key,
        month,
        bool_or(is_employment_insats) as has_employment_insats,
        bool_or(is_subsidised_job) as has_subsidised_job_in_matching_log
    from matching_months
    group by person_key, month
),

spell_months as (
    select
        spells.person_key,
        spells.reason_group,
        unnest(generate_series(
            greatest(spells.first_spell_month, (select first_month from build_window)),
            coalesce(spells.last_spell_month, timeline_end.last_month),
            interval 1 month
        ))::date as month
    from {{ ref('int_deregistration_spells_derived') }} as spells
    cross join timeline_end
),

spell_flags as (
    select
        person_key,
        month,
        bool_or(reason_group = 'work') as is_employed_by_deregistration,
        bool_or(reason_group = 'studies') as is_in_studies
    from spell_months
    group by person_key, month
),

assistance_months as (
    select
        person_key,
        payment_month as month,
        sum(amount_sek) as assistance_net_sek
    from {{ ref('stg_stad__assistance_payments') }}
    where payment_month >= (select first_month from build_window)
    group by person_key, payment_month
),

-- Months with a delivered economic-assistance file: from the load log (a delivered file
-- may hold no rows at all), and the months of the rows themselves.
delivered_assistance_months as (
    select delivered_month as month
    from {{ ref('stg_ingest__file_loads') }}
    where file_kind = 'stad_ekonomiskt_bistand' and is_loaded
    union
    select file_month from {{ ref('stg_stad__assistance_payments') }}
),

timeline as (
    select
        months_to_build.person_key,
        months_to_build.month,
        last_day(months_to_build.month) as month_end,
        status_months.person_key is not null as is_registered,
        status_months.jobseeker_category,
        status_months.status_group,
        status_months.employment_support,
        coalesce(status_months.has_employment_support, false) as has_employment_support,
        coalesce(matching_flags.has_subsidised_job_in_matching_log, false)
            as has_subsidised_job_in_matching_log,
        coalesce(matching_flags.has_employment_insats, false) as has_employment_insats,
        coalesce(status_months.is_employed_by_status, false) as is_employed_by_status,
        coalesce(spell_flags.is_employed_by_deregistration, false)
            as is_employed_by_deregistration,
        coalesce(spell_flags.is_in_studies, false) as is_in_studies,
        delivered_assistance_months.month is not null as is_assistance_month_delivered,
        case
            when assistance_months.assistance_net_sek is not null
                then assistance_months.assistance_net_sek
            when delivered_assistance_months.month is not null then 0
        end as assistance_net_sek
    from months_to_build
    left join status_months
        on
            months_to_build.person_key = status_months.person_key
            and months_to_build.month = status_months.month
    left join matching_flags
        on
            months_to_build.person_key = matching_flags.person_key
            and months_to_build.month = matching_flags.month
    left join spell_flags
        on
            months_to_build.person_key = spell_flags.person_key
            and months_to_build.month = spell_flags.month
    left join assistance_months
        on
            months_to_build.person_key = assistance_months.person_key
            and months_to_build.month = assistance_months.month
    left join delivered_assistance_months
        on months_to_build.month = delivered_assistance_months.month
)

select
    person_key,
    month,
    month_end,
    is_registered,
    jobseeker_category,
    status_group,
    employment_support,
    has_employment_support,
    has_subsidised_job_in_matching_log,
    has_employment_support or has_subsidised_job_in_matching_log as is_in_subsidised_job,
    has_employment_insats,
    is_employed_by_status,
    is_employed_by_deregistration,
    has_employment_insats or is_employed_by_status or is_employed_by_deregistration
        as is_employed,
    is_in_studies,
    is_assistance_month_delivered,
    assistance_net_sek,
    coalesce(assistance_net_sek > 0, false) as has_assistance,
    case
        when not is_assistance_month_delivered then null
        else (
            has_employment_insats or is_employed_by_status or is_employed_by_deregistration
            or is_in_studies
        )
        and not coalesce(assistance_net_sek > 0, false)
    end as is_self_supporting,
    -- The newest load this row has seen: the next incremental run starts after it.
    (select coalesce(max(load_id), 0) from {{ ref('stg_ingest__file_loads') }})
        as built_through_load_id
from timeline
