{#- The chain's step dates as columns (the steps after inskriven, seed chain_steps), from
    rows of one step each: a participation has one date per step (and reading), which
    min picks; a step not reached gives null. -#}
{% macro step_date_columns(steps=['plan', 'insats', 'arbetsgivarkontakt', 'anstalld', 'sjalvforsorjande']) -%}
    {%- for step in steps %}
    min(step_date) filter (where step = '{{ step }}') as {{ step }}_date{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
