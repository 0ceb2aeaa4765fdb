-- HEART mapping, employers contacted (sheet Företag).
select
    "Organisationsnummer" as organisation_number,
    "Företag" as company_name,
    "Kontaktdatum" as contact_date,
    "Erbjuder" as offers,
    _export_date as export_date,
    _load_id as load_id
from {{ source('partner', 'partner_heart_foretag') }}
where _is_current
