-- SFI (Swedish for immigrants) course results; F and IG are not passed (seed sfi_grades).
with results as (
    select * from {{ source('stad', 'stad_sfi_resultat') }}
    where _is_current
),

grades as (
    select * from {{ ref('sfi_grades') }}
)

select
    results.person_key,
    results.birth_year,
    results.birth_date,
    results.gender,
    results.kurs as course,
    results.betyg as grade,
    grades.is_passed,
    results.datum as result_date,
    results._export_date as export_date,
    results._load_id as load_id
from results
left join grades
    on results.betyg = grades.grade
