-- T1 etst_self_supporting_18m (projects.md), per month and gender.
-- Population as of M: the project's participants (inskriven on or before the end of M)
-- whose residence permit date + 18 months falls in or before M; no permit date: not in
-- the population. Numerator: those self-supporting in the calendar month holding the
-- 18-month mark. A person whose 18-month month is unknown (no economic-assistance file
-- delivered for it) is left out of both and counted as pending (excluded_count).
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id = 'etst_self_supporting_18m'
),

participants as (
    select
        participations.project_id,
        participations.person_key,
        participations.inskriven_date,
        participations.gender,
        date_trunc('month', participations.residence_permit_date + interval 18 month)::date
            as mark_month
    from {{ ref('int_participations_profiled') }} as participations
    where participations.residence_permit_date is not null
),

marks as (
    select
        participants.*,
        -- No timeline row (the month lies beyond every delivery) is unknown too.
        timeline.is_self_supporting
    from participants
    left join {{ ref('int_person_months_tracked') }} as timeline
        on
            participants.person_key = timeline.person_key
            and participants.mark_month = timeline.month
),

counts as (
    select
        frame.kpi_id,
        frame.project_id,
        frame.month,
        frame.gender,
        count(marks.person_key) filter (where marks.is_self_supporting is not null)
            as population,
        count(marks.person_key) filter (where marks.is_self_supporting) as self_supporting,
        count(marks.person_key) filter (where marks.is_self_supporting is null) as pending
    from frame
    left join marks
        on
            frame.project_id = marks.project_id
            and frame.month >= marks.mark_month
            and {{ is_counted_as_of_month('frame', 'marks', 'inskriven_date') }}
    group by all
)

select
    kpi_id,
    project_id,
    month,
    gender,
    self_supporting::double as numerator,
    population::double as denominator,
    self_supporting / nullif(population, 0) as value,
    pending as excluded_count,
    null::double as reference_value
from counts
