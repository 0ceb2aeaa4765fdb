-- Economic assistance payments (ekonomiskt bistånd); negative amounts are corrections.
-- Only the current delivery of each month (a re-delivered month replaces the earlier one).
select
    person_key,
    birth_year,
    birth_date,
    gender,
    cast("Utbetalningsmånad" || '-01' as date) as payment_month,
    belopp as amount_sek,
    stadsdel as district,
    _export_date as export_date,
    cast(date_trunc('month', _export_date) as date) as file_month,
    _load_id as load_id,
    _row_number as row_number
from {{ source('stad', 'stad_ekonomiskt_bistand') }}
where _is_current
