"""The views a protected viewer (the steering group) gets, each declared with how its
counts of people add up, and protected by the one engine (dashboard.protect).

A page takes its data from here, not from dashboard.queries directly, so that the same
count is protected alike on every page that shows it. One view per unit of disclosure:

* ``project_kpis``: a project's KPI rows (every month and gender), with the project's own
  tables: Entry Hub's visitors by city, Samspelet's trainee placements, T2's comparison
  group. Relations: women and men are parts of 'all' beside an unknown part; running
  totals grow by the month's new people; Samspelet's KPI is its placements to date;
  cities add up to at least the project's visitors (a visitor can visit several cities).
* ``kpi_revisions``: a project's KPI rows as reported then and their revisions, beside
  and protected together with ``project_kpis`` (the rule is in its docstring).
* ``esf_indicators``: a project's ESF indicators for every reporting period: women and men
  of 'all', the age groups and the education groups of those who started, the calendar
  years of the whole project, and groups among others (left for education among those
  who left).
* ``chain``: for the steering group, a project's chain as of its reporting month with every
  split the page offers and the quarterly cohort heatmap at every third month, protected
  as one (for other roles, the selection they chose, as it is). Relations: a step's count
  before = reached both + dropped off; reached = reached both + reached without the one
  before, who are among those who skipped; split groups add up to the total; cohorts add
  up to the selection; a cohort's employed and self-supporting grow month by month and
  are among those who reached the step.

For a viewer without protection the frames are returned as they are. Each view's result
is cached per serving-file version and shared, not copied, by every load (st.cache_resource):
a page gets each frame as a shallow copy (Protected's items, kpi_status), so that with
pandas' copy-on-write nothing a page does to it reaches the cache.
"""

import pandas as pd
import streamlit as st

import settings
from dashboard import queries
from dashboard.protect import SUPPRESSED, Disclosure, Protected, hide_rates, is_suppressed
from dashboard.queries import funnel as funnel_queries
from dashboard.queries import overview as overview_queries
from dashboard.queries import projects as project_queries
from dashboard.queries import revisions as revision_queries

GENDER_PARTS = ("K", "M")
GENDERS = ("all", *GENDER_PARTS, "unknown")
# KPI rows that are another table's cells: Samspelet's KPI is its placements to date.
SAME_AS = {"sams_trainee_placements": lambda month, gender: ("placements", month, gender,
                                                             "placements_to_date")}


def _gender_parts(d: Disclosure, key, columns) -> None:
    """'all' = K + M + the unknown part (implicit), for each column; ``key(gender, column)``.
    The unknown part is keyed as a gender of its own, so that the relations declared for
    every gender hold it too (what the reader can derive by combining them)."""
    for column in columns:
        d.relate(key("all", column), [key(g, column) for g in GENDER_PARTS],
                 rest=key("unknown", column), known_if_zero=True)


def _running_total(d: Disclosure, key, months, rest_name: str, yearly: bool = False) -> None:
    """Month by month, the count to date = the one before + the month's new people."""
    for before, month in zip(months, months[1:]):
        if yearly and pd.Timestamp(month).year != pd.Timestamp(before).year:
            continue
        d.relate(key(month), [key(before)], rest=(rest_name, key(month)), strict=False)


# --- a project's KPIs ------------------------------------------------------------------------

def project_kpis(project_id: str, protected: bool) -> Protected:
    return _project_kpis(project_id, protected, queries.version())


@st.cache_resource(show_spinner=False, max_entries=50)
def _project_kpis(project_id: str, protected: bool, version) -> Protected:
    rows = project_queries.kpi_rows(project_id, with_budget=True)
    frames = {"kpi": rows}
    if project_id == "EHUB":
        frames["cities"] = project_queries.entry_hub_cities(project_id)
    if project_id == "SAMS":
        frames["placements"] = project_queries.trainee_placements(project_id)
    if project_id == "ETST":
        frames["comparison"] = project_queries.comparison(project_id)
    frames = {name: frame for name, frame in frames.items() if frame is not None}
    if not protected or rows is None or rows.empty:
        if "comparison" in frames:
            frames["t2"] = _transition_table(frames["kpi"], frames["comparison"])
        return Protected(frames, protected=False)
    # Which KPIs count people, and which are running totals, is the registry's (dim_kpi).
    # A running total's step where it falls (a visitor merged into another) declares nothing.
    people, running = _registry()
    d = Disclosure()
    _declare_kpis(d, "kpi", rows.assign(month=pd.to_datetime(rows["month"])), people, running)
    if "cities" in frames:
        _declare_cities(d, frames["cities"])
    if "placements" in frames:
        _declare_placements(d, frames["placements"])
    if "comparison" in frames:
        _declare_comparison(d, frames["comparison"])
    d.solve()
    return Protected(_apply_kpis(d, frames, people), protected=True, disclosure=d)


def _registry() -> tuple[set, dict]:
    """Which KPIs count people, and which are running totals (to_date, year_to_date):
    the registry's (dim_kpi)."""
    registry = project_queries.kpi_registry().set_index("kpi_id")
    return set(registry.index[registry["counts_people"]]), registry["running_total"].dropna().to_dict()


def _declare_kpis(d: Disclosure, name: str, rows: pd.DataFrame, people: set, running: dict,
                  segment: str | None = None) -> None:
    """The KPI rows that count people as cells keyed (name, kpi_id, month, gender, column):
    women and men are parts of 'all', a running total grows by the month's new people
    (within one ``segment``, when given: the rows of one publish). A running total's step
    where it falls (a visitor merged into another) declares nothing."""
    for kpi_id, part in rows.groupby("kpi_id", sort=False):
        if kpi_id not in people or kpi_id in SAME_AS:
            continue
        columns = _kpi_columns(part)
        d.table(name, part.rename(columns={"value": "count"}) if columns == ["count"] else part,
                ["kpi_id", "month", "gender"], columns)
        for month in sorted(part["month"].unique()):
            _gender_parts(d, lambda g, c, m=month: (name, kpi_id, m, g, c), columns)
        if kpi_id not in running:
            continue
        for _, piece in [(None, part)] if segment is None else part.groupby(segment):
            months = sorted(piece["month"].unique())
            for gender in GENDERS:
                for column in columns:
                    if column == "excluded_count":
                        continue
                    _running_total(d, lambda m, g=gender, c=column: (name, kpi_id, m, g, c),
                                   months, f"{name}_new", yearly=running[kpi_id] == "year_to_date")


def _kpi_columns(part: pd.DataFrame) -> list[str]:
    """The cells of one KPI's rows: a count's value (its numerator is the same count), a
    rate's numerator and denominator, and the people left out."""
    columns = ["count"] if part["unit"].iloc[0] == "count" else ["numerator", "denominator"]
    if part["excluded_count"].notna().any():
        columns.append("excluded_count")
    return columns


CITY_COUNTS = ["visitors_to_date", "women_to_date", "men_to_date", "unknown_gender_to_date",
               "known_gender_to_date", "visitors_in_month", "women_in_month", "men_in_month",
               "unknown_gender_in_month", "reported_hires_to_date"]


def _declare_cities(d: Disclosure, cities: pd.DataFrame) -> None:
    cities = cities.assign(month=pd.to_datetime(cities["month"]))
    d.table("cities", cities, ["month", "city"], CITY_COUNTS)
    names = sorted(cities["city"].unique())
    months = sorted(cities["month"].unique())
    for month in months:
        for city in names:
            def key(column, c=city, m=month):
                return ("cities", m, c, column)
            d.relate(key("known_gender_to_date"), [key("women_to_date"), key("men_to_date")])
            d.relate(key("visitors_to_date"), [key("known_gender_to_date"),
                                               key("unknown_gender_to_date")])
            d.relate(key("visitors_in_month"), [key("women_in_month"), key("men_in_month"),
                                                key("unknown_gender_in_month")])
            d.relate(key("visitors_to_date"), [key("visitors_in_month")], rest=("city_rest", key("earlier")))
        # Cities hold at least the project's visitors: a visitor may have visited several.
        for column, kpi_column in (("known_gender_to_date", "denominator"),
                                   ("women_to_date", "numerator"),
                                   ("unknown_gender_to_date", "excluded_count")):
            total = ("city_sum", month, column)
            d.relate(total, [("cities", month, c, column) for c in names], define=True)
            d.relate(total, [("kpi", "ehub_women_share", month, "all", kpi_column)],
                     rest=("city_overlap", month, column))
    for city in names:
        for column in ("visitors_to_date", "reported_hires_to_date"):
            _running_total(d, lambda m, c=city, col=column: ("cities", m, c, col), months,
                           "city_new")


# Employers to date are not people (and an employer can take women and men): not protected.
PLACEMENT_COUNTS = ["placements_started", "placements_to_date", "people_to_date",
                    "placements_running_at_month_end"]


def _monthly_by_gender(d: Disclosure, name: str, frame: pd.DataFrame, counts: list[str]) -> list:
    """A table per month and gender: its cells, women and men as parts of 'all' each
    month; returns the months in order."""
    frame = frame.assign(month=pd.to_datetime(frame["month"]))
    d.table(name, frame, ["month", "gender"], counts)
    months = sorted(frame["month"].unique())
    for month in months:
        _gender_parts(d, lambda g, c, m=month: (name, m, g, c), counts)
    return months


def _declare_placements(d: Disclosure, placements: pd.DataFrame) -> None:
    """Placements to date grow by the month's starts, people to date by new people."""
    months = _monthly_by_gender(d, "placements", placements, PLACEMENT_COUNTS)
    for gender in GENDERS:
        for before, month in zip(months, months[1:]):
            d.relate(("placements", month, gender, "placements_to_date"),
                     [("placements", before, gender, "placements_to_date"),
                      ("placements", month, gender, "placements_started")])
        _running_total(d, lambda m, g=gender: ("placements", m, g, "people_to_date"), months,
                       "placements_new")


COMPARISON_COUNTS = ["comparison_numerator", "comparison_denominator"]


def _declare_comparison(d: Disclosure, comparison: pd.DataFrame) -> None:
    """The comparison group's sums to date grow by the month's people moved on and registered."""
    months = _monthly_by_gender(d, "comparison", comparison, COMPARISON_COUNTS)
    for gender in GENDERS:
        for column in COMPARISON_COUNTS:
            _running_total(d, lambda m, g=gender, c=column: ("comparison", m, g, c), months,
                           "comparison_new")


def _shown_kpis(d: Disclosure, name: str, rows: pd.DataFrame, people: set) -> pd.DataFrame:
    """KPI rows as the viewer may see them: the marks of the cells declared under ``name``
    (``_declare_kpis``), and a rate only where its numerator and denominator are shown."""
    rows = rows.assign(month=pd.to_datetime(rows["month"]))
    pieces = []
    for kpi_id, part in rows.groupby("kpi_id", sort=False):
        if kpi_id not in people:
            pieces.append(part)
            continue
        columns = _kpi_columns(part)
        if kpi_id in SAME_AS:
            marks = [d.marks.get(SAME_AS[kpi_id](m, g)) for m, g in zip(part["month"], part["gender"])]
            shown = part.assign(value=[m or v for m, v in zip(marks, part["value"].astype(object))])
            shown = shown.assign(numerator=shown["value"])
        elif columns == ["count"]:
            shown = d.apply(name, part.assign(count=part["value"]), ["kpi_id", "month", "gender"],
                            columns)
            shown = shown.assign(value=shown["count"], numerator=shown["count"]).drop(columns="count")
        else:
            shown = d.apply(name, part, ["kpi_id", "month", "gender"], columns)
            shown = hide_rates(shown, {"value": ("numerator", "denominator")})
        pieces.append(shown)
    return pd.concat(pieces).loc[rows.index]


def _apply_kpis(d: Disclosure, frames: dict, people: set) -> dict:
    out = {}
    kpi = _shown_kpis(d, "kpi", frames["kpi"], people)
    if "comparison" in frames:
        comparison = frames["comparison"].assign(month=pd.to_datetime(frames["comparison"]["month"]))
        comparison = d.apply("comparison", comparison, ["month", "gender"], COMPARISON_COUNTS)
        comparison = hide_rates(comparison, {"comparison_rate": ("comparison_numerator",
                                                                 "comparison_denominator")})
        kpi = _hide_transition_ratio(kpi, comparison)
        out["t2"] = hide_rates(_transition_table(kpi, comparison),
                               {"participant_rate": ("numerator", "denominator")})
        # The participants' rate is shown only in t2, hidden with their counts.
        out["comparison"] = comparison.drop(columns="participant_rate")
    # Whether a target is met tells which side of it a hidden value lies.
    kpi["target_met"] = kpi["target_met"].astype(object).where(
        ~kpi["value"].map(lambda v: is_suppressed(v) or v is None), None)
    out["kpi"] = kpi
    if "cities" in frames:
        cities = frames["cities"].assign(month=pd.to_datetime(frames["cities"]["month"]))
        cities = d.apply("cities", cities, ["month", "city"], CITY_COUNTS)
        out["cities"] = hide_rates(cities, {"women_share_to_date": ("women_to_date",
                                                                    "known_gender_to_date")})
    if "placements" in frames:
        placements = frames["placements"].assign(month=pd.to_datetime(frames["placements"]["month"]))
        out["placements"] = d.apply("placements", placements, ["month", "gender"], PLACEMENT_COUNTS)
    return out


def _transition_table(kpi: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """T2 per month and gender: the participants' pooled rate beside the comparison
    group's, each with its numerator and denominator (the participants' from the KPI rows)."""
    t2 = kpi[kpi["kpi_id"] == "etst_transition_ratio"].assign(month=lambda f: pd.to_datetime(f["month"]))
    return t2.merge(comparison.assign(month=pd.to_datetime(comparison["month"])),
                    on=["project_id", "month", "gender"], how="left")


def _hide_transition_ratio(kpi: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """T2 = the participants' rate / the comparison group's rate (its reference value):
    shown only when both rates are, since one rate and the ratio give the other back."""
    rates = comparison.set_index(["month", "gender"])["comparison_rate"]
    t2 = kpi["kpi_id"] == "etst_transition_ratio"
    reference = [rates.get((m, g)) for m, g in zip(kpi["month"], kpi["gender"])]
    hidden = t2 & pd.Series([r is None or pd.isna(r) for r in reference], index=kpi.index)
    hidden |= t2 & kpi["value"].map(lambda v: v is None or is_suppressed(v) or pd.isna(v))
    kpi = kpi.copy()
    kpi["value"] = kpi["value"].astype(object).where(~hidden, None)
    kpi["reference_value"] = kpi["reference_value"].astype(object).where(~hidden, None)
    return kpi


# --- a project's KPI statuses ---------------------------------------------------------------

PROTECTED_STATUS = "protected"
# Statuses that depend on no count: whether a target exists, a source delivered, a fact.
COUNT_FREE_STATUSES = ("monitored", "no_data", "documented")
# Figures of fct_kpi_status computed from the KPI's values (not its targets or dates).
FROM_VALUES = ["judged_value", "pace", "forecast_value", "target_met"]
SHOWN_CELLS = ["value", "numerator", "denominator", "excluded_count", "reference_value"]


def kpi_status(project_id: str, as_of: pd.Timestamp, protected: bool) -> pd.DataFrame:
    return _kpi_status(project_id, pd.Timestamp(as_of), protected, queries.version()).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=200)
def _kpi_status(project_id: str, as_of: pd.Timestamp, protected: bool, version) -> pd.DataFrame:
    """fct_kpi_status's rows of a project at its status month up to ``as_of`` (every KPI
    and gender), as the viewer may see them; empty when the project had not started.

    For a protected viewer, the rule: a row's value, numerator, denominator, people left
    out and reference value are those of ``project_kpis`` (protected). Its status,
    judged value, pace, forecast and target met are shown only when every value they
    were computed from is shown to the viewer: for each month from the row's
    ``inputs_from_month`` (the row's month when it has no judged value) to its month, the
    same KPI's and gender's value, numerator and denominator in ``project_kpis`` equal the
    mart's (no ``<5`` or ``..``, nothing blanked). Otherwise those figures are None and
    the status reads ``protected``, except a status that depends on no count
    (monitored, no_data, documented), which is shown as it is. Targets, the forecast's
    month and target and the missing sources depend on no count and are shown. A KPI that
    counts no people is shown as it is (``project_kpis`` does not protect it).
    """
    rows = overview_queries.kpi_status(project_id, as_of)
    if rows is None or rows.empty or not protected:
        return pd.DataFrame() if rows is None else rows
    raw = project_queries.kpi_rows(project_id, with_budget=True)
    shown = project_kpis(project_id, protected)["kpi"]
    if raw is None or raw.empty:
        return rows
    raw = raw.assign(month=pd.to_datetime(raw["month"])).set_index(["kpi_id", "gender", "month"])
    shown = shown.assign(month=pd.to_datetime(shown["month"])).set_index(
        ["kpi_id", "gender", "month"]).reindex(raw.index)
    # Each month's row shown as it is: its value, numerator and denominator the mart's.
    as_is = pd.concat([_shown_as_is(raw[c], shown[c]) for c in ("value", "numerator", "denominator")],
                      axis=1).all(axis=1)
    rows = rows.astype({c: object for c in FROM_VALUES + SHOWN_CELLS + ["status"]})
    for i, row in rows.iterrows():
        kpi_id, gender, month = row["kpi_id"], row["gender"], pd.Timestamp(row["month"])
        if (kpi_id, gender, month) in shown.index:
            for column in SHOWN_CELLS:
                rows.at[i, column] = shown.at[(kpi_id, gender, month), column]
        start = month if pd.isna(row["inputs_from_month"]) else pd.Timestamp(row["inputs_from_month"])
        months = as_is.index.get_level_values("month")
        inputs = as_is[(as_is.index.get_level_values("kpi_id") == kpi_id)
                       & (as_is.index.get_level_values("gender") == gender)
                       & (months >= start) & (months <= month)]
        if not inputs.all():
            rows.loc[i, FROM_VALUES] = None
            if row["status"] not in COUNT_FREE_STATUSES:
                rows.at[i, "status"] = PROTECTED_STATUS
    return rows.copy()  # one block per dtype again: the cell writes split it column by column


def _shown_as_is(mart: pd.Series, shown: pd.Series) -> pd.Series:
    """Cells shown as the mart has them: a mark, or a blank where the mart has a number, is not."""
    marked = shown.map(is_suppressed).astype(bool)
    blank, shown_blank = mart.isna(), shown.isna()
    equal = pd.to_numeric(shown.where(~marked), errors="coerce") == pd.to_numeric(mart, errors="coerce")
    return ~marked & ((blank & shown_blank) | (~blank & ~shown_blank & equal))


# --- a project's KPIs as reported then -----------------------------------------------------

REVISED = ("numerator", "denominator", "value", "excluded_count")


def kpi_revisions(project_id: str, basis: int | None, protected: bool) -> Protected:
    """A project's KPI rows as reported then (``basis``: a publish number, or None for
    each month's first publish) and its revisions (dashboard.queries.revisions), as the
    viewer may see them.

    Rule for a protected viewer: the archived rows are one more view beside today's
    (``project_kpis``), protected together with it (``Disclosure.extended``): today's
    cells and marks stay as the KPI pages show them, the archived rows are declared with
    the same relations (women and men in 'all'; running totals within one publish's
    rows), and each archived count is tied to today's by the people a revision added or
    removed, an implicit count (now = then + added, or then = now + removed), known to be
    0 where the figure was not revised (the revision table lists the revised rows; that a
    row is listed says that one of its figures moved, not which or by how much). So no
    count of 1-4 people, today's, then's or a revision's, can be recovered from the two:
    where one could, archived cells are hidden too (``..``). A rate as reported then is shown
    only where its numerator and denominator are and the denominator is at least 5; T2
    only where today's is shown and its comparison side (reference_value) is unchanged.
    A change is shown only where both sides are; otherwise ``..``.
    """
    return _kpi_revisions(project_id, basis, protected, queries.version())


@st.cache_resource(show_spinner=False, max_entries=50)
def _kpi_revisions(project_id: str, basis: int | None, protected: bool, version) -> Protected:
    then = revision_queries.reported_then(project_id, basis)
    revised = revision_queries.revisions(project_id, basis)
    if then is None or revised is None:
        return Protected({}, protected=protected)
    now = _project_kpis(project_id, protected, version)
    if not protected or then.empty or now.disclosure is None:
        return Protected({"then": then, "revisions": revised}, protected=False)
    people, running = _registry()
    d = now.disclosure.extended()
    then = then.assign(month=pd.to_datetime(then["month"]))
    _declare_kpis(d, "then", then, people, running, segment="publish_number")
    for key in [k for k in d.values if k[0] == "then"]:
        today = ("kpi", *key[1:])
        if today in d.values:
            # An unrevised figure (no row in the revision table) is known to equal today's.
            d.relate(today, [key], rest=("revision_added", key), strict=False, known_if_zero=True)
            d.relate(key, [today], rest=("revision_removed", key), strict=False,
                     known_if_zero=True)
    d.solve()
    shown_then = _hide_archived_transition_ratio(_shown_kpis(d, "then", then, people), now["kpi"])
    return Protected({"then": shown_then, "revisions": _shown_revisions(revised, shown_then, now["kpi"])},
                     protected=True, disclosure=d)


def _hide_archived_transition_ratio(then: pd.DataFrame, today: pd.DataFrame) -> pd.DataFrame:
    """T2 as reported then, only where today's T2 is shown and its comparison side is
    unchanged: the comparison group's counts were protected as they are today."""
    today = today.assign(month=pd.to_datetime(today["month"])).set_index(["kpi_id", "month", "gender"])
    t2 = then["kpi_id"] == "etst_transition_ratio"
    keep = []
    for kpi_id, month, gender, reference in zip(then["kpi_id"], then["month"], then["gender"],
                                                then["reference_value"]):
        if kpi_id != "etst_transition_ratio":
            keep.append(True)
            continue
        now = today.loc[(kpi_id, month, gender)] if (kpi_id, month, gender) in today.index else None
        keep.append(now is not None and not _hidden(now["value"])
                    and _same(now["reference_value"], reference))
    hidden = t2 & ~pd.Series(keep, index=then.index)
    then = then.copy()
    for column in ("value", "reference_value"):
        then[column] = then[column].astype(object).where(~hidden, SUPPRESSED)
    return then


def _hidden(value) -> bool:
    return value is None or is_suppressed(value) or pd.isna(value)


def _same(a, b) -> bool:
    if _hidden(a) or _hidden(b):
        return _hidden(a) and _hidden(b)
    return round(float(a), settings.FIGURE_DECIMALS) == round(float(b), settings.FIGURE_DECIMALS)


def _shown_revisions(revised: pd.DataFrame, then: pd.DataFrame, today: pd.DataFrame) -> pd.DataFrame:
    """The revision table with each side as shown (``then`` and ``today`` protected), and
    a change only where both sides are shown."""
    keys = ["kpi_id", "month", "gender"]
    sides = {"then": then.assign(month=pd.to_datetime(then["month"])).set_index(keys),
             "now": today.assign(month=pd.to_datetime(today["month"])).set_index(keys)}
    out = revised.assign(month=pd.to_datetime(revised["month"])).copy()
    index = list(zip(out["kpi_id"], out["month"], out["gender"]))
    for side, frame in sides.items():
        for column in REVISED:
            out[f"{side}_{column}"] = [frame.at[k, column] if k in frame.index else None
                                       for k in index]
    for column in ("value", "numerator", "denominator"):
        out[f"{column}_change"] = [
            SUPPRESSED if is_suppressed(a) or is_suppressed(b)
            else (None if a is None or b is None or pd.isna(a) or pd.isna(b) else b - a)
            for a, b in zip(out[f"then_{column}"], out[f"now_{column}"])]
    return out


# --- a project's ESF indicators ----------------------------------------------------------

ESF_AGES = ["aged_under_25", "aged_25_54", "aged_over_54"]
ESF_EDUCATION = ["isced_0_2", "isced_3_4", "isced_5_8", "education_unknown"]
# (group, among whom): people of the group are among those of the other.
ESF_AMONG = [("left_in_education", "participants_left"), ("left_in_employment", "participants_left"),
             ("left_six_month_follow_up_due", "participants_left"),
             ("employed_six_months_after_leaving", "left_six_month_follow_up_due")]


def esf_indicators(project_id: str, protected: bool) -> Protected:
    return _esf_indicators(project_id, protected, queries.version())


@st.cache_resource(show_spinner=False, max_entries=20)
def _esf_indicators(project_id: str, protected: bool, version) -> Protected:
    from dashboard.queries import esf as esf_queries

    rows = esf_queries.all_periods(project_id)
    if not protected or rows is None or rows.empty:
        return Protected({"esf": rows}, protected=False)
    indicators = list(esf_queries.INDICATORS)
    d = Disclosure()
    d.table("esf", rows, ["reporting_period", "gender"], indicators)
    periods = list(rows["reporting_period"].unique())
    for period in periods:
        _gender_parts(d, lambda g, c, p=period: ("esf", p, g, c), indicators)
        for gender in GENDERS:
            def key(column, p=period, g=gender):
                return ("esf", p, g, column)
            d.relate(key("participants_started"), [key(c) for c in ESF_AGES])
            d.relate(key("participants_started"), [key(c) for c in ESF_EDUCATION])
            for part, whole in ESF_AMONG:
                d.relate(key(whole), [key(part)], rest=("esf_others", key(part)), strict=False)
    years = [p for p in periods if p != "total"]
    for gender in GENDERS:
        for column in indicators:
            d.relate(("esf", "total", gender, column), [("esf", y, gender, column) for y in years])
    d.solve()
    return Protected({"esf": d.apply("esf", rows, ["reporting_period", "gender"], indicators)},
                     protected=True, disclosure=d)


# --- one selection of the chain ----------------------------------------------------------

CHAIN_COUNTS = ["participants", "reached", "previous_reached", "reached_with_previous",
                "drop_off", "skipped"]
CHAIN_RATES = {"share_of_start": ("reached", "participants"),
               "conversion": ("reached_with_previous", "previous_reached"),
               "drop_off_rate": ("drop_off", "previous_reached")}
HEAT_COUNTS = ["cohort_size", "employed", "self_supporting"]
HEAT_RATES = {"share_employed": ("employed", "cohort_size"),
              "share_self_supporting": ("self_supporting", "cohort_size")}
HEAT_STEPS = {"employed": "anstalld", "self_supporting": "sjalvforsorjande"}


def _chain_key(group, step: str, column: str):
    """One key per count: every step's participants are the group's, the registered step
    is reached by all of them, and a step's 'before' is the step before's reached."""
    steps = funnel_queries.STEPS
    if column == "participants" or (column == "reached" and step == steps[0]):
        return ("chain", group, "participants")
    if column == "previous_reached" and step != steps[0]:
        return ("chain", group, steps[steps.index(step) - 1], "reached")
    return ("chain", group, step, column)


STEERING_GRAIN = "quarter"
STEERING_MONTHS = 60
STEERING_EVERY = 3  # months since intake shown to the steering group: 0, 3, 6, ...
STEERING_SPLITS = ("gender", "education_group", "age_group")  # the splits the page offers


def chain(selection, split: str | None, grain: str, max_months: int, protected: bool) -> Protected:
    """The chain of one selection: ``total``, ``split`` (by ``split``) and ``heat``.

    For a protected viewer the page fixes the selection (the project's whole intake as of
    its reporting month) and this view holds the chain with every split and the quarterly
    heatmap at every third month since intake, protected as one: switching the split or
    the measure shows cells of one and the same protection, which separately protected
    selections could not give (two selections differenced give a hidden count back).
    """
    if protected:
        return _steering_chain(selection, queries.version())
    return _chain(selection, split, grain, max_months, queries.version())


@st.cache_resource(show_spinner=False, max_entries=50)
def _chain(selection, split, grain, max_months, version) -> Protected:
    frames = {"total": funnel_queries.funnel(selection),
              "split": funnel_queries.funnel(selection, split) if split else None,
              "heat": funnel_queries.cohort_heatmap(selection, grain, max_months)}
    return Protected({k: f for k, f in frames.items() if f is not None}, protected=False)


@st.cache_resource(show_spinner=False, max_entries=20)
def _steering_chain(selection, version) -> Protected:
    total = funnel_queries.funnel(selection)
    if total is None or total.empty:
        return Protected({}, protected=True)
    splits = {name: funnel_queries.funnel(selection, name) for name in STEERING_SPLITS}
    heat = funnel_queries.cohort_heatmap(selection, STEERING_GRAIN, STEERING_MONTHS)
    heat = heat[heat["months_since_intake"] % STEERING_EVERY == 0].reset_index(drop=True)
    chains = {"all": total.assign(split_value="all")}
    chains.update({name: frame.assign(split_value=[(name, v) for v in frame["split_value"]])
                   for name, frame in splits.items()})
    d = Disclosure()
    for frame in chains.values():
        for row in frame.itertuples(index=False):
            for column in CHAIN_COUNTS:
                if row.step != funnel_queries.STEPS[0] or column in ("participants", "reached",
                                                                     "skipped"):
                    d.cell(_chain_key(row.split_value, row.step, column), getattr(row, column))
    for frame in chains.values():
        for group in dict.fromkeys(frame["split_value"]):
            _declare_chain_group(d, group)
    for name, frame in chains.items():
        if name == "all":
            continue
        groups = list(dict.fromkeys(frame["split_value"]))
        for key in {_chain_key("all", s, c) for s in funnel_queries.STEPS for c in CHAIN_COUNTS}:
            d.relate(key, [(key[0], g, *key[2:]) for g in groups])
    _declare_heat(d, heat)
    d.solve()
    out = {"total": _apply_chain(d, chains["all"]).assign(split_value="all")}
    for name in splits:
        out[f"split:{name}"] = _apply_chain(d, chains[name]).assign(split_value=splits[name]["split_value"])
    shown = heat.astype({c: object for c in HEAT_COUNTS}).copy()
    shown["cohort_size"] = [d.marks.get(("cohort", c)) or v
                            for c, v in zip(heat["cohort"], shown["cohort_size"])]
    for column in ("employed", "self_supporting"):
        shown[column] = [d.marks.get(("heat", c, k, column)) or v for c, k, v in
                         zip(heat["cohort"], heat["months_since_intake"], shown[column])]
    out["heat"] = hide_rates(shown, HEAT_RATES)
    return Protected(out, protected=True, disclosure=d)


def _declare_chain_group(d: Disclosure, group) -> None:
    """A group's steps: 'before' = reached both + dropped off; reached = reached both +
    reached without the step before, who are among those who skipped."""
    for step in funnel_queries.STEPS[1:]:
        def key(column, s=step):
            return _chain_key(group, s, column)
        d.relate(key("previous_reached"), [key("reached_with_previous"), key("drop_off")])
        without = ("chain_without_before", group, step)
        d.relate(key("reached"), [key("reached_with_previous")], rest=without)
        d.relate(key("skipped"), [without], rest=("chain_skipped_otherwise", group, step))


def _apply_chain(d: Disclosure, frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.astype({c: object for c in CHAIN_COUNTS}).copy()
    for column in CHAIN_COUNTS:
        marks = [d.marks.get(_chain_key(g, s, column))
                 for g, s in zip(frame["split_value"], frame["step"])]
        shown[column] = [m or v for m, v in zip(marks, shown[column])]
    return hide_rates(shown, CHAIN_RATES)


def _declare_heat(d: Disclosure, heat: pd.DataFrame) -> None:
    """Cohorts add up to the selection; a cohort's employed and self-supporting grow month
    by month, are among the cohort, and with those who got there later add up to the
    step's reached."""
    cohorts = list(dict.fromkeys(heat["cohort"]))
    sizes = heat.drop_duplicates("cohort").set_index("cohort")["cohort_size"]
    for cohort in cohorts:
        d.cell(("cohort", cohort), sizes[cohort])
    d.relate(_chain_key("all", funnel_queries.STEPS[0], "participants"),
             [("cohort", c) for c in cohorts])
    for row in heat.itertuples(index=False):
        for column in ("employed", "self_supporting"):
            d.cell(("heat", row.cohort, row.months_since_intake, column), getattr(row, column))
    for cohort, rows in heat.groupby("cohort", sort=False):
        months = sorted(rows["months_since_intake"])
        for column in HEAT_STEPS:
            _running_total(d, lambda k, c=cohort, col=column: ("heat", c, k, col), months,
                           "heat_new")
            d.relate(("cohort", cohort), [("heat", cohort, months[-1], column)],
                     rest=("heat_not_yet", cohort, column))
    last = heat["months_since_intake"].max()
    for column, step in HEAT_STEPS.items():
        d.relate(_chain_key("all", step, "reached"),
                 [("heat", c, last, column) for c in cohorts], rest=("heat_later", column))
