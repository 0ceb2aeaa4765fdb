-- Trainee placements of the matching log (Insats = Trainee) per project, reporting month
-- and gender (projects.md: Samspelet's trainee placements matched to partner companies'
-- needs, monitored without a target). As of semantics: month M counts placements under
-- the project with Startdatum from the project's start to the end of M; records dated
-- after the project's period never reach it (the months stop at its reporting end).
-- Only projects with at least one trainee placement have rows.
with months as (
    select
        project_id,
        month,
        month_end,
        start_date as project_start_date
    from {{ ref('int_project_months_spined') }}
),

placements as (
    select *
    from {{ ref('stg_partner__matching_log') }}
    where
        insats_type = 'Trainee'
        and start_date is not null
),

frame as (
    select
        months.*,
        genders.gender
    from months
    cross join {{ gender_rows() }}
    where months.project_id in (select distinct project_id from placements)
)

select
    frame.project_id,
    frame.month,
    frame.month_end,
    frame.gender,
    count(placements.start_date) filter (where placements.start_date >= frame.month)
        as placements_started,
    count(placements.start_date) as placements_to_date,
    count(distinct placements.person_key) as people_to_date,
    count(distinct placements.organisation_number) as employers_to_date,
    count(placements.start_date) filter (
        where placements.end_date is null or placements.end_date >= frame.month_end
    ) as placements_running_at_month_end
from frame
left join placements
    on
        frame.project_id = placements.project_id
        and {{ is_counted_as_of_month('frame', 'placements', 'start_date', 'project_start_date') }}
group by all
