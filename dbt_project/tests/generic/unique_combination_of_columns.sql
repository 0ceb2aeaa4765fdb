{#
    The grain of a model: no two rows share the values of these columns (null counts as
    a value). dbt_utils has the same test; Kedjan installs no dbt packages, so that
    `dbt build` needs no network.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
select
    {{ combination_of_columns | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
