{#
    The grain of a model: no two rows share the values of these columns (null counts as
    a value). dbt_utils has the same test; Kedjan installs no dbt packages, so that
    `dbt build` needs no network.
    `built_by_column` (an incremental model built by delete+insert on these columns): only
    the rows of the model's last run are checked, those with the highest value of the
    column. The rows a run inserts replace any row with the same values, so the model is
    unique when they are and it was before, which the test of the run before checked.
#}
{% test unique_combination_of_columns(model, combination_of_columns, built_by_column=none) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as row_count
from {{ model }}
{%- if built_by_column %}
where {{ built_by_column }} = (select max({{ built_by_column }}) from {{ model }})
{%- endif %}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
