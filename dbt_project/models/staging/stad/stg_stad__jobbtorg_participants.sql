-- Jobbtorg participants, from the newest snapshot per person and project (_is_current).
with participants as (
    select * from {{ source('stad', 'stad_jobbtorg_deltagare') }}
    where _is_current
),

districts as (
    select * from {{ ref('stockholm_districts') }}
)

select
    participants.person_key,
    participants.birth_year,
    participants.birth_date,
    participants.gender,
    participants.inskrivningsdatum as registration_date,
    participants.utskrivningsdatum as discharge_date,
    participants.stadsdel as district,
    districts.district is not null as is_known_district,
    participants.projektkod as project_id,
    participants."Plan upprättad" as plan_date,
    participants."Handläggare" as case_officer_id,
    participants._export_date as export_date,
    participants._load_id as load_id,
    participants._row_number as row_number
from participants
left join districts
    on participants.stadsdel = districts.district
