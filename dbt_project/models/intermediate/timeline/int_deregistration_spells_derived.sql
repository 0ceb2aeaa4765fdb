-- Employment and studies spells from deregistrations (projects.md): a deregistration to
-- work (ARBETE_TV, ARBETE_TB, EGET_FORETAG) or to studies (UTBILDNING) starts a spell on
-- its date; the spell runs to the last day of the month before the person's next
-- month-end status row (the first status month that ends after the deregistration date:
-- a re-registration ends the spell), or is still running.
-- A status row for the month of the deregistration itself, when the deregistration is
-- not on the month's last day, means the person was registered again by that month's
-- end: the spell is then empty (spell_end_date before the deregistration date), though
-- the deregistration still holds as a point event on its own date.
with deregistrations as (
    select
        person_key,
        deregistration_date,
        reason_code,
        reason_group
    from {{ ref('stg_af__deregistrations') }}
    where
        reason_group in ('work', 'studies')
        and deregistration_date is not null
),

status_months as (
    select distinct
        person_key,
        status_month
    from {{ ref('stg_af__monthly_statuses') }}
),

next_status_months as (
    select
        deregistrations.person_key,
        deregistrations.deregistration_date,
        deregistrations.reason_code,
        deregistrations.reason_group,
        min(status_months.status_month) as next_status_month
    from deregistrations
    left join status_months
        on
            deregistrations.person_key = status_months.person_key
            and last_day(status_months.status_month) > deregistrations.deregistration_date
    group by all
)

select
    person_key,
    deregistration_date,
    reason_code,
    reason_group,
    next_status_month,
    -- Last day of the month before the next status month; null = still running.
    (next_status_month - interval 1 day)::date as spell_end_date,
    next_status_month is null as is_running,
    date_trunc('month', deregistration_date)::date as first_spell_month,
    -- The spell makes the person employed (or in studies) in every month from the
    -- deregistration month to the month before the next status month (projects.md,
    -- "Employed in month M"); null = still running.
    (next_status_month - interval 1 month)::date as last_spell_month
from next_status_months
