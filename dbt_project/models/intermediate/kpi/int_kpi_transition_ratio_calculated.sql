-- T2 etst_transition_ratio (projects.md), per month and gender.
-- Participants, for each month M: numerator = distinct participants (inskriven on or
-- before the end of M) with a deregistration to work or studies dated in M; denominator =
-- distinct participants with a month-end status row for M or a deregistration of any
-- reason dated in M (each person once). Comparison group: till_arbete + till_utbildning
-- over inskrivna. Each side is pooled from the project's first month to M (sum of the
-- monthly numerators over the sum of the monthly denominators); value = participants'
-- pooled rate / comparison pooled rate, null when either pooled denominator or the
-- comparison's pooled numerator is 0. By gender both sides use that gender.
-- numerator/denominator are the participants' pooled counts; reference_value is the
-- comparison group's pooled rate. The comparison side is pooled in
-- int_comparison_group_months_pooled (shared with fct_transition_comparison_monthly).
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id = 'etst_transition_ratio'
),

participants as (
    select
        participations.project_id,
        participations.person_key,
        participations.inskriven_date,
        participations.gender
    from {{ ref('int_participations_profiled') }} as participations
),

person_month_facts as (
    select
        person_key,
        status_month as month,
        false as is_to_work_or_studies
    from {{ ref('stg_af__monthly_statuses') }}
    union all
    select
        person_key,
        date_trunc('month', deregistration_date)::date,
        coalesce(reason_group in ('work', 'studies'), false)
    from {{ ref('stg_af__deregistrations') }}
    where deregistration_date is not null
),

person_months as (
    select
        person_key,
        month,
        bool_or(is_to_work_or_studies) as is_to_work_or_studies
    from person_month_facts
    group by person_key, month
),

-- Each participation's months with a fact, so that a month is counted from the facts
-- (a person's status rows) instead of from every participant for every month.
participation_months as (
    select
        participants.project_id,
        participants.inskriven_date,
        participants.gender,
        person_months.person_key,
        person_months.month,
        person_months.is_to_work_or_studies
    from participants
    inner join person_months on participants.person_key = person_months.person_key
),

participant_counts as (
    select
        frame.project_id,
        frame.month,
        frame.gender,
        count(distinct participation_months.person_key) filter (
            where participation_months.is_to_work_or_studies
        ) as participants_moved_on,
        count(distinct participation_months.person_key) as participants_at_risk
    from frame
    left join participation_months
        on
            frame.project_id = participation_months.project_id
            and frame.month = participation_months.month
            and {{ is_counted_as_of_month('frame', 'participation_months', 'inskriven_date') }}
    group by all
),

participants_pooled as (
    select
        frame.kpi_id,
        frame.project_id,
        frame.month,
        frame.gender,
        sum(participant_counts.participants_moved_on) over to_date as participant_numerator,
        sum(participant_counts.participants_at_risk) over to_date as participant_denominator
    from frame
    inner join participant_counts
        on
            frame.project_id = participant_counts.project_id
            and frame.month = participant_counts.month
            and frame.gender = participant_counts.gender
    window to_date as (
        partition by frame.project_id, frame.gender
        order by frame.month
        rows between unbounded preceding and current row
    )
)

select
    participants_pooled.kpi_id,
    participants_pooled.project_id,
    participants_pooled.month,
    participants_pooled.gender,
    participants_pooled.participant_numerator::double as numerator,
    participants_pooled.participant_denominator::double as denominator,
    case
        when
            participants_pooled.participant_denominator = 0 or comparison.comparison_denominator = 0
            or comparison.comparison_numerator = 0 then null
        else
            (participants_pooled.participant_numerator / participants_pooled.participant_denominator)
            / (comparison.comparison_numerator / comparison.comparison_denominator)
    end as value,
    null::bigint as excluded_count,
    comparison.comparison_rate as reference_value
from participants_pooled
inner join {{ ref('int_comparison_group_months_pooled') }} as comparison
    on
        participants_pooled.project_id = comparison.project_id
        and participants_pooled.month = comparison.month
        and participants_pooled.gender = comparison.gender
