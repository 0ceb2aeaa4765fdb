-- OCN (quality-assured course) certificates.
select
    person_key,
    birth_year,
    birth_date,
    gender,
    kursmodul as course_module,
    "Nivå" as level,
    intygsdatum as certificate_date,
    _export_date as export_date,
    _load_id as load_id
from {{ source('partner', 'partner_ocn_intyg') }}
where _is_current
