-- HEART mapping, interviews with people in the target group (sheet Intervjuer).
select
    "Intervju-ID" as interview_id,
    "Kön" as gender,
    datum as interview_date,
    _export_date as export_date,
    _load_id as load_id
from {{ source('partner', 'partner_heart_intervjuer') }}
where _is_current
