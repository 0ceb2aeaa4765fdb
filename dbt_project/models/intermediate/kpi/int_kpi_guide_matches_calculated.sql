-- T4 etst_guide_matches (projects.md), per month and gender: distinct (guide,
-- participant) matches with Matchningsdatum in the calendar year of M, from the
-- project's start (the first part year counts from the start, as its pro-rata target
-- does) to the end of M. Every match in the profession-guide file belongs to the
-- project and counts, whether or not the person appears in other sources. By gender:
-- the participant's gender (from the personnummer).
with frame as (
    select * from {{ ref('int_kpi_months_spined') }}
    where kpi_id = 'etst_guide_matches'
),

matches as (
    select distinct
        guide_id,
        person_key,
        gender,
        match_date
    from {{ ref('stg_partner__guide_matches') }}
    where match_date is not null
),

counts as (
    select
        frame.kpi_id,
        frame.project_id,
        frame.month,
        frame.gender,
        count(distinct (matches.guide_id, matches.person_key))  -- noqa: LT01,LT06
        filter (where matches.person_key is not null) as match_pairs
    from frame
    left join matches
        on
            year(matches.match_date) = year(frame.month)
            and {{ is_counted_as_of_month('frame', 'matches', 'match_date', 'project_start_date') }}
    group by all
)

select
    kpi_id,
    project_id,
    month,
    gender,
    match_pairs::double as numerator,
    null::double as denominator,
    match_pairs::double as value,
    null::bigint as excluded_count,
    null::double as reference_value
from counts
