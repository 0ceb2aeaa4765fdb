-- Provenance of every KPI figure: one row per project, KPI, month and file that fed it.
-- A file feeds a KPI's figures of a project as of month M when the KPI reads files of its
-- kind (seed kpi_sources) and the file holds data that counts for the project by the end
-- of M (int_file_loads_attributed). The same files feed every gender's row of the month.
with kpi_months as (
    select distinct
        project_id,
        kpi_id,
        month,
        month_end
    from {{ ref('fct_kpi_monthly') }}
),

kinds as (
    select * from {{ ref('kpi_sources') }}
),

attributed as (
    select * from {{ ref('int_file_loads_attributed') }}
),

file_loads as (
    select * from {{ ref('stg_ingest__file_loads') }}
)

select
    kpi_months.project_id,
    kpi_months.kpi_id,
    kpi_months.month,
    attributed.load_id,
    file_loads.file_name,
    file_loads.file_kind,
    file_loads.source_system,
    file_loads.export_date,
    file_loads.started_at as loaded_at,
    file_loads.run_id,
    kinds.role_sv,
    kinds.role_en,
    attributed.counts_from
from kpi_months
inner join kinds
    on kpi_months.kpi_id = kinds.kpi_id
inner join attributed
    on
        kpi_months.project_id = attributed.project_id
        and kinds.file_kind = attributed.file_kind
        and kpi_months.month_end >= attributed.counts_from
inner join file_loads
    on attributed.load_id = file_loads.load_id
