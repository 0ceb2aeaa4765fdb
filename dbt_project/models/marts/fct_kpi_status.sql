-- The status of every KPI per project, as-of month and gender: the value of
-- fct_kpi_monthly, the value and target the status judges, the forecast to the project's
-- end and the status. The registry (dim_kpi) says how each KPI is forecast and judged.
--
-- Judged value and target: the row's value and target; for a year_to_date KPI (T4, a
-- target per year: "on average 400 a year") the sum of its calendar years since the
-- project's start (each completed year's December value plus the current year to date)
-- against target_per_year x the elapsed project months / 12.
-- Forecast to the project's end month at the current pace, over the months with a
-- judged value: latest = the latest value; to_date = the latest value plus the pace
-- (its change over the last kpi_pace_months months / their months; with no more months
-- than that, the mean per month since the start) times the months left; level = the
-- same with the change over the window, 0 for a window of one month. A count is never
-- forecast below 0. A project without an end date, or one that has ended, has no months
-- left. The forecast is judged against the target at the end month (T4: per year x the
-- project's months / 12).
-- Status (status_rule target): monitored without a target; no_value without a value;
-- on_track when the forecast meets the target in its direction; a count of a project
-- without an end date is at_risk while it grows (pace above 0), else behind; at_risk
-- when the forecast reaches kpi_at_risk_share of the target and the project has months
-- left; else behind. elapsed_band (budget burn): burn_ahead / burn_behind when the
-- share used is more than budget_in_step_band above / below the elapsed share, else
-- burn_in_step. documented: a documented fact without data.
-- No data delivered: a KPI for which a required source (seed kpi_sources) has
-- no record dated in the project's period has status no_data, the missing file kinds,
-- and no value, forecast or target met. A project that has started but has no data at
-- all is judged so from its first month to the earlier of its last month and the
-- warehouse's latest reporting month.
{% set pace_months = var('kpi_pace_months') %}
with registry as (
    select * from {{ ref('dim_kpi') }}
),

projects as (
    select * from {{ ref('dim_project') }}
    where first_month is not null
),

monthly as (
    select * from {{ ref('fct_kpi_monthly') }}
),

covered as (
    select * from {{ ref('int_project_sources_covered') }}
    where period_record_count > 0
),

warehouse as (
    select max(reporting_end_month) as latest_month from projects
),

project_months as (
    select
        projects.project_id,
        projects.first_month,
        projects.last_month,
        unnest(generate_series(
            projects.first_month,
            coalesce(
                projects.reporting_end_month,
                least(
                    coalesce(projects.last_month, warehouse.latest_month),
                    warehouse.latest_month
                )
            ),
            interval 1 month
        ))::date as month
    from projects
    cross join warehouse
    where projects.first_month <= warehouse.latest_month
),

-- dim_kpi's project; a KPI without one (budget_burn) is every budgeted project's.
kpi_projects as (
    select
        kpi_id,
        project_id
    from registry
    where project_id is not null
    union all
    select
        registry.kpi_id,
        projects.project_id
    from registry
    cross join projects
    where
        registry.project_id is null
        and projects.total_budget_sek is not null
),

required_sources as (
    select
        kpi_id,
        file_kind as record_source
    from {{ ref('kpi_sources') }}
    where required
),

missing as (
    select
        kpi_projects.project_id,
        kpi_projects.kpi_id,
        string_agg(
            required_sources.record_source, ', '
            order by required_sources.record_source
        ) as missing_sources
    from kpi_projects
    inner join required_sources
        on kpi_projects.kpi_id = required_sources.kpi_id
    left join covered
        on
            kpi_projects.project_id = covered.project_id
            and required_sources.record_source = covered.record_source
    where covered.project_id is null
    group by all
),

frame as (
    select
        kpi_projects.project_id,
        kpi_projects.kpi_id,
        project_months.month,
        genders.gender,
        project_months.first_month,
        project_months.last_month,
        registry.unit,
        registry.direction as kpi_direction,
        registry.forecast as forecast_method,
        registry.status_rule,
        registry.running_total,
        registry.target_per_year
    from kpi_projects
    inner join registry
        on kpi_projects.kpi_id = registry.kpi_id
    inner join project_months
        on kpi_projects.project_id = project_months.project_id
    inner join {{ gender_rows() }}
        on genders.gender = 'all' or registry.has_gender_split
),

valued as (
    select
        frame.*,
        missing.missing_sources,
        case when missing.missing_sources is null then monthly.numerator end as numerator,
        case when missing.missing_sources is null then monthly.denominator end as denominator,
        case when missing.missing_sources is null then monthly.value end as value,
        monthly.target,
        case when missing.missing_sources is null then monthly.target_met end as target_met,
        coalesce(monthly.direction, frame.kpi_direction) as direction,
        case when missing.missing_sources is null then monthly.excluded_count end
            as excluded_count,
        case when missing.missing_sources is null then monthly.reference_value end
            as reference_value
    from frame
    left join monthly
        on
            frame.project_id = monthly.project_id
            and frame.kpi_id = monthly.kpi_id
            and frame.month = monthly.month
            and frame.gender = monthly.gender
    left join missing
        on
            frame.project_id = missing.project_id
            and frame.kpi_id = missing.kpi_id
),

judged as (
    select
        *,
        case
            when forecast_method = 'none' then null
            when running_total = 'year_to_date'
                then value + coalesce(sum(
                    case when month(month) = 12 then value end
                ) over (
                    partition by project_id, kpi_id, gender order by month
                    rows between unbounded preceding and 1 preceding
                ), 0)
            else value
        end as judged_value,
        case
            when target is null then null
            when running_total = 'year_to_date'
                then target_per_year * (datediff('month', first_month, month) + 1) / 12.0
            else target
        end as judged_target,
        case
            when target is null then null
            when running_total = 'year_to_date'
                then
                    target_per_year
                    * (datediff('month', first_month, coalesce(last_month, month)) + 1) / 12.0
            else target
        end as forecast_target
    from valued
),

-- The months with a judged value, counted and windowed (the pace's last months).
paced as (
    select
        project_id,
        kpi_id,
        month,
        gender,
        row_number() over (
            partition by project_id, kpi_id, gender order by month
        ) as months_with_value,
        first_value(judged_value) over (
            partition by project_id, kpi_id, gender order by month
            rows between {{ pace_months }} preceding and current row
        ) as window_first_value,
        first_value(month) over (
            partition by project_id, kpi_id, gender order by month
            rows between {{ pace_months }} preceding and current row
        ) as window_first_month
    from judged
    where judged_value is not null
),

forecast as (
    select
        judged.*,
        paced.window_first_month,
        case
            when judged.judged_value is null or judged.forecast_method = 'latest' then null
            when judged.forecast_method = 'level'
                then
                    case
                        when datediff('month', paced.window_first_month, judged.month) > 0
                            then
                                (judged.judged_value - paced.window_first_value)
                                / datediff('month', paced.window_first_month, judged.month)
                        else 0
                    end
            when paced.months_with_value <= {{ pace_months }}
                then judged.judged_value / paced.months_with_value
            else
                (judged.judged_value - paced.window_first_value)
                / datediff('month', paced.window_first_month, judged.month)
        end as pace,
        case
            when judged.last_month is null then 0
            else greatest(0, datediff('month', judged.month, judged.last_month))
        end as months_left
    from judged
    left join paced
        on
            judged.project_id = paced.project_id
            and judged.kpi_id = paced.kpi_id
            and judged.month = paced.month
            and judged.gender = paced.gender
),

forecast_values as (
    select
        *,
        -- (greatest ignores a null: no judged value, no forecast)
        case
            when judged_value is null then null
            when forecast_method = 'latest' then judged_value
            else greatest(0, judged_value + pace * months_left)
        end as forecast_value
    from forecast
)

select
    project_id,
    kpi_id,
    month,
    gender,
    unit,
    value,
    numerator,
    denominator,
    target,
    target_met,
    direction,
    excluded_count,
    reference_value,
    judged_value,
    judged_target,
    pace,
    forecast_value,
    case when forecast_value is not null then last_month end as forecast_month,
    forecast_target,
    case
        when status_rule = 'documented' then 'documented'
        when missing_sources is not null then 'no_data'
        when status_rule = 'elapsed_band'
            then
                case
                    when value is null or reference_value is null then 'no_value'
                    when value - reference_value > {{ var('budget_in_step_band') }}
                        then 'burn_ahead'
                    when value - reference_value < -{{ var('budget_in_step_band') }}
                        then 'burn_behind'
                    else 'burn_in_step'
                end
        when judged_target is null then 'monitored'
        when judged_value is null or forecast_value is null then 'no_value'
        when case direction
            when '>' then forecast_value > forecast_target
            when '<=' then forecast_value <= forecast_target
            when '<' then forecast_value < forecast_target
            else forecast_value >= forecast_target
        end then 'on_track'
        when last_month is null and forecast_method <> 'latest'
            then case when pace > 0 then 'at_risk' else 'behind' end
        when
            (last_month is null or month < last_month)
            and forecast_value >= {{ var('kpi_at_risk_share') }} * forecast_target
            then 'at_risk'
        else 'behind'
    end as status,
    missing_sources,
    -- The months whose values the status and forecast were computed from, to the as-of
    -- month: the whole project for a sum of years; the pace window while the pace counts
    -- (months left, or a count of a project without an end); else the month itself
    -- (small-count protection shows a status only when all of them are shown).
    case
        when judged_value is null then null
        when running_total = 'year_to_date' then first_month
        when
            forecast_method in ('level', 'to_date')
            and (last_month is null or months_left > 0) then window_first_month
        else month
    end as inputs_from_month
from forecast_values
