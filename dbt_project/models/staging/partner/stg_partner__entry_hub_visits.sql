-- Entry Hub visits. gender_from_personnummer is ingest's gender of the personnummer;
-- recorded_gender is the hub's own kon column.
with visits as (
    select * from {{ source('partner', 'partner_entryhub_besok') }}
    where _is_current
),

activities as (
    select * from {{ ref('entry_hub_activities') }}
)

select
    visits.datum as visit_date,
    visits.besokar_id as visitor_id,
    visits.person_key,
    visits.birth_year,
    visits.birth_date,
    visits.gender as gender_from_personnummer,
    visits.kon as recorded_gender,
    visits.aktivitet as activity,
    activities.chain_step,
    visits.arbetsgivare as employer_name,
    visits.ort as city,
    visits._export_date as export_date,
    visits._load_id as load_id,
    visits._row_number as row_number
from visits
left join activities
    on visits.aktivitet = activities.activity
