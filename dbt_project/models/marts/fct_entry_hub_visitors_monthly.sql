-- Entry Hub's visitors by city, as of each reporting month (projects.md: reach women to a
-- higher degree; the project page shows women's share by city against the baseline).
-- A visitor is identified as in int_entry_hub_visits_identified (personnummer where any
-- visit up to the month's end carries one, otherwise besokar_id) and has the gender found
-- there for that month (the hub's kon, else the personnummer's, else unknown). A visitor
-- counts for every city they visited, so the cities do not add up to the project's total
-- (the total is ehub_women_share in fct_kpi_monthly). Every city seen in the visits has a
-- row for every reporting month, with zeros before its first visit.
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

identified_visits as (
    select
        *,
        coalesce(city, 'okänd') as visit_city
    from {{ ref('int_entry_hub_visits_identified') }}
),

city_visitors as (
    select
        identified_visits.project_id,
        identified_visits.month,
        identified_visits.visit_city as city,
        identified_visits.visitor_key,
        count(*) filter (where date_trunc('month', visit_date) = identified_visits.month)
            as visits_in_month,
        bool_or(activity = 'anstallning') as has_reported_hire
    from identified_visits
    group by all
),

city_visitor_genders as (
    select
        city_visitors.*,
        visitors.gender
    from city_visitors
    inner join {{ ref('int_entry_hub_visitors_identified') }} as visitors
        on
            city_visitors.project_id = visitors.project_id
            and city_visitors.month = visitors.month
            and city_visitors.visitor_key = visitors.visitor_key
),

cities as (
    select distinct
        project_id,
        city
    from city_visitors
),

frame as (
    select
        months.project_id,
        months.month,
        months.month_end,
        cities.city
    from months
    inner join cities
        on months.project_id = cities.project_id
),

counts as (
    select
        frame.project_id,
        frame.month,
        frame.month_end,
        frame.city,
        count(v.visitor_key) as visitors_to_date,
        count(v.visitor_key) filter (where v.gender = 'K') as women_to_date,
        count(v.visitor_key) filter (where v.gender = 'M') as men_to_date,
        count(v.visitor_key) filter (where v.gender is null) as unknown_gender_to_date,
        count(v.visitor_key) filter (where v.gender is not null) as known_gender_to_date,
        count(v.visitor_key) filter (where v.visits_in_month > 0) as visitors_in_month,
        count(v.visitor_key) filter (where v.visits_in_month > 0 and v.gender = 'K')
            as women_in_month,
        count(v.visitor_key) filter (where v.visits_in_month > 0 and v.gender = 'M')
            as men_in_month,
        count(v.visitor_key) filter (where v.visits_in_month > 0 and v.gender is null)
            as unknown_gender_in_month,
        coalesce(sum(v.visits_in_month), 0) as visits_in_month,
        count(v.visitor_key) filter (where v.has_reported_hire) as reported_hires_to_date
    from frame
    left join city_visitor_genders as v
        on
            frame.project_id = v.project_id
            and frame.month = v.month
            and frame.city = v.city
    group by all
)

select
    project_id,
    month,
    month_end,
    city,
    visitors_to_date,
    women_to_date,
    men_to_date,
    unknown_gender_to_date,
    known_gender_to_date,
    women_to_date / nullif(known_gender_to_date, 0) as women_share_to_date,
    visitors_in_month,
    women_in_month,
    men_in_month,
    unknown_gender_in_month,
    visits_in_month::bigint as visits_in_month,
    reported_hires_to_date
from counts
