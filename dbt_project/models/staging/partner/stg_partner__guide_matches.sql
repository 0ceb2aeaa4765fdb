-- Profession guide (yrkesguide) matches from the Red Cross.
select
    "Guide-ID" as guide_id,
    person_key,
    birth_year,
    birth_date,
    gender,
    "Yrkesområde" as profession_area,
    matchningsdatum as match_date,
    avslutsdatum as end_date,
    "Antal träffar" as meeting_count,
    _export_date as export_date,
    _load_id as load_id
from {{ source('partner', 'partner_yrkesguider') }}
where _is_current
