-- Funnel arithmetic: no step is reached by more people than the cohort holds, the
-- people who reached a step with its previous step are among both, and inskriven is
-- reached by the whole cohort.
select *
from {{ ref('fct_funnel_cohort') }}
where reached_count > cohort_size
   or reached_with_previous_count > reached_count
   or reached_with_previous_count > previous_step_reached_count
   or skipped_count > reached_count
   or (step = 'inskriven' and reached_count <> cohort_size)
