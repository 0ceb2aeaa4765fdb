-- One row per project: those of config/projects.yml, and any project code found in the
-- data that the config does not know yet (in_config = false: the config may lag a new
-- project; such a project has no period, so no KPIs until it is added).
with projects as (
    select * from {{ ref('stg_config__projects') }}
),

codes_in_data as (
    select distinct project_id from {{ ref('int_participations_identified') }}
    union
    select distinct project_id from {{ ref('int_dated_records_unioned') }}
    where project_id is not null
),

ranges as (
    select * from {{ ref('int_project_periods_bounded') }}
),

participant_counts as (
    select
        project_id,
        count(*) as participant_count
    from {{ ref('int_participations_identified') }}
    group by project_id
),

all_projects as (
    select
        project_id,
        true as in_config
    from projects
    union all
    select
        project_id,
        false
    from codes_in_data
    where project_id not in (select project_id from projects)
)

select
    all_projects.project_id,
    projects.name_sv,
    projects.name_en,
    projects.owner,
    projects.funding,
    coalesce(projects.is_esf, false) as is_esf,
    projects.start_date,
    projects.end_date,
    ranges.first_month,
    ranges.last_month,
    ranges.latest_data_month,
    ranges.reporting_end_month,
    projects.total_budget_sek,
    projects.esf_grant_sek,
    coalesce(participant_counts.participant_count, 0) as participant_count,
    all_projects.in_config
from all_projects
left join projects on all_projects.project_id = projects.project_id
left join ranges on all_projects.project_id = ranges.project_id
left join participant_counts on all_projects.project_id = participant_counts.project_id
