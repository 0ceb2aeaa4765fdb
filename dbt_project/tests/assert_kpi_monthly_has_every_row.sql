-- projects.md: fct_kpi_monthly has a row for every KPI, gender and month from the
-- project's first month to the earlier of its last month and its latest month of data.
-- Returns the (project, KPI, month, gender) combinations that are missing or extra.
with expected as (
    select kpi_definitions.kpi_id, project_months.project_id, project_months.month, genders.gender
    from {{ ref('kpi_definitions') }} as kpi_definitions
    inner join {{ ref('int_project_months_spined') }} as project_months
        on kpi_definitions.project_id = project_months.project_id
    cross join (values ('all'), ('K'), ('M')) as genders(gender)
    where kpi_definitions.is_computed_monthly
    union all
    select 'budget_burn', project_months.project_id, project_months.month, genders.gender
    from {{ ref('int_project_months_spined') }} as project_months
    inner join {{ ref('dim_project') }} as projects
        on project_months.project_id = projects.project_id
    cross join (values ('all'), ('K'), ('M')) as genders(gender)
    where projects.total_budget_sek is not null
),

actual as (
    select kpi_id, project_id, month, gender from {{ ref('fct_kpi_monthly') }}
)

select 'missing' as problem, * from (select * from expected except select * from actual)
union all
select 'extra', * from (select * from actual except select * from expected)
