"""Suites for the raw layer: per-file profiles, a sample per raw table, the load log.

Ingest has already typed every value and quarantined rows with bad values or unknown codes,
so these suites catch what a row-level check in ingest cannot, or what would mean ingest
itself went wrong: a column or type that is not what ``ingest.sources`` declares,
implausible dates, too many empty values, a delivery much smaller than the one before it,
and rows that are not accounted for. Every suite is built from ``ingest.sources``, so a new
file kind gets its suites without code here.

Rows validated: with ``load_ids`` the rows those loads wrote (the current refresh), else
every current row (``_is_current``). Code sets and uniqueness are checked on current rows
only (``_is_current``), as those are what the models read.

No table is read into Python. Per raw table, the gate validates two bounded frames:

- ``raw.<table>.structure``: a sample (``SAMPLE_ROWS`` rows) for the columns and types.
- ``raw.<table>``: a *profile* with one row per loaded file (``_load_id``, ``_file``,
  ``rows``), made by one SQL aggregation in DuckDB, with one measure column per row check:
  how many of the file's rows fail it (for the share of empty values, the share). GX
  expects each measure to be 0 (at most 5 % for the share); a failing check names the
  files, the rows that fail, and up to three example rows of each file (a small query).
  A check whose columns are missing or of another type cannot be computed: it fails as
  "could not be evaluated".

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
- Share of empty values, **warning**: at most 5 % (``NULL_SHARE_MAX``) of a file's rows in
  every column that exports.md does not allow to be empty (``OPTIONAL``).
- Plausible amounts and counts, **warning** (``PLAUSIBLE``), e.g. a payment of economic
  assistance above 1 000 000 SEK. Counts below 0 are **critical**.
- One current row per key, **warning**: snapshots per ``supersede_key``, month-end status per
  person and month, the comparison group per month and gender (a second row for the same
  key is ambiguous, but the models count distinct people, so it does not break a KPI).
  Counted among the current rows validated, against the file of each duplicate row.
- Load log (``raw.load_log``, files of status ``loaded``): rows read = loaded + merged +
  quarantined, **critical** (a row lost); a file with 30 % or more fewer rows than the
  previous file of the same kind (by export date, then load order), **warning**; more than
  10 % of a file's rows quarantined, **warning**.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from expectations.common import (
    CRITICAL,
    WARNING,
    Skipped,
    Target,
    columns_of,
    expect,
    number,
    percent,
    read_frame,
    table_exists,
)
from ingest import load as ingest_load
from ingest.sources import (
    CODE,
    CODE_LIST,
    DATE,
    FILE_KINDS,
    INT,
    MONTH,
    MONTHLY,
    PNR,
    SNAPSHOT,
    Column,
    FileKind,
    Sheet,
)

SCHEMA = "raw"
SAMPLE_ROWS = 1000  # rows of a table read for its structure and types
EXAMPLES = 3  # example rows fetched per failing file
NULL_SHARE_MAX = 0.05
VOLUME_DROP = 0.30  # a file this much smaller than the previous one of its kind: warning
QUARANTINE_SHARE = 0.10  # more of a file's rows quarantined than this: warning
EVENT_FLOOR = datetime.date(2000, 1, 1)  # earlier event dates: warning
IMPOSSIBLE_FLOOR = datetime.date(1900, 1, 1)  # earlier dates: critical
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
PNR_COLUMNS = {"person_key": "VARCHAR", "birth_year": "INTEGER", "birth_date": "DATE",
               "gender": "VARCHAR"}


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


def _declared(sheet: Sheet) -> dict[str, str]:
    """Every column of the raw table (data and metadata) -> its DuckDB type."""
    return {n: t for n, t, _ in raw_columns(sheet)} | META_COLUMNS


# --- structure, on a sample ------------------------------------------------------------

def structure_suite(sheet: Sheet) -> list:
    """Every column present; the types of the data columns and of the metadata the checks
    compare with (a sample shows both)."""
    columns = raw_columns(sheet) + [(n, t, None) for n, t in META_COLUMNS.items()]
    out = [expect("ExpectTableColumnsToMatchSet", CRITICAL, "required columns missing",
                  column_set=[n for n, _, _ in columns], exact_match=False)]
    for name, duck, source in columns:
        if duck != "VARCHAR" and DTYPES[duck] and (source is not None or name in TYPED_META):
            out.append(expect("ExpectColumnValuesToBeOfType", CRITICAL,
                              f"column {name} is not of type {DTYPES[duck]} ({duck})",
                              column=name, type_=DTYPES[duck]))
    return out


# --- row checks, as per-file profiles ------------------------------------------------------

@dataclass(frozen=True)
class RowCheck:
    """A check of a raw table's rows: counted per file in SQL, validated by GX."""

    measure: str  # its column in the profile: rows of a file that fail it (or their share)
    severity: str
    problem: str  # what a failing row is, in words: "with orsak not in ..."
    column: str  # the raw column(s) it is about, as a check reports them
    fails: str  # SQL condition on a row of the table: the row fails the check
    needs: tuple[str, ...]  # columns ``fails`` reads
    typed: bool = True  # the columns must have their declared type (not for "is empty")
    value: str | None = None  # SQL: the value an example row shows
    share: bool = False  # at most NULL_SHARE_MAX of a file's rows may fail, not none
    window: bool = False  # reads _key_rows, the duplicate-key window

    @property
    def rows(self) -> str:
        """The profile column with the number of failing rows."""
        return f"{self.measure} (rows)" if self.share else self.measure


def q(name: str) -> str:
    """A quoted SQL identifier (raw columns have spaces and Swedish letters)."""
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def row_checks(kind: FileKind, sheet: Sheet) -> list[RowCheck]:
    """The row checks of one raw table, from its declaration in ``ingest.sources``."""
    table = sheet.table
    out = [RowCheck("empty:_export_date", CRITICAL, "with _export_date empty", "_export_date",
                    "_export_date IS NULL", ("_export_date",), typed=False)]
    for c in sheet.columns:
        out += _column_checks(table, c, OPTIONAL.get(table, ()))
    key = kind.supersede_key if kind.history == SNAPSHOT else UNIQUE_CURRENT.get(table)
    if key:
        shown = [q(k) for k in key if k != "person_key"]  # a pseudonym tells the user nothing
        out.append(RowCheck(
            "duplicate_key", WARNING, f"sharing ({', '.join(key)}) with another current row",
            ", ".join(key),
            "_is_current AND _key_rows > 1 AND NOT (" + " AND ".join(
                f"{q(k)} IS NULL" for k in key) + ")",
            ("_is_current", *key), value=f"concat_ws(', ', {', '.join(shown)})" if shown else None,
            window=True))
    return out


def _column_checks(table: str, c: Column, optional) -> list[RowCheck]:
    if c.type == PNR:
        # birth_year and gender come from the same number as person_key.
        out = [RowCheck("empty:person_key", CRITICAL,
                        "with person_key empty (required personnummer)", "person_key",
                        "person_key IS NULL", ("person_key",), typed=False)] if c.required else []
        return out + [
            RowCheck("birth_year_before_floor", WARNING, f"with birth_year before {BIRTH_YEAR_FLOOR}",
                     "birth_year", f"birth_year < {BIRTH_YEAR_FLOOR}", ("birth_year",),
                     value="birth_year"),
            RowCheck("birth_year_after_export", CRITICAL,
                     "with birth_year after the year of the export date", "birth_year",
                     "birth_year > year(_export_date)", ("birth_year", "_export_date"),
                     value="birth_year"),
        ]
    name, col = c.name, q(c.name)
    out = []
    if c.required:
        out.append(RowCheck(f"empty:{name}", CRITICAL, f"with {name} empty (required)", name,
                            f"{col} IS NULL", (name,), typed=False))
    elif name not in optional:
        out.append(RowCheck(f"empty_share:{name}", WARNING,
                            f"with {name} empty (at most {percent(NULL_SHARE_MAX)} % allowed)",
                            name, f"{col} IS NULL", (name,), typed=False, share=True))
    if c.type == CODE:
        codes = ", ".join(_text(code) for code in c.codes)
        out.append(RowCheck(f"not_in_set:{name}", CRITICAL,
                            f"with {name} not in {', '.join(c.codes)}", name,
                            f"_is_current AND {col} NOT IN ({codes})", ("_is_current", name),
                            value=col))
    elif c.type == CODE_LIST:
        codes = "|".join(re.escape(code) for code in c.codes)
        item = rf"\s*(?:{codes})?\s*"
        out.append(RowCheck(f"not_in_list:{name}", CRITICAL,
                            f"with {name} holding a value outside {', '.join(c.codes)}", name,
                            f"_is_current AND NOT regexp_full_match({col}, "
                            f"{_text(rf'{item}(?:,{item})*')})", ("_is_current", name),
                            value=col))
    elif c.type in (DATE, MONTH):
        out += _date_checks(name, c.type)
    elif c.type == INT:
        out.append(RowCheck(f"below_0:{name}", CRITICAL, f"with {name} below 0", name,
                            f"{col} < 0", (name,), value=col))
    if (table, name) in PLAUSIBLE:
        low, high = PLAUSIBLE[(table, name)]
        out.append(RowCheck(f"implausible:{name}", WARNING,
                            f"with {name} outside {number(low)} .. {number(high)}", name,
                            f"{col} NOT BETWEEN {low} AND {high}", (name,), value=col))
    return out


def _date_checks(name: str, type_: str) -> list[RowCheck]:
    col = q(name)
    out = []
    date = col
    if type_ == MONTH:
        out.append(RowCheck(f"not_month:{name}", CRITICAL, f"with {name} not a month YYYY-MM",
                            name, rf"NOT regexp_full_match({col}, '\d{{4}}-(?:0[1-9]|1[0-2])')",
                            (name,), value=col))
        date = f"try_strptime({col} || '-01', '%Y-%m-%d')::DATE"  # the month's first day
    severity = WARNING if name in PLANNED_END_DATES else CRITICAL
    return out + [
        RowCheck(f"before_{IMPOSSIBLE_FLOOR.year}:{name}", CRITICAL,
                 f"with {name} before {IMPOSSIBLE_FLOOR}", name,
                 f"{date} < DATE '{IMPOSSIBLE_FLOOR}'", (name,), value=col),
        RowCheck(f"before_{EVENT_FLOOR.year}:{name}", WARNING, f"with {name} before {EVENT_FLOOR}",
                 name, f"{date} < DATE '{EVENT_FLOOR}'", (name,), value=col),
        RowCheck(f"after_export_date:{name}", severity, f"with {name} after the export date",
                 name, f"{date} > _export_date", (name, "_export_date"), value=col),
    ]


def _unusable(check: RowCheck, declared: dict[str, str], actual: dict[str, str]) -> str | None:
    """Why a check cannot be computed on the table as it is, or None."""
    def same(a: str, b: str) -> bool:
        return a.replace(" ", "") == b.replace(" ", "")
    for name in check.needs:
        if name not in actual:
            return f"column {name} is missing"
        if check.typed and not same(actual[name], declared[name]):
            return f"column {name} is {actual[name]}, not {declared[name]}"
    return None


def _scoped(table: str, checks: list[RowCheck], load_ids) -> tuple[str, list]:
    """The CTE ``scoped``: the rows validated, with the duplicate-key window if needed."""
    window = ""
    keyed = next((c for c in checks if c.window), None)
    if keyed:
        # Rows per current key; spills to DuckDB's temp directory on a large table.
        key = ", ".join(q(k) for k in keyed.needs if k != "_is_current")
        window = f", count(*) OVER (PARTITION BY _is_current, {key}) AS _key_rows"
    select = f"SELECT *{window} FROM {SCHEMA}.{q(table)}"
    if load_ids is None:
        return f"scoped AS ({select} WHERE _is_current)", []
    return f"scoped AS ({select} WHERE list_contains(?, _load_id))", [list(load_ids)]


def profile_sql(table: str, checks: list[RowCheck], load_ids) -> tuple[str, list]:
    """ONE aggregation: per loaded file, its rows and the rows failing each check."""
    scoped, params = _scoped(table, checks, load_ids)
    measures = []
    for c in checks:
        failing = f"count(*) FILTER (WHERE {c.fails})"
        measures.append(f"{failing} AS {q(c.rows)}")
        if c.share:
            measures.append(f"round({failing} / count(*), 6) AS {q(c.measure)}")
    sql = (f"WITH {scoped} SELECT _load_id, any_value(_file) AS _file, count(*) AS rows, "
           f"{', '.join(measures)} FROM scoped GROUP BY _load_id ORDER BY _load_id")
    return sql, params


def _examples(con, table: str, checks: list[RowCheck], load_ids):
    """Up to EXAMPLES failing rows of one file for one check: "row 3: 2012-04-02"."""
    by_measure = {c.measure: c for c in checks}

    def examples(measure: str, load_id: int) -> list[str]:
        check = by_measure[measure]
        scoped, params = _scoped(table, [check], load_ids)
        value = f", {check.value}" if check.value else ""
        rows = con.execute(
            f"WITH {scoped} SELECT _row_number{value} FROM scoped "
            f"WHERE _load_id = ? AND ({check.fails}) ORDER BY _row_number LIMIT {EXAMPLES}",
            params + [int(load_id)]).fetchall()
        return [f"row {r[0]}" + (f": {_shown(r[1])}" if check.value else "") for r in rows]
    return examples


def _shown(value) -> str:
    if value is None:
        return "∅"
    if isinstance(value, (Decimal, float)):
        return number(float(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def table_targets(con, kind: FileKind, sheet: Sheet, load_ids) -> list[Target]:
    """The structure target (a sample) and the profile target of one raw table."""
    table, name = sheet.table, f"{SCHEMA}.{sheet.table}"
    scope, params = (("_is_current", []) if load_ids is None
                     else ("list_contains(?, _load_id)", [list(load_ids)]))
    sample = read_frame(con, f"SELECT * FROM {SCHEMA}.{q(table)} WHERE {scope} "
                             f"LIMIT {SAMPLE_ROWS}", params)
    if sample.empty:
        return []  # nothing delivered (in this refresh): nothing to validate
    out = [Target(f"{name}.structure", name, sample, structure_suite(sheet))]
    declared, actual = _declared(sheet), columns_of(con, SCHEMA, table)
    checks, unusable = [], []
    for check in row_checks(kind, sheet):
        why = _unusable(check, declared, actual)
        if why is None:
            checks.append(check)
        else:
            unusable.append(Skipped("expect_column_values_to_be_between", check.column,
                                    check.severity, why, problem=check.problem))
    frame = read_frame(con, *profile_sql(table, checks, load_ids)) if checks else None
    suite = [expect("ExpectColumnValuesToBeBetween", c.severity, c.problem, unit="file",
                    meta={"column": c.column, "rows": c.rows}, column=c.measure,
                    max_value=NULL_SHARE_MAX if c.share else 0) for c in checks]
    out.append(Target(name, name, frame, suite, unusable, unit="file",
                      examples=_examples(con, table, checks, load_ids)))
    return out


def targets(con, load_ids: list[int] | None = None) -> list[Target]:
    """Per raw table with rows to validate, its structure and profile; the load log's."""
    out = []
    for kind in FILE_KINDS:
        for sheet in kind.sheets:
            if table_exists(con, SCHEMA, sheet.table):
                out += table_targets(con, kind, sheet, load_ids)
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
    return Target("raw.load_log", "raw.load_log", frame, suite_, label_columns=("label",),
                  unit="file")


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
    return Target("raw.monthly_files", "raw.load_log", frame, suite_, label_columns=("label",),
                  unit="month")


def _file_label(r) -> str:
    text = f"{r.file}: {number(r.rows_read)} row{'' if r.rows_read == 1 else 's'}"
    if not pd.isna(r.previous_rows):
        change = (r.rows_read - r.previous_rows) / r.previous_rows if r.previous_rows else 0
        text += (f", {number(abs(round(100 * change)))} % {'fewer' if change < 0 else 'more'}"
                 f" than {r.previous_file} ({number(r.previous_rows)})")
    if r.rows_quarantined:
        text += f", {number(r.rows_quarantined)} quarantined"
    return text
