"""Plotly figures of the steering pages (Översikt, KPI, Projekt, ESF).

Every figure is built from data that has already been through small-count protection
(dashboard.views): a suppressed cell (``<5``, ``..`` or an empty rate) is coerced to a
missing number here, and a figure with such cells marks them (``mark_suppressed``) rather
than draw a shape that misleads. Every rate's hover shows its numerator and denominator.
"""

import pandas as pd
import plotly.graph_objects as go

from dashboard import formats
from dashboard.formats import is_missing
from dashboard.labels import text
from dashboard.protect import SUPPRESSED as SUPPRESSED_MARK
from dashboard.protect import is_suppressed

# Each colour has a contrast of at least 3:1 on Streamlit's light (#ffffff) and dark
# (#0e1117) backgrounds (tests/dashboard/test_charts.py), and no series is told by colour alone:
# women and men, the target and the comparison also differ by line style.
COLORS = {"all": "#3a7bbf", "K": "#cc5a2a", "M": "#4c9a6a", "target": "#878787",
          "comparison": "#8a5fb0", "elapsed": "#878787", "used": "#3a7bbf",
          "unknown": "#878787", "forecast": "#3a7bbf"}
DASHES = {"all": "solid", "K": "solid", "M": "dash", "target": "dot", "comparison": "dashdot",
          "elapsed": "dash", "forecast": "dash"}
SUPPRESSED_GREY = "#878787"


def language() -> str:
    return formats.language()


# --- numbers ---------------------------------------------------------------------------

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


def target_text(target, direction: str | None, unit: str | None) -> str:
    """A target with its direction, or that the KPI is monitored without one."""
    return formats.target(target, direction, unit, text("kpi_monitored"))


def target_caption(target, direction: str | None, unit: str | None) -> str:
    """The target as a card says it: 'Mål ≥ 30', or that the KPI is monitored without one."""
    if formats.is_missing(target):
        return text("kpi_monitored").capitalize()
    return f"{text('target')} {target_text(target, direction, unit)}"


def numeric(series: pd.Series) -> pd.Series:
    """A protected column as numbers: marks and hidden rates become missing (not plotted)."""
    values = series.astype("object")
    return pd.to_numeric(values.where(~values.map(is_suppressed)), errors="coerce")


# --- figures -------------------------------------------------------------------------------
# Every point carries its texts in customdata, formatted by dashboard.formats: [0] the x
# value as people read it (a month by name), [1] the value, then a rate's numerator and
# denominator. Hovers show them, and the chart's text alternative and data table
# (dashboard.components.show_chart) are read from them: plotly's own number and date
# formats are English.

def x_label(x) -> str:
    if isinstance(x, (list, tuple)):
        return " · ".join(x_label(part) for part in x)
    if isinstance(x, pd.Timestamp) or hasattr(x, "month") and hasattr(x, "year"):
        return formats.month(x)
    return str(x)


def _points(x, values, unit: str | None, *extra) -> list[list[str]]:
    """customdata of a trace: x label, value text, then each extra column's text."""
    return [[x_label(xi), formats.kpi_value(v, unit), *[formats.number(e) for e in more]]
            for xi, v, *more in zip(list(x), list(values), *[list(e) for e in extra])]


def _hover(rate: bool = False) -> str:
    """Hover text of a point: the x label and the value, then numerator and denominator."""
    lines = "<b>%{customdata[0]}</b><br>%{customdata[1]}"
    if rate:
        lines += (f"<br>{text('numerator')}: %{{customdata[2]}}"
                  f"<br>{text('denominator')}: %{{customdata[3]}}")
    return lines


def _series(x, values, unit: str | None, name: str, style: str, *, mode: str = "lines",
            rate: tuple = (), **options) -> go.Scatter:
    """A line of the figure, its values as numbers (marks not drawn), its texts as points;
    ``rate``: the numerator and denominator columns of a rate."""
    return go.Scatter(x=list(x), y=numeric(pd.Series(list(values), dtype=object)), mode=mode,
                      name=name, customdata=_points(x, values, unit, *rate),
                      hovertemplate=_hover(bool(rate)),
                      line=dict(color=COLORS[style], dash=DASHES.get(style, "solid"),
                                width=options.pop("width", 2)), **options)


def mark_suppressed(fig: go.Figure, x, values) -> go.Figure:
    """A grey cross on the x axis where a plotted series has a protected cell, named in
    the legend: the gap is protection, not a fall to zero."""
    x, values = list(x), list(values)
    hidden = [(xi, v) for xi, v in zip(x, values) if is_suppressed(v)]
    if hidden:
        shown_before = any(trace.name == text("suppressed_legend") for trace in fig.data)
        fig.add_trace(go.Scatter(
            x=[xi for xi, _ in hidden], y=[0] * len(hidden), mode="markers",
            name=text("suppressed_legend"), legendgroup="suppressed", showlegend=not shown_before,
            marker=dict(symbol="x-thin-open", size=9, color=SUPPRESSED_GREY, line=dict(width=2)),
            customdata=[[x_label(xi), v] for xi, v in hidden],
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{text('suppressed_legend')} "
                          "(%{customdata[1]})<extra></extra>"))
    return fig


def _rate(rows: pd.DataFrame, unit: str | None) -> tuple:
    """The numerator and denominator columns of a KPI that is a rate, else none."""
    return (rows["numerator"], rows["denominator"]) if unit in ("share", "ratio") else ()


def _layout(fig: go.Figure, height: int, unit: str | None = None, legend: bool = True,
            months: bool = True, ticks: int = 8) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10),
                      hovermode="closest", showlegend=legend,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    fig.update_yaxes(rangemode="tozero")
    formats.plotly_locale(fig)
    if unit == "share":
        formats.share_ticks(fig, "y")
    if months:
        formats.month_ticks(fig, "x", most=ticks)
    return fig


def _target(rows: pd.DataFrame, unit: str | None) -> go.Scatter | None:
    target = pd.to_numeric(rows["target"], errors="coerce")
    if not target.notna().any():
        return None
    return _series(rows["month"], target, unit, text("target"), "target", line_shape="hv",
                   width=1)


def sparkline(rows: pd.DataFrame, unit: str, forecast: tuple | None = None) -> go.Figure:
    """A small trend since the start: the total's value per month, its target as a dotted
    line, and the forecast to the project's end as a dashed segment."""
    rows = rows.sort_values("month")
    fig = go.Figure()
    fig.add_trace(_series(rows["month"], rows["value"], unit, text("value"), "all",
                          rate=_rate(rows, unit)))
    target = _target(rows, unit)
    if target is not None:
        fig.add_trace(target)
    if forecast is not None:
        (start, start_value), (end, end_value) = forecast
        fig.add_trace(_series([start, end], [start_value, end_value], unit, text("ov_forecast"),
                              "forecast", width=1))
    mark_suppressed(fig, rows["month"], rows["value"])
    fig = _layout(fig, 150, unit, legend=False, ticks=3)
    fig.update_layout(margin=dict(l=0, r=0, t=5, b=0))
    fig.update_xaxes(showgrid=False)
    return fig


def kpi_over_time(rows: pd.DataFrame, unit: str) -> go.Figure:
    """One KPI's total over time with its target line (step line: T4's target is per year)."""
    rows = rows.sort_values("month")
    fig = go.Figure()
    fig.add_trace(_series(rows["month"], rows["value"], unit, text("value"), "all",
                          mode="lines+markers", marker=dict(size=4), rate=_rate(rows, unit)))
    target = _target(rows, unit)
    if target is not None:
        fig.add_trace(target)
    mark_suppressed(fig, rows["month"], rows["value"])
    return _layout(fig, 360, unit)


def gender_lines(rows: pd.DataFrame, unit: str) -> go.Figure:
    """The KPI for women (K) and men (M) over time, each with its target line where it has
    one, on the same months as the total's chart."""
    fig = go.Figure()
    for gender in ("K", "M"):
        part = rows[rows["gender"] == gender].sort_values("month")
        fig.add_trace(_series(part["month"], part["value"], unit, text(f"kpi_gender_{gender}"),
                              gender, rate=_rate(part, unit)))
        target = pd.to_numeric(part["target"], errors="coerce")
        if target.notna().any():
            line = _series(part["month"], target, unit,
                           f"{text('target')} ({text(f'kpi_gender_{gender}').lower()})", gender,
                           line_shape="hv", width=1)
            line.line.dash = DASHES["target"]
            fig.add_trace(line)
        mark_suppressed(fig, part["month"], part["value"])
    if not rows.empty:
        fig.update_xaxes(range=[rows["month"].min(), rows["month"].max()])
    return _layout(fig, 300, unit)


def transition_rates(rows: pd.DataFrame) -> go.Figure:
    """T2: the participants' pooled rate beside the comparison group's, with both sides'
    numerators and denominators in the hover."""
    rows = rows.sort_values("month")
    fig = go.Figure()
    for column, numerator, denominator, name, style in (
            ("participant_rate", "numerator", "denominator", text("kpi_participants"), "all"),
            ("comparison_rate", "comparison_numerator", "comparison_denominator",
             text("kpi_comparison"), "comparison")):
        fig.add_trace(_series(rows["month"], rows[column], "share", name, style,
                              rate=(rows[numerator], rows[denominator])))
        mark_suppressed(fig, rows["month"], rows[column])
    return _layout(fig, 340, "share")


def _budget_points(labels, shares, rows: pd.DataFrame) -> list[list[str]]:
    return [[x_label(label), formats.percent(share), formats.money(cost), formats.money(budget)]
            for label, share, cost, budget in zip(labels, shares, rows["cumulative_cost_sek"],
                                                  rows["total_budget_sek"])]


def _budget_hover(position: int) -> str:
    return (f"<b>%{{customdata[{position}]}}</b><br>%{{customdata[1]}}"
            f"<br>{text('ov_cost_to_date')}: %{{customdata[2]}}"
            f"<br>{text('ov_total_budget')}: %{{customdata[3]}}")


def budget_bars(rows: pd.DataFrame, names: dict, used_name: str) -> go.Figure:
    """Budget used (``used_name``: the KPI's name) against the elapsed share of the period,
    per project, at the as-of month."""
    labels = [names.get(p, p) for p in rows["project_id"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=labels, x=rows["budget_used_share"], orientation="h", name=used_name,
        marker_color=COLORS["used"],
        customdata=_budget_points(labels, rows["budget_used_share"], rows),
        hovertemplate=_budget_hover(0)))
    fig.add_trace(go.Bar(y=labels, x=rows["elapsed_share"], orientation="h",
                         name=text("ov_elapsed"), marker_color=COLORS["elapsed"],
                         marker_pattern_shape="/",
                         customdata=[[label, formats.percent(e)]
                                     for label, e in zip(labels, rows["elapsed_share"])],
                         hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}"))
    fig = _layout(fig, 110 + 60 * len(rows), legend=True, months=False)
    fig.update_layout(barmode="group")
    fig.update_xaxes(range=[0, max(1.05, float(pd.to_numeric(
        rows["budget_used_share"], errors="coerce").max() or 0) + 0.05)])
    return formats.share_ticks(fig, "x")


def budget_over_time(rows: pd.DataFrame, used_name: str) -> go.Figure:
    rows = rows.sort_values("month")
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=rows["month"], y=rows["budget_used_share"], mode="lines", name=used_name,
        line=dict(color=COLORS["used"], width=2),
        customdata=_budget_points(rows["month"], rows["budget_used_share"], rows),
        hovertemplate=_budget_hover(0)))
    fig.add_trace(_series(rows["month"], rows["elapsed_share"], "share", text("ov_elapsed"),
                          "elapsed"))
    return _layout(fig, 280, "share")


def budget_sparkline(rows: pd.DataFrame, used_name: str) -> go.Figure:
    """Budget burn over time, small, for a card."""
    return budget_over_time(rows, used_name).update_layout(
        height=150, showlegend=False, margin=dict(l=0, r=0, t=5, b=0))


def progress_to_target(rows: pd.DataFrame, unit: str, title: str) -> go.Figure:
    """A count to date per month against its target (HEART's counts)."""
    fig = kpi_over_time(rows, unit)
    fig.update_layout(height=260, showlegend=False, margin=dict(l=10, r=10, t=40, b=10),
                      title=dict(text=title, font=dict(size=13)))
    return formats.month_ticks(fig, "x", most=4)


def interviews_by_gender(rows: pd.DataFrame) -> go.Figure:
    """HEART's interviews to date by gender beside each gender's target (the KPI rows')."""
    rows = rows[rows["gender"].isin(["K", "M"])]
    genders = [text(f"kpi_gender_{g}") for g in rows["gender"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=genders, y=numeric(rows["value"]), name=text("value"),
                         marker_color=[COLORS[g] for g in rows["gender"]],
                         text=[formats.number(v) for v in rows["value"]], textposition="outside",
                         customdata=_points(genders, rows["value"], "count"),
                         hovertemplate=_hover()))
    mark_suppressed(fig, genders, rows["value"])
    target = pd.to_numeric(rows["target"], errors="coerce")
    fig.add_trace(go.Bar(x=genders, y=target, name=text("target"), marker_color="#d9d9d9",
                         marker_line=dict(color=COLORS["target"], width=1),
                         marker_pattern_shape="x",
                         customdata=_points(genders, target, "count"), hovertemplate=_hover()))
    fig = _layout(fig, 280, months=False)
    fig.update_layout(barmode="group")
    return fig


def city_shares(rows: pd.DataFrame, baseline: float | None) -> go.Figure:
    """Women's share of visitors to date by city, against the baseline share."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=rows["city"], y=numeric(rows["women_share_to_date"]),
                         name=text("pr_women_share"), marker_color=COLORS["K"],
                         customdata=_points(rows["city"], rows["women_share_to_date"], "share",
                                            rows["women_to_date"], rows["known_gender_to_date"]),
                         hovertemplate=_hover(rate=True)))
    mark_suppressed(fig, rows["city"], rows["women_share_to_date"])
    fig = _layout(fig, 300, "share", months=False)
    if baseline is not None and not is_missing(baseline):
        fig.add_hline(y=baseline, line_dash="dash", line_color=COLORS["target"],
                      annotation_text=f"{text('pr_baseline')} {formats.percent(baseline)}")
    return fig


def city_shares_over_time(rows: pd.DataFrame, baseline: float | None) -> go.Figure:
    fig = go.Figure()
    dashes = ("solid", "dash", "dot", "dashdot", "longdash")
    for i, (city, part) in enumerate(rows.sort_values("month").groupby("city", sort=True)):
        fig.add_trace(go.Scatter(
            x=part["month"], y=numeric(part["women_share_to_date"]), mode="lines", name=city,
            line=dict(dash=dashes[i % len(dashes)]),
            customdata=_points(part["month"], part["women_share_to_date"], "share",
                               part["women_to_date"], part["known_gender_to_date"]),
            hovertemplate=_hover(rate=True)))
        mark_suppressed(fig, part["month"], part["women_share_to_date"])
    fig = _layout(fig, 300, "share")
    if baseline is not None and not is_missing(baseline):
        fig.add_hline(y=baseline, line_dash="dash", line_color=COLORS["target"])
    return fig


def visitors_by_city(rows: pd.DataFrame) -> go.Figure:
    """Visitors per month by city, stacked by gender (women, men, unknown)."""
    fig = go.Figure()
    labels = [f"{city} · {formats.month(m)}" for city, m in zip(rows["city"], rows["month"])]
    for column, name, style, pattern in (
            ("women_in_month", text("kpi_gender_K"), "K", ""),
            ("men_in_month", text("kpi_gender_M"), "M", "/"),
            ("unknown_gender_in_month", text("pr_unknown_gender"), "unknown", ".")):
        fig.add_trace(go.Bar(x=[rows["city"], rows["month"].map(formats.month)],
                             y=numeric(rows[column]), name=name, marker_color=COLORS[style],
                             marker_pattern_shape=pattern,
                             customdata=_points(labels, rows[column], "count"),
                             hovertemplate=_hover()))
    hidden = rows[["women_in_month", "men_in_month", "unknown_gender_in_month"]].map(is_suppressed)
    marks = rows.assign(mark=hidden.any(axis=1).map({True: SUPPRESSED_MARK, False: 0}))
    mark_suppressed(fig, [marks["city"], marks["month"].map(formats.month)], marks["mark"])
    fig = _layout(fig, 340, months=False)
    fig.update_layout(barmode="stack")
    return fig


def esf_breakdown(table: pd.DataFrame, rows: list[str], labels: dict) -> go.Figure:
    """Participants who started by age and education group, women and men side by side
    (protected cells are not plotted)."""
    fig = go.Figure()
    names = [labels[r].removeprefix("varav ").removeprefix("of whom ") for r in rows]
    for gender, pattern in (("K", ""), ("M", "/")):
        fig.add_trace(go.Bar(x=names, y=numeric(table.loc[rows, gender]),
                             name=text(f"kpi_gender_{gender}"), marker_color=COLORS[gender],
                             marker_pattern_shape=pattern,
                             customdata=_points(names, table.loc[rows, gender], "count"),
                             hovertemplate=_hover()))
    hidden = table.loc[rows, ["K", "M"]].map(is_suppressed).any(axis=1)
    mark_suppressed(fig, names, [SUPPRESSED_MARK if h else 0 for h in hidden])
    fig = _layout(fig, 340, months=False)
    fig.update_layout(barmode="group")
    return fig


def placements(rows: pd.DataFrame) -> go.Figure:
    """Trainee placements to date, in all and for women and men (the monthly starts are
    mostly small numbers: they are in the table)."""
    fig = go.Figure()
    for gender, name in (("all", text("kpi_gender_all")), ("K", text("kpi_gender_K")),
                         ("M", text("kpi_gender_M"))):
        part = rows[rows["gender"] == gender].sort_values("month")
        fig.add_trace(_series(part["month"], part["placements_to_date"], "count", name, gender,
                              width=3 if gender == "all" else 2))
        mark_suppressed(fig, part["month"], part["placements_to_date"])
    return _layout(fig, 320)
