"""Suites for the raw layer: one per raw table of ``ingest.sources``, plus the load log.

Ingest has already typed every value and quarantined rows with bad values or unknown codes,
so these suites catch what a row-level check in ingest cannot, or what would mean ingest
itself went wrong: a column or type that is not what ``ingest.sources`` declares,
implausible dates, too many empty values, a delivery much smaller than the one before it,
and rows that are not accounted for. Every suite is built from ``ingest.sources``, so a new
file kind gets its suite without code here.

Rows validated: with ``load_ids`` the rows those loads wrote (the current refresh), else
every current row (``_is_current``). Code sets and uniqueness are checked on current rows
only (``_is_current``), as those are what the models read.

Severities, per expectation (``critical`` blocks publishing, ``warning`` is shown on the
data-quality page):

- Structure, **critical**: every column of ``ingest.sources`` (a personnummer as
  ``person_key``, ``birth_year``, ``gender``) and every metadata column of ``ingest.load``
  exists (extra columns are allowed); every column ingest converts (dates, integers,
  amounts, ``birth_year``) and ``_export_date``, which dates are compared with, has its
  type (``datetime64``, ``int64``, ``float64``: a date stored as text would turn every date
  comparison off; text columns are text by construction, and their codes and month format
  are checked below); ``_export_date`` and required columns (``Column.required``;
  for a required personnummer ``person_key``) are never empty.
- Codes, **critical**: every coded column holds only its code set (a comma-separated list
  only its codes), a month column only ``YYYY-MM``. Ingest enforces them, so a failure
  means rows got past ingest, and the models would map them to nothing.
- Dates after the row's ``_export_date`` (a month: starting after it): **critical** for
  every date and month that records something that happened (a registration, a payment, a
  result, a start), because an export cannot report the future, and such a row would move
  a project's "latest month of data" and its KPIs into months that have not happened.
  **Warning** for end dates that may be planned (``PLANNED_END_DATES``: Utskrivningsdatum,
  Avslutsdatum, Slutdatum): a fixed-term placement can carry its agreed end.
  A ``birth_year`` after the export year is **critical** (the person cannot exist yet).
- Dates before 1900-01-01: **critical** (no record in these systems is that old: a typo
  such as 1011 for 2011, which would make a person a participant for ever).
  Event dates before 2000-01-01 and birth years before 1900: **warning** (implausible for
  projects that start in 2009, but possible, e.g. a registration kept since the 1990s;
  steps and KPIs only count dates from a person's intake, so they do not distort them).
- Share of empty values, **warning**: at most 5 % (``NULL_SHARE_MOSTLY``) in every column
  that exports.md does not allow to be empty (``OPTIONAL``).
- Plausible amounts and counts, **warning** (``PLAUSIBLE``), e.g. a payment of economic
  assistance above 1 000 000 SEK. Counts below 0 are **critical**.
- One current row per key, **warning**: snapshots per ``supersede_key``, month-end status per
  person and month, the comparison group per month and gender (a second row for the same
  key is ambiguous, but the models count distinct people, so it does not break a KPI).
- Load log (``raw.load_log``, files of status ``loaded``): rows read = loaded + merged +
  quarantined, **critical** (a row lost); a file with 30 % or more fewer rows than the
  previous file of the same kind (by export date, then load order), **warning**; more than
  10 % of a file's rows quarantined, **warning**.
"""

import re

import pandas as pd

from expectations.common import (
    CRITICAL, WARNING, Column as Col, Skipped, Target, at, columns_of, expect, number,
    percent, read_frame, table_exists,
)
from ingest import load as ingest_load
from ingest.sources import (
    CODE, CODE_LIST, DATE, FILE_KINDS, INT, MONTH, MONTHLY, PNR, SNAPSHOT,
    Column, FileKind, Sheet,
)

SCHEMA = "raw"
NULL_SHARE_MOSTLY = 0.95
VOLUME_DROP = 0.30  # a file this much smaller than the previous one of its kind: warning
QUARANTINE_SHARE = 0.10  # more of a file's rows quarantined than this: warning
EVENT_FLOOR = at(2000)  # earlier event dates: warning
IMPOSSIBLE_FLOOR = at(1900)  # earlier dates: critical
BIRTH_YEAR_FLOOR = 1900  # earlier birth years: warning

# End dates that may be planned, so may lie after the export date (warning, not critical).
PLANNED_END_DATES = ("Utskrivningsdatum", "Avslutsdatum", "Slutdatum")
# Columns exports.md allows to be empty ("may be empty", "empty = none", "or empty",
# "empty = still active/ongoing", "optional"): no share-of-empty check. Per raw table.
OPTIONAL = {
    "af_arbetssokande": ("uppehallstillstand_datum", "projektkod"),
    "af_manadsstatus": ("anstallningsstod",),
    "stad_jobbtorg_deltagare": ("Utskrivningsdatum", "Plan upprättad"),
    "partner_yrkesguider": ("Avslutsdatum",),
    "partner_matchning": ("Slutdatum",),
    "partner_entryhub_besok": ("personnummer", "kon", "arbetsgivare"),
}
# Plausible ranges (warning): (table, column) -> (min, max).
PLAUSIBLE = {
    ("stad_ekonomiskt_bistand", "Belopp"): (-1_000_000, 1_000_000),
    ("ekonomi_utfall", "belopp"): (-50_000_000, 50_000_000),
    ("partner_yrkesguider", "Antal träffar"): (0, 500),
}
# One current row per key, besides the supersede keys of snapshots (warning).
UNIQUE_CURRENT = {
    "af_manadsstatus": ("person_key", "manad"),
    "af_jamforelsegrupp": ("manad", "kon"),
}

# pandas dtype (as GX names it) of each DuckDB type the raw tables use.
DTYPES = {"VARCHAR": "str", "DATE": "datetime64", "TIMESTAMP": "datetime64", "BIGINT": "int64",
          "INTEGER": "int64", "BOOLEAN": "bool", "DECIMAL(18, 2)": "float64", "JSON": None}
# The metadata columns ingest adds to every raw table: name -> DuckDB type.
META_COLUMNS = dict(part.split() for part in ingest_load.META_COLUMNS.split(",")
                    if part.strip())
TYPED_META = ("_export_date",)  # the dates are compared with it
PNR_COLUMNS = {"person_key": "VARCHAR", "birth_year": "INTEGER", "birth_date": "DATE", "gender": "VARCHAR"}
CURRENT = {"row_condition": Col("_is_current") == True}  # noqa: E712 (a GX condition)
ROW_LABEL = ("_file", "_row_number")


def _check_names() -> None:
    """The names above must be columns of ingest.sources: fail at import, not silently."""
    sheets = {s.table: {c.name for c in s.columns} for k in FILE_KINDS for s in k.sheets}
    named = [(t, c) for t, cs in OPTIONAL.items() for c in cs] + list(PLAUSIBLE) + [
        (t, c) for t in sheets for c in PLANNED_END_DATES if c in sheets[t]]
    unknown = [f"{t}.{c}" for t, c in named if c not in sheets.get(t, ())]
    unknown += [t for t in UNIQUE_CURRENT if t not in sheets]
    unknown += [c for c in PLANNED_END_DATES if not any(c in cs for cs in sheets.values())]
    if unknown:
        raise RuntimeError("expectations.raw names columns that ingest/sources.py does not "
                           f"declare: {', '.join(unknown)}")


_check_names()


def raw_columns(sheet: Sheet) -> list[tuple[str, str, Column]]:
    """(raw column, DuckDB type, source column) as ``ingest.load`` creates the table."""
    out = []
    for c in sheet.columns:
        if c.type == PNR:
            out += [(name, duck, c) for name, duck in PNR_COLUMNS.items()]
        else:
            out.append((c.name, ingest_load.RAW_TYPES.get(c.type, "VARCHAR"), c))
    return out


def month_start(column: str) -> str:
    """Helper column: the first day of a ``YYYY-MM`` month column."""
    return f"{column} (month start)"


EXPORT_YEAR = "_export_date (year)"  # helper column


def suite(kind: FileKind, sheet: Sheet) -> list:
    """The expectations of one raw table, from its declaration in ``ingest.sources``."""
    table = sheet.table
    out = []
    # Structure: every column present; the types of the data columns and of the metadata
    # the checks compare with.
    columns = raw_columns(sheet) + [(n, t, None) for n, t in META_COLUMNS.items()]
    out.append(expect("ExpectTableColumnsToMatchSet", CRITICAL,
                      "required columns missing", column_set=[n for n, _, _ in columns],
                      exact_match=False))
    for name, duck, source in columns:
        if duck != "VARCHAR" and DTYPES[duck] and (source is not None or name in TYPED_META):
            out.append(expect("ExpectColumnValuesToBeOfType", CRITICAL,
                              f"column {name} is not of type {DTYPES[duck]} ({duck})",
                              column=name, type_=DTYPES[duck]))
    out.append(expect("ExpectColumnValuesToNotBeNull", CRITICAL, "with _export_date empty",
                      column="_export_date"))
    optional = OPTIONAL.get(table, ())
    for c in sheet.columns:
        out += _column_expectations(table, c, optional)
    # One current row per key.
    key = kind.supersede_key if kind.history == SNAPSHOT else UNIQUE_CURRENT.get(table)
    if key:
        problem = f"sharing ({', '.join(key)}) with another current row"
        if len(key) == 1:
            out.append(expect("ExpectColumnValuesToBeUnique", WARNING, problem, column=key[0],
                              **CURRENT))
        else:
            out.append(expect("ExpectCompoundColumnsToBeUnique", WARNING, problem,
                              column_list=list(key), **CURRENT))
    return out


def _column_expectations(table: str, c: Column, optional) -> list:
    out = []
    if c.type == PNR:
        # birth_year and gender come from the same number as person_key.
        if c.required:
            out.append(expect("ExpectColumnValuesToNotBeNull", CRITICAL,
                              "with person_key empty (required personnummer)",
                              column="person_key"))
        out.append(expect("ExpectColumnValuesToBeBetween", WARNING,
                          f"with birth_year before {BIRTH_YEAR_FLOOR}", column="birth_year",
                          min_value=BIRTH_YEAR_FLOOR))
        out.append(expect("ExpectColumnPairValuesAToBeGreaterThanB", CRITICAL,
                          "with birth_year after the year of the export date",
                          column_A=EXPORT_YEAR, column_B="birth_year", or_equal=True,
                          ignore_row_if="either_value_is_missing"))
        return out
    name = c.name
    if c.required:
        out.append(expect("ExpectColumnValuesToNotBeNull", CRITICAL, f"with {name} empty (required)",
                          column=name))
    elif name not in optional:
        out.append(expect("ExpectColumnValuesToNotBeNull", WARNING,
                          f"with {name} empty (at most {percent(1 - NULL_SHARE_MOSTLY)} % "
                          "allowed)", column=name, mostly=NULL_SHARE_MOSTLY))
    if c.type == CODE:
        out.append(expect("ExpectColumnValuesToBeInSet", CRITICAL,
                          f"with {name} not in {', '.join(c.codes)}", column=name,
                          value_set=list(c.codes), **CURRENT))
    elif c.type == CODE_LIST:
        codes = "|".join(re.escape(code) for code in c.codes)
        item = rf"\s*(?:{codes})?\s*"
        out.append(expect("ExpectColumnValuesToMatchRegex", CRITICAL,
                          f"with {name} holding a value outside {', '.join(c.codes)}", column=name,
                          regex=rf"^{item}(?:,{item})*$", **CURRENT))
    elif c.type in (DATE, MONTH):
        out += _date_expectations(name, c.type)
    elif c.type == INT:
        out.append(expect("ExpectColumnValuesToBeBetween", CRITICAL, f"with {name} below 0",
                          column=name, min_value=0))
    if (table, name) in PLAUSIBLE:
        low, high = PLAUSIBLE[(table, name)]
        out.append(expect("ExpectColumnValuesToBeBetween", WARNING,
                          f"with {name} outside {number(low)} .. {number(high)}", column=name,
                          min_value=low, max_value=high))
    return out


def _date_expectations(name: str, type_: str) -> list:
    out = []
    column = name
    if type_ == MONTH:
        out.append(expect("ExpectColumnValuesToMatchRegex", CRITICAL,
                          f"with {name} not a month YYYY-MM", column=name,
                          regex=r"^\d{4}-(?:0[1-9]|1[0-2])$"))
        column = month_start(name)
    out.append(expect("ExpectColumnValuesToBeBetween", CRITICAL,
                      f"with {name} before {IMPOSSIBLE_FLOOR:%Y-%m-%d}", column=column,
                      min_value=IMPOSSIBLE_FLOOR))
    out.append(expect("ExpectColumnValuesToBeBetween", WARNING,
                      f"with {name} before {EVENT_FLOOR:%Y-%m-%d}", column=column,
                      min_value=EVENT_FLOOR))
    severity = WARNING if name in PLANNED_END_DATES else CRITICAL
    out.append(expect("ExpectColumnPairValuesAToBeGreaterThanB", severity,
                      f"with {name} after the export date", column_A="_export_date",
                      column_B=column, or_equal=True, ignore_row_if="either_value_is_missing"))
    return out


def _frame_sql(sheet: Sheet, load_ids: list[int] | None) -> tuple[str, list]:
    helpers = [f'year(_export_date) AS "{EXPORT_YEAR}"'] if any(
        c.type == PNR for c in sheet.columns) else []
    helpers += [f"""try_strptime("{c.name}" || '-01', '%Y-%m-%d')::DATE AS "{month_start(c.name)}\""""
                for c in sheet.columns if c.type == MONTH]
    select = ", ".join(["*"] + helpers)
    if load_ids is None:
        return f"SELECT {select} FROM {SCHEMA}.{sheet.table} WHERE _is_current", []
    return (f"SELECT {select} FROM {SCHEMA}.{sheet.table} "
            "WHERE list_contains(?, _load_id)", [list(load_ids)])


def targets(con, load_ids: list[int] | None = None) -> list[Target]:
    """One target per raw table with rows to validate, and the load log's."""
    out = []
    for kind in FILE_KINDS:
        for sheet in kind.sheets:
            if not table_exists(con, SCHEMA, sheet.table):
                continue
            sql, params = _frame_sql(sheet, load_ids)
            frame = read_frame(con, sql, params)
            if frame.empty:
                continue  # nothing delivered (in this refresh): nothing to validate
            out.append(Target(f"{SCHEMA}.{sheet.table}", f"{SCHEMA}.{sheet.table}", frame,
                              suite(kind, sheet), label_columns=ROW_LABEL))
    for target in (load_log_target(con, load_ids), monthly_files_target(con)):
        if target is not None:
            out.append(target)
    return out


def load_log_target(con, load_ids: list[int] | None) -> Target | None:
    """Per loaded file: rows accounted for, volume against the previous file, quarantine."""
    if not table_exists(con, SCHEMA, "load_log"):
        return None
    needed = {"load_id", "file", "kind", "export_date", "status", "rows_read", "rows_loaded",
              "rows_merged", "rows_quarantined"}
    missing = needed - set(columns_of(con, SCHEMA, "load_log"))
    if missing:
        return Target("raw.load_log", "raw.load_log", None, [], [
            Skipped("expect_column_values_to_be_between", None, WARNING,
                    f"raw.load_log lacks {', '.join(sorted(missing))}")])
    scope = "" if load_ids is None else "WHERE list_contains(?, load_id)"
    frame = read_frame(con, f"""
        WITH loaded AS (
            SELECT load_id, file, kind, export_date, rows_read, rows_loaded, rows_merged,
                   rows_quarantined,
                   lag(file) OVER w AS previous_file,
                   lag(rows_read) OVER w AS previous_rows
            FROM {SCHEMA}.load_log WHERE status = '{ingest_load.LOADED}'
            WINDOW w AS (PARTITION BY kind ORDER BY export_date, load_id))
        SELECT load_id, file, kind, export_date, rows_read, rows_loaded, rows_merged,
               rows_quarantined,
               coalesce(rows_loaded, 0) + coalesce(rows_merged, 0)
                   + coalesce(rows_quarantined, 0) AS rows_accounted,
               previous_file, previous_rows,
               round(rows_read / nullif(previous_rows, 0), 6) AS rows_vs_previous,
               round(rows_quarantined / nullif(rows_read, 0), 6) AS quarantined_share
        FROM loaded {scope} ORDER BY load_id""", [list(load_ids)] if load_ids is not None else [])
    if frame.empty:
        return None
    frame["label"] = [_file_label(r) for r in frame.itertuples(index=False)]
    suite_ = [
        expect("ExpectColumnPairValuesToBeEqual", CRITICAL,
               "where rows read <> rows loaded + merged + quarantined (rows lost)", unit="file",
               column_A="rows_read", column_B="rows_accounted"),
        expect("ExpectColumnValuesToBeBetween", WARNING,
               f"with {percent(VOLUME_DROP)} % or more fewer rows than the previous file "
               "of the same kind", unit="file",
               column="rows_vs_previous", min_value=round(1 - VOLUME_DROP, 6), strict_min=True),
        expect("ExpectColumnValuesToBeBetween", WARNING,
               f"with more than {percent(QUARANTINE_SHARE)} % of their rows quarantined",
               unit="file",
               column="quarantined_share", min_value=0, max_value=QUARANTINE_SHARE),
        # A file whose every row failed is a broken export, not a month of zeros: publishing
        # it would show the steering group a collapse that did not happen.
        expect("ExpectColumnValuesToBeBetween", CRITICAL, "with every row quarantined",
               unit="file", column="quarantined_share", max_value=1, strict_max=True),
    ]
    return Target("raw.load_log", "raw.load_log", frame, suite_, label_columns=("label",))


def monthly_files_target(con) -> Target | None:
    """Months with no file of a monthly kind (e.g. no economic-assistance file for a month).

    A kind's months run from its first delivered month to the latest month any monthly
    file covers, counting only months in which some project of the config is active. A
    missing economic-assistance month makes self-support unknown (projects.md), so the
    steward is told which file to ask for.
    """
    if not (table_exists(con, SCHEMA, "load_log") and table_exists(con, SCHEMA, "config_projects")):
        return None
    kinds = [k.name for k in FILE_KINDS if k.history == MONTHLY]
    frame = read_frame(con, f"""
        WITH delivered AS (
            SELECT DISTINCT kind, date_trunc('month', export_date) AS month
            FROM {SCHEMA}.load_log WHERE status = '{ingest_load.LOADED}' AND list_contains(?, kind)),
        months AS (
            SELECT kind, unnest(generate_series(min(month), (SELECT max(month) FROM delivered),
                                                INTERVAL 1 MONTH)) AS month
            FROM delivered GROUP BY kind),
        active AS (
            SELECT DISTINCT m.kind, m.month FROM months m JOIN {SCHEMA}.config_projects p
              ON m.month BETWEEN date_trunc('month', CAST(p.start AS DATE))
                             AND coalesce(CAST(p."end" AS DATE), DATE '9999-12-31'))
        SELECT a.kind, strftime(a.month, '%Y-%m') AS month, d.month IS NOT NULL AS delivered,
               a.kind || '_' || strftime(a.month, '%Y%m') || ' (' || strftime(a.month, '%Y-%m')
                   || ')' AS label
        FROM active a LEFT JOIN delivered d USING (kind, month) ORDER BY a.kind, a.month""",
        [kinds])
    if frame.empty:
        return None
    suite_ = [expect("ExpectColumnValuesToBeInSet", WARNING,
                     "with no delivered file for the month: ask the sender for it", unit="month",
                     column="delivered", value_set=[True])]
    return Target("raw.monthly_files", "raw.load_log", frame, suite_, label_columns=("label",))


def _file_label(r) -> str:
    text = f"{r.file}: {number(r.rows_read)} row{'' if r.rows_read == 1 else 's'}"
    if not pd.isna(r.previous_rows):
        change = (r.rows_read - r.previous_rows) / r.previous_rows if r.previous_rows else 0
        text += (f", {number(abs(round(100 * change)))} % {'fewer' if change < 0 else 'more'}"
                 f" than {r.previous_file} ({number(r.previous_rows)})")
    if r.rows_quarantined:
        text += f", {number(r.rows_quarantined)} quarantined"
    return text
