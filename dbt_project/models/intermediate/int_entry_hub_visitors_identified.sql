-- Entry Hub visitors as of each reporting month of a project with visits (projects.md):
-- a visitor is identified by personnummer where any of their visits up to the end of
-- the month carries one, otherwise by besokar_id; their gender is the hub's kon (the
-- latest recorded), else the personnummer's; else unknown.
-- Built per as-of month so that a month only uses visits dated up to its end and from
-- the project's start (a personnummer or kon first given on a later visit does not
-- reach back).
with months as (
    select project_id, month, month_end, start_date
    from {{ ref('int_project_months_spined') }}
    where project_id in (
        select project_id from {{ ref('file_projects') }}
        where record_source = 'partner_entryhub_besok'
    )
),

visits as (
    select * from {{ ref('stg_partner__entry_hub_visits') }}
    where visit_date is not null
),

visits_to_date as (
    select
        months.project_id,
        months.month,
        visits.*
    from months
    inner join visits
        on visits.visit_date >= months.start_date
        and visits.visit_date <= months.month_end
),

visitor_links as (
    select project_id, month, visitor_id, min(person_key) as linked_person_key
    from visits_to_date
    where person_key is not null
    group by project_id, month, visitor_id
),

identified_visits as (
    select
        visits_to_date.*,
        coalesce(
            visits_to_date.person_key,
            visitor_links.linked_person_key,
            'besokar_id:' || visits_to_date.visitor_id
        ) as visitor_key
    from visits_to_date
    left join visitor_links
        on visits_to_date.project_id = visitor_links.project_id
        and visits_to_date.month = visitor_links.month
        and visits_to_date.visitor_id = visitor_links.visitor_id
)

select
    project_id,
    month,
    visitor_key,
    visitor_key not like 'besokar_id:%' as has_personnummer,
    coalesce(
        -- arg_max skips null values: the latest visit that recorded one.
        arg_max(recorded_gender, visit_date),
        arg_max(gender_from_personnummer, visit_date)
    ) as gender,
    bool_or(activity = 'anstallning') as has_reported_hire,
    min(visit_date) as first_visit_date,
    count(*) as visit_count
from identified_visits
group by project_id, month, visitor_key
