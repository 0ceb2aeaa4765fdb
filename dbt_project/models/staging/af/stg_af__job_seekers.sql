-- Job seekers with a project code, from the newest AF snapshot that holds each person
-- (ingest sets _is_current; older snapshot rows of the same person are left out here).
with job_seekers as (
    select * from {{ source('af', 'af_arbetssokande') }}
    where _is_current
),

education_levels as (
    select * from {{ ref('education_levels') }}
)

select
    job_seekers.person_key,
    job_seekers.birth_year,
    job_seekers.birth_date,
    job_seekers.gender,
    job_seekers.inskrivningsdatum as registration_date,
    job_seekers.uppehallstillstand_datum as residence_permit_date,
    job_seekers.projektkod as project_id,
    job_seekers.af_kontor as af_office,
    job_seekers.utbildningsniva as education_level,
    education_levels.education_group,
    education_levels.is_short_educated,
    job_seekers._export_date as export_date,
    job_seekers._load_id as load_id,
    job_seekers._row_number as row_number
from job_seekers
left join education_levels
    on job_seekers.utbildningsniva = education_levels.education_level
