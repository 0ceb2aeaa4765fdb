-- T3 etst_subsidised_jobs (projects.md), per month and gender: distinct participants
-- (inskriven on or before the end of M) with anstallningsstod set in their month-end
-- status for M, or an Instegsjobb/Nystartsjobb matching-log row of any project
-- overlapping M (both read from the monthly timeline's is_in_subsidised_job).
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id = 'etst_subsidised_jobs'
),

participants as (
    select
        participations.project_id,
        participations.person_key,
        participations.inskriven_date,
        participations.gender
    from {{ ref('int_participations_profiled') }} as participations
),

subsidised_months as (
    select
        person_key,
        month
    from {{ ref('int_person_months_tracked') }}
    where is_in_subsidised_job
),

counts as (
    select
        frame.kpi_id,
        frame.project_id,
        frame.month,
        frame.gender,
        count(distinct subsidised_months.person_key) as people
    from frame
    left join participants
        on
            frame.project_id = participants.project_id
            and {{ is_counted_as_of_month('frame', 'participants', 'inskriven_date') }}
    left join subsidised_months
        on
            participants.person_key = subsidised_months.person_key
            and frame.month = subsidised_months.month
    group by all
)

select
    kpi_id,
    project_id,
    month,
    gender,
    people::double as numerator,
    null::double as denominator,
    people::double as value,
    null::bigint as excluded_count,
    null::double as reference_value
from counts
