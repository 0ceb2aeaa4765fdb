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
    matching_log."Projekt" as project_id,
    matching_log."Organisationsnummer" as organisation_number,
    matching_log."Arbetsgivare" as employer_name,
    matching_log."Insats" as insats_type,
    coalesce(insats_types.is_employment_insats, false) as is_employment_insats,
    coalesce(insats_types.is_activity_insats, false) as is_activity_insats,
    coalesce(insats_types.is_subsidised_job, false) as is_subsidised_job,
    matching_log."Startdatum" as start_date,
    matching_log."Slutdatum" as end_date,
    matching_log."Bransch" as sni_section,
    sni_sections.name_en as sni_section_name,
    matching_log._export_date as export_date,
    matching_log._load_id as load_id
from matching_log
left join insats_types
    on matching_log."Insats" = insats_types.insats_type
left join sni_sections
    on matching_log."Bransch" = sni_sections.sni_section
