-- The matching log: employer contacts and placements, with the insats flags of the
-- seed insats_types and the SNI section name.
with matching_log as (
    select * from {{ source('partner', 'partner_matchning') }}
    where _is_current
),

insats_types as (
    select * from {{ ref('insats_types') }}
),

sni_sections as (
    select * from {{ ref('sni_sections') }}
)

select
    matching_log.person_key,
    matching_log.birth_year,
    matching_log.birth_date,
    matching_log.gender,
    matching_log.projekt as project_id,
    matching_log.organisationsnummer as organisation_number,
    matching_log.arbetsgivare as employer_name,
    matching_log.insats as insats_type,
    coalesce(insats_types.is_employment_insats, false) as is_employment_insats,
    coalesce(insats_types.is_activity_insats, false) as is_activity_insats,
    coalesce(insats_types.is_subsidised_job, false) as is_subsidised_job,
    matching_log.startdatum as start_date,
    matching_log.slutdatum as end_date,
    matching_log.bransch as sni_section,
    sni_sections.name_en as sni_section_name,
    matching_log._export_date as export_date,
    matching_log._load_id as load_id
from matching_log
left join insats_types
    on matching_log.insats = insats_types.insats_type
left join sni_sections
    on matching_log.bransch = sni_sections.sni_section
