-- One row per calendar month from the earliest project start or dated record to the
-- latest project end or dated record, with Swedish and English labels.
with bounds as (
    select
        least(
            (select min(date_trunc('month', start_date)) from {{ ref('stg_config__projects') }}),
            (select min(record_month) from {{ ref('int_dated_records_unioned') }})
        )::date as first_month,
        greatest(
            (
                select max(date_trunc('month', coalesce(end_date, start_date)))
                from {{ ref('stg_config__projects') }}
            ),
            (select max(record_month) from {{ ref('int_dated_records_unioned') }})
        )::date as last_month
),

months as (
    select unnest(generate_series(first_month, last_month, interval 1 month))::date as month
    from bounds
),

month_names as (
    select * from (
        values
        (1, 'januari', 'January'), (2, 'februari', 'February'), (3, 'mars', 'March'),
        (4, 'april', 'April'), (5, 'maj', 'May'), (6, 'juni', 'June'),
        (7, 'juli', 'July'), (8, 'augusti', 'August'), (9, 'september', 'September'),
        (10, 'oktober', 'October'), (11, 'november', 'November'), (12, 'december', 'December')
    ) as names (month_number, name_sv, name_en)
)

select
    months.month,
    last_day(months.month) as month_end,
    strftime(months.month, '%Y-%m') as year_month,
    year(months.month) as year,
    quarter(months.month) as quarter,
    month(months.month) as month_number,
    month_names.name_sv as month_name_sv,
    month_names.name_en as month_name_en,
    month_names.name_sv || ' ' || year(months.month) as label_sv,
    month_names.name_en || ' ' || year(months.month) as label_en
from months
inner join month_names
    on month(months.month) = month_names.month_number
