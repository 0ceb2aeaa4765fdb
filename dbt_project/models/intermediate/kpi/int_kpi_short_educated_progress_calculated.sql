-- T6 etst_short_educated_progress (projects.md; Kedjan's measure), per month and gender.
-- Population as of M: participants with education level 1-2 (kortutbildad) whose
-- inskriven date + 12 months falls in or before M (the window has closed). Numerator:
-- those with a passed SFI course (Betyg A-E, G or VG) or an OCN certificate dated from
-- inskriven to inskriven + 12 months, both days included.
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id = 'etst_short_educated_progress'
),

participants as (
    select
        participations.project_id,
        participations.person_key,
        participations.inskriven_date,
        (participations.inskriven_date + interval 12 month)::date as window_end_date,
        participations.gender
    from {{ ref('int_participations_profiled') }} as participations
    where participations.is_short_educated
),

achievements as (
    select
        person_key,
        result_date as achievement_date
    from {{ ref('stg_stad__sfi_results') }}
    where is_passed
    union all
    select
        person_key,
        certificate_date
    from {{ ref('stg_partner__ocn_certificates') }}
),

participant_outcomes as (
    select
        participants.*,
        date_trunc('month', participants.window_end_date)::date as window_end_month,
        exists(
            select 1
            from achievements
            where
                achievements.person_key = participants.person_key
                and achievements.achievement_date between participants.inskriven_date
                and participants.window_end_date
        ) as has_progressed
    from participants
),

counts as (
    select
        frame.kpi_id,
        frame.project_id,
        frame.month,
        frame.gender,
        count(participant_outcomes.person_key) as population,
        count(participant_outcomes.person_key) filter (where participant_outcomes.has_progressed)
            as progressed
    from frame
    left join participant_outcomes
        on
            frame.project_id = participant_outcomes.project_id
            and frame.month >= participant_outcomes.window_end_month
            and {{ is_in_gender_row('frame', 'participant_outcomes') }}
    group by all
)

select
    kpi_id,
    project_id,
    month,
    gender,
    progressed::double as numerator,
    population::double as denominator,
    progressed / nullif(population, 0) as value,
    null::bigint as excluded_count,
    null::double as reference_value
from counts
