-- HEART mapping, cities and regions contacted (sheet Städer).
select
    "Stad/region" as city_region,
    land as country,
    kontaktdatum as contact_date,
    "Studiebesök" = 'ja' as is_study_visit,
    _export_date as export_date,
    _load_id as load_id
from {{ source('partner', 'partner_heart_stader') }}
where _is_current
