-- One row per project of the config: its period and how far its data reaches
-- (projects.md). A project's latest month of data is the latest record_month of a
-- record of its own (project code or project file), or of a person-level record without
-- a project code of one of its participants (int_project_sources_covered). Its
-- reporting months run from its first month to the earlier of its last month and its
-- latest month of data; a project without an end date runs to its latest month of data.
with projects as (
    select * from {{ ref('stg_config__projects') }}
    where start_date is not null
),

latest_data_months as (
    select
        project_id,
        max(latest_record_month) as latest_data_month
    from {{ ref('int_project_sources_covered') }}
    group by project_id
),

project_ranges as (
    select
        projects.project_id,
        projects.start_date,
        projects.end_date,
        date_trunc('month', projects.start_date)::date as first_month,
        date_trunc('month', projects.end_date)::date as last_month,
        latest_data_months.latest_data_month,
        -- least() ignores a null: a project without any data has no reporting end.
        case
            when projects.end_date is null or latest_data_months.latest_data_month is null
                then latest_data_months.latest_data_month
            else least(
                date_trunc('month', projects.end_date)::date,
                latest_data_months.latest_data_month
            )
        end as reporting_end_month
    from projects
    left join latest_data_months
        on projects.project_id = latest_data_months.project_id
)

-- A project whose data all lies before its first month has no reporting months yet.
select
    project_id,
    start_date,
    end_date,
    first_month,
    last_month,
    latest_data_month,
    case when reporting_end_month >= first_month then reporting_end_month end
        as reporting_end_month
from project_ranges
