-- One row per person seen in any person-level source: the pseudonymous attributes the
-- marts split by. gender, birth_year and birth_date come from the personnummer (ingest),
-- so every source agrees; education and residence permit come from the person's row in
-- the employment service's newest snapshot, and where that snapshot holds several
-- (re-registrations), from the row with the latest registration date, on a tie the later
-- row of the file (exports.md); district is the latest Jobbtorg district, else the
-- latest district of an economic-assistance payment.
with person_rows as (
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_af__job_seekers') }}
    union all
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_af__monthly_statuses') }}
    union all
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_af__deregistrations') }}
    union all
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_stad__jobbtorg_participants') }}
    union all
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_stad__assistance_payments') }}
    union all
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_stad__sfi_results') }}
    union all
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_partner__guide_matches') }}
    union all
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_partner__matching_log') }}
    union all
    select
        person_key,
        gender,
        birth_year,
        birth_date
    from {{ ref('stg_partner__ocn_certificates') }}
    union all
    select
        person_key,
        gender_from_personnummer as gender,
        birth_year,
        birth_date
    from {{ ref('stg_partner__entry_hub_visits') }}
    where person_key is not null
),

persons as (
    select
        person_key,
        max(gender) as gender,
        max(birth_year) as birth_year,
        max(birth_date) as birth_date
    from person_rows
    group by person_key
),

af_profiles as (
    select
        person_key,
        residence_permit_date,
        education_level,
        education_group,
        is_short_educated
    from {{ ref('stg_af__job_seekers') }}
    -- A person's current rows all come from one snapshot (ingest's _is_current).
    qualify row_number() over (
        partition by person_key
        order by registration_date desc nulls last, row_number desc
    ) = 1
),

jobbtorg_districts as (
    select
        person_key,
        district
    from {{ ref('stg_stad__jobbtorg_participants') }}
    where district is not null
    qualify row_number() over (
        partition by person_key
        order by
            registration_date desc nulls last, export_date desc, load_id desc,
            row_number desc
    ) = 1
),

assistance_districts as (
    select
        person_key,
        district
    from {{ ref('stg_stad__assistance_payments') }}
    where district is not null
    qualify row_number() over (
        partition by person_key
        order by payment_month desc, export_date desc, load_id desc, row_number desc
    ) = 1
)

select
    persons.person_key,
    persons.gender,
    persons.birth_year,
    persons.birth_date,
    af_profiles.residence_permit_date,
    af_profiles.education_level,
    coalesce(af_profiles.education_group, 'unknown') as education_group,
    coalesce(af_profiles.is_short_educated, false) as is_short_educated,
    coalesce(jobbtorg_districts.district, assistance_districts.district) as district
from persons
left join af_profiles on persons.person_key = af_profiles.person_key
left join jobbtorg_districts on persons.person_key = jobbtorg_districts.person_key
left join assistance_districts on persons.person_key = assistance_districts.person_key
