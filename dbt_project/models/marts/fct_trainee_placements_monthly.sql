-- Samspelet's trainee placements per project, month and gender (int_trainee_placements_counted;
-- its placements to date are also the KPI sams_trainee_placements of fct_kpi_monthly).
select * from {{ ref('int_trainee_placements_counted') }}
