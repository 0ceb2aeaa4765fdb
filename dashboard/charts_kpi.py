"""Plotly figures and number formats of the steering pages (Översikt, KPI, Projekt, ESF).

Every figure is built from data that has already been through small-count protection
(dashboard.views): a suppressed cell (``<5``, ``..`` or an empty rate) is coerced to a
missing number here, and a figure with such cells marks them (``mark_suppressed``) rather
than draw a shape that misleads. Every rate's hover shows its numerator and denominator.
"""

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.labels import text
from dashboard.protect import SUPPRESSED as SUPPRESSED_MARK
from dashboard.protect import is_suppressed

COLORS = {"all": "#1f4e79", "K": "#c0504d", "M": "#4f81bd", "target": "#7f7f7f",
          "comparison": "#9bbb59", "elapsed": "#7f7f7f", "used": "#1f4e79"}
MONTHS_SV = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_LONG_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                  "september", "oktober", "november", "december")
MONTHS_LONG_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")


def language() -> str:
    return st.session_state.get("language", "sv")


# --- numbers ---------------------------------------------------------------------------

def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def plain(value):
    """A cell for a table: a whole number as int, a mark (``<5``, ``..``) as it is, a
    missing value None."""
    if is_suppressed(value):
        return value
    if is_missing(value):
        return None
    value = float(value)
    return int(value) if value.is_integer() else value


def plain_column(series: pd.Series) -> pd.Series:
    """A column of ``plain`` cells (object dtype, so whole numbers stay ints)."""
    return pd.Series([plain(v) for v in series], index=series.index, dtype=object)


def number(value, decimals: int = 0) -> str:
    """A number the Swedish way (space between thousands, decimal comma) or the English;
    a mark (``<5``, ``..``) stays as it is and a missing value is a dash."""
    if is_suppressed(value):
        return value
    if is_missing(value):
        return "–"
    formatted = f"{float(value):,.{decimals}f}"
    if language() == "sv":
        formatted = formatted.replace(",", "\u00a0").replace(".", ",")  # no-break space
    return formatted


def format_value(value, unit: str | None) -> str:
    """A KPI value in its unit: a share as a percentage, a ratio with two decimals."""
    if is_suppressed(value):
        return value
    if is_missing(value):
        return "–"
    if unit == "share":
        return f"{number(float(value) * 100, 1)} %"
    if unit == "ratio":
        return number(value, 2)
    return number(value, 0 if float(value) == math.floor(float(value)) else 1)


def format_target(target, direction: str | None, unit: str | None) -> str:
    if is_missing(target):
        return text("kpi_monitored")
    sign = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}.get(direction or "", "")
    return f"{sign} {format_value(target, unit)}".strip()


def target_text(target, direction: str | None, unit: str | None) -> str:
    """The target as a card says it: 'Mål ≥ 30', or that the KPI is monitored without one."""
    if is_missing(target):
        return text("kpi_monitored").capitalize()
    return f"{text('target')} {format_target(target, direction, unit)}"


def month_label(month, long: bool = False) -> str:
    month = pd.Timestamp(month)
    if long:
        names = MONTHS_LONG_SV if language() == "sv" else MONTHS_LONG_EN
    else:
        names = MONTHS_SV if language() == "sv" else MONTHS_EN
    return f"{names[month.month - 1]} {month.year}"


def numeric(series: pd.Series) -> pd.Series:
    """A protected column as numbers: marks and hidden rates become missing (not plotted)."""
    values = series.astype("object")
    return pd.to_numeric(values.where(~values.map(is_suppressed)), errors="coerce")


def kpi_name(kpis: pd.DataFrame, kpi_id: str) -> str:
    row = kpis[kpis["kpi_id"] == kpi_id]
    if row.empty:
        return kpi_id
    return row.iloc[0][f"name_{language()}"]


def project_name(projects: pd.DataFrame, project_id: str) -> str:
    row = projects[projects["project_id"] == project_id]
    if row.empty:
        return project_id
    return row.iloc[0][f"name_{language()}"]


# --- figures -------------------------------------------------------------------------------

def mark_suppressed(fig: go.Figure, x, values) -> go.Figure:
    """A grey cross on the x axis where a plotted series has a protected cell, named in
    the legend: the gap is protection, not a fall to zero."""
    x, values = list(x), list(values)
    hidden = [xi for xi, v in zip(x, values) if is_suppressed(v)]
    if hidden:
        shown_before = any(trace.name == text("suppressed_legend") for trace in fig.data)
        fig.add_trace(go.Scatter(
            x=hidden, y=[0] * len(hidden), mode="markers", name=text("suppressed_legend"),
            legendgroup="suppressed", showlegend=not shown_before,
            marker=dict(symbol="x-thin-open", size=9, color="#7f7f7f", line=dict(width=2)),
            hovertemplate=f"{text('suppressed_legend')}<extra></extra>"))
    return fig


def _layout(fig: go.Figure, height: int, unit: str | None = None, legend: bool = True) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      hovermode="x unified", showlegend=legend,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    if unit == "share":
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


def _hover(unit: str | None) -> str:
    """Hover text of a KPI point: the value, then numerator and denominator for a rate."""
    value = "%{y:.1%}" if unit == "share" else ("%{y:.2f}" if unit == "ratio" else "%{y:,.0f}")
    if unit in ("share", "ratio"):
        return (f"{value}<br>{text('numerator')}: %{{customdata[0]}}"
                f"<br>{text('denominator')}: %{{customdata[1]}}")
    return value


def _custom(rows: pd.DataFrame) -> list:
    return [[number(n), number(d)]
            for n, d in zip(rows["numerator"], rows["denominator"])]


def sparkline(rows: pd.DataFrame, unit: str, forecast: tuple | None = None) -> go.Figure:
    """A small trend since the start: the total's value per month, its target as a dotted
    line, and the forecast to the project's end as a dashed segment."""
    rows = rows.sort_values("month")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=rows["month"], y=numeric(rows["value"]), mode="lines",
                             name=text("value"), line=dict(color=COLORS["all"], width=2),
                             customdata=_custom(rows), hovertemplate=_hover(unit)))
    target = pd.to_numeric(rows["target"], errors="coerce")
    if target.notna().any():
        fig.add_trace(go.Scatter(x=rows["month"], y=target, mode="lines", name=text("target"),
                                 line=dict(color=COLORS["target"], dash="dot", width=1),
                                 line_shape="hv"))
    if forecast is not None:
        (start, start_value), (end, end_value) = forecast
        fig.add_trace(go.Scatter(x=[start, end], y=[start_value, end_value], mode="lines",
                                 name=text("ov_forecast"),
                                 line=dict(color=COLORS["all"], dash="dash", width=1)))
    mark_suppressed(fig, rows["month"], rows["value"])
    fig = _layout(fig, 150, unit, legend=False)
    fig.update_layout(margin=dict(l=0, r=0, t=5, b=0))
    fig.update_xaxes(showgrid=False, nticks=4)
    return fig


def kpi_over_time(rows: pd.DataFrame, unit: str) -> go.Figure:
    """One KPI's total over time with its target line (step line: T4's target is per year)."""
    rows = rows.sort_values("month")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=rows["month"], y=numeric(rows["value"]), mode="lines+markers",
                             name=text("value"), line=dict(color=COLORS["all"], width=2),
                             marker=dict(size=4), customdata=_custom(rows),
                             hovertemplate=_hover(unit)))
    target = pd.to_numeric(rows["target"], errors="coerce")
    if target.notna().any():
        fig.add_trace(go.Scatter(x=rows["month"], y=target, mode="lines", name=text("target"),
                                 line=dict(color=COLORS["target"], dash="dash"), line_shape="hv"))
    mark_suppressed(fig, rows["month"], rows["value"])
    return _layout(fig, 360, unit)


def gender_lines(rows: pd.DataFrame, unit: str) -> go.Figure:
    """The KPI for women (K) and men (M) over time, each with its target line where it has
    one, on the same months as the total's chart."""
    fig = go.Figure()
    for gender in ("K", "M"):
        part = rows[rows["gender"] == gender].sort_values("month")
        fig.add_trace(go.Scatter(x=part["month"], y=numeric(part["value"]), mode="lines",
                                 name=text(f"kpi_gender_{gender}"), line=dict(color=COLORS[gender]),
                                 customdata=_custom(part), hovertemplate=_hover(unit)))
        target = pd.to_numeric(part["target"], errors="coerce")
        if target.notna().any():
            fig.add_trace(go.Scatter(x=part["month"], y=target, mode="lines", line_shape="hv",
                                     name=f"{text('target')} ({text(f'kpi_gender_{gender}').lower()})",
                                     line=dict(color=COLORS[gender], dash="dot", width=1)))
        mark_suppressed(fig, part["month"], part["value"])
    if not rows.empty:
        fig.update_xaxes(range=[rows["month"].min(), rows["month"].max()])
    return _layout(fig, 300, unit)


def transition_rates(rows: pd.DataFrame) -> go.Figure:
    """T2: the participants' pooled rate beside the comparison group's, with both sides'
    numerators and denominators in the hover."""
    rows = rows.sort_values("month")
    fig = go.Figure()
    for column, numerator, denominator, name, color in (
            ("participant_rate", "numerator", "denominator", text("kpi_participants"), COLORS["all"]),
            ("comparison_rate", "comparison_numerator", "comparison_denominator",
             text("kpi_comparison"), COLORS["comparison"])):
        custom = [[number(n), number(d)]
                  for n, d in zip(rows[numerator], rows[denominator])]
        fig.add_trace(go.Scatter(x=rows["month"], y=numeric(rows[column]), mode="lines",
                                 name=name, line=dict(color=color, width=2),
                                 customdata=custom, hovertemplate=_hover("share")))
        mark_suppressed(fig, rows["month"], rows[column])
    return _layout(fig, 340, "share")


def budget_bars(rows: pd.DataFrame, names: dict, used_name: str) -> go.Figure:
    """Budget used (``used_name``: the KPI's name) against the elapsed share of the period,
    per project, at the as-of month."""
    labels = [names.get(p, p) for p in rows["project_id"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=rows["budget_used_share"], orientation="h", name=used_name,
        marker_color=COLORS["used"],
        customdata=[[number(c), number(b)] for c, b in zip(rows["cumulative_cost_sek"],
                                                          rows["total_budget_sek"])],
        hovertemplate=(f"%{{x:.1%}}<br>{text('ov_cost_to_date')}: %{{customdata[0]}} SEK"
                       f"<br>{text('ov_total_budget')}: %{{customdata[1]}} SEK")))
    fig.add_trace(go.Bar(y=labels, x=rows["elapsed_share"], orientation="h",
                         name=text("ov_elapsed"), marker_color=COLORS["elapsed"],
                         hovertemplate="%{x:.1%}"))
    fig = _layout(fig, 110 + 60 * len(rows), legend=True)
    fig.update_layout(barmode="group", hovermode="y unified")
    fig.update_xaxes(tickformat=".0%", range=[0, max(1.05, float(pd.to_numeric(
        rows["budget_used_share"], errors="coerce").max() or 0) + 0.05)])
    return fig


def budget_over_time(rows: pd.DataFrame, used_name: str) -> go.Figure:
    rows = rows.sort_values("month")
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=rows["month"], y=rows["budget_used_share"], mode="lines", name=used_name,
        line=dict(color=COLORS["used"], width=2),
        customdata=[[number(c), number(b)] for c, b in zip(rows["cumulative_cost_sek"],
                                                          rows["total_budget_sek"])],
        hovertemplate=(f"%{{y:.1%}}<br>{text('ov_cost_to_date')}: %{{customdata[0]}} SEK"
                       f"<br>{text('ov_total_budget')}: %{{customdata[1]}} SEK")))
    fig.add_trace(go.Scatter(x=rows["month"], y=rows["elapsed_share"], mode="lines",
                             name=text("ov_elapsed"), line=dict(color=COLORS["elapsed"], dash="dash"),
                             hovertemplate="%{y:.1%}"))
    return _layout(fig, 280, "share")


def progress_to_target(rows: pd.DataFrame, unit: str, title: str) -> go.Figure:
    """A count to date per month against its target (HEART's counts)."""
    fig = kpi_over_time(rows, unit)
    fig.update_layout(height=260, showlegend=False, margin=dict(l=10, r=10, t=40, b=10),
                      title=dict(text=title, font=dict(size=13)))
    return fig


def interviews_by_gender(rows: pd.DataFrame) -> go.Figure:
    """HEART's interviews to date by gender beside each gender's target (30 K, 30 M)."""
    rows = rows[rows["gender"].isin(["K", "M"])]
    genders = [text(f"kpi_gender_{g}") for g in rows["gender"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=genders, y=numeric(rows["value"]), name=text("value"),
                         marker_color=[COLORS[g] for g in rows["gender"]],
                         text=[number(v) for v in rows["value"]], textposition="outside",
                         hovertemplate="%{y:,.0f}"))
    mark_suppressed(fig, genders, rows["value"])
    fig.add_trace(go.Bar(x=genders, y=pd.to_numeric(rows["target"], errors="coerce"),
                         name=text("target"), marker_color="#d9d9d9",
                         marker_line=dict(color=COLORS["target"], width=1),
                         hovertemplate="%{y:,.0f}"))
    fig = _layout(fig, 280)
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def city_shares(rows: pd.DataFrame, baseline: float | None) -> go.Figure:
    """Women's share of visitors to date by city, against the baseline share."""
    fig = go.Figure()
    custom = [[number(n), number(d)]
              for n, d in zip(rows["women_to_date"], rows["known_gender_to_date"])]
    fig.add_trace(go.Bar(x=rows["city"], y=numeric(rows["women_share_to_date"]),
                         name=text("pr_women_share"), marker_color=COLORS["K"], customdata=custom,
                         hovertemplate=(f"%{{y:.1%}}<br>{text('numerator')}: %{{customdata[0]}}"
                                        f"<br>{text('denominator')}: %{{customdata[1]}}")))
    mark_suppressed(fig, rows["city"], rows["women_share_to_date"])
    if baseline is not None and not is_missing(baseline):
        fig.add_hline(y=baseline, line_dash="dash", line_color=COLORS["target"],
                      annotation_text=f"{text('pr_baseline')} {format_value(baseline, 'share')}")
    fig = _layout(fig, 300, "share")
    fig.update_layout(hovermode="closest")
    return fig


def city_shares_over_time(rows: pd.DataFrame, baseline: float | None) -> go.Figure:
    fig = go.Figure()
    for city, part in rows.sort_values("month").groupby("city", sort=True):
        custom = [[number(n), number(d)]
                  for n, d in zip(part["women_to_date"], part["known_gender_to_date"])]
        fig.add_trace(go.Scatter(x=part["month"], y=numeric(part["women_share_to_date"]),
                                 mode="lines", name=city, customdata=custom,
                                 hovertemplate=_hover("share")))
        mark_suppressed(fig, part["month"], part["women_share_to_date"])
    if baseline is not None and not is_missing(baseline):
        fig.add_hline(y=baseline, line_dash="dash", line_color=COLORS["target"])
    return _layout(fig, 300, "share")


def visitors_by_city(rows: pd.DataFrame) -> go.Figure:
    """Visitors per month by city, stacked by gender (women, men, unknown)."""
    fig = go.Figure()
    for column, name, color in (("women_in_month", text("kpi_gender_K"), COLORS["K"]),
                                ("men_in_month", text("kpi_gender_M"), COLORS["M"]),
                                ("unknown_gender_in_month", text("pr_unknown_gender"), "#bfbfbf")):
        fig.add_trace(go.Bar(x=[rows["city"], rows["month"].map(month_label)],
                             y=numeric(rows[column]), name=name, marker_color=color,
                             hovertemplate="%{y:,.0f}"))
    hidden = rows[["women_in_month", "men_in_month", "unknown_gender_in_month"]].map(is_suppressed)
    marks = rows.assign(mark=hidden.any(axis=1).map({True: SUPPRESSED_MARK, False: 0}))
    mark_suppressed(fig, [marks["city"], marks["month"].map(month_label)], marks["mark"])
    fig = _layout(fig, 340)
    fig.update_layout(barmode="stack", hovermode="closest")
    return fig


def esf_breakdown(table: pd.DataFrame, rows: list[str], labels: dict) -> go.Figure:
    """Participants who started by age and education group, women and men side by side
    (protected cells are not plotted)."""
    fig = go.Figure()
    names = [labels[r].removeprefix("varav ").removeprefix("of whom ") for r in rows]
    for gender in ("K", "M"):
        fig.add_trace(go.Bar(x=names, y=numeric(table.loc[rows, gender]),
                             name=text(f"kpi_gender_{gender}"),
                             marker_color=COLORS[gender], hovertemplate="%{y:,.0f}"))
    hidden = table.loc[rows, ["K", "M"]].map(is_suppressed).any(axis=1)
    mark_suppressed(fig, names, [SUPPRESSED_MARK if h else 0 for h in hidden])
    fig = _layout(fig, 340)
    fig.update_layout(barmode="group", hovermode="closest")
    return fig


def placements(rows: pd.DataFrame) -> go.Figure:
    """Trainee placements to date, in all and for women and men (the monthly starts are
    mostly small numbers: they are in the table)."""
    fig = go.Figure()
    for gender, name in (("all", text("kpi_gender_all")), ("K", text("kpi_gender_K")),
                         ("M", text("kpi_gender_M"))):
        part = rows[rows["gender"] == gender].sort_values("month")
        fig.add_trace(go.Scatter(x=part["month"], y=numeric(part["placements_to_date"]),
                                 mode="lines", name=name,
                                 line=dict(color=COLORS[gender], width=3 if gender == "all" else 2),
                                 hovertemplate="%{y:,.0f}"))
        mark_suppressed(fig, part["month"], part["placements_to_date"])
    return _layout(fig, 320)
