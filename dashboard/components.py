"""Pieces every page uses: the as-of banner, tables with downloads, charts, empty states.

For a protected viewer (the steering group) every table and chart names the view it was
made from (``source``: a dashboard.protect.Protected from dashboard.views, or NO_PEOPLE
for figures without counts of people); ``show_table`` and ``show_chart`` refuse one
without, so a table cannot reach the steering group undeclared. The downloads are made
from the same protected frame as the table.
"""

import io

import pandas as pd
import streamlit as st

from dashboard import access, queries
from dashboard.labels import text
from dashboard.protect import Protected


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
    caption = f"{text('published').capitalize()} {published:%Y-%m-%d %H:%M}"
    # The run id is the data steward's handle on a refresh; a steering group has no use for it.
    if not page_user().protected:
        caption += f" · run {latest['run_id'].iloc[0]}"
    st.caption(caption)


class UndeclaredView(RuntimeError):
    """A table or chart for a protected viewer that names no protected view."""


def declared(source: Protected | None) -> None:
    """Refuse to lay out, for a protected viewer, what names no protected view."""
    if page_user().protected and not isinstance(source, Protected):
        raise UndeclaredView(text("undeclared_table"))


def protection_legend() -> None:
    """What ``<5``, ``..`` and the gaps in charts mean, for a protected viewer."""
    if page_user().protected:
        st.caption(text("protection_legend"))


def show_chart(fig, key: str, source: Protected | None, **kwargs):
    """The chart; returns st.plotly_chart's value (its selection, with ``on_select``)."""
    declared(source)
    return st.plotly_chart(fig, key=key, **kwargs)


def show_table(df: pd.DataFrame, name: str, key: str, source: Protected | None = None,
               select: str | None = None) -> pd.DataFrame:
    """A table with CSV and Excel downloads; ``df`` is already as the viewer may see it.

    With ``select``, a row can be picked; its position is in
    ``selected_row(select)`` on the rerun that follows."""
    declared(source)
    if df is None or df.empty:
        st.info(text("no_data"))
        return df
    shown = df
    # A column mixing numbers and "<5" is shown as text (Arrow wants one type per column);
    # the downloads keep the numbers.
    mixed = [c for c in shown.columns if shown[c].dtype == object
             and shown[c].map(lambda v: isinstance(v, str)).any()
             and shown[c].map(lambda v: isinstance(v, (int, float))).any()]
    picking = {"key": select, "on_select": "rerun", "selection_mode": "single-row"} if select else {}
    st.dataframe(shown.astype({c: str for c in mixed}).replace({"None": "", "nan": ""}),
                 hide_index=True, width="stretch", **picking)
    download_buttons(shown, name, key, source)
    return shown


def selected_row(select: str) -> int | None:
    """The position of the row picked in the table shown with ``select``, or None."""
    event = st.session_state.get(select)
    rows = event["selection"]["rows"] if event else []
    return rows[0] if rows else None


def download_buttons(df: pd.DataFrame, name: str, key: str, source: Protected | None = None) -> None:
    """CSV for Swedish Excel (UTF-8 with BOM, semicolon, decimal comma) and .xlsx.

    The files are made only when a button is clicked (an Excel file of 10,000 rows takes
    seconds), and a download does not rerun the page.
    """
    declared(source)
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
