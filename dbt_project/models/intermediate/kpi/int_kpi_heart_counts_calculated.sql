-- HEART's counts to date (projects.md): from the project's start to the end of M, by
-- each row's own date. numerator = value, denominator null.
--   heart_employers: distinct Organisationsnummer on the Företag sheet;
--   heart_interviews: interviews (rows of Intervjuer), in total and by Kön;
--   heart_cities: distinct Stad/region on the Städer sheet;
--   heart_study_visits: rows of Städer with Studiebesök = ja.
-- Employers, cities and study visits have no gender: their K and M rows are empty.
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id in (
        'heart_employers', 'heart_interviews', 'heart_cities',
        'heart_study_visits'
    )
),

facts as (
    select
        'heart_employers' as kpi_id,
        contact_date as fact_date,
        null as gender,
        organisation_number as counted_value
    from {{ ref('stg_partner__heart_employers') }}
    where organisation_number is not null
    union all
    select
        'heart_interviews',
        interview_date,
        gender,
        interview_id
    from {{ ref('stg_partner__heart_interviews') }}
    union all
    select
        'heart_cities',
        contact_date,
        null,
        city_region
    from {{ ref('stg_partner__heart_cities') }}
    where city_region is not null
    union all
    select
        'heart_study_visits',
        contact_date,
        null,
        city_region
    from {{ ref('stg_partner__heart_cities') }}
    where is_study_visit
),

counts as (
    select
        frame.kpi_id,
        frame.project_id,
        frame.month,
        frame.gender,
        frame.has_gender_split,
        -- Employers and cities count distinct values; interviews and study visits count
        -- rows (ingest already merged a row delivered again).
        case
            when frame.kpi_id in ('heart_employers', 'heart_cities')
                then count(distinct facts.counted_value)
            else count(facts.kpi_id)
        end as counted
    from frame
    left join facts
        on
            frame.kpi_id = facts.kpi_id
            and {{ is_counted_as_of_month('frame', 'facts', 'fact_date', 'project_start_date') }}
    group by frame.kpi_id, frame.project_id, frame.month, frame.gender, frame.has_gender_split
)

select
    kpi_id,
    project_id,
    month,
    gender,
    case when gender = 'all' or has_gender_split then counted::double end as numerator,
    null::double as denominator,
    case when gender = 'all' or has_gender_split then counted::double end as value,
    null::bigint as excluded_count,
    null::double as reference_value
from counts
