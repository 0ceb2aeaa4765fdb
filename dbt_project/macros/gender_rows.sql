{#- The gender fan-out that every KPI and report row shares (projects.md, T5: every figure
    split by gender): a row for 'all', which counts everyone, and one each for 'K' and 'M',
    which count only their own. -#}

{% macro gender_rows() -%}
    (values ('all'), ('K'), ('M')) as genders (gender)
{%- endmacro %}

{% macro is_in_gender_row(frame, rows) -%}
    ({{ frame }}.gender = 'all' or {{ frame }}.gender = {{ rows }}.gender)
{%- endmacro %}

{#- Rows counted "as of" a frame month, per gender: dated on or before the month's last
    day, and on or after `from_column` of the frame (the project's start) where given. -#}
{% macro is_counted_as_of_month(frame, rows, date_column, from_column=none) -%}
    {{ frame }}.month_end >= {{ rows }}.{{ date_column }}
    {%- if from_column %}
    and {{ frame }}.{{ from_column }} <= {{ rows }}.{{ date_column }}
    {%- endif %}
    and {{ is_in_gender_row(frame, rows) }}
{%- endmacro %}
