-- Entry Hub visitors as of each reporting month of a project with visits (projects.md):
-- a visitor is identified as in int_entry_hub_visits_identified; their gender is the kon
-- of their latest visit that records one (by date, then export date, then row number,
-- then load: a full order, so a tie on the date cannot flip it), else the
-- personnummer's; else unknown.
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
        arg_max(
            recorded_gender,
            {{ entry_hub_visit_order() }}
        ) filter (where recorded_gender is not null),
        -- Every visit with this personnummer gives the same gender.
        max(gender_from_personnummer)
    ) as gender,
    bool_or(activity = 'anstallning') as has_reported_hire,
    min(visit_date) as first_visit_date,
    count(*) as visit_count
from identified_visits
group by project_id, month, visitor_key
