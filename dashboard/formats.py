"""Numbers, percentages, money, durations, dates and months as people read them, in the
UI language: Swedish (sv-SE) or English (en), from CLDR through Babel.

One module for every page, chart, table and download: ``1 924``, ``71,6 %``,
``80 054 652 kr``, ``0,02 s``, ``jan. 2014`` in Swedish; ``1,924``, ``71.6%``,
``SEK 80,054,652``, ``0.02 sec``, ``Jan 2014`` in English. Where CLDR has a pattern
Kedjan uses it as it is; only the number of decimals is chosen here. A protection mark
(``<5``, ``..``) is shown as it is, a missing value as a dash (``–``) or, in a table, blank.

Plotly has no Swedish of its own (its locale files are not bundled and nothing is
fetched at run time), so figures get the separators (``plotly_locale``) and their month
ticks (``month_ticks``) from here, and hovers show text formatted here.
"""

import copy
import datetime as dt
import math
import re
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

import pandas as pd
import streamlit as st
from babel import Locale, dates, numbers, units

from dashboard.protect import is_suppressed

LOCALES = {"sv": "sv_SE", "en": "en"}
MISSING = "–"
# How a KPI's target compares the value with it, as a sign before the target.
DIRECTION_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def language() -> str:
    return st.session_state.get("language", "sv")


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


@cache
def _pattern(lang: str, kind: str, decimals: int) -> numbers.NumberPattern:
    """The locale's CLDR pattern for a decimal, percent or currency with fixed decimals."""
    locale = _locale(lang)
    formats = {"decimal": locale.decimal_formats, "percent": locale.percent_formats,
               "currency": locale.currency_formats}[kind]
    pattern = copy.copy(formats[None if kind != "currency" else "standard"])
    pattern.frac_prec = (decimals, decimals)
    return pattern


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _apply(value, lang: str | None, kind: str, decimals: int, **options) -> str:
    lang = lang or language()
    value = float(value)
    if round(value, decimals + (2 if kind == "percent" else 0)) == 0:
        value = 0.0  # never "-0,0"
    pattern = _pattern(lang, kind, decimals)
    if kind != "currency" and _plain(pattern):
        return _grouped(value * 10 ** pattern.scale, decimals, lang, pattern)
    return pattern.apply(value, _locale(lang), **options)


def _plain(pattern: numbers.NumberPattern) -> bool:
    """A pattern of groups of three with a minus before and a fixed suffix (sv-SE's and
    en's decimal and percent patterns), which ``_grouped`` formats as Babel would."""
    return pattern.grouping == (3, 3) and pattern.prefix == ("", "-") \
        and pattern.suffix[0] == pattern.suffix[1] and pattern.int_prec[0] == 1


def _grouped(value: float, decimals: int, lang: str, pattern: numbers.NumberPattern) -> str:
    """``pattern`` applied to ``value`` (already scaled) the fast way: the same decimal
    rounding as Babel (half to even on the decimal text of the float) and the locale's
    symbols; a table of many thousand cells takes Babel's way seconds."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)
    text = format(abs(rounded), f",.{decimals}f").translate(_symbols(lang))
    return ("-" if rounded < 0 else "") + text + pattern.suffix[0]


@cache
def _symbols(lang: str) -> dict:
    """Python's grouping comma and decimal point -> the locale's symbols."""
    locale = _locale(lang)
    return {ord(","): numbers.get_group_symbol(locale), ord("."): numbers.get_decimal_symbol(locale)}


# --- numbers ---------------------------------------------------------------------------

def number(value, decimals: int = 0, lang: str | None = None, signed: bool = False) -> str:
    """A number with thousands grouped (``1 924``, ``1,924``); ``signed`` puts a plus
    before a positive number."""
    if is_suppressed(value):
        return value
    if is_missing(value):
        return MISSING
    shown = _apply(value, lang, "decimal", decimals)
    if signed and float(value) > 0 and shown.strip("0,.\u00a0") != "":
        shown = numbers.get_plus_sign_symbol(_locale(lang or language())) + shown
    return shown


def percent(share, decimals: int = 1, lang: str | None = None) -> str:
    """A share of 1 as a percentage (0.716 -> ``71,6 %``, ``71.6%``)."""
    if is_suppressed(share):
        return share
    if is_missing(share):
        return MISSING
    return _apply(share, lang, "percent", decimals)


def money(value, lang: str | None = None) -> str:
    """Swedish kronor, whole (``80 054 652 kr``, ``SEK 80,054,652``)."""
    if is_suppressed(value):
        return value
    if is_missing(value):
        return MISSING
    lang = lang or language()
    shown = _apply(value, lang, "currency", 0, currency="SEK", currency_digits=False)
    # CLDR's currency spacing (Babel leaves it out): a no-break space between a currency
    # symbol of letters and the digits ("SEK 80,054,652", not "SEK80,054,652").
    return re.sub(r"(?<=[A-Za-z])(?=[\d-])|(?<=\d)(?=[A-Za-z])", "\u00a0", shown)


def duration(seconds, decimals: int = 2, lang: str | None = None) -> str:
    """Seconds with CLDR's short unit (``0,02 s``, ``0.02 sec``)."""
    if is_missing(seconds):
        return MISSING
    lang = lang or language()
    return units.format_unit(float(seconds), "duration-second", length="short",
                             format=_pattern(lang, "decimal", decimals), locale=_locale(lang))


def kpi_value(value, unit: str | None, lang: str | None = None) -> str:
    """A KPI value in its unit: a share as a percentage with one decimal, a ratio with two,
    a count whole (one decimal where it is not whole, as T4's target per month)."""
    if is_suppressed(value):
        return value
    if is_missing(value):
        return MISSING
    if unit == "share":
        return percent(value, 1, lang)
    if unit == "ratio":
        return number(value, 2, lang)
    if unit == "sek":
        return money(value, lang)
    return number(value, 0 if float(value).is_integer() else 1, lang)


def target(value, direction: str | None, unit: str | None, monitored: str,
           lang: str | None = None) -> str:
    """A target with its direction (``≥ 50,0 %``); ``monitored`` when there is none."""
    if is_missing(value):
        return monitored
    return f"{DIRECTION_SIGNS.get(direction or '', '')} {kpi_value(value, unit, lang)}".strip()


# --- dates -------------------------------------------------------------------------------

def _timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value)


def month(value, long: bool = False, lang: str | None = None) -> str:
    """A month (``jan. 2014`` / ``januari 2014``; ``Jan 2014`` / ``January 2014``)."""
    if is_missing(value):
        return MISSING
    return dates.format_skeleton("yMMMM" if long else "yMMM", _timestamp(value).date(),
                                 locale=_locale(lang or language()))


def month_name(number: int, lang: str | None = None) -> str:
    """A month of the year by its number, standing alone (``december``, ``December``)."""
    return dates.get_month_names("wide", "stand-alone", locale=_locale(lang or language()))[number]


def quarter(value, lang: str | None = None) -> str:
    """The quarter a date is in (``K1 2014``, ``Q1 2014``)."""
    if is_missing(value):
        return MISSING
    return dates.format_skeleton("yQQQ", _timestamp(value).date(), locale=_locale(lang or language()))


def date(value, lang: str | None = None) -> str:
    """A day (``3 jan. 2014``, ``Jan 3, 2014``)."""
    if is_missing(value):
        return MISSING
    return dates.format_skeleton("yMMMd", _timestamp(value).date(), locale=_locale(lang or language()))


def datetime(value, lang: str | None = None) -> str:
    """A day and its time to the minute (``3 jan. 2014 14:05``, ``Jan 3, 2014, 14:05``),
    in the locale's way of joining them."""
    if is_missing(value):
        return MISSING
    ts = _timestamp(value)
    locale = _locale(lang or language())
    return locale.datetime_formats["medium"].replace("{1}", date(ts, lang)).replace(
        "{0}", dates.format_skeleton("Hm", ts.to_pydatetime(), locale=locale))


# --- tables and downloads ----------------------------------------------------------------

def cell(value, kind: str | None, yes_no: tuple[str, str], lang: str | None = None) -> str:
    """A table cell as text. ``kind`` says what a column holds where its values do not:
    a KPI's unit (share, ratio, count), sek, month, date, datetime, seconds or bool; None
    goes by each value's type."""
    if is_suppressed(value):
        return value
    if is_missing(value):
        return ""
    if isinstance(value, str):
        return value
    if kind == "month":
        return month(value, lang=lang)
    if kind == "date":
        return date(value, lang)
    if kind == "datetime":
        return datetime(value, lang)
    if kind == "seconds":
        return duration(value, lang=lang)
    if isinstance(value, bool) or kind == "bool":
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        ts = pd.Timestamp(value)
        return date(ts, lang) if ts == ts.normalize() else datetime(ts, lang)
    if isinstance(value, dt.date):
        return date(value, lang)
    if kind in ("share", "ratio", "sek"):
        return kpi_value(value, kind, lang)
    if kind == "count":
        return number(value, 0, lang)
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        value = float(value)
        if value.is_integer():
            return number(value, 0, lang)
        # A number of no declared kind: as many decimals as it has, at most two.
        decimals = 1 if round(value, 1) == round(value, 2) else 2
        return number(value, decimals, lang)
    return str(value)


def kinds_of(df: pd.DataFrame, kinds: dict | None) -> dict:
    """Every column's kind: as declared, else from its dtype (None: by each value)."""
    found = {}
    for column in df.columns:
        declared = (kinds or {}).get(column)
        if declared is None and pd.api.types.is_bool_dtype(df[column]):
            declared = "bool"
        found[column] = declared
    return found


def table(df: pd.DataFrame, kinds: dict | None, yes_no: tuple[str, str],
          lang: str | None = None) -> pd.DataFrame:
    """``df`` as shown: every value as its ``cell`` text. Text, not a Styler over the
    values: a table's accessible grid (what a screen reader reads, and the browser test)
    and an empty cell would show the raw value ("0.4421", "None"), and pandas' Styler
    takes some 30 µs a cell; a column therefore sorts as text."""
    lang = lang or language()
    found = kinds_of(df, kinds)
    return pd.DataFrame({c: [cell(v, found[c], yes_no, lang) for v in df[c]] for c in df.columns},
                        index=df.index)


def csv(df: pd.DataFrame, lang: str | None = None) -> bytes:
    """CSV for Excel in the UI language: UTF-8 with BOM, the locale's decimal symbol, and
    a semicolon between fields where the decimal symbol is a comma."""
    decimal = numbers.get_decimal_symbol(_locale(lang or language()))
    return df.to_csv(index=False, sep=";" if decimal == "," else ",",
                     decimal=decimal).encode("utf-8-sig")


# Excel shows a number in the reader's own locale; these say only what kind it is.
EXCEL_FORMATS = {"count": "#,##0", "sek": "#,##0", "share": "0.0%", "ratio": "0.00",
                 "seconds": "0.00", "month": "mmm yyyy", "date": "yyyy-mm-dd",
                 "datetime": "yyyy-mm-dd hh:mm"}


def excel_formats(df: pd.DataFrame, kinds: dict | None) -> dict:
    """Column position -> Excel number format, for the columns of a declared kind."""
    return {i: EXCEL_FORMATS[kind] for i, (column, kind) in
            enumerate(kinds_of(df, kinds).items()) if kind in EXCEL_FORMATS}


# --- plotly ------------------------------------------------------------------------------

def plotly_locale(fig, lang: str | None = None):
    """The figure's decimal and thousands separators in the UI language, and numbers in
    full on the axes (no ``k``/``M``, which read as women and men in Kedjan)."""
    locale = _locale(lang or language())
    fig.update_layout(separators=numbers.get_decimal_symbol(locale)
                      + numbers.get_group_symbol(locale))
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    return fig


def _axis_values(fig, axis: str) -> list:
    """The values the figure's traces plot on an axis, missing ones left out."""
    found = []
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is not None:
            found.extend(v for v in list(values) if not is_missing(v))
    return found


def month_ticks(fig, axis: str = "x", lang: str | None = None, most: int = 8):
    """Ticks at the months of a date axis (``jan. 2014``): at most ``most``, every 1, 2, 3,
    6 or 12 months (or whole years), on the first month of a quarter or a year where the
    step allows."""
    months = sorted({pd.Timestamp(m).to_period("M").to_timestamp() for m in _axis_values(fig, axis)})
    if not months:
        return fig
    first, last = months[0], months[-1]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in (1, 2, 3, 6, 12) if span / s <= most), 12 * math.ceil(span / (12 * most)))
    ticks = [m for m in pd.date_range(first, last, freq="MS")
             if (m.month - 1) % min(step, 12) == 0 and (m.year - first.year) % max(1, step // 12) == 0]
    ticks = ticks or [first]
    getattr(fig, f"update_{axis}axes")(tickmode="array", tickvals=ticks,
                                       ticktext=[month(m, lang=lang) for m in ticks])
    return fig


def share_ticks(fig, axis: str = "y", lang: str | None = None, most: int = 6):
    """Percentages on an axis of shares of 1 (``20 %``): from 0 past the highest value
    plotted, every 1, 2, 5, 10, 20, 25 or 50 points."""
    values = [float(v) for v in _axis_values(fig, axis) if not isinstance(v, str)]
    top = max([v for v in values if math.isfinite(v)] + [0.0]) or 1.0
    step = next((s for s in (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5) if top / s <= most),
                math.ceil(top / most))
    ticks = [round(i * step, 10) for i in range(int(math.ceil(top / step - 1e-9)) + 1)]
    getattr(fig, f"update_{axis}axes")(tickmode="array", tickvals=ticks,
                                       ticktext=[percent(t, 0, lang) for t in ticks])
    return fig
