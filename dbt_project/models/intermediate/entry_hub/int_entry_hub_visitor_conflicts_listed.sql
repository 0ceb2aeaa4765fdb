-- Entry Hub visitor ids that carry two or more different personnummer (projects.md): the
-- data-quality page lists them, by besokar_id and count, never the numbers or their keys.
-- Their visits without a personnummer go to the earliest visit's personnummer
-- (int_entry_hub_visits_identified); the hub should correct the others.
with visits as (
    select * from {{ ref('stg_partner__entry_hub_visits') }}
    where visit_date is not null
)

select
    visitor_id,
    count(distinct person_key) as personnummer_count,
    count(*) as visit_count,
    count(*) filter (where person_key is null) as visits_without_personnummer,
    min(visit_date) as first_visit_date,
    max(visit_date) as last_visit_date
from visits
group by visitor_id
having count(distinct person_key) >= 2
