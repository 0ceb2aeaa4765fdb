{#- The order of a visitor's visits that decides which personnummer and which kon stand
    for the visitor (projects.md, Entry Hub visitors): date, then export date, then row
    number, then load; never the pseudonymous key, so the answer is the same under any
    key. Used with arg_min (the earliest visit) and arg_max (the latest). -#}
{% macro entry_hub_visit_order() -%}
    {'visit_date': visit_date, 'export_date': export_date,
     'row_number': row_number, 'load_id': load_id}
{%- endmacro %}
