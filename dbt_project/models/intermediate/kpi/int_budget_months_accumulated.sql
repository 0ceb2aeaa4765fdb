-- Cost outcome per project and reporting month, cumulated, against the total budget and
-- the ESF grant (config), with the elapsed share of the project period (projects.md,
-- Budget). Cost rows dated before the project's first month count in its first month's
-- cumulative sum (they are costs of the project); rows after the reporting months never
-- reach it.
with project_months as (
    select * from {{ ref('int_project_months_spined') }}
),

projects as (
    select * from {{ ref('stg_config__projects') }}
),

costs as (
    select * from {{ ref('stg_ekonomi__costs') }}
),

monthly_costs as (
    select
        project_months.project_id,
        project_months.month,
        coalesce(sum(costs.amount_sek) filter (
            where costs.cost_month = project_months.month
            or (
                project_months.month = project_months.first_month
                and costs.cost_month < project_months.first_month
            )
        ), 0) as cost_sek,
        coalesce(sum(costs.amount_sek) filter (
            where costs.is_esf_funded
            and (
                costs.cost_month = project_months.month
                or (
                    project_months.month = project_months.first_month
                    and costs.cost_month < project_months.first_month
                )
            )
        ), 0) as esf_cost_sek
    from project_months
    left join costs
        on
            project_months.project_id = costs.project_id
            and project_months.month >= costs.cost_month
    group by project_months.project_id, project_months.month
),

accumulated as (
    select
        monthly_costs.*,
        sum(cost_sek) over to_date as cumulative_cost_sek,
        sum(esf_cost_sek) over to_date as cumulative_esf_cost_sek
    from monthly_costs
    window to_date as (
        partition by project_id order by month
        rows between unbounded preceding and current row
    )
)

select
    accumulated.project_id,
    accumulated.month,
    last_day(accumulated.month) as month_end,
    accumulated.cost_sek,
    accumulated.esf_cost_sek,
    accumulated.cumulative_cost_sek,
    accumulated.cumulative_esf_cost_sek,
    projects.total_budget_sek,
    projects.esf_grant_sek,
    accumulated.cumulative_cost_sek / nullif(projects.total_budget_sek, 0) as budget_used_share,
    accumulated.cumulative_esf_cost_sek / nullif(projects.esf_grant_sek, 0) as esf_grant_used_share,
    -- Days of the period elapsed by the end of the month over the days of the period
    -- (both ends included); unknown for a project without an end date.
    case
        when projects.end_date is not null then
            greatest(0, least(
                1,
                (
                    least(last_day(accumulated.month), projects.end_date)
                    - projects.start_date + 1
                )
                / (projects.end_date - projects.start_date + 1)
            ))
    end as elapsed_share
from accumulated
inner join projects
    on accumulated.project_id = projects.project_id
