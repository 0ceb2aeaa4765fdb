-- One row per project and reporting month: from the project's first month to the
-- earlier of its last month and its latest month of data (projects.md). A project
-- without any data in its period has no months yet.
with project_ranges as (
    select * from {{ ref('int_project_periods_bounded') }}
),

months as (
    select
        project_ranges.*,
        unnest(generate_series(first_month, reporting_end_month, interval 1 month))::date
            as month
    from project_ranges
    where reporting_end_month >= first_month
)

select
    project_id,
    month,
    last_day(month) as month_end,
    start_date,
    end_date,
    first_month,
    last_month,
    latest_data_month,
    reporting_end_month,
    month = reporting_end_month as is_latest_month
from months
