-- The funnel of the chain per cohort: project x intake month x gender x district x
-- education group x step, as of the project's as-of month (fct_funnel_steps has the
-- page's finer, summable cells for every reading).
with steps as (
    select * from {{ ref('int_funnel_steps_flagged') }}
    where reading = 'as_of'
),

cohorts as (
    select
        project_id,
        intake_month,
        gender,
        district,
        education_group,
        step,
        any_value(step_order) as step_order,
        any_value(follow_up_months) as follow_up_months,
        any_value(reading_month) as as_of_month,
        bool_and(is_matured) as is_matured,
        count(*) as cohort_size,
        count(*) filter (where is_reached) as reached_count,
        count(*) filter (where is_previous_reached) as previous_step_reached_count,
        count(*) filter (where is_reached and is_previous_reached)
            as reached_with_previous_count,
        count(*) filter (where is_skipping) as skipped_count,
        median(days_to_step) as median_days_to_step
    from steps
    group by project_id, intake_month, gender, district, education_group, step
)

select
    project_id,
    intake_month,
    gender,
    district,
    education_group,
    step,
    step_order,
    cohort_size,
    reached_count,
    previous_step_reached_count,
    reached_with_previous_count,
    case
        when step_order > 1
            then reached_with_previous_count / nullif(previous_step_reached_count, 0)
    end as conversion_from_previous,
    reached_count / nullif(cohort_size, 0) as conversion_from_start,
    median_days_to_step,
    skipped_count,
    follow_up_months,
    is_matured,
    as_of_month
from cohorts
