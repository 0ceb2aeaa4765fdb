"""KPI: one KPI over time with its target line, the numerator and denominator behind it
per month and gender, the gender split with each gender's status and the definition from
dim_kpi. Statuses are the KPI status mart's (dashboard.views.kpi_status).

A KPI with a comparison group (T2) also shows the participants' pooled rate beside the
comparison group's (fct_transition_comparison_monthly), each with its numerator and
denominator. Budget burn (status rule elapsed_band) shows the elapsed share of the period
beside the share of the budget used.
"""

import pandas as pd
import streamlit as st

from dashboard import charts_kpi as charts
from dashboard import formats, views
from dashboard.components import (
    as_of_banner,
    as_of_picker,
    figure,
    page_user,
    protection_legend,
    show_chart,
    show_table,
)
from dashboard.figure_history import figure_history
from dashboard.labels import text
from dashboard.queries import kpi as queries

BADGE = {"on_track": "green", "at_risk": "orange", "behind": "red", "documented": "blue"}

GENDER_ORDER = {"all": 0, "K": 1, "M": 2}


def newest_first(rows: pd.DataFrame) -> pd.Index:
    """Row order of a table: the newest month first, then all, K, M."""
    order = rows.assign(_gender=rows["gender"].map(GENDER_ORDER))
    return order.sort_values(["month", "_gender"], ascending=[False, True]).index


st.title(text("kpi"))
as_of_banner()
user = page_user()
protection_legend()
lang = charts.language()

options = queries.kpi_options()
if options is None or options.empty:
    st.info(text("no_data"))
    st.stop()
options = options[[user.sees_project(p) for p in options["project_id"]]]
if options.empty:
    st.info(text("no_data"))
    st.stop()
keys = [f"{p}:{k}" for p, k in zip(options["project_id"], options["kpi_id"])]
by_key = dict(zip(keys, options.to_dict("records")))
# Default: the first KPI of the project with the most participants (the main project).
main = options.sort_values("participant_count", ascending=False, kind="stable").iloc[0]
choice = st.selectbox(text("kpi_choose"), keys, key="kpi_choice", bind="query-params",
                      index=keys.index(f"{main['project_id']}:{main['kpi_id']}"),
                      format_func=lambda k: f"{by_key[k]['project_id']} · {by_key[k][f'name_{lang}']}")
kpi = by_key[choice]
kpi_id, project_id, unit = kpi["kpi_id"], kpi["project_id"], kpi["unit"]

st.subheader(f"{project_id} · {kpi[f'name_{lang}']}")
st.markdown(f"**{text('kpi_definition')}.** {kpi[f'definition_{lang}']}")
target_text = charts.target_text(kpi["target"], kpi["direction"], unit)
if not charts.is_missing(kpi["target_women"]) or not charts.is_missing(kpi["target_men"]):
    women = charts.target_text(kpi["target_women"], kpi["direction"], unit)
    men = charts.target_text(kpi["target_men"], kpi["direction"], unit)
    target_text += (f" ({text('kpi_gender_K').lower()} {women}, "
                    f"{text('kpi_gender_M').lower()} {men})")
if not charts.is_missing(kpi["target_per_year"]):
    target_text = charts.target_text(kpi["target_per_year"], kpi["direction"], unit)
st.caption((text("kpi_target_line").format(target=target_text) if not charts.is_missing(kpi["target"])
            else charts.target_caption(None, None, unit))
           + (f" {text('kpi_set_by_project')}" if kpi["is_target_set_by_project"] else ""))

if not kpi["is_computed_monthly"]:
    st.info(f"{text('kpi_not_monthly')} {text('kpi_see_projects')}")
    st.stop()

view = views.project_kpis(project_id, user.protected)
shown = view["kpi"]
if shown is None or shown.empty or not (shown["kpi_id"] == kpi_id).any():
    st.info(text("no_data"))
    st.stop()
shown = shown[shown["kpi_id"] == kpi_id]
# As at the end of a month, as on Översikt (the same picker: the choice follows the user).
as_of = as_of_picker(shown["month"].unique(), text("kpi_as_of_help"))
shown = shown[pd.to_datetime(shown["month"]) <= as_of]
total = shown[shown["gender"] == "all"].sort_values("month")
latest = total.iloc[-1]
status = views.kpi_status(project_id, pd.Timestamp(latest["month"]), user.protected)
status = status[status["kpi_id"] == kpi_id].set_index("gender")
budget_like = kpi["status_rule"] == "elapsed_band"


def status_text(row: pd.Series) -> str:
    if row["status"] == "no_data":
        return text("ov_status_no_data").format(sources=row["missing_sources"])
    return text(f"ov_status_{row['status']}")


if "all" in status.index and status.loc["all", "status"] == "no_data":
    st.warning(status_text(status.loc["all"]))
    st.stop()

# --- the latest month ------------------------------------------------------------------------
columns = st.columns(4)
columns[0].metric(text("kpi_latest").format(month=formats.month(latest["month"])),
                  formats.kpi_value(latest["value"], unit))
if budget_like:
    columns[1].metric(kpi[f"reference_name_{lang}"], formats.kpi_value(latest["reference_value"], "share"))
    columns[2].metric(text("kpi_cost_sek"), formats.money(latest["numerator"]))
    columns[3].metric(text("kpi_budget_sek"), formats.money(latest["denominator"]))
else:
    columns[1].metric(text("target"), charts.target_text(latest["target"], latest["direction"], unit))
    if unit in ("share", "ratio"):
        columns[2].metric(f"{text('numerator')} / {text('denominator')}",
                          f"{formats.number(latest['numerator'])} / {formats.number(latest['denominator'])}")
    if kpi["has_gender_split"]:
        genders = shown[shown["month"] == latest["month"]].set_index("gender")["value"]
        columns[3].metric(f"{text('kpi_gender_K')} / {text('kpi_gender_M')}",
                          f"{formats.kpi_value(genders.get('K'), unit)} / "
                          f"{formats.kpi_value(genders.get('M'), unit)}")
# The status of the total, and of women and men beside it.
for column, gender in zip(st.columns(3), ("all", "K", "M")):
    if gender in status.index:
        row = status.loc[gender]
        column.badge(f"{text(f'kpi_gender_{gender}')}: {status_text(row)}",
                     color=BADGE.get(row["status"], "gray"))

# --- over time -------------------------------------------------------------------------------
st.subheader(text("kpi_over_time"))
if budget_like:
    burn = total.rename(columns={"value": "budget_used_share", "reference_value": "elapsed_share",
                                 "numerator": "cumulative_cost_sek",
                                 "denominator": "total_budget_sek"})
    show_chart(figure(charts.budget_over_time, burn, kpi[f"name_{lang}"]), "kpi-budget", view,
               data_table=False, width="stretch")
else:
    show_chart(figure(charts.kpi_over_time, total, unit), "kpi-over-time", view, data_table=False,
               width="stretch")

if kpi["has_gender_split"]:
    st.subheader(text("kpi_by_gender"))
    show_chart(figure(charts.gender_lines, shown, unit), "kpi-gender", view, data_table=False,
               width="stretch")

# --- T2: participants beside the comparison group -------------------------------------------
comparison = view["t2"]
if comparison is not None and (comparison["kpi_id"] == kpi_id).any():
    st.subheader(text("kpi_t2_title"))
    st.caption(text("kpi_t2_caption"))
    both = comparison.reset_index(drop=True)
    show_chart(figure(charts.transition_rates, both[both["gender"] == "all"]), "kpi-t2", view,
               data_table=False, width="stretch")
    table = pd.DataFrame({
        text("month"): both["month"],
        text("gender"): both["gender"].map(lambda g: text(f"kpi_gender_{g}")),
        f"{text('kpi_participants')}: {text('numerator').lower()}":
            charts.plain_column(both["numerator"]),
        f"{text('kpi_participants')}: {text('denominator').lower()}":
            charts.plain_column(both["denominator"]),
        text("kpi_participant_rate"): both["participant_rate"],
        text("kpi_comparison_numerator"): charts.plain_column(both["comparison_numerator"]),
        text("kpi_comparison_denominator"): charts.plain_column(both["comparison_denominator"]),
        text("kpi_comparison_rate"): both["comparison_rate"],
        text("kpi_ratio"): both["value"],
        text("target"): both["target"],
    })
    kinds = {text("month"): "month", text("kpi_participant_rate"): "share",
             text("kpi_comparison_rate"): "share", text("kpi_ratio"): "ratio",
             text("target"): "ratio"}
    show_table(table.loc[newest_first(both)], f"{kpi_id}_jamforelse", "kpi-t2-table", view, kinds)

# --- numerator and denominator per month and gender -----------------------------------------
st.subheader(text("kpi_table"))
table = pd.DataFrame({
    text("month"): shown["month"],
    text("gender"): shown["gender"].map(lambda g: text(f"kpi_gender_{g}")),
    text("numerator"): charts.plain_column(shown["numerator"]),
    text("denominator"): charts.plain_column(shown["denominator"]),
    text("value"): shown["value"],
    text("target"): shown["target"],
    text("kpi_target_met"): shown["target_met"],
})
if shown["target"].isna().all():
    table = table.drop(columns=[text("target"), text("kpi_target_met")])
if not charts.is_missing(kpi[f"excluded_name_{lang}"]):
    table[kpi[f"excluded_name_{lang}"]] = charts.plain_column(shown["excluded_count"])
if not charts.is_missing(kpi[f"reference_name_{lang}"]):
    table[kpi[f"reference_name_{lang}"]] = shown["reference_value"]
if not kpi["has_gender_split"]:
    table = table[shown["gender"].to_numpy() == "all"]
kinds = {text("month"): "month", text("value"): unit, text("target"): unit}
if not charts.is_missing(kpi[f"reference_name_{lang}"]):
    kinds[kpi[f"reference_name_{lang}"]] = "share"
if budget_like:  # money, to the krona
    kinds.update({text("numerator"): "sek", text("denominator"): "sek"})
show_table(table.loc[newest_first(shown.loc[table.index])], f"{kpi_id}_{project_id}", "kpi-table",
           view, kinds)

figure_history(project_id, latest["month"], kpi_id, months=total["month"])
