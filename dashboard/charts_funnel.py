"""Plotly figures of the Kedjan page: the chain's funnel and the cohort heatmap.

The builders take frames as the user may see them (already through small-count
protection) and coerce every plotted value to a number: a suppressed cell ('<5' or None)
becomes NaN and is not drawn; its hover says it is protected. Every rate's hover shows its
numerator and denominator.
"""

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard import formats
from dashboard.labels import text

# Each has a contrast of at least 3:1 on Streamlit's light and dark backgrounds.
COLOURS = ["#3a7bbf", "#c05a1f", "#4c9a6a", "#8a5fb0", "#c0504d", "#7f7f7f", "#8c7a1f"]
INCOMPLETE_GREY = "#d0d0d0"


def number(values) -> pd.Series:
    """Plot-safe numbers: protected strings ('<5') and None become NaN."""
    return pd.to_numeric(pd.Series(values, dtype="object"), errors="coerce").astype("float64")


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _count(value) -> str:
    if isinstance(value, str):
        return value
    return formats.number(value)


def _share(value) -> str:
    if isinstance(value, str) or _missing(value):
        return text("hover_suppressed")
    return formats.percent(value)


def funnel_figure(df: pd.DataFrame, step_label, group_label=None) -> go.Figure:
    """The funnel: people who reached each step; split into groups (``split_value``), a
    grouped bar per step of each group's share of its enrolled.

    ``df``: split_value, step, participants, reached, share_of_start, previous_reached,
    reached_with_previous, conversion and optionally median_days (values may be protected
    strings or None).
    ``step_label(step)`` and ``group_label(value)`` give the texts shown.
    """
    fig = go.Figure()
    groups = list(dict.fromkeys(df["split_value"]))
    for i, group in enumerate(groups):
        part = df[df["split_value"] == group]
        reached = number(part["reached"])
        hover, labels = [], []
        for row in part.itertuples(index=False):
            lines = [f"<b>{step_label(row.step)}</b>"]
            if len(groups) > 1:
                lines.append(group_label(group) if group_label else str(group))
            lines.append(f"{text('hover_reached')}: {_count(row.reached)} / {_count(row.participants)} "
                         f"{text('hover_of_enrolled')} ({_share(row.share_of_start)})")
            if row.step != "inskriven":
                lines.append(f"{text('hover_conversion')}: {_count(row.reached_with_previous)} / "
                             f"{_count(row.previous_reached)} ({_share(row.conversion)})")
                median = getattr(row, "median_days", None)
                if not _missing(median):
                    lines.append(f"{text('hover_median_days')}: {formats.number(median)}")
            hover.append("<br>".join(lines))
            labels.append(_count(row.reached) if isinstance(row.reached, str) or
                          _missing(row.share_of_start) else
                          f"{_count(row.reached)} ({formats.percent(row.share_of_start, 0)})")
        name = group_label(group) if group_label else str(group)
        steps = [step_label(s) for s in part["step"]]
        if len(groups) == 1:
            fig.add_trace(go.Funnel(
                name=name, y=steps, x=reached.tolist(), text=labels, textinfo="text",
                customdata=[[s, label] for s, label in zip(steps, labels)],
                hovertext=hover, hoverinfo="text", marker={"color": COLOURS[0]},
                connector={"fillcolor": "#eef2f6"}))
        else:
            # groups differ in size: compare the share of each group's enrolled
            fig.add_trace(go.Bar(
                name=name, y=steps, x=number(part["share_of_start"]).tolist(), orientation="h",
                text=labels, textposition="auto", hovertext=hover, hoverinfo="text",
                customdata=[[s, label] for s, label in zip(steps, labels)],
                marker={"color": COLOURS[i % len(COLOURS)]}))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      height=380 if len(groups) == 1 else 160 + 40 * len(groups) * 6 // 2,
                      showlegend=len(groups) > 1, legend={"orientation": "h", "y": -0.12},
                      barmode="group", yaxis={"autorange": "reversed"} if len(groups) > 1 else {},
                      xaxis={"range": [0, 1.05]} if len(groups) > 1 else {})
    formats.plotly_locale(fig)
    return formats.share_ticks(fig, "x") if len(groups) > 1 else fig


def heatmap_figure(df: pd.DataFrame, count_column: str, share_column: str,
                   cohort_label, title: str) -> go.Figure:
    """Cohort (rows) x months since intake (columns) -> share, from a long frame with
    cohort, months_since_intake, cohort_size, the count and share columns and incomplete.

    Complete cells are coloured by the share (0-100 %); cells whose follow-up is still
    open are grey with a hatch mark and say so on hover; protected cells are blank.
    """
    data = df.copy()
    data["plot_share"] = number(data[share_column]).values
    data["plot_incomplete"] = data["incomplete"].astype(bool).values
    data["plot_cohort"] = [cohort_label(c) for c in data["cohort"]]
    cohorts = list(dict.fromkeys(data["plot_cohort"]))
    months = sorted(data["months_since_intake"].unique().tolist())
    position = {(r.plot_cohort, r.months_since_intake): r for r in data.itertuples(index=False)}

    complete_z, open_z, hover = [], [], []
    hatch_x, hatch_y = [], []
    for cohort in cohorts:
        z_row, open_row, hover_row = [], [], []
        for month in months:
            row = position.get((cohort, month))
            if row is None:
                z_row.append(None), open_row.append(None), hover_row.append("")
                continue
            share = row.plot_share
            shown = None if math.isnan(share) else share
            line = (f"{text('funnel_cohort')} {cohort}, {text('funnel_months_since').lower()} "
                    f"{month}<br>{title}: {_count(getattr(row, count_column))} / "
                    f"{_count(row.cohort_size)} ({_share(shown)})")
            if row.plot_incomplete:
                line += f"<br><i>{text('funnel_incomplete')}</i>"
                z_row.append(None)
                open_row.append(0 if shown is None else 1)
                if shown is not None:
                    hatch_x.append(month)
                    hatch_y.append(cohort)
            else:
                z_row.append(shown)
                open_row.append(None)
            hover_row.append(line)
        complete_z.append(z_row)
        open_z.append(open_row)
        hover.append(hover_row)

    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=months, y=cohorts, z=complete_z, zmin=0, zmax=1, colorscale="Blues",
        colorbar={"title": {"text": title}, "tickvals": [0, 0.25, 0.5, 0.75, 1],
                  "ticktext": [formats.percent(t, 0) for t in (0, 0.25, 0.5, 0.75, 1)]},
        text=hover, hoverinfo="text", xgap=1, ygap=1, hoverongaps=False, name=title))
    fig.add_trace(go.Heatmap(
        x=months, y=cohorts, z=[[None if v in (None, 0) else 1 for v in r] for r in open_z],
        zmin=0, zmax=1, colorscale=[[0, INCOMPLETE_GREY], [1, INCOMPLETE_GREY]],
        showscale=False, text=hover, hoverinfo="text", xgap=1, ygap=1, hoverongaps=False,
        name=text("funnel_incomplete")))
    if hatch_x:
        fig.add_trace(go.Scatter(
            x=hatch_x, y=hatch_y, mode="markers", hoverinfo="skip", showlegend=False,
            marker={"symbol": "line-ne", "size": 7, "line": {"width": 1, "color": "#8c8c8c"}}))
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=max(260, min(1100, 60 + 16 * len(cohorts))),
        xaxis={"title": {"text": text("funnel_months_since")}, "dtick": 3 if len(months) > 13 else 1},
        yaxis={"title": {"text": text("funnel_cohort")}, "autorange": "reversed",
               "type": "category"},
        plot_bgcolor="white")
    return formats.plotly_locale(fig)
