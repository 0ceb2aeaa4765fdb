"""What the Lägesrapport says: every figure read through the dashboard's query functions
and the steering group's protected views, laid out as plain texts and plotly figures.

Nothing here computes a KPI, a status, a forecast or a protection: those come from the
marts (statuses and forecasts from fct_kpi_status) through dashboard.queries and
dashboard.views (protected as for a ``styrgrupp`` viewer, whoever asks: the report is
for the steering group; ``views.kpi_status`` as on the Översikt page) and dashboard.charts_kpi /
charts_funnel (number formats and figures). The few lines that pick a KPI's latest shown
row and its forecast segment follow the Översikt page's KPI card, so that the report says
what the page says.

Call ``collect`` with the report's language set (dashboard.report.language): the labels,
number formats and figures read it.
"""

import datetime as dt
import html
import re
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts_funnel, formats, queries, views
from dashboard import charts_kpi as charts
from dashboard.labels import text
from dashboard.protect import is_suppressed
from dashboard.queries import data_quality as dq_queries
from dashboard.queries import esf as esf_queries
from dashboard.queries import funnel as funnel_queries
from dashboard.queries import overview
from dashboard.queries import projects as project_queries

PROTECTED_VIEW = True  # the steering group's views, whatever the role of who downloads
T1 = "etst_self_supporting_18m"
# Size of the figures in the PDF (CSS pixels, 96 per inch: A4's text width is about 680).
SPARK = (640, 100)
WIDE = (680, 260)
FUNNEL = (680, 300)


class ReportError(RuntimeError):
    """The report cannot be made as asked; the message says what to do."""


@dataclass
class Figure:
    """A plotly figure placed in the report at a fixed size."""
    id: str
    figure: go.Figure
    width: int
    height: int

    def spec(self) -> str:
        fig = go.Figure(self.figure)
        fig.update_layout(width=self.width, height=self.height, paper_bgcolor="white",
                          font=dict(family="DejaVu Sans, Liberation Sans, sans-serif", size=10))
        # Room for the tick labels whatever the dashboard's margins (Streamlit adds its own).
        fig.update_xaxes(automargin=True)
        fig.update_yaxes(automargin=True)
        return fig.to_json()


@dataclass
class Report:
    title: str
    subtitle: str
    as_of: pd.Timestamp
    projects: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    cover: dict = field(default_factory=dict)
    data_quality: dict = field(default_factory=dict)
    appendix: list = field(default_factory=list)

    def figure(self, figure: go.Figure, size: tuple[int, int]) -> str:
        fig = Figure(f"figure-{len(self.figures)}", figure, *size)
        self.figures.append(fig)
        return fig.id


def as_of_options() -> list[pd.Timestamp]:
    months = overview.as_of_months()
    return [] if months is None else [pd.Timestamp(m) for m in months["month"]]


def collect(project_ids: list[str] | None, as_of: pd.Timestamp | None) -> Report:
    """The report for ``project_ids`` (None: every project) as of the end of ``as_of``
    (None: the latest month of data)."""
    options = as_of_options()
    latest = queries.latest_refresh()
    projects = overview.projects()
    if not options or latest is None or latest.empty or projects is None or projects.empty:
        raise ReportError(text("no_warehouse"))
    if as_of is None:
        as_of = options[-1]
    as_of = pd.Timestamp(as_of).to_period("M").to_timestamp()
    if as_of not in options:
        raise ReportError(f"{formats.month(as_of, long=True)}: "
                          + text("rp_month_outside").format(first=formats.month(options[0]),
                                                             last=formats.month(options[-1])))
    if project_ids is not None:
        unknown = sorted(set(project_ids) - set(projects["project_id"]))
        if unknown:
            raise ReportError(text("rp_unknown_project").format(
                project=", ".join(unknown), known=", ".join(projects["project_id"])))
        projects = projects[projects["project_id"].isin(project_ids)]
    lang = charts.language()
    title = text("rp_title") + " · " + (projects.iloc[0][f"name_{lang}"] if len(projects) == 1
                                        else text("rp_all_projects"))
    report = Report(title, text("rp_as_of").format(month=formats.month(as_of, long=True)), as_of)
    report.cover = _cover(latest.iloc[0], as_of)
    kpis = overview.kpis()
    budget = overview.budget(as_of)
    for _, project in projects.iterrows():
        report.projects.append(_project(report, project, kpis, budget, as_of))
    report.data_quality = _data_quality()
    report.appendix = _appendix(projects, kpis)
    return report


# --- cover -------------------------------------------------------------------------------------

def _cover(latest: pd.Series, as_of: pd.Timestamp) -> dict:
    fresh = dq_queries.freshness()
    rows = [] if fresh is None else [
        {"source": r.kind, "export": formats.date(r.latest_export),
         "files": formats.number(r.files), "stale": text("rp_yes") if r.stale else ""}
        for r in fresh.itertuples(index=False)]
    return {
        "published": text("rp_published").format(
            run=latest["run_id"], when=formats.datetime(latest['finished_at'])),
        "made": text("rp_made").format(when=formats.datetime(dt.datetime.now())),
        "freshness": rows,
        "stale_note": text("rp_stale_note").format(days=dq_queries.STALE_AFTER_DAYS)
        if any(r["stale"] for r in rows) else "",
        "month": formats.month(as_of, long=True),
    }


# --- one project -------------------------------------------------------------------------------

def _project(report: Report, project: pd.Series, kpis: pd.DataFrame,
             budget: pd.DataFrame | None, as_of: pd.Timestamp) -> dict:
    lang = charts.language()
    project_id = project["project_id"]
    end = formats.date(project['end_date']) if pd.notna(project["end_date"]) \
        else text("ov_open_end")
    out = {"id": project_id, "name": project[f"name_{lang}"], "owner": project["owner"],
           "period": f"{formats.date(project['start_date'])} – {end}",
           "note": "", "kpis": [], "summary": [], "budget": None, "chain": None, "esf": None,
           "pending_t1": None, "month": None}
    statuses = views.kpi_status(project_id, as_of, PROTECTED_VIEW)
    if statuses.empty:
        out["note"] = (text("ov_not_started").format(month=formats.month(as_of, long=True))
                       if pd.notna(project["reporting_end_month"]) else text("ov_no_data_yet"))
        return out
    month = pd.Timestamp(statuses["month"].max())
    out["month"] = formats.month(month, long=True)
    if month < as_of:
        ended = pd.notna(project["last_month"]) and month >= pd.Timestamp(project["last_month"])
        out["note"] = text("ov_ended" if ended else "ov_data_until").format(
            month=formats.month(month, long=True))

    shown = views.project_kpis(project_id, PROTECTED_VIEW)["kpi"]
    if shown is not None and not shown.empty:
        # A KPI judged against elapsed time (budget burn) has its own section, not a card.
        elapsed = kpis.loc[kpis["status_rule"] == "elapsed_band", "kpi_id"]
        shown = shown[(pd.to_datetime(shown["month"]) <= month) & ~shown["kpi_id"].isin(elapsed)]
    for _, kpi in kpis[kpis["project_id"] == project_id].iterrows():
        rows = statuses[statuses["kpi_id"] == kpi["kpi_id"]].set_index("gender")
        if not rows.empty and "all" in rows.index and kpi["status_rule"] != "elapsed_band":
            block = _kpi_block(report, rows, kpi, shown)
        elif not kpi["is_computed_monthly"] and kpi["status_rule"] == "documented":
            block = _documented_block(kpi)
        else:
            continue
        out["kpis"].append(block)
        out["summary"].append({k: block[k] for k in ("name", "value", "target", "status",
                                                      "status_code")})
        if kpi["kpi_id"] == T1:
            out["pending_t1"] = block["excluded"]
    out["budget"] = _budget(report, budget, project_id)
    out["chain"] = _chain(report, project_id)
    if project["is_esf"]:
        out["esf"] = _esf(project_id)
    return out


def _status_text(row: pd.Series) -> str:
    """A status as the Översikt page words it (fct_kpi_status, protected)."""
    if row["status"] == "no_data":
        return text("ov_status_no_data").format(sources=row["missing_sources"])
    return text(f"ov_status_{row['status']}")


def _has_forecast(row: pd.Series) -> bool:
    return not charts.is_missing(row["forecast_value"]) and \
        not charts.is_missing(row["forecast_month"]) and \
        pd.Timestamp(row["forecast_month"]) > pd.Timestamp(row["month"])


def _kpi_block(report: Report, rows: pd.DataFrame, kpi: pd.Series, shown: pd.DataFrame) -> dict:
    """One KPI as the Översikt page's card shows it (its rows of fct_kpi_status by gender,
    as the steering group may see them), with its trend chart."""
    lang = charts.language()
    total = rows.loc["all"]
    unit, value = total["unit"], total["value"]
    hidden = charts.is_missing(value) or is_suppressed(value)
    if total["status"] == "no_data":
        forecast = "–"
    elif _has_forecast(total):
        forecast = (text("rp_forecast_at").format(month=formats.month(total["forecast_month"]))
                    + f": {formats.kpi_value(total['forecast_value'], unit)}")
    elif charts.is_missing(total["forecast_month"]):
        forecast = text("rp_no_forecast_open")
    elif pd.Timestamp(total["forecast_month"]) <= pd.Timestamp(total["month"]):
        forecast = text("rp_no_forecast")
    else:  # no value to forecast from, or one the steering group may not see: as the card
        forecast = "–"
    details = []
    if not charts.is_missing(total["judged_target"]) and \
            not charts.is_missing(total["judged_value"]) and total["judged_value"] != value:
        details.append(("", text("ov_judged").format(  # judged on another series (T4: since start)
            value=formats.kpi_value(total["judged_value"], unit),
            target=formats.kpi_value(total["judged_target"], unit))))
    if unit in ("share", "ratio"):
        details.append((text("rp_numerator_denominator"),
                        f"{formats.number(total['numerator'])} / {formats.number(total['denominator'])}"))
    if not charts.is_missing(kpi[f"reference_name_{lang}"]) and \
            not charts.is_missing(total["reference_value"]):
        details.append((kpi[f"reference_name_{lang}"],
                        formats.kpi_value(total["reference_value"], "share")))
    for gender in ("K", "M"):
        if gender in rows.index:
            part = rows.loc[gender]
            cell = formats.kpi_value(part["value"], unit)
            if unit in ("share", "ratio"):
                cell += f" ({formats.number(part['numerator'])} / {formats.number(part['denominator'])})"
            details.append((text(f"kpi_gender_{gender}"), f"{cell} – {_status_text(part)}"))
    excluded = total["excluded_count"]
    excluded_text = None
    if not charts.is_missing(excluded) and (is_suppressed(excluded) or excluded != 0):
        excluded_text = formats.number(excluded)
        details.append((text("ov_excluded") if charts.is_missing(kpi[f"excluded_name_{lang}"])
                        else kpi[f"excluded_name_{lang}"], excluded_text))
    elif kpi["kpi_id"] == T1 and not charts.is_missing(excluded):
        excluded_text = formats.number(excluded)
    trend = shown[(shown["kpi_id"] == kpi["kpi_id"]) & (shown["gender"] == "all")] \
        if shown is not None and not shown.empty else shown
    forecast_line = None
    if _has_forecast(total) and not charts.is_missing(total["pace"]) and not hidden \
            and total["judged_value"] == value:
        forecast_line = ((total["month"], float(value)),
                         (total["forecast_month"], float(total["forecast_value"])))
    figure = report.figure(charts.sparkline(trend, unit, forecast_line), SPARK)
    return {
        "id": kpi["kpi_id"], "name": kpi[f"name_{lang}"],
        "value": "–" if total["status"] == "no_data" else formats.kpi_value(value, unit),
        "month": formats.month(total["month"]),
        "target": charts.target_text(total["target"], total["direction"], unit),
        "status": _status_text(total), "status_code": total["status"],
        "forecast": forecast, "details": details, "excluded": excluded_text, "figure": figure,
    }


def _documented_block(kpi: pd.Series) -> dict:
    lang = charts.language()
    target = formats.kpi_value(kpi["target"], kpi["unit"])
    return {"id": kpi["kpi_id"], "name": kpi[f"name_{lang}"], "value": target, "month": "",
            "target": target, "status": text("ov_status_documented"), "status_code": "documented",
            "forecast": "–", "details": [("", text("ov_documented_fact").format(value=target))],
            "excluded": None, "figure": None}


def _budget(report: Report, budget: pd.DataFrame | None, project_id: str) -> dict | None:
    if budget is None or budget.empty or not (budget["project_id"] == project_id).any():
        return None
    months = budget[budget["project_id"] == project_id].sort_values("month")
    row = months.iloc[-1]
    # The budget KPI's one name, from dim_kpi, as on the pages (issue 13: one name per KPI).
    used_name = project_queries.budget_kpis()[f"name_{charts.language()}"].iloc[0]
    figure = charts.budget_over_time(months, used_name).update_layout(
        margin=dict(l=10, r=10, t=30, b=10))
    rows = [(used_name, formats.kpi_value(row["budget_used_share"], "share")),
            (text("ov_elapsed"), formats.kpi_value(row["elapsed_share"], "share")),
            (text("ov_cost_to_date"), formats.money(row["cumulative_cost_sek"])),
            (text("ov_total_budget"), formats.money(row["total_budget_sek"]))]
    if not charts.is_missing(row["esf_grant_sek"]):
        rows += [(text("ov_esf_cost"), formats.money(row["cumulative_esf_cost_sek"])),
                 (text("ov_esf_grant"), formats.money(row["esf_grant_sek"])),
                 (text("ov_esf_used"), formats.kpi_value(row["esf_grant_used_share"], "share"))]
    return {"month": formats.month(row["month"]), "rows": rows,
            "figure": report.figure(figure, WIDE), "rule": text("ov_burn_rule")}


def _chain(report: Report, project_id: str) -> dict | None:
    """The chain the steering group gets on the Kedjan page: the project's whole intake as
    of its reporting month, protected as one view (dashboard.views.chain)."""
    selection = funnel_queries.whole_project(project_id)
    if selection is None:
        return {"empty": text("rp_no_chain")}
    readings = funnel_queries.readings(project_id)
    month = readings.loc[readings["reading"] == selection.reading, "reading_month"].iloc[0]
    view = views.chain(selection, None, views.STEERING_GRAIN, views.STEERING_MONTHS, PROTECTED_VIEW)
    total = view["total"]
    if total is None or total.empty:
        return {"empty": text("rp_no_chain")}
    columns = ["reached", "share_of_start", "conversion", "drop_off", "skipped"]
    rows = []
    for r in total.itertuples(index=False):
        first = r.step == funnel_queries.STEPS[0]
        rows.append([text(f"step_{r.step}"), formats.number(r.reached), _share(r.share_of_start),
                     "" if first else _share(r.conversion),
                     "" if first else formats.number(r.drop_off), formats.number(r.skipped)])
    figure = charts_funnel.steps_figure(total, lambda s: text(f"step_{s}"))
    return {"empty": None, "caption": text("rp_chain_as_of").format(
                month=formats.month(month, long=True)),
            "note": text("rp_chain_later"), "header": [text("col_step")]
            + [text(f"col_{c}") for c in columns], "rows": rows,
            "definition": text("funnel_table_note"), "figure": report.figure(figure, FUNNEL)}


def _share(value) -> str:
    return formats.kpi_value(value, "share")


def _esf(project_id: str) -> dict:
    rows = views.esf_indicators(project_id, PROTECTED_VIEW)["esf"]
    rows = None if rows is None else rows[rows["reporting_period"] == "total"]
    if rows is None or rows.empty:
        return {"empty": text("rp_no_esf")}
    table = rows.set_index("gender")[list(esf_queries.INDICATORS)].T.reindex(columns=["K", "M", "all"])
    as_of = rows["as_of_month"].iloc[0]
    return {"empty": None,
            "caption": text("esf_as_of").format(month=formats.month(as_of, long=True))
            if pd.notna(as_of) else "",
            "header": [text("esf_indicator"), text("esf_women"), text("esf_men"), text("esf_all")],
            "rows": [[text(f"esf_{code}"), *(formats.number(table.loc[code, g]) for g in ("K", "M", "all"))]
                     for code in esf_queries.INDICATORS]}


# --- data quality ------------------------------------------------------------------------------

# A check's details name up to three months as "<kind>_<yyyymm> (<yyyy-mm>)" (the gate's labels).
MONTH_LABEL = re.compile(r"\b([a-z][a-z_]*)_\d{6} \((\d{4}-\d{2})\)")


def _data_quality() -> dict:
    """What the steering group should know: rows not loaded, by source; monthly files not
    delivered (the gate's warning of the published refresh). Rows are not people: a count
    of rows is shown as it is."""
    by_reason = dq_queries.quarantine_by_reason()
    sources = []
    if by_reason is not None and not by_reason.empty:
        grouped = by_reason.groupby("raw_table").agg(rows=("rows", "sum"), files=("file", "nunique"))
        sources = [[table, formats.number(r.rows), formats.number(r.files)]
                   for table, r in grouped.sort_index().iterrows()]
    checks = dq_queries.validation_checks()
    missing = None
    if checks is not None and not checks.empty:
        monthly = checks[(checks["column"] == "delivered") & (checks["status"] == "failed")]
        if not monthly.empty:
            check = monthly.iloc[0]
            examples = [f"{kind} {month}" for kind, month in MONTH_LABEL.findall(check["details"])]
            missing = {"count": text("rp_missing_months_count").format(
                           count=formats.number(check["unexpected_count"])),
                       "examples": ", ".join(examples)}
    return {"sources": sources, "missing": missing,
            "header": [text("rp_source"), text("rp_quarantined_rows"), text("rp_quarantine_files")]}


# --- appendix ----------------------------------------------------------------------------------

def _appendix(projects: pd.DataFrame, kpis: pd.DataFrame) -> list[dict]:
    lang = charts.language()
    chosen = kpis[kpis["project_id"].isin(projects["project_id"])]
    if projects["total_budget_sek"].notna().any():
        chosen = pd.concat([chosen, kpis[kpis["status_rule"] == "elapsed_band"]])
    return [{"project": k.project_id if isinstance(k.project_id, str) else "",
             "name": getattr(k, f"name_{lang}"), "definition": getattr(k, f"definition_{lang}")}
            for k in chosen.itertuples(index=False)]


def markdown_bold(value: str) -> str:
    """A label's **bold** and paragraphs as HTML (the status rule is written for st.markdown)."""
    escaped = html.escape(value)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return "".join(f"<p>{part}</p>" for part in escaped.split("\n\n"))
