-- ESF common indicators (projects.md) per ESF project, reporting period and gender.
-- Reporting periods: each calendar year ('2010') and the whole project to date
-- ('total'). Participants are counted in the year they entered; leavers, and their
-- outcomes, in the year they left.
with participants as (
    select * from {{ ref('int_esf_participations_classified') }}
),

periods as (
    select distinct
        project_id,
        cast(entry_year as varchar) as reporting_period,
        entry_year as period_year
    from participants
    union
    select distinct
        project_id,
        cast(leaving_year as varchar),
        leaving_year
    from participants
    where leaving_year is not null
    union
    select distinct
        project_id,
        'total',
        null
    from participants
),

genders as (
    select * from {{ gender_rows() }}
),

frame as (
    select
        periods.*,
        genders.gender
    from periods
    cross join genders
),

entered as (
    select
        frame.project_id,
        frame.reporting_period,
        frame.gender,
        count(participants.person_key) as participants_started,
        count(participants.person_key) filter (where participants.age_group = 'under 25')
            as aged_under_25,
        count(participants.person_key) filter (where participants.age_group = '25-54')
            as aged_25_54,
        count(participants.person_key) filter (where participants.age_group = 'over 54')
            as aged_over_54,
        count(participants.person_key) filter (where participants.education_group = 'ISCED 0-2')
            as isced_0_2,
        count(participants.person_key) filter (where participants.education_group = 'ISCED 3-4')
            as isced_3_4,
        count(participants.person_key) filter (where participants.education_group = 'ISCED 5-8')
            as isced_5_8,
        count(participants.person_key) filter (where participants.education_group = 'unknown')
            as education_unknown
    from frame
    left join participants
        on
            frame.project_id = participants.project_id
            and (frame.period_year is null or frame.period_year = participants.entry_year)
            and {{ is_in_gender_row('frame', 'participants') }}
    group by all
),

left_project as (
    select
        frame.project_id,
        frame.reporting_period,
        frame.gender,
        count(participants.person_key) as participants_left,
        count(participants.person_key) filter (where participants.is_in_education_upon_leaving)
            as left_in_education,
        count(participants.person_key) filter (where participants.is_employed_upon_leaving)
            as left_in_employment,
        count(participants.person_key) filter (where participants.is_six_month_follow_up_due)
            as left_six_month_follow_up_due,
        count(participants.person_key) filter (where participants.is_employed_six_months_after_leaving)
            as employed_six_months_after_leaving
    from frame
    left join participants
        on
            frame.project_id = participants.project_id
            and participants.leaving_date is not null
            and (frame.period_year is null or frame.period_year = participants.leaving_year)
            and {{ is_in_gender_row('frame', 'participants') }}
    group by all
),

as_of as (
    select
        project_id,
        max(as_of_month) as as_of_month
    from participants
    group by project_id
)

select
    entered.project_id,
    entered.reporting_period,
    entered.gender,
    entered.participants_started,
    entered.aged_under_25,
    entered.aged_25_54,
    entered.aged_over_54,
    entered.isced_0_2,
    entered.isced_3_4,
    entered.isced_5_8,
    entered.education_unknown,
    left_project.participants_left,
    left_project.left_in_education,
    left_project.left_in_employment,
    left_project.left_six_month_follow_up_due,
    left_project.employed_six_months_after_leaving,
    as_of.as_of_month
from entered
inner join left_project
    on
        entered.project_id = left_project.project_id
        and entered.reporting_period = left_project.reporting_period
        and entered.gender = left_project.gender
left join as_of
    on entered.project_id = as_of.project_id
