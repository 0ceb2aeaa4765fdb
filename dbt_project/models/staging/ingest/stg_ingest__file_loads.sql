-- File loads from ingest's load log. delivered_month is the month a monthly file covers.
select
    load_id,
    run_id,
    file as file_name,
    kind as file_kind,
    source as source_system,
    export_date,
    date_trunc('month', export_date)::date as delivered_month,
    status as load_status,
    status = 'loaded' as is_loaded,
    rows_read,
    rows_loaded,
    rows_merged,
    rows_quarantined,
    started_at,
    replaces
from {{ source('ingest', 'load_log') }}
