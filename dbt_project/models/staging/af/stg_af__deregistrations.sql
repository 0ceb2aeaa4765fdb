-- Deregistrations from the employment service (overlapping extracts already merged by
-- ingest), with the reason group of exports.md: work, studies or other.
with deregistrations as (
    select * from {{ source('af', 'af_avaktiveringar') }}
    where _is_current
),

reasons as (
    select * from {{ ref('af_deregistration_reasons') }}
)

select
    deregistrations.person_key,
    deregistrations.birth_year,
    deregistrations.birth_date,
    deregistrations.gender,
    deregistrations.avaktiveringsdatum as deregistration_date,
    deregistrations.orsak as reason_code,
    reasons.reason_group,
    deregistrations._export_date as export_date,
    deregistrations._load_id as load_id
from deregistrations
left join reasons
    on deregistrations.orsak = reasons.reason_code
