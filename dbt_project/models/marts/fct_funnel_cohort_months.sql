-- Cohorts over time, in cells the Kedjan page's heatmap filters and sums: project x
-- reading x intake month x gender x district x education group x age group x months
-- since intake (0 .. var cohort_months). employed_count and self_supporting_count are
-- cumulative: those of the cell who had reached the step by the end of intake month + k
-- (first step date, as of the reading). A cell whose intake month + k is after the
-- reading's month is still open: its count may grow.
{% set cell = ['project_id', 'reading', 'reading_month', 'intake_month', 'gender', 'district',
               'education_group', 'age_group'] %}
with steps as (
    select * from {{ ref('int_funnel_steps_flagged') }}
    where step in ('anstalld', 'sjalvforsorjande')
),

person_steps as (
    select
        person_key,
        {{ cell | join(', ') }},
        {{ step_date_columns(['anstalld', 'sjalvforsorjande']) }}
    from steps
    group by all
),

persons as (
    select
        *,
        date_diff('month', intake_month, anstalld_date) as months_to_employed,
        date_diff('month', intake_month, sjalvforsorjande_date) as months_to_self_supporting
    from person_steps
),

cells as (
    select {{ cell | join(', ') }}, count(*) as cohort_size
    from persons
    group by all
),

months as (
    select range as months_since_intake from range(0, {{ var('cohort_months') }} + 1)
),

arrivals as (
    select {{ cell | join(', ') }}, months_to_employed as months_since_intake,
           1 as employed, 0 as self_supporting
    from persons
    where months_to_employed is not null
    union all
    select {{ cell | join(', ') }}, months_to_self_supporting, 0, 1
    from persons
    where months_to_self_supporting is not null
),

arrivals_by_month as (
    select {{ cell | join(', ') }}, months_since_intake,
           sum(employed) as employed_new, sum(self_supporting) as self_supporting_new
    from arrivals
    group by all
),

grid as (
    select cells.*, months.months_since_intake
    from cells
    cross join months
)

select
    grid.project_id::varchar as project_id,
    grid.reading::varchar as reading,
    grid.reading_month::date as reading_month,
    grid.intake_month::date as intake_month,
    grid.gender::varchar as gender,
    grid.district::varchar as district,
    grid.education_group::varchar as education_group,
    grid.age_group::varchar as age_group,
    grid.months_since_intake::integer as months_since_intake,
    grid.cohort_size::bigint as cohort_size,
    (sum(coalesce(arrivals_by_month.employed_new, 0)) over cell_months)::bigint
        as employed_count,
    (sum(coalesce(arrivals_by_month.self_supporting_new, 0)) over cell_months)::bigint
        as self_supporting_count,
    (grid.intake_month + to_months(grid.months_since_intake::integer))::date
        > grid.reading_month as is_follow_up_open
from grid
left join arrivals_by_month
    using ({{ cell | join(', ') }}, months_since_intake)
window cell_months as (
    partition by {% for c in cell %}grid.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    order by grid.months_since_intake
)
