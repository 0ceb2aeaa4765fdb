{#
    Models land in exactly the schema their folder names (staging, intermediate, marts;
    seeds in seeds), not in "<target schema>_<custom schema>": the dashboard, the
    analysts' read-only role and the quality gate address these names directly.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
