-- Every delivered record with the date it is about, for finding a project's latest month
-- of data (projects.md: "the latest month in which a delivered record of one of the
-- project's sources is dated: a monthly file's month, a visit, a contact, a cost") and
-- the last month of the person timeline, and the files behind each KPI (load_id).
-- project_id is the record's own project: its project code, or the project its whole
-- file belongs to (seed file_projects). Person-level records without a project code
-- (statuses, deregistrations, assistance, SFI, OCN) belong to every project of the person.
-- A date after the export that delivered it is a plan, not data, and is left out.
with file_projects as (
    select * from {{ ref('file_projects') }}
),

records as (
    select
        'af_arbetssokande' as record_source,
        project_id,
        person_key,
        registration_date as record_date,
        export_date,
        load_id
    from {{ ref('stg_af__job_seekers') }}
    union all
    select
        'af_manadsstatus',
        null,
        person_key,
        status_month,
        export_date,
        load_id
    from {{ ref('stg_af__monthly_statuses') }}
    union all
    select
        'af_avaktiveringar',
        null,
        person_key,
        deregistration_date,
        export_date,
        load_id
    from {{ ref('stg_af__deregistrations') }}
    union all
    select
        'af_jamforelsegrupp',
        null,
        null,
        comparison_month,
        export_date,
        load_id
    from {{ ref('stg_af__comparison_group') }}
    union all
    select
        'stad_jobbtorg_deltagare',
        project_id,
        person_key,
        registration_date,
        export_date,
        load_id
    from {{ ref('stg_stad__jobbtorg_participants') }}
    union all
    select
        'stad_jobbtorg_deltagare',
        project_id,
        person_key,
        plan_date,
        export_date,
        load_id
    from {{ ref('stg_stad__jobbtorg_participants') }}
    union all
    select
        'stad_jobbtorg_deltagare',
        project_id,
        person_key,
        discharge_date,
        export_date,
        load_id
    from {{ ref('stg_stad__jobbtorg_participants') }}
    union all
    select
        'stad_ekonomiskt_bistand',
        null,
        person_key,
        payment_month,
        export_date,
        load_id
    from {{ ref('stg_stad__assistance_payments') }}
    union all
    select
        'stad_sfi_resultat',
        null,
        person_key,
        result_date,
        export_date,
        load_id
    from {{ ref('stg_stad__sfi_results') }}
    union all
    select
        'partner_yrkesguider',
        null,
        person_key,
        match_date,
        export_date,
        load_id
    from {{ ref('stg_partner__guide_matches') }}
    union all
    select
        'partner_matchning',
        project_id,
        person_key,
        start_date,
        export_date,
        load_id
    from {{ ref('stg_partner__matching_log') }}
    union all
    select
        'partner_ocn_intyg',
        null,
        person_key,
        certificate_date,
        export_date,
        load_id
    from {{ ref('stg_partner__ocn_certificates') }}
    union all
    select
        'partner_entryhub_besok',
        null,
        person_key,
        visit_date,
        export_date,
        load_id
    from {{ ref('stg_partner__entry_hub_visits') }}
    union all
    select
        'partner_heart_kartlaggning',
        null,
        null,
        contact_date,
        export_date,
        load_id
    from {{ ref('stg_partner__heart_employers') }}
    union all
    select
        'partner_heart_kartlaggning',
        null,
        null,
        interview_date,
        export_date,
        load_id
    from {{ ref('stg_partner__heart_interviews') }}
    union all
    select
        'partner_heart_kartlaggning',
        null,
        null,
        contact_date,
        export_date,
        load_id
    from {{ ref('stg_partner__heart_cities') }}
    union all
    select
        'ekonomi_utfall',
        project_id,
        null,
        cost_month,
        export_date,
        load_id
    from {{ ref('stg_ekonomi__costs') }}
)

select
    records.record_source,
    coalesce(records.project_id, file_projects.project_id) as project_id,
    records.person_key,
    records.record_date,
    date_trunc('month', records.record_date)::date as record_month,
    records.load_id
from records
left join file_projects
    on records.record_source = file_projects.record_source
where
    records.record_date is not null
    and (records.export_date is null or records.record_date <= records.export_date)
