"""Every figure as it was published, and the files behind it: one panel that the Översikt
and KPI pages call for a project and month (``figure_history``).

It lays out what dashboard.views.kpi_revisions (protected like today's figures) and
dashboard.queries.revisions give: the month's KPI rows as reported then beside as known
now, the project's revision table (downloadable), and the files that fed a figure.
"""

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import charts_kpi as charts
from dashboard import formats, views
from dashboard.components import page_user, show_table
from dashboard.labels import text
from dashboard.protect import NO_PEOPLE
from dashboard.queries import kpi as kpi_queries
from dashboard.queries import revisions as queries

GENDER_ORDER = {"all": 0, "K": 1, "M": 2}


def figure_history(project_id: str, month, kpi_id: str | None = None, months=None) -> None:
    """The panel for ``project_id`` as of ``month`` (one KPI with ``kpi_id``; with
    ``months``, the reader picks the month among them, ``month`` first).

    Its content runs only while it is open (its key in st.session_state is True): a page
    with a panel per project would otherwise build every project's tables on each load.
    """
    month = pd.Timestamp(month)
    key = f"fh-{project_id}-{kpi_id or 'all'}"
    panel = st.expander(text("fh_title").format(month=formats.month(month, long=True)),
                        key=key, on_change="rerun")
    if not panel.open:
        return
    with panel:
        if months is not None:
            choices = sorted({pd.Timestamp(m) for m in months}, reverse=True)
            month = st.selectbox(text("month"), choices, index=choices.index(month),
                                 key=f"{key}-month",
                                 format_func=partial(formats.month, lang=formats.language()))
        publishes = queries.publishes()
        if publishes is None or publishes.empty:
            st.info(text("fh_no_archive"))
            return
        st.caption(text("fh_rule"))
        dates = dict(zip(publishes["publish_number"], publishes["published_at"]))
        basis = st.selectbox(
            text("fh_basis"), [None, *publishes["publish_number"].tolist()], key=f"{key}-basis",
            format_func=lambda n: text("fh_basis_first") if n is None else text(
                "fh_basis_publish").format(number=n, date=formats.datetime(dates[n])))
        user = page_user()
        view = views.kpi_revisions(project_id, basis, user.protected)
        names, split, units = _kpis(project_id)
        then, revised = view["then"], view["revisions"]
        then = then[(then["gender"] == "all") | then["kpi_id"].isin(split)]
        if kpi_id is not None:
            then = then[then["kpi_id"] == kpi_id]
            revised = revised[revised["kpi_id"] == kpi_id]
        in_month = then[pd.to_datetime(then["month"]) == month]
        if in_month.empty:
            st.info(text("fh_not_covered"))
        else:
            first = in_month.iloc[0]
            st.caption(text("fh_reported").format(
                number=first["publish_number"], date=formats.date(first['published_at'])))
            st.markdown(f"**{text('fh_month_table')}**")
            show_table(_month_table(in_month, views.project_kpis(project_id, user.protected)["kpi"],
                                    revised, names, units),
                       f"som_rapporterat_{project_id}_{month:%Y-%m}", f"{key}-month", view)
        st.markdown(f"**{text('fh_revisions')}**")
        if revised.empty:
            st.caption(text("fh_no_revisions"))
        else:
            show_table(_revision_table(revised, names, units), f"revisioner_{project_id}",
                       f"{key}-revisions", view)
        _sources(project_id, month, kpi_id, names, None if in_month.empty
                 else int(in_month["through_load_id"].iloc[0]), key)


def _kpis(project_id: str) -> tuple[dict, set, dict]:
    """The project's KPI names, those split by gender, and each one's unit."""
    options = kpi_queries.kpi_options()
    options = options[options["project_id"] == project_id]
    return (dict(zip(options["kpi_id"], options[f"name_{charts.language()}"])),
            set(options["kpi_id"][options["has_gender_split"].astype(bool)]),
            dict(zip(options["kpi_id"], options["unit"])))


def _values(kpi_ids, values, units: dict) -> list[str]:
    """Values of several KPIs in one column, each in its own unit (a mark as it is)."""
    return [formats.kpi_value(v, units.get(k)) for k, v in zip(kpi_ids, values)]


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    order = frame.assign(_gender=frame["gender"].map(GENDER_ORDER))
    return frame.loc[order.sort_values(["kpi_id", "month", "_gender"]).index]


def _gender(code: str) -> str:
    return text(f"kpi_gender_{code}")


def _month_table(then: pd.DataFrame, now: pd.DataFrame, revised: pd.DataFrame,
                 names: dict, units: dict) -> pd.DataFrame:
    """One row per KPI and gender of the month: then, now, the change, whether revised."""
    keys = ["kpi_id", "month", "gender"]
    now = now.assign(month=pd.to_datetime(now["month"])).set_index(keys)["value"]
    changes = revised.assign(month=pd.to_datetime(revised["month"])).set_index(keys)["value_change"]
    then = _ordered(then.assign(month=pd.to_datetime(then["month"])))
    index = list(zip(then["kpi_id"], then["month"], then["gender"]))
    return pd.DataFrame({
        text("fh_kpi"): then["kpi_id"].map(lambda k: names.get(k, k)).to_numpy(),
        text("gender"): then["gender"].map(_gender).to_numpy(),
        text("fh_then"): _values(then["kpi_id"], then["value"], units),
        text("fh_now"): _values(then["kpi_id"], [now.get(k) for k in index], units),
        text("fh_change"): _values(then["kpi_id"], [changes.get(k, 0) for k in index], units),
        text("fh_revised"): [text("fh_yes") if k in changes.index else text("fh_no")
                             for k in index],
    }, dtype=object)


def _revision_table(revised: pd.DataFrame, names: dict, units: dict) -> pd.DataFrame:
    revised = _ordered(revised)
    causes = [c if isinstance(c, str) else (text("fh_code_or_config") if changed else "")
              for c, changed in zip(revised["caused_by"], revised["code_or_config_changed"])]
    return pd.DataFrame({
        text("fh_kpi"): revised["kpi_id"].map(lambda k: names.get(k, k)).to_numpy(),
        text("month"): revised["month"].map(formats.month).to_numpy(),
        text("gender"): revised["gender"].map(_gender).to_numpy(),
        text("fh_then"): _values(revised["kpi_id"], revised["then_value"], units),
        text("fh_now"): _values(revised["kpi_id"], revised["now_value"], units),
        text("fh_change"): _values(revised["kpi_id"], revised["value_change"], units),
        text("fh_then_numerator"): revised["then_numerator"].to_numpy(),
        text("fh_now_numerator"): revised["now_numerator"].to_numpy(),
        text("fh_then_denominator"): revised["then_denominator"].to_numpy(),
        text("fh_now_denominator"): revised["now_denominator"].to_numpy(),
        text("fh_publish"): revised["publish_number"].to_numpy(),
        text("fh_published_at"): revised["published_at"].map(
            formats.datetime).to_numpy(),
        text("fh_caused_by"): causes,
    }, dtype=object)


def _sources(project_id: str, month: pd.Timestamp, kpi_id: str | None, names: dict,
             through_load_id: int | None, key: str) -> None:
    """The files that fed one KPI's figures of the month (file names are not counts of
    people: nothing to protect)."""
    st.markdown(f"**{text('fh_sources')}**")
    if kpi_id is None:
        kpi_id = st.selectbox(text("fh_sources_kpi"), list(names), key=f"{key}-sources",
                              format_func=lambda k: names[k])
    files = queries.sources(project_id, kpi_id, month, formats.language())
    if files is None or files.empty:
        st.info(text("no_data"))
        return
    table = pd.DataFrame({
        text("fh_file"): files["file_name"],
        text("fh_file_kind"): files["file_kind"],
        text("fh_role"): files["role"],
        text("fh_export_date"): files["export_date"].map(formats.date),
        text("fh_loaded_at"): files["loaded_at"].map(formats.datetime),
    })
    if through_load_id is not None:
        table[text("fh_in_then")] = [text("fh_yes") if load <= through_load_id else text("fh_no")
                                     for load in files["load_id"]]
    show_table(table, f"kallor_{project_id}_{kpi_id}_{month:%Y-%m}", f"{key}-files", NO_PEOPLE)
