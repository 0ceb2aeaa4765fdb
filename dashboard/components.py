"""Pieces every page uses: the as-of banner, tables with downloads, charts, empty states.

For a protected viewer (the steering group) every table and chart names the view it was
made from (``source``: a dashboard.protect.Protected from dashboard.views, or NO_PEOPLE
for figures without counts of people); ``show_table`` and ``show_chart`` refuse one
without, so a table cannot reach the steering group undeclared. The downloads are made
from the same protected frame as the table.
"""

import html
import io
import pickle
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import access, formats, queries
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
    published = formats.datetime(latest["finished_at"].iloc[0])
    caption = f"{text('published').capitalize()} {published}"
    # The run id is the data steward's handle on a refresh; a steering group has no use for it.
    if not page_user().protected:
        caption += f" · run {latest['run_id'].iloc[0]}"
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.caption(caption)
    with right:
        copy_link()


def _remember_as_of() -> None:
    st.session_state["as_of_chosen"] = (st.session_state["as_of_year"],
                                        st.session_state["as_of_month"])


def as_of_picker(months: list, help_text: str | None = None) -> pd.Timestamp:
    """The as-of month as a year and a month of it (two short lists, newest first: not a
    slider over every month), the latest by default. A choice made on one page holds on
    every page that has the picker, for the session (``as_of_chosen``, kept apart from
    the widgets, whose state is per page), and it is in the address (a copied link)."""
    months = sorted({pd.Timestamp(m) for m in months}, reverse=True)
    chosen = st.session_state.get("as_of_chosen")
    keep = chosen is None
    if chosen is not None:
        year, month = chosen
        in_year = [m.month for m in months if m.year == year]
        keep = bool(in_year)
        if not keep:  # a year this page has no data for: its latest month, the choice kept
            year, in_year = months[0].year, [months[0].month]
        st.session_state["as_of_year"] = year
        st.session_state["as_of_month"] = month if month in in_year else in_year[0]
    left, right, _ = st.columns([1, 1, 2])
    year = left.selectbox(text("as_of_year"), sorted({m.year for m in months}, reverse=True),
                          key="as_of_year", bind="query-params", on_change=_remember_as_of,
                          help=help_text)
    month = right.selectbox(text("as_of_month"), [m.month for m in months if m.year == year],
                            key="as_of_month", bind="query-params", on_change=_remember_as_of,
                            format_func=partial(formats.month_name, lang=formats.language()))
    if keep:
        st.session_state["as_of_chosen"] = (year, month)  # a month a link opened, too
    return pd.Timestamp(year=year, month=month, day=1)


# A page's selections are in its address (its widgets are bound to query parameters,
# bind="query-params"), so the address is the view: the button copies it as the browser
# has it now. Clipboard API where the page is a secure context (https, localhost), a
# selected text area otherwise.
COPY_LINK = """<button type="button" class="kedjan-copy-link" title="{help}" data-done="{done}"
 style="font: inherit; font-size: 0.875rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem;
 border: 1px solid rgba(128, 128, 128, 0.4); background: transparent; color: inherit;
 cursor: pointer;">{label}</button>
<script>
document.querySelectorAll("button.kedjan-copy-link:not([data-bound])").forEach(button => {{
  button.dataset.bound = "1";
  button.addEventListener("click", async () => {{
    const address = window.location.href;
    try {{
      await navigator.clipboard.writeText(address);
    }} catch (error) {{
      const area = document.createElement("textarea");
      area.value = address;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }}
    button.textContent = button.dataset.done;
  }});
}});
</script>"""


def copy_link() -> None:
    """A button that copies the address of the page as it is shown: another signed-in
    user opens the same selections, and their own role decides what they see."""
    st.html(COPY_LINK.format(label=html.escape(text("copy_link")),
                             done=html.escape(text("link_copied")),
                             help=html.escape(text("copy_link_help"))),
            unsafe_allow_javascript=True)


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


# A headline value wraps rather than ends in "…" (Streamlit cuts a metric to one line):
# "44,7 % / 43,2 %" breaks at its spaces, never inside a number (no-break spaces there).
WRAP_METRICS = ('<style>[data-testid="stMetricValue"], [data-testid="stMetricValue"] * '
                '{white-space: normal !important; overflow: visible !important; '
                'text-overflow: clip !important;}</style>')


def page_setup() -> None:
    """``<html lang>`` in the UI language (Streamlit serves its page as English), for
    screen readers and the browser's hyphenation and translation; metrics that wrap."""
    st.html(WRAP_METRICS)
    st.sidebar.html(f"<script>document.documentElement.lang = {formats.language()!r};</script>",
                    unsafe_allow_javascript=True)


# --- charts: a text alternative and the data as a table -----------------------------------
# Every figure's points carry their texts in customdata ([0] the x label, [1] the value;
# dashboard.charts_kpi, dashboard.charts_funnel); the marks of protected values are a
# legend group of their own and no data of their own.

def _points(fig):
    """The figure's points as people read them: (series, x label, value) each."""
    for trace in fig.data:
        if trace.legendgroup == "suppressed" or trace.customdata is None:
            continue
        yield from ((trace.name or "", point[0], point[1]) for point in trace.customdata)


def chart_rows(fig) -> pd.DataFrame:
    """The figure's points as people read them: series, x label, value."""
    return pd.DataFrame(list(_points(fig)), columns=["series", "x", "value"])


def describe(fig) -> str:
    """A chart's main values in a sentence: each series' first and latest point, and its
    every point when there are few. (Plain Python over the points, no frame: it runs for
    every chart of every load.)"""
    series_points: dict[str, list] = {}
    for series, x, value in _points(fig):
        points = series_points.setdefault(series, [])
        if value != formats.MISSING:
            points.append((x, value))
    parts = []
    for series, points in series_points.items():
        if not points:
            continue
        if len(points) <= 6:
            values = ", ".join(f"{x} {v}" for x, v in points)
        else:
            (first_x, first_v), (last_x, last_v) = points[0], points[-1]
            values = f"{first_x} {first_v} … {last_x} {last_v}"
        parts.append(f"{series}: {values}" if series else values)
    return f"{text('chart_alt')} " + "; ".join(parts) + "." if parts else text("no_data")


def figure(build, *args):
    """``build(*args)``: a figure built once per its arguments and the UI language, then
    shared by every load of every session (building plotly figures is most of a page's
    time once its data is cached). Draw it as it is: a caller must not change it."""
    return _figure(build, f"{build.__module__}.{build.__qualname__}", args, formats.language())


def _frame_key(frame: pd.DataFrame) -> bytes:
    """A figure's data frame as its cache key: its pickle, an order of magnitude cheaper
    than Streamlit's hash of a frame, and equal only for equal frames."""
    return pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)


@st.cache_resource(max_entries=1000, show_spinner=False, hash_funcs={pd.DataFrame: _frame_key})
def _figure(_build, name: str, args: tuple, lang: str):  # _build: keyed by its name
    return _build(*args)


def show_chart(fig, key: str, source: Protected | None, data_table: bool = True,
               alt: str | None = None, **kwargs):
    """A figure with its text alternative under it (``alt``, or its main values) and,
    unless the page shows the same data in a table already (``data_table=False``), its
    data as a table in an expander. Returns st.plotly_chart's value (its selection, with
    ``on_select``)."""
    declared(source)
    event = st.plotly_chart(fig, key=key, **kwargs)
    st.caption(alt or describe(fig))
    if data_table:
        with st.expander(text("chart_data")):
            rows = chart_rows(fig)
            wide = rows.pivot_table(index="x", columns="series", values="value", aggfunc="first",
                                    sort=False).reset_index()
            st.dataframe(wide.rename(columns={"x": ""}).fillna(""), hide_index=True,
                         width="stretch")
    return event


# --- tables and downloads ----------------------------------------------------------------

def yes_no() -> tuple[str, str]:
    return text("yes"), text("no")


def show_table(df: pd.DataFrame, name: str, key: str, source: Protected | None = None,
               kinds: dict | None = None, select: str | None = None) -> pd.DataFrame:
    """A table with CSV and Excel downloads; ``df`` is already as the viewer may see it.

    Values are shown in the UI language (dashboard.formats) and kept for sorting and the
    downloads; ``kinds`` names what a column holds where its type does not say (a share,
    money, a month: dashboard.formats.cell). With ``select``, a row can be picked; its
    position is in ``selected_row(select)`` on the rerun that follows."""
    declared(source)
    if df is None or df.empty:
        st.info(text("no_data"))
        return df
    picking = {"key": select, "on_select": "rerun", "selection_mode": "single-row"} if select else {}
    st.dataframe(formats.table(df, kinds, yes_no()), hide_index=True, width="stretch", **picking)
    download_buttons(df, name, key, source, kinds)
    return df


def selected_row(select: str) -> int | None:
    """The position of the row picked in the table shown with ``select``, or None."""
    event = st.session_state.get(select)
    rows = event["selection"]["rows"] if event else []
    return rows[0] if rows else None


def download_buttons(df: pd.DataFrame, name: str, key: str, source: Protected | None = None,
                     kinds: dict | None = None) -> None:
    """CSV for Excel in the UI language (UTF-8 with BOM; in Swedish a semicolon and a
    decimal comma) and .xlsx with each column's number format.

    The files are made only when a button is clicked (an Excel file of 10,000 rows takes
    seconds), and a download does not rerun the page.
    """
    declared(source)
    lang = formats.language()
    left, right = st.columns(2)
    left.download_button(text("download_csv"), lambda: formats.csv(df, lang), f"{name}.csv",
                         "text/csv", key=f"{key}-csv", on_click="ignore")
    right.download_button(text("download_excel"), lambda: to_excel(df, kinds), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}-xlsx", on_click="ignore")


def to_excel(df: pd.DataFrame, kinds: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", datetime_format="yyyy-mm-dd hh:mm",
                        date_format="yyyy-mm-dd") as writer:
        df.to_excel(writer, index=False, sheet_name="Kedjan")
        book, sheet = writer.book, writer.sheets["Kedjan"]
        for position, number_format in formats.excel_formats(df, kinds).items():
            style = book.add_format({"num_format": number_format})
            sheet.set_column(position, position, 14, style)
            if number_format in ("mmm yyyy", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"):
                # pandas gives dates a format of their own: write them again in the column's
                for row, value in enumerate(df.iloc[:, position], start=1):
                    if not formats.is_missing(value):
                        sheet.write_datetime(row, position, pd.Timestamp(value).to_pydatetime(),
                                             style)
    return buffer.getvalue()
