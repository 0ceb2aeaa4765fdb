-- HEART mapping, employers contacted (sheet Företag).
select
    Organisationsnummer as Organisation_number,
    "Företag" as Company_name,
    Kontaktdatum as Contact_date,
    Erbjuder as Offers,
    _export_date as Export_date,
    _load_id as Load_id
from {{ source('partner', 'partner_heart_foretag') }}
where _is_current
