"""Plotly figures of the Kedjan page: the chain step by step and the cohort heatmap.

The builders take frames as the user may see them (already through small-count
protection) and coerce every plotted value to a number: a suppressed count ('<5', '..')
is a bar of length 0 labelled with its mark, a suppressed share a blank heatmap cell; the
hover says it is protected. Every rate's hover shows its numerator and denominator.
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


def _bar_values(values) -> tuple[list, list]:
    """Bar lengths and their labels: a protected count is drawn as a bar of length 0 with
    its mark ('<5', '..') as the label, so that it is seen as hidden, never as nothing."""
    lengths = number(values).fillna(0).tolist()
    return lengths, [_count(v) for v in values]


def steps_figure(df: pd.DataFrame, step_label, group_label=None) -> go.Figure:
    """The chain step by step, each step counted on its own (a person can skip one, so no
    step is drawn as a part of the one before): per step a bar of those who reached it,
    beside it a bar of those who reached it directly after the step before (reached both)
    and one of those who skipped a step. Split into groups (``split_value``): per step a
    bar of each group's share of its enrolled.

    ``df``: split_value, step, participants, reached, share_of_start, previous_reached,
    reached_with_previous, conversion, skipped (values may be protected strings or None).
    ``step_label(step)`` and ``group_label(value)`` give the texts shown. Every bar
    carries its step and group as customdata, for a click to open its participants.
    """
    fig = go.Figure()
    groups = list(dict.fromkeys(df["split_value"]))
    for i, group in enumerate(groups):
        part = df[df["split_value"] == group]
        hover = []
        for row in part.itertuples(index=False):
            lines = [f"<b>{step_label(row.step)}</b>"]
            if len(groups) > 1:
                lines.append(group_label(group) if group_label else str(group))
            lines.append(f"{text('hover_reached')}: {_count(row.reached)} / {_count(row.participants)} "
                         f"{text('hover_of_enrolled')} ({_share(row.share_of_start)})")
            if row.step != "inskriven":
                lines.append(f"{text('hover_conversion')}: {_count(row.reached_with_previous)} / "
                             f"{_count(row.previous_reached)} ({_share(row.conversion)})")
                lines.append(f"{text('hover_skipped')}: {_count(row.skipped)}")
            hover.append("<br>".join(lines))
        steps = [step_label(s) for s in part["step"]]
        customdata = [[s, group] for s in part["step"]]
        if len(groups) == 1:
            series = (("reached", "chart_reached", COLOURS[0]),
                      ("reached_with_previous", "chart_reached_with_previous", "#6f9fc4"),
                      ("skipped", "chart_skipped", COLOURS[1]))
            for column, label, colour in series:
                lengths, labels = _bar_values(part[column])
                if column == "reached_with_previous":  # the first step has no step before
                    labels = ["" if s == "inskriven" else t for s, t in zip(part["step"], labels)]
                fig.add_trace(go.Bar(
                    name=text(label), y=steps, x=lengths, orientation="h", text=labels,
                    textposition="outside", cliponaxis=False, hovertext=hover,
                    hoverinfo="text", customdata=customdata, marker={"color": colour}))
        else:
            # groups differ in size: compare the share of each group's enrolled
            labels = [_count(r) if isinstance(r, str) or _missing(s)
                      else f"{_count(r)} ({formats.percent(s, 0)})"
                      for r, s in zip(part["reached"], part["share_of_start"])]
            fig.add_trace(go.Bar(
                name=group_label(group) if group_label else str(group), y=steps,
                x=number(part["share_of_start"]).fillna(0).tolist(), orientation="h",
                text=labels, textposition="auto", hovertext=hover, hoverinfo="text",
                customdata=customdata, marker={"color": COLOURS[i % len(COLOURS)]}))
    bars = len(groups) if len(groups) > 1 else 3
    fig.update_layout(margin={"l": 10, "r": 40, "t": 10, "b": 10},
                      height=160 + 14 * bars * 6, showlegend=True,
                      legend={"orientation": "h", "y": -0.12}, barmode="group",
                      yaxis={"autorange": "reversed"},
                      xaxis={"range": [0, 1.05]} if len(groups) > 1 else {})
    formats.plotly_locale(fig)
    return formats.share_ticks(fig, "x") if len(groups) > 1 else fig


def heatmap_figure(df: pd.DataFrame, count_column: str, share_column: str,
                   cohort_label, title: str) -> go.Figure:
    """Cohort (rows) x months since intake (columns) -> share, from a long frame with
    cohort, months_since_intake, cohort_size, the count and share columns and incomplete.

    Complete cells are coloured by the share (0-100 %); cells whose follow-up is still
    open are grey with a hatch mark and say so on hover; protected cells are blank. An
    invisible marker on every cell carries its hover and, as customdata, its cohort (ISO
    date) and month: heatmaps cannot be selected in plotly, markers can (a click).
    """
    data = df.copy()
    data["plot_share"] = number(data[share_column]).values
    data["plot_incomplete"] = data["incomplete"].astype(bool).values
    data["plot_cohort"] = [cohort_label(c) for c in data["cohort"]]
    cohorts = list(dict.fromkeys(data["plot_cohort"]))
    months = sorted(data["months_since_intake"].unique().tolist())
    position = {(r.plot_cohort, r.months_since_intake): r for r in data.itertuples(index=False)}

    complete_z, open_z = [], []
    hatch_x, hatch_y = [], []
    cell_x, cell_y, cell_hover, cell_data = [], [], [], []
    for cohort in cohorts:
        z_row, open_row = [], []
        for month in months:
            row = position.get((cohort, month))
            if row is None:
                z_row.append(None), open_row.append(None)
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
            cell_x.append(month)
            cell_y.append(cohort)
            cell_hover.append(line)
            cell_data.append([pd.Timestamp(row.cohort).date().isoformat(), int(month)])
        complete_z.append(z_row)
        open_z.append(open_row)

    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        x=months, y=cohorts, z=complete_z, zmin=0, zmax=1, colorscale="Blues",
        colorbar={"title": {"text": title}, "tickvals": [0, 0.25, 0.5, 0.75, 1],
                  "ticktext": [formats.percent(t, 0) for t in (0, 0.25, 0.5, 0.75, 1)]},
        hoverinfo="skip", xgap=1, ygap=1, hoverongaps=False, name=title))
    fig.add_trace(go.Heatmap(
        x=months, y=cohorts, z=[[None if v in (None, 0) else 1 for v in r] for r in open_z],
        zmin=0, zmax=1, colorscale=[[0, INCOMPLETE_GREY], [1, INCOMPLETE_GREY]],
        showscale=False, hoverinfo="skip", xgap=1, ygap=1, hoverongaps=False,
        name=text("funnel_incomplete")))
    if hatch_x:
        fig.add_trace(go.Scatter(
            x=hatch_x, y=hatch_y, mode="markers", hoverinfo="skip", showlegend=False,
            marker={"symbol": "line-ne", "size": 7, "line": {"width": 1, "color": "#8c8c8c"}}))
    fig.add_trace(go.Scatter(
        x=cell_x, y=cell_y, mode="markers", hovertext=cell_hover, hoverinfo="text",
        customdata=cell_data, showlegend=False, name=title,
        marker={"symbol": "square", "size": 12, "opacity": 0},
        selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}}))
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        height=max(260, min(1100, 60 + 16 * len(cohorts))),
        xaxis={"title": {"text": text("funnel_months_since")}, "dtick": 3 if len(months) > 13 else 1},
        yaxis={"title": {"text": text("funnel_cohort")}, "autorange": "reversed",
               "type": "category"},
        plot_bgcolor="white")
    return formats.plotly_locale(fig)
