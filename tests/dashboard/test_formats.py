"""dashboard.formats in Swedish and English: every expected text written out by hand
(CLDR: Swedish groups thousands with a no-break space, U+00A0, and puts one before %)."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import formats

NB = "\u00a0"
YES_NO = ("ja", "nej")


@pytest.mark.parametrize("call, sv, en", [
    (lambda lang: formats.number(1924, lang=lang), f"1{NB}924", "1,924"),
    (lambda lang: formats.number(80054652, lang=lang), f"80{NB}054{NB}652", "80,054,652"),
    (lambda lang: formats.number(0.5, 1, lang=lang), "0,5", "0.5"),
    (lambda lang: formats.number(-1234.56, 1, lang=lang), f"-1{NB}234,6", "-1,234.6"),
    (lambda lang: formats.number(-0.04, 1, lang=lang), "0,0", "0.0"),  # never -0,0
    (lambda lang: formats.number(12.3, 1, lang=lang, signed=True), "+12,3", "+12.3"),
    (lambda lang: formats.number(0, 1, lang=lang, signed=True), "0,0", "0.0"),
    (lambda lang: formats.percent(0.716, lang=lang), f"71,6{NB}%", "71.6%"),
    (lambda lang: formats.percent(0.4421, lang=lang), f"44,2{NB}%", "44.2%"),
    (lambda lang: formats.percent(1, 0, lang=lang), f"100{NB}%", "100%"),
    (lambda lang: formats.money(80054652, lang=lang), f"80{NB}054{NB}652{NB}kr",
     f"SEK{NB}80,054,652"),
    (lambda lang: formats.money(1499.5, lang=lang), f"1{NB}500{NB}kr", f"SEK{NB}1,500"),
    (lambda lang: formats.duration(0.0214, lang=lang), "0,02 s", "0.02 sec"),
    (lambda lang: formats.duration(75.5, lang=lang), "75,50 s", "75.50 sec"),
    (lambda lang: formats.month("2014-01-01", lang=lang), "jan. 2014", "Jan 2014"),
    (lambda lang: formats.month(pd.Timestamp("2018-12-31"), lang=lang), "dec. 2018", "Dec 2018"),
    (lambda lang: formats.month("2014-03-01", long=True, lang=lang), "mars 2014", "March 2014"),
    (lambda lang: formats.quarter("2014-05-01", lang=lang), "K2 2014", "Q2 2014"),
    (lambda lang: formats.date(dt.date(2014, 1, 3), lang=lang), "3 jan. 2014", "Jan 3, 2014"),
    (lambda lang: formats.datetime(pd.Timestamp("2014-01-03 14:05:59"), lang=lang),
     "3 jan. 2014 14:05", "Jan 3, 2014, 14:05"),
    (lambda lang: formats.kpi_value(0.44651, "share", lang=lang), f"44,7{NB}%", "44.7%"),
    (lambda lang: formats.kpi_value(1.5312, "ratio", lang=lang), "1,53", "1.53"),
    (lambda lang: formats.kpi_value(1882, "count", lang=lang), f"1{NB}882", "1,882"),
    (lambda lang: formats.kpi_value(33.333, "count", lang=lang), "33,3", "33.3"),
    (lambda lang: formats.target(0.5, ">=", "share", "följs upp", lang=lang),
     f"≥ 50,0{NB}%", "≥ 50.0%"),
    (lambda lang: formats.target(30, ">", "count", "x", lang=lang), "> 30", "> 30"),
])
def test_formats_in_both_languages(call, sv, en):
    assert call("sv") == sv
    assert call("en") == en


@pytest.mark.parametrize("value", ["<5", ".."])
def test_protection_marks_stay_as_they_are(value):
    for lang in ("sv", "en"):
        assert formats.number(value, lang=lang) == value
        assert formats.percent(value, lang=lang) == value
        assert formats.kpi_value(value, "share", lang=lang) == value
        assert formats.cell(value, "share", YES_NO, lang) == value


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT])
def test_missing_is_a_dash_and_a_blank_cell(value):
    assert formats.number(value, lang="sv") == "–"
    assert formats.month(value, lang="sv") == "–"
    assert formats.target(value, ">=", "share", "följs upp", lang="sv") == "följs upp"
    assert formats.cell(value, "count", YES_NO, "sv") == ""


@pytest.mark.parametrize("value, kind, sv, en", [
    (0.4421, "share", f"44,2{NB}%", "44.2%"),
    (80054652, "sek", f"80{NB}054{NB}652{NB}kr", f"SEK{NB}80,054,652"),
    (80054652, None, f"80{NB}054{NB}652", "80,054,652"),
    (12.0, None, "12", "12"),
    (0.125, None, "0,12", "0.12"),  # at most two decimals; CLDR rounds half to even
    (2.5, None, "2,5", "2.5"),
    (True, None, "ja", "ja"),
    (False, "bool", "nej", "nej"),
    (pd.Timestamp("2014-01-01"), "month", "jan. 2014", "Jan 2014"),
    (pd.Timestamp("2014-01-03"), None, "3 jan. 2014", "Jan 3, 2014"),
    (pd.Timestamp("2014-01-03 09:30"), None, "3 jan. 2014 09:30", "Jan 3, 2014, 09:30"),
    (0.0214, "seconds", "0,02 s", "0.02 sec"),
    ("invalid_date", None, "invalid_date", "invalid_date"),  # text is translated by labels
])
def test_table_cells(value, kind, sv, en):
    assert formats.cell(value, kind, YES_NO, "sv") == sv
    assert formats.cell(value, kind, YES_NO, "en") == en


def test_a_table_is_shown_as_text():
    df = pd.DataFrame({"Andel": [0.716, None], "Kostnad": [80054652.0, 1.0],
                       "Klar": [True, False], "Antal": pd.array([1924, None], dtype="Int64")})
    shown = formats.table(df, {"Andel": "share", "Kostnad": "sek"}, YES_NO, "sv")
    assert shown.values.tolist() == [[f"71,6{NB}%", f"80{NB}054{NB}652{NB}kr", "ja", f"1{NB}924"],
                                     ["", f"1{NB}kr", "nej", ""]]
    assert list(shown.columns) == list(df.columns)


def test_csv_for_excel_in_each_language():
    df = pd.DataFrame({"a": [0.5], "b": ["x"]})
    assert formats.csv(df, "sv") == "\ufeffa;b\n0,5;x\n".encode()
    assert formats.csv(df, "en") == "\ufeffa,b\n0.5,x\n".encode()


def test_plotly_separators_and_full_numbers():
    fig = formats.plotly_locale(go.Figure(go.Bar(x=["a"], y=[80054652])), "sv")
    assert fig.layout.separators == f",{NB}"
    assert fig.layout.yaxis.exponentformat == "none" and fig.layout.yaxis.separatethousands
    assert formats.plotly_locale(go.Figure(), "en").layout.separators == ".,"


def test_month_ticks_name_the_months():
    # 60 months, 2014-01 to 2018-12: at most 8 ticks -> every 12 months, each January.
    months = pd.date_range("2014-01-01", "2018-12-01", freq="MS")
    fig = formats.month_ticks(go.Figure(go.Scatter(x=months, y=list(range(60)))), lang="sv")
    assert list(fig.layout.xaxis.ticktext) == [f"jan. {y}" for y in range(2014, 2019)]
    # 7 months, 2014-02 to 2014-08: every month.
    fig = formats.month_ticks(go.Figure(go.Scatter(x=months[1:8], y=[1] * 7)), lang="en")
    assert list(fig.layout.xaxis.ticktext) == ["Feb 2014", "Mar 2014", "Apr 2014", "May 2014",
                                               "Jun 2014", "Jul 2014", "Aug 2014"]
    # 18 months, 2014-01 to 2015-06: 18 / 3 = 6 ticks, each quarter's first month.
    fig = formats.month_ticks(go.Figure(go.Scatter(x=months[:18], y=[1] * 18)), lang="sv")
    assert list(fig.layout.xaxis.ticktext) == ["jan. 2014", "apr. 2014", "juli 2014",
                                               "okt. 2014", "jan. 2015", "apr. 2015"]


def test_share_ticks_are_percentages_past_the_highest_value():
    # highest 0.44: 0.44 / 0.1 = 4.4 ticks of 10 points -> 0 % to 50 %.
    fig = formats.share_ticks(go.Figure(go.Scatter(x=[1, 2], y=[0.2, 0.44])), lang="sv")
    assert list(fig.layout.yaxis.tickvals) == [0, 0.1, 0.2, 0.3, 0.4, 0.5]
    assert list(fig.layout.yaxis.ticktext) == [f"{p}{NB}%" for p in (0, 10, 20, 30, 40, 50)]
    # highest 0.04: every point -> 0 % to 4 %.
    fig = formats.share_ticks(go.Figure(go.Bar(x=[0.04, None], y=["a", "b"])), axis="x", lang="en")
    assert list(fig.layout.xaxis.ticktext) == ["0%", "1%", "2%", "3%", "4%"]


def test_the_fast_way_formats_as_babel_does():
    """formats' own grouping of plain patterns gives Babel's text for every value tried."""
    import random

    rng = random.Random(7)
    values = [rng.uniform(-1e7, 1e7) for _ in range(500)] + [rng.uniform(-2, 2) for _ in range(500)]
    values += [0.125, 2.5, 1924.55, 0.005, 0.015, 1e15]
    for lang in ("sv", "en"):
        for decimals in (0, 1, 2):
            for kind in ("decimal", "percent"):
                pattern = formats._pattern(lang, kind, decimals)
                for value in values:
                    if round(value * 10 ** pattern.scale, decimals) == 0:
                        continue  # Babel writes "-0", formats "0" (tested above)
                    assert formats._apply(value, lang, kind, decimals) == \
                        pattern.apply(value, formats._locale(lang)), (lang, kind, decimals, value)
