"""Pieces every page uses: the as-of banner, protected tables with downloads, empty states.

Every table goes through ``show_table``, which applies small-count protection for the
steering group (dashboard.protect) to what is shown and to what is downloaded alike.
"""

import io

import pandas as pd
import streamlit as st

from dashboard import access, queries
from dashboard.labels import text
from dashboard.protect import protect, protect_parts


def page_user() -> access.User:
    """The signed-in user, set by app.py before any page runs."""
    return st.session_state["kedjan_user"]


def as_of_banner() -> None:
    """The data's as-of date and when it was published, at the top of every page."""
    latest = queries.latest_refresh()
    if latest is None or latest.empty:
        st.info(text("no_warehouse"))
        st.stop()
    published = pd.Timestamp(latest["finished_at"].iloc[0])
    st.caption(f"{text('published').capitalize()} {published:%Y-%m-%d %H:%M} · run {latest['run_id'].iloc[0]}")


def protected(df: pd.DataFrame, counts=(), rates=None, part_column=None, total=None,
              group=None) -> pd.DataFrame:
    """``df`` as the current user may see it (see dashboard.protect for the rules)."""
    if not page_user().protected:
        return df
    return protect(df, list(counts), rates, part_column, total, group)


def protected_parts(df: pd.DataFrame, keys: list[str], total: str, parts: list[str]) -> pd.DataFrame:
    """The ``keys``, ``total`` and ``parts`` columns of ``df`` as the user may see them
    (dashboard.protect.protect_parts for the steering group)."""
    if not page_user().protected:
        return df[[*keys, total, *parts]]
    return protect_parts(df, keys, total, parts)


def show_table(df: pd.DataFrame, name: str, key: str, **protection) -> pd.DataFrame:
    """A table with CSV and Excel downloads; returns what was shown (protected)."""
    if df is None or df.empty:
        st.info(text("no_data"))
        return df
    shown = protected(df, **protection)
    # A column mixing numbers and "<5" is shown as text (Arrow wants one type per column);
    # the downloads keep the numbers.
    mixed = [c for c in shown.columns if shown[c].dtype == object
             and shown[c].map(lambda v: isinstance(v, str)).any()
             and shown[c].map(lambda v: isinstance(v, (int, float))).any()]
    st.dataframe(shown.astype({c: str for c in mixed}).replace({"None": "", "nan": ""}),
                 hide_index=True, width="stretch")
    download_buttons(shown, name, key)
    return shown


def download_buttons(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV for Swedish Excel (UTF-8 with BOM, semicolon, decimal comma) and .xlsx.

    The files are made only when a button is clicked (an Excel file of 10,000 rows takes
    seconds), and a download does not rerun the page.
    """
    left, right = st.columns(2)
    left.download_button(text("download_csv"), lambda: to_csv(df), f"{name}.csv", "text/csv",
                         key=f"{key}-csv", on_click="ignore")
    right.download_button(text("download_excel"), lambda: to_excel(df), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}-xlsx", on_click="ignore")


def to_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def to_excel(df: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        df.to_excel(writer, index=False, sheet_name="Kedjan")
    return buffer.getvalue()
