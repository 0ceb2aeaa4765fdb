-- Entry Hub visitors as of each reporting month of a project with visits (projects.md):
-- a visitor is identified by personnummer where any of their visits up to the end of
-- the month carries one, otherwise by besokar_id; their gender is the hub's kon (the
-- latest recorded), else the personnummer's; else unknown.
-- Built per as-of month so that a month only uses visits dated up to its end and from
-- the project's start (a personnummer or kon first given on a later visit does not
-- reach back).
with identified_visits as (
    select * from {{ ref('int_entry_hub_visits_identified') }}
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
