"""The figures speak the UI language and can be read without colour and in dark mode."""

import pandas as pd
import pytest
import streamlit as st

from dashboard import charts_funnel, charts_kpi
from dashboard.components import chart_rows, describe

NB = "\u00a0"
LIGHT, DARK = "#ffffff", "#0e1117"  # Streamlit's light and dark backgrounds


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rrggbb."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    low, high = sorted((luminance(a), luminance(b)))
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_by_hand():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)  # (1 + 0.05) / (0 + 0.05)
    assert contrast("#777777", "#777777") == pytest.approx(1)


@pytest.mark.parametrize("colour", sorted(set(charts_kpi.COLORS.values())
                                          | set(charts_funnel.COLOURS)
                                          | {charts_kpi.SUPPRESSED_GREY}))
def test_every_line_colour_stands_out_in_light_and_dark_mode(colour):
    # WCAG 1.4.11: 3:1 for graphics against what is next to them.
    assert contrast(colour, LIGHT) >= 3, colour
    assert contrast(colour, DARK) >= 3, colour


def test_women_and_men_differ_by_more_than_colour():
    assert charts_kpi.DASHES["K"] != charts_kpi.DASHES["M"]
    assert charts_kpi.DASHES["all"] != charts_kpi.DASHES["target"]


ROWS = pd.DataFrame({
    "month": pd.to_datetime(["2014-01-01", "2014-02-01", "2014-03-01"] * 2),
    "gender": ["K"] * 3 + ["M"] * 3,
    "value": [0.5, "<5", 0.25, 0.4, 0.45, ".."],
    "numerator": [10, "<5", 3, 8, 9, ".."],
    "denominator": [20, 7, 12, 20, 20, ".."],
    "target": [None] * 6,
})


def build(language: str, builder):
    """A figure built in ``language`` (the dashboard reads it from the session, which works
    outside a script run too), with its text alternative and data rows."""
    st.session_state["language"] = language
    try:
        fig = builder(ROWS)
        return {"figure": fig.to_json(), "alt": describe(fig),
                "rows": chart_rows(fig).values.tolist()}
    finally:
        del st.session_state["language"]


def test_gender_chart_in_swedish():
    state = build("sv", lambda rows: charts_kpi.gender_lines(rows, "share"))
    figure = state["figure"]
    # every month tick and hover text is Swedish, values with a decimal comma
    assert '"ticktext":["jan. 2014","feb. 2014","mars 2014"]' in figure
    assert "Jan 2014" not in figure and '"separators":",' in figure
    assert '"ticktext":["0\\u00a0%","10\\u00a0%","20\\u00a0%","30\\u00a0%","40\\u00a0%",' \
           '"50\\u00a0%"]' in figure
    assert ["Kvinnor", "jan. 2014", f"50,0{NB}%"] in state["rows"]
    assert ["Kvinnor", "feb. 2014", "<5"] in state["rows"]  # a mark, not a fall to zero
    assert ["Män", "mars 2014", ".."] in state["rows"]
    assert state["alt"] == (f"Diagrammet visar Kvinnor: jan. 2014 50,0{NB}%, feb. 2014 <5, "
                            f"mars 2014 25,0{NB}%; Män: jan. 2014 40,0{NB}%, feb. 2014 45,0{NB}%, "
                            "mars 2014 ...")


def test_gender_chart_has_each_genders_target_over_the_totals_months():
    rows = ROWS.assign(target=[0.3] * 3 + [0.35] * 3)
    st.session_state["language"] = "sv"
    try:
        fig = charts_kpi.gender_lines(rows, "share")
    finally:
        del st.session_state["language"]
    targets = {t.name: t for t in fig.data if t.name.startswith("Mål")}
    assert sorted(targets) == ["Mål (kvinnor)", "Mål (män)"]
    assert list(targets["Mål (män)"].y) == [0.35] * 3
    assert targets["Mål (kvinnor)"].line.dash == charts_kpi.DASHES["target"]
    assert [pd.Timestamp(x) for x in fig.layout.xaxis.range] == [
        pd.Timestamp("2014-01-01"), pd.Timestamp("2014-03-01")]


def test_gender_chart_in_english():
    state = build("en", lambda rows: charts_kpi.gender_lines(rows, "share"))
    assert '"ticktext":["Jan 2014","Feb 2014","Mar 2014"]' in state["figure"]
    assert ["Women", "Jan 2014", "50.0%"] in state["rows"]
    assert state["alt"].startswith("The chart shows Women: Jan 2014 50.0%, Feb 2014 <5")
