-- Month-end statuses of project-coded job seekers. Only the current delivery of each
-- month (a re-delivered month replaces the earlier file: ingest sets _is_current).
with statuses as (
    select * from {{ source('af', 'af_manadsstatus') }}
    where _is_current
),

categories as (
    select * from {{ ref('af_jobseeker_categories') }}
),

supports as (
    select * from {{ ref('af_employment_supports') }}
)

select
    statuses.person_key,
    statuses.birth_year,
    statuses.birth_date,
    statuses.gender,
    cast(statuses.manad || '-01' as date) as status_month,
    statuses.sokandekategori as jobseeker_category,
    categories.status_group,
    statuses.anstallningsstod as employment_support,
    supports.name_en as employment_support_name,
    statuses._export_date as export_date,
    statuses._load_id as load_id
from statuses
left join categories
    on statuses.sokandekategori = categories.jobseeker_category
left join supports
    on statuses.anstallningsstod = supports.employment_support
