-- Cost outcome rows from the current extract of each (project, month).
with costs as (
    select * from {{ source('ekonomi', 'ekonomi_utfall') }}
    where _is_current
),

cost_types as (
    select * from {{ ref('cost_types') }}
),

financiers as (
    select * from {{ ref('financiers') }}
)

select
    costs.projekt as project_id,
    cast(costs.manad || '-01' as date) as cost_month,
    costs.kostnadsslag as cost_type,
    cost_types.name_en as cost_type_name,
    costs.belopp as amount_sek,
    costs.finansiar as financier,
    coalesce(financiers.is_esf, false) as is_esf_funded,
    costs._export_date as export_date,
    costs._row_number as row_number,
    costs._load_id as load_id
from costs
left join cost_types
    on costs.kostnadsslag = cost_types.cost_type
left join financiers
    on costs.finansiar = financiers.financier
