-- The comparison group: newly arrived job seekers in no project, per month and gender.
select
    cast(manad || '-01' as date) as comparison_month,
    kon as gender,
    inskrivna as registered_count,
    till_arbete as to_work_count,
    till_utbildning as to_studies_count,
    _export_date as export_date,
    _load_id as load_id
from {{ source('af', 'af_jamforelsegrupp') }}
where _is_current
