-- The chain step by step, in cells the Kedjan page filters and sums: project x reading x
-- intake month x gender x district x education group x age group x step. Every count
-- adds up over cells, so any selection of cohorts and groups is a sum of rows; rates are
-- the sums' quotients. Each step is counted on its own (a person can skip one).
with steps as (
    select * from {{ ref('int_funnel_steps_flagged') }}
),

cells as (
    select
        project_id,
        reading,
        reading_month,
        intake_month,
        gender,
        district,
        education_group,
        age_group,
        step,
        step_order,
        count(*) as cohort_size,
        count(*) filter (where is_reached) as reached_count,
        count(*) filter (where is_previous_reached) as previous_step_reached_count,
        count(*) filter (where is_reached and is_previous_reached) as reached_with_previous_count,
        count(*) filter (where is_skipping) as skipped_count
    from steps
    group by all
)

select
    project_id::varchar as project_id,
    reading::varchar as reading,
    reading_month::date as reading_month,
    intake_month::date as intake_month,
    gender::varchar as gender,
    district::varchar as district,
    education_group::varchar as education_group,
    age_group::varchar as age_group,
    step::varchar as step,
    step_order::integer as step_order,
    cohort_size::bigint as cohort_size,
    reached_count::bigint as reached_count,
    -- inskriven has no step before it
    case when step_order > 1 then previous_step_reached_count end::bigint
        as previous_step_reached_count,
    case when step_order > 1 then reached_with_previous_count end::bigint
        as reached_with_previous_count,
    case
        when step_order > 1
            then previous_step_reached_count - reached_with_previous_count
    end::bigint as dropped_off_count,
    skipped_count::bigint as skipped_count
from cells
