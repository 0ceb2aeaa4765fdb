-- Entry Hub visits as of each reporting month of a project with visits (projects.md),
-- each with the key of its visitor: the visit's own personnummer, else the personnummer of
-- the earliest visit with the same besokar_id that carries one (by date, then export date,
-- then row number, then load), else besokar_id. Built per as-of month so that a month only
-- uses visits dated from the project's start to its end (a personnummer first given on a
-- later visit does not reach back). Never ordered by person_key: the key changes with the
-- pseudonymisation key, and the numbers must not.
with months as (
    select
        project_id,
        month,
        month_end,
        start_date
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
        on
            months.start_date <= visits.visit_date
            and months.month_end >= visits.visit_date
),

visitor_links as (
    select
        project_id,
        month,
        visitor_id,
        arg_min(
            person_key,
            {{ entry_hub_visit_order() }}
        ) as linked_person_key
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
        on
            visits_to_date.project_id = visitor_links.project_id
            and visits_to_date.month = visitor_links.month
            and visits_to_date.visitor_id = visitor_links.visitor_id
)

select * from identified_visits
