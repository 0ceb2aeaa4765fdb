-- sams_trainee_placements (projects.md: Samspelet's trainee placements matched to partner
-- companies' needs, monitored without a target), per month and gender: the trainee
-- placements to date of int_trainee_placements_counted. A month without placements
-- counts 0. numerator = value, denominator null.
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id = 'sams_trainee_placements'
),

placements as (
    select * from {{ ref('int_trainee_placements_counted') }}
)

select
    frame.kpi_id,
    frame.project_id,
    frame.month,
    frame.gender,
    coalesce(placements.placements_to_date, 0)::double as numerator,
    null::double as denominator,
    coalesce(placements.placements_to_date, 0)::double as value,
    null::bigint as excluded_count,
    null::double as reference_value
from frame
left join placements
    on
        frame.project_id = placements.project_id
        and frame.month = placements.month
        and frame.gender = placements.gender
