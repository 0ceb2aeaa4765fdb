-- Entry Hub's KPIs (projects.md), per month, from the project's start to the end of M.
--   ehub_hires: distinct people with an anstallning visit, or an employment insats
--     (Provanställning, Anställning, Instegsjobb, Nystartsjobb) under the project in the
--     matching log (Startdatum), each counted once; a count, by gender where known.
--   ehub_women_share: distinct visitors to date with a known gender who are women, over
--     those with a known gender; visitors of unknown gender are left out and counted in
--     excluded_count. A share of women has no gender split: its K and M rows are empty.
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id in ('ehub_hires', 'ehub_women_share')
),

visitors as (
    select * from {{ ref('int_entry_hub_visitors_identified') }}
),

visit_hires as (
    select
        project_id,
        month,
        visitor_key as hire_key,
        gender
    from visitors
    where has_reported_hire
),

matching_hires as (
    select
        frame.project_id,
        frame.month,
        matching_log.person_key as hire_key,
        matching_log.gender
    from (select distinct
        project_id,
        month,
        month_end,
        project_start_date
    from frame) as frame
    inner join {{ ref('stg_partner__matching_log') }} as matching_log
        on
            frame.project_id = matching_log.project_id
            and matching_log.is_employment_insats
            and frame.project_start_date <= matching_log.start_date
            and frame.month_end >= matching_log.start_date
),

hires as (
    select
        project_id,
        month,
        hire_key,
        max(gender) as gender
    from (
        select * from visit_hires
        union all
        select * from matching_hires
    ) as all_hires
    group by project_id, month, hire_key
),

hire_counts as (
    select
        frame.kpi_id,
        frame.project_id,
        frame.month,
        frame.gender,
        count(distinct hires.hire_key) as hired,
        null::bigint as women,
        null::bigint as known_gender,
        null::bigint as unknown_gender
    from frame
    left join hires
        on
            frame.project_id = hires.project_id
            and frame.month = hires.month
            and {{ is_in_gender_row('frame', 'hires') }}
    where frame.kpi_id = 'ehub_hires'
    group by all
),

share_counts as (
    select
        frame.kpi_id,
        frame.project_id,
        frame.month,
        frame.gender,
        null::bigint as hired,
        count(visitors.visitor_key) filter (where visitors.gender = 'K') as women,
        count(visitors.visitor_key) filter (where visitors.gender is not null) as known_gender,
        count(visitors.visitor_key) filter (where visitors.gender is null) as unknown_gender
    from frame
    left join visitors
        on
            frame.project_id = visitors.project_id
            and frame.month = visitors.month
    where
        frame.kpi_id = 'ehub_women_share'
        and frame.gender = 'all'
    group by all
),

share_gender_rows as (
    select
        kpi_id,
        project_id,
        month,
        gender,
        null::bigint,
        null::bigint,
        null::bigint,
        null::bigint
    from frame
    where
        kpi_id = 'ehub_women_share'
        and gender <> 'all'
)

select
    kpi_id,
    project_id,
    month,
    gender,
    hired::double as numerator,
    null::double as denominator,
    hired::double as value,
    null::bigint as excluded_count,
    null::double as reference_value
from hire_counts
union all
select
    kpi_id,
    project_id,
    month,
    gender,
    women::double,
    known_gender::double,
    women / nullif(known_gender, 0),
    unknown_gender,
    null::double
from share_counts
union all
select
    kpi_id,
    project_id,
    month,
    gender,
    null::double,
    null::double,
    null::double,
    null::bigint,
    null::double
from share_gender_rows
