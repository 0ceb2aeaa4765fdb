"""Load a delivery folder into the ``raw`` schema of a warehouse file, losing no row.

Per file: a manifest check (file name and SHA-256: a file loaded before is a no-op; see
``file_signature`` for when the hash is not computed again),
a reader (``ingest.readers``) and a header check (schema drift rejects the file). Then,
for a batch of files of one kind (``load_files``): one SQL pass that finds every problem
of every row, and one transaction that writes the good rows, the quarantined rows and
each file's load-log row together. Rows read = rows loaded + rows merged + rows
quarantined, for every file that loads.

Clear personnummer live only in this process's in-memory DuckDB database. The
warehouse is attached to it and receives pseudonymised rows only. Should that database
spill to disk, it spills into the load's private folder (``ingest.private``), which the
caller creates and passes in.
"""

import datetime
import hashlib
import json
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import duckdb
import yaml

import settings
from ingest import personnummer, readers
from ingest.sources import (
    AMOUNT,
    CODE,
    CODE_LIST,
    COST_EXTRACT,
    DATE,
    FILE_KINDS,
    INT,
    MERGE,
    MONTH,
    MONTHLY,
    ORGNR,
    PNR,
    PROJECT_CODE_COLUMNS,
    SNAPSHOT,
    Column,
    FileKind,
    Sheet,
    kind_for,
)

RAW_TYPES = {DATE: "DATE", INT: "BIGINT", AMOUNT: "DECIMAL(18, 2)"}
META_COLUMNS = """
    _extra JSON, _row_hash VARCHAR, _export_date DATE, _is_current BOOLEAN,
    _file VARCHAR, _file_sha256 VARCHAR, _row_number BIGINT, _load_id BIGINT,
    _loaded_at TIMESTAMP
"""
LOAD_LOG_DDL = """
CREATE TABLE IF NOT EXISTS wh.raw.load_log (
    load_id BIGINT, run_id VARCHAR, file VARCHAR, file_sha256 VARCHAR, file_bytes BIGINT,
    kind VARCHAR, source VARCHAR, export_date DATE, started_at TIMESTAMP,
    finished_at TIMESTAMP, rows_read BIGINT, rows_loaded BIGINT, rows_merged BIGINT,
    rows_quarantined BIGINT, status VARCHAR, error VARCHAR, warnings VARCHAR,
    replaces VARCHAR, uploaded_by VARCHAR, uploaded_at TIMESTAMP, file_signature VARCHAR
)"""
# Columns a load log from an earlier release lacks: added in place, empty for its rows.
LOAD_LOG_ADDED = ("uploaded_by VARCHAR", "uploaded_at TIMESTAMP", "file_signature VARCHAR")
QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS wh.raw.quarantine (
    load_id BIGINT, file VARCHAR, file_sha256 VARCHAR, raw_table VARCHAR,
    row_number BIGINT, column_name VARCHAR, reason VARCHAR, value VARCHAR, detail VARCHAR
)"""
# A fingerprint of the pseudonymisation key (an HMAC of a fixed text, not the key), so
# that a refresh with another key is refused instead of splitting every person in two.
KEY_CHECK_DDL = "CREATE TABLE IF NOT EXISTS wh.raw.pseudonym_key_check (fingerprint VARCHAR)"
KEY_CHECK_TEXT = "kedjan key check"

DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
# Text that may be a personnummer (any of its forms): never stored or shown as such.
PNR_LIKE = r"(?:\d{2})?\d{6}[-+]?\d{4}"
PNR_HIDDEN = "(looks like a personnummer: not stored)"
MONTH_PATTERN = r"\d{4}-(0[1-9]|1[0-2])"

LOADED, REJECTED, UNCHANGED, UNKNOWN = "loaded", "rejected", "unchanged", "unknown_file"


@dataclass
class FileResult:
    file: str
    kind: str | None
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_merged: int = 0
    rows_quarantined: int = 0
    error: str | None = None
    warnings: str | None = None
    replaces: str | None = None
    load_id: int | None = None  # set when the file was loaded or rejected


class KeyMismatch(Exception):
    pass


class SchemaDrift(readers.FileRejected):
    """Required columns are missing from a sheet's header (renamed or dropped)."""

    def __init__(self, message: str, sheet: str | None, missing: list[str], found: list[str],
                 unexpected: list[str]):
        super().__init__(message)
        self.sheet, self.missing, self.found, self.unexpected = sheet, missing, found, unexpected


def masked(text: str) -> str:
    """``text`` with anything that may be a personnummer replaced (a header row that is
    really a data row, say): for messages that reach the load log or a screen."""
    return re.sub(PNR_LIKE, PNR_HIDDEN, text)


def connect(warehouse: Path, key: bytes, private: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the warehouse attached as ``wh`` and raw set up;
    its spill files (clear personnummer) go to the folder ``private``, nowhere else."""
    # A high checkpoint threshold lets a file's commit skip a checkpoint of the whole
    # warehouse each time (measured: commits 25 s -> 9 s at Stockholm); the WAL it keeps is
    # bounded by the threshold, not by the delivery.
    con = duckdb.connect(config={"temp_directory": str(private),
                                 "memory_limit": settings.MEMORY_LIMIT,
                                 "checkpoint_threshold": "256MB"})
    personnummer.install(con, key)
    con.execute("ATTACH ? AS wh", [str(warehouse)])
    con.execute("CREATE SCHEMA IF NOT EXISTS wh.raw")
    for ddl in (LOAD_LOG_DDL, QUARANTINE_DDL, KEY_CHECK_DDL):
        con.execute(ddl)
    for column in LOAD_LOG_ADDED:
        con.execute(f"ALTER TABLE wh.raw.load_log ADD COLUMN IF NOT EXISTS {column}")
    fingerprint = con.execute("SELECT person_key(?)", [KEY_CHECK_TEXT]).fetchall()[0][0]
    stored = con.execute("SELECT fingerprint FROM wh.raw.pseudonym_key_check").fetchall()
    if not stored:
        con.execute("INSERT INTO wh.raw.pseudonym_key_check VALUES (?)", [fingerprint])
    elif stored[0][0] != fingerprint:
        raise KeyMismatch(
            "The pseudonymisation key differs from the one this warehouse was built with: "
            "person keys would not match. Use the original key (KEDJAN_PSEUDONYM_KEY or "
            "the key file), or build a new warehouse."
        )
    for kind in FILE_KINDS:
        for sheet in kind.sheets:
            con.execute(f"CREATE TABLE IF NOT EXISTS wh.raw.{sheet.table} ({_raw_ddl(sheet)})")
            if any(c.type == PNR for c in sheet.columns):
                # A warehouse built before birth_date was kept gets the column; its older
                # rows stay empty there (the clear numbers are gone): rebuild the warehouse
                # from the delivery to fill them.
                con.execute(f"ALTER TABLE wh.raw.{sheet.table} "
                            "ADD COLUMN IF NOT EXISTS birth_date DATE")
    return con


def _raw_ddl(sheet: Sheet) -> str:
    parts = []
    for c in sheet.columns:
        if c.type == PNR:
            parts += ["person_key VARCHAR", "birth_year INTEGER", "birth_date DATE",
                      "gender VARCHAR"]
        else:
            parts.append(f'"{c.name}" {RAW_TYPES.get(c.type, "VARCHAR")}')
    return ", ".join(parts) + "," + META_COLUMNS


def delivery_files(exports_dir: Path) -> list[Path]:
    """The files of a delivery in a stable load order: by export date, then name."""
    files = [p for p in exports_dir.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (_sort_date(p), p.name.lower()))


def _sort_date(path: Path) -> datetime.date:
    kind = kind_for(path.name)
    try:
        return export_date(path.name, kind, datetime.date.max) if kind else datetime.date.max
    except ValueError:
        return datetime.date.max


def export_date(name: str, kind: FileKind, today: datetime.date) -> datetime.date:
    """The export date in a file name: YYYYMMDD; YYYYMM = month end; YYYY = 31 December."""
    stem = Path(name).stem[len(kind.name):]
    match = re.search(r"(?<!\d)(\d{8}|\d{6}|\d{4})(?!\d)", stem)
    if not match:
        if kind.month_in_name:
            raise ValueError(f"{name}: the file name must carry its month as _YYYYMM.")
        return today
    digits = match.group(1)
    if kind.month_in_name and len(digits) != 6:
        raise ValueError(f"{name}: the file name must carry its month as _YYYYMM.")
    try:
        if len(digits) == 8:
            return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if len(digits) == 6:
            year, month = int(digits[:4]), int(digits[4:])
            first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
            return first_next - datetime.timedelta(days=1)
        return datetime.date(int(digits), 12, 31)
    except ValueError:
        raise ValueError(f"{name}: '{digits}' in the file name is not a date.") from None


def delivered_before(exports_dir: Path, warehouse: Path) -> bool:
    """Whether loading the delivery into ``warehouse`` would change nothing: every file of
    a known kind was loaded (or rejected) before with the same name and content. Files of
    no known kind are never loaded, so they change nothing either."""
    if not warehouse.exists():
        return False
    with duckdb.connect(str(warehouse), read_only=True) as con:
        logged = con.execute("SELECT file, file_sha256, file_signature FROM raw.load_log "
                             "WHERE status IN (?, ?)", [LOADED, REJECTED]).fetchall()
    seen = {(file, sha) for file, sha, _ in logged}
    signed = {(file, signature) for file, _, signature in logged if signature}
    return all((path.name, file_signature(path)) in signed or (path.name, file_sha256(path)) in seen
               for path in delivery_files(exports_dir) if kind_for(path.name) is not None)


def uploads(exports_dir: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """Who uploaded each file of the delivery and when, by (name, SHA-256), from the log
    the dashboard's delivery page appends to (``settings.uploads_log``). Files put in the
    folder by other means are not in it."""
    path = settings.uploads_log(exports_dir)
    if not path.exists():
        return {}
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
            found[(entry["file"], entry["sha256"])] = (entry["uploaded_by"], entry["uploaded_at"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # a line cut off by a crash names no one
    return found


# A file keeps its signature (device, inode, size, modification and change times) until
# it is written to, replaced, renamed or touched: each of these sets its change time, which
# no user can set. A file with the signature a load recorded is the file it hashed, so its
# hash is not computed again (a refresh with nothing new read 2.5 GB to find that at the
# national scale). A file changed within the file system's timestamp granularity of being
# hashed could keep its signature, so none is taken of a file changed less than this long
# before (git's "racily clean" rule): it is hashed every time instead.
SIGNATURE_SETTLED_SECONDS = 3


def file_signature(path: Path) -> str | None:
    """The file's signature (see above); None while it changed too recently to have one."""
    st = path.stat()
    if time.time() - max(st.st_mtime, st.st_ctime) < SIGNATURE_SETTLED_SECONDS:
        return None
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while chunk := src.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# Files of one kind are checked and written together, in batches of about this many bytes:
# a sheet's rules are planned once per batch instead of once per file (planning them took
# ~40 ms, as long as checking 10,000 rows), while a batch's temp tables stay bounded.
BATCH_BYTES = 64 << 20


@dataclass
class _Staged:
    """A file of a batch: what its load-log row needs, and its number in the batch's
    tables (None when it was rejected)."""
    path: Path
    sha: str
    result: FileResult
    started: datetime.datetime
    upload: tuple
    signature: str | None  # taken before the hash: a change while hashing changes it
    exported: datetime.date | None = None
    file_no: int | None = None


def load_files(con, paths: list[Path], run_id: str, project_codes: set[str],
               today: datetime.date, uploaded: dict | None = None, on_file=None) -> list[FileResult]:
    """Load files into the warehouse attached to ``con`` (``connect``). Never raises for
    bad content: one result per file, in the order of ``paths``, says what happened.

    The files of a kind are loaded in their order, in batches (``BATCH_BYTES``), each
    batch one transaction: the good rows, the quarantined rows and a load-log row per
    file. ``uploaded`` (``uploads``) names who uploaded each file and when, for the load
    log; ``on_file(path)`` is called when a file is read."""
    results, kinds = {}, {}
    for path in paths:
        kind = kind_for(path.name)
        if kind is None:
            results[path] = FileResult(path.name, None, UNKNOWN,
                                       error="no export kind has this file name; see exports.md")
            if on_file:
                on_file(path)
        else:
            kinds.setdefault(kind.name, (kind, []))[1].append(path)
    for kind, kind_paths in kinds.values():
        for batch in _batches(kind_paths):
            staged = _load_batch(con, kind, batch, run_id, project_codes, today, uploaded or {},
                                 on_file)
            results.update((f.path, f.result) for f in staged)
    return [results[path] for path in paths]


def _batches(paths: list[Path]):
    batch, size = [], 0
    for path in paths:
        if batch and size + path.stat().st_size > BATCH_BYTES:
            yield batch
            batch, size = [], 0
        batch.append(path)
        size += path.stat().st_size
    if batch:
        yield batch


def _load_batch(con, kind, paths, run_id, project_codes, today, uploaded, on_file) -> list[_Staged]:
    """Read, check and write one batch of files of ``kind``."""
    load_id = con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM wh.raw.load_log").fetchall()[0][0]
    staged, accepted = [], []
    for path in paths:
        signature = file_signature(path)
        known = con.execute(
            "SELECT file_sha256 FROM wh.raw.load_log WHERE file = ? AND file_signature = ? "
            "AND status = ?", [path.name, signature, LOADED]).fetchall() if signature else []
        sha = known[0][0] if known else file_sha256(path)
        seen = known or con.execute(
            "SELECT 1 FROM wh.raw.load_log WHERE file = ? AND file_sha256 = ? AND status = ?",
            [path.name, sha, LOADED],
        ).fetchall()
        if seen:
            staged.append(_Staged(path, sha, FileResult(path.name, kind.name, UNCHANGED),
                                  datetime.datetime.now(), (None, None), signature))
        else:
            f = _Staged(path, sha, FileResult(path.name, kind.name, LOADED, load_id=load_id),
                        datetime.datetime.now(), uploaded.get((path.name, sha), (None, None)),
                        signature)
            load_id += 1
            try:
                f.exported = export_date(path.name, kind, today)
                _stage_file(con, path, kind, f.exported, len(accepted))
                f.file_no = len(accepted)
                accepted.append(f)
            except (readers.FileRejected, ValueError) as err:
                f.result.status, f.result.error = REJECTED, masked(str(err))
            staged.append(f)
        if on_file:
            on_file(path)
    checked, warnings = [], {}
    if accepted:
        checked = _check_batch(con, kind)
        warnings = unknown_projects(con, kind, checked, project_codes)
        con.execute("CREATE OR REPLACE TEMP TABLE batch_files (_file_no INTEGER, file VARCHAR, "
                    "sha VARCHAR, load_id BIGINT, export_date DATE, started TIMESTAMP)")
        con.executemany("INSERT INTO batch_files VALUES (?, ?, ?, ?, ?, ?)",
                        [[f.file_no, f.path.name, f.sha, f.result.load_id, f.exported, f.started]
                         for f in accepted])
    con.execute("BEGIN TRANSACTION")
    try:
        for sheet, index in checked:
            _write_sheet(con, kind, sheet, index, accepted)
        for f in staged:
            if f.result.status == UNCHANGED:
                continue
            if f.result.status == LOADED:
                f.result.replaces = _replaced(con, f.path.name, f.sha, kind, f.exported)
                f.result.warnings = warnings.get(f.file_no)
            _log(con, f, run_id, kind)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return staged


def _log(con, f: _Staged, run_id: str, kind: FileKind) -> None:
    """The file's load-log row: loaded or rejected (the export date only when loaded)."""
    r = f.result
    con.execute(
        "INSERT INTO wh.raw.load_log (load_id, run_id, file, file_sha256, file_bytes, kind, "
        "source, export_date, started_at, finished_at, rows_read, rows_loaded, rows_merged, "
        "rows_quarantined, status, error, warnings, replaces, file_signature, uploaded_by, "
        "uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [r.load_id, run_id, f.path.name, f.sha, f.path.stat().st_size, kind.name, kind.source,
         f.exported if r.status == LOADED else None, f.started, datetime.datetime.now(),
         r.rows_read, r.rows_loaded, r.rows_merged, r.rows_quarantined, r.status, r.error,
         r.warnings, r.replaces, f.signature, *f.upload],
    )


def check_sheets(con, path: Path, kind: FileKind, today: datetime.date):
    """Read and validate every sheet of one file into temp tables (``_check_batch``),
    touching no warehouse; (export date, [(sheet, index)]). Raises FileRejected
    (SchemaDrift for missing columns) or ValueError (a bad date in the name). The load's
    own steps on a batch of one file, so ``ingest.check`` finds exactly what the load will."""
    exported = export_date(path.name, kind, today)
    _stage_file(con, path, kind, exported, 0)
    return exported, _check_batch(con, kind)


def sheet_counts(con, index: int) -> tuple[int, int]:
    """(rows read, rows without problems) of a checked sheet."""
    return con.execute(f"SELECT (SELECT count(*) FROM flagged_{index}), "
                       f"(SELECT count(*) FROM good_{index})").fetchall()[0]


def _problem_rows(index: int) -> str:
    return (f"SELECT _file_no, _row_number AS row_number, p.column AS column_name, p.reason, "
            f"p.value, p.detail FROM (SELECT _file_no, _row_number, unnest(problems) AS p "
            f"FROM flagged_{index}) ORDER BY _file_no, _row_number")


def problem_rows_sql(index: int) -> str:
    """One row per problem of a checked sheet: row number, column, reason, value, detail
    (the value never a personnummer: see ``_shown``), in row order."""
    return f"SELECT * EXCLUDE (_file_no) FROM ({_problem_rows(index)})"


def _stage_file(con, path: Path, kind: FileKind, exported: datetime.date, file_no: int) -> None:
    """Read every sheet of a file and append its rows to the batch's tables ``batch_<index>``
    (created by the batch's first file, ``file_no`` 0): the row's fields, each column's
    trimmed text, and what the checks need of the file (its header's width, the export
    year and month, the fields outside the contract as ``_extra``). Raises FileRejected
    before appending anything when a sheet cannot be read or its header lacks a column."""
    read = []
    for index, sheet in enumerate(kind.sheets):
        lines = f"lines_{index}"
        if kind.extension == "xlsx":
            header = readers.read_xlsx_sheet(con, path, sheet, lines)
        else:
            header = readers.read_csv_lines(con, path, kind, lines)
        read.append((index, sheet, header, _header_positions(path.name, sheet, header)))
    for index, sheet, header, positions in read:
        values = "".join(f", trim(coalesce(fields[{positions[c.name]}], '')) AS {_value(i)}"
                         for i, c in enumerate(sheet.columns))
        extras = [(i + 1, name.strip()) for i, name in enumerate(header)
                  if name.strip() and i + 1 not in positions.values()]
        extra_json = ("json_object(" + ", ".join(f"'{_text(name)}', fields[{i}]" for i, name in extras)
                      + ")") if extras else "NULL::JSON"
        rows = (f"SELECT CAST({file_no} AS INTEGER) AS _file_no, _row_number, fields, "
                f"CAST({len(header)} AS INTEGER) AS _width, "
                f"CAST({exported.year} AS INTEGER) AS _export_year, "
                f"'{exported:%Y-%m}' AS _export_month, {extra_json} AS _extra{values} "
                f"FROM lines_{index}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE batch_{index} AS {rows}" if file_no == 0
                    else f"INSERT INTO batch_{index} {rows}")


def _check_batch(con, kind: FileKind) -> list[tuple[Sheet, int]]:
    """Find every problem of every row of the batch, type the good rows; [(sheet, index)].

    Per sheet, temp tables ``flagged_<index>`` (file and row number, problems, clear
    values) and ``good_<index>`` (typed, pseudonymised rows) are built from
    ``values_<index>``: the batch's rows with every personnummer's 12-digit form and
    problem computed once, since the rules refer to them many times and DuckDB would
    otherwise plan and evaluate the expression again at each reference.
    """
    checked = []
    for index, sheet in enumerate(kind.sheets):
        pnrs = [(i, c) for i, c in enumerate(sheet.columns) if c.type == PNR]
        twelves = "".join(f", pnr_twelve({_value(i)}, _export_year) AS {_twelve(c)}"
                          for i, c in pnrs)
        pnr_problems = "".join(f", pnr_problem({_twelve(c)}) AS {_pnr_problem(c)}" for _, c in pnrs)
        con.execute(f"""CREATE OR REPLACE TEMP TABLE values_{index} AS
                        SELECT *{pnr_problems} FROM (SELECT *{twelves} FROM batch_{index})""")
        value_problems, typed = [], []
        for i, c in enumerate(sheet.columns):
            value_problems += _problems(c, _value(i), kind)
            typed += _typed(c, _value(i))
        count_problem = (
            "CASE WHEN len(fields) < _width THEN "
            + _struct("", "missing_fields", "NULL",
                      "'expected ' || _width || ' fields, found ' || len(fields) || ' (line cut off?)'")
            + " WHEN len(fields) > _width"
            + " AND len(list_filter(fields[_width + 1:], lambda f: trim(f) <> '')) > 0 THEN "
            + _struct("", "extra_fields", "NULL", "'expected ' || _width || ' fields, found ' || len(fields)")
            + " END"
        )
        # Only rows whose fields hash like another row's of the file can be repeats: the
        # exact window runs on those few, not on the whole batch.
        row_id = "_file_no * 4294967296 + _row_number"
        repeats = "SELECT NULL::BIGINT AS row_id" if kind.identical_rows_are_facts else f"""
            SELECT row_id FROM (
                SELECT {row_id} AS row_id,
                       row_number() OVER (PARTITION BY _file_no, fields ORDER BY _row_number) AS n
                FROM batch_{index}
                WHERE hash(_file_no, fields) IN (SELECT hash(_file_no, fields) FROM batch_{index}
                                                 GROUP BY 1 HAVING count(*) > 1))
            WHERE n > 1"""
        duplicate = (f"CASE WHEN {row_id} IN (SELECT row_id FROM repeats) THEN "
                     + _struct("", "duplicate_row", "NULL", "'identical to an earlier row of the file'")
                     + " END")
        # Most rows have no problem: the problem list is built only for rows where some rule holds.
        any_problem = " OR ".join([f"coalesce({r.condition}, false)" for r in value_problems]
                                  + ["duplicate IS NOT NULL"])
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE flagged_{index} AS
            WITH repeats AS ({repeats})
            SELECT * EXCLUDE (fields, count_problem, duplicate),
                   CASE WHEN count_problem IS NOT NULL THEN [count_problem]
                        WHEN {any_problem}
                        THEN list_filter([{", ".join([*map(str, value_problems), "duplicate"])}],
                                         lambda p: p IS NOT NULL)
                        ELSE [] END AS problems
            FROM (SELECT *, {count_problem} AS count_problem, {duplicate} AS duplicate
                  FROM values_{index})
        """)
        names = [name for _, name in typed]
        # The hash only serves the merge of cumulative files; other kinds skip its cost.
        row_hash = (f"""md5(CAST(to_json([{", ".join(f'CAST("{n}" AS VARCHAR)' for n in names)}])
                           AS VARCHAR))""" if kind.history == MERGE else "NULL::VARCHAR")
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE good_{index} AS
            SELECT *, {row_hash} AS _row_hash
            FROM (SELECT {", ".join(f'{expr} AS "{name}"' for expr, name in typed)},
                         _extra, _row_number, _file_no
                  FROM flagged_{index} WHERE len(problems) = 0)
        """)
        checked.append((sheet, index))
    return checked


def _header_positions(file_name: str, sheet: Sheet, header: list[str]) -> dict[str, int]:
    """1-based field position of every column; schema drift raises FileRejected."""
    found = {name.strip().casefold(): i + 1 for i, name in reversed(list(enumerate(header)))}
    missing = [c.name for c in sheet.columns if c.name.casefold() not in found]
    if missing:
        where = f"{file_name}" + (f", sheet '{sheet.sheet_name}'" if sheet.sheet_name else "")
        names = [masked(h.strip()) for h in header]
        wanted = {c.name.casefold() for c in sheet.columns}
        raise SchemaDrift(
            f"{where}: required column(s) missing: {', '.join(missing)}. "
            f"Columns found: {', '.join(names)}. "
            "The export format has changed: ask the sender to restore the column, "
            "or update ingest/sources.py if the contract changed.",
            sheet.sheet_name, missing, names, [n for n in names if n and n.casefold() not in wanted],
        )
    return {c.name: found[c.name.casefold()] for c in sheet.columns}


def _text(value: str) -> str:
    """A constant from sources.py as the inside of a SQL string literal."""
    return value.replace("'", "''")


def _struct(column: str, reason: str, value_sql: str, detail_sql: str) -> str:
    return (f"{{'column': '{_text(column)}', 'reason': '{reason}', "
            f"'value': CAST({value_sql} AS VARCHAR), 'detail': CAST({detail_sql} AS VARCHAR)}}")


# A value that looks like a personnummer is never stored in quarantine, whatever column
# it turned up in.
def _shown(value: str) -> str:
    return f"CASE WHEN regexp_matches({value}, '{PNR_LIKE}') THEN '{PNR_HIDDEN}' ELSE {value} END"


class Rule(NamedTuple):
    """A check of one column: when ``condition`` holds, the row has ``problem``.

    As SQL text it is the problem struct or NULL."""
    condition: str
    problem: str

    def __str__(self) -> str:
        return f"CASE WHEN {self.condition} THEN {self.problem} END"


def _rule(cond: str, column: str, reason: str, value_sql: str, detail_sql: str) -> Rule:
    return Rule(cond, _struct(column, reason, value_sql, detail_sql))


def _problems(c: Column, v: str, kind: FileKind) -> list[Rule]:
    """The rules of the column (over a batch: the export month is the row's ``_export_month``)."""
    name = c.name
    if c.type == PNR:
        problem = _pnr_problem(c)
        bad = f"{v} <> '' AND {problem} IS NOT NULL"
        if c.required:
            bad = f"{v} = '' OR ({bad})"
        detail = f"CASE WHEN {v} = '' THEN 'missing' ELSE {problem} END"
        return [_rule(bad, name, "invalid_personnummer", "NULL", detail)]
    out = []
    if c.required:
        out.append(_rule(f"{v} = ''", name, "missing_value", "NULL", "'empty'"))
    allowed = "'allowed: " + _text(", ".join(c.codes)) + "'"
    codes = ", ".join(f"'{_text(code)}'" for code in c.codes)
    month_ok = f"regexp_full_match({v}, '{MONTH_PATTERN}')"
    if c.type == DATE:
        ok = f"regexp_full_match({v}, '{DATE_PATTERN}') AND try_strptime({v}, '%Y-%m-%d') IS NOT NULL"
        out.append(_rule(f"{v} <> '' AND NOT ({ok})", name, "invalid_date", _shown(v),
                         "'expected a date YYYY-MM-DD'"))
    elif c.type == MONTH:
        out.append(_rule(f"{v} <> '' AND NOT {month_ok}", name, "invalid_date", _shown(v),
                         "'expected a month YYYY-MM'"))
        if kind.month_column == name:
            out.append(_rule(f"{month_ok} AND {v} <> _export_month", name, "month_mismatch", v,
                             "'the file name says ' || _export_month"))
    elif c.type in (INT, AMOUNT):
        ok = f"regexp_full_match({_number_text(v)}, '{_number_pattern(c, kind)}')"
        out.append(_rule(f"{v} <> '' AND NOT {ok}", name, "invalid_number", _shown(v),
                         "'not a number'"))
    elif c.type == CODE:
        out.append(_rule(f"{v} <> '' AND {v} NOT IN ({codes})", name, "unknown_code",
                         _shown(v), allowed))
    elif c.type == CODE_LIST:
        bad = (f"len(list_filter(string_split({v}, ','), "
               f"lambda x: trim(x) <> '' AND trim(x) NOT IN ({codes}))) > 0")
        out.append(_rule(bad, name, "unknown_code", _shown(v), allowed))
    elif c.type == ORGNR:
        # A sole trader's organisationsnummer is a personnummer: show only a legal
        # entity's (third digit 2 or more, which no birth month has).
        shown = f"CASE WHEN substr({v}, 3, 1) >= '2' THEN {v} END"
        out.append(_rule(f"{v} <> '' AND orgnr_problem({v}) IS NOT NULL", name,
                         "invalid_organisationsnummer", shown, f"orgnr_problem({v})"))
    return out


def _number_text(v: str) -> str:
    """Drop thousands separators: a space or a no-break space between digits."""
    return f"regexp_replace({v}, '(\\d)[ \u00a0]+(\\d)', '\\1\\2', 'g')"


def _number_pattern(c: Column, kind: FileKind) -> str:
    if c.type == INT:
        return r"[+-]?\d+"
    return r"[+-]?\d+(,\d+)?" if kind.decimal_comma else r"[+-]?\d+(\.\d+)?"


def _value(i: int) -> str:
    """The column holding the trimmed text of a sheet's ``i``-th column (see _stage_file)."""
    return f'"_value_{i}"'


def _twelve(c: Column) -> str:
    """The column holding a personnummer column's 12-digit form (see _check_sheet)."""
    return f'"_twelve_{c.name}"'


def _pnr_problem(c: Column) -> str:
    """The column holding why a personnummer column's value is invalid (see _check_sheet)."""
    return f'"_problem_{c.name}"'


def _typed(c: Column, v: str) -> list[tuple[str, str]]:
    """(SQL expression, raw column name) pairs for a valid row."""
    if c.type == PNR:
        twelve = _twelve(c)
        return [(f"person_key({twelve})", "person_key"),
                (f"CAST(substr({twelve}, 1, 4) AS INTEGER)", "birth_year"),
                (f"birth_date_of({twelve})", "birth_date"),
                (f"gender_of({twelve})", "gender")]
    present = f"NULLIF({v}, '')"
    if c.type == DATE:
        return [(f"CAST({present} AS DATE)", c.name)]
    if c.type == INT:
        return [(f"CAST(NULLIF({_number_text(v)}, '') AS BIGINT)", c.name)]
    if c.type == AMOUNT:
        return [(f"CAST(replace(NULLIF({_number_text(v)}, ''), ',', '.') AS DECIMAL(18, 2))", c.name)]
    if c.type == ORGNR:
        return [(f"orgnr_normalise({present})", c.name)]
    return [(present, c.name)]


def _write_sheet(con, kind: FileKind, sheet: Sheet, index: int, accepted: list[_Staged]) -> None:
    """Insert a batch's good rows (less merged ones) and quarantined rows, one sheet;
    add each file's counts to its result. ``batch_files`` holds the batch's files."""
    table = f"wh.raw.{sheet.table}"
    keep = ""
    if kind.history == MERGE:
        # A row already in the table, or in an earlier file of the batch, is merged.
        keep = (f"WHERE _row_hash NOT IN (SELECT _row_hash FROM {table}) "
                "QUALIFY _file_no = min(_file_no) OVER (PARTITION BY _row_hash)")
    con.execute(f"""
        INSERT INTO {table} BY NAME
        SELECT rows.* EXCLUDE (_file_no), files.export_date AS _export_date, true AS _is_current,
               files.file AS _file, files.sha AS _file_sha256, files.load_id AS _load_id,
               files.started AS _loaded_at
        FROM (SELECT * FROM good_{index} {keep}) AS rows
        INNER JOIN batch_files AS files USING (_file_no)""")
    con.execute(f"""
        INSERT INTO wh.raw.quarantine
        SELECT files.load_id, files.file, files.sha, '{sheet.table}', problems.row_number,
               problems.column_name, problems.reason, problems.value, problems.detail
        FROM ({_problem_rows(index)}) AS problems
        INNER JOIN batch_files AS files USING (_file_no)
        ORDER BY files.load_id, problems.row_number""")
    first_load = min(f.result.load_id for f in accepted)
    read = dict(con.execute(f"SELECT _file_no, count(*) FROM flagged_{index} GROUP BY 1").fetchall())
    good = dict(con.execute(f"SELECT _file_no, count(*) FROM good_{index} GROUP BY 1").fetchall())
    loaded = dict(con.execute(f"SELECT _load_id, count(*) FROM {table} WHERE _load_id >= ? "
                              "GROUP BY 1", [first_load]).fetchall())
    for f in accepted:
        r, g, n = read.get(f.file_no, 0), good.get(f.file_no, 0), loaded.get(f.result.load_id, 0)
        f.result.rows_read += r
        f.result.rows_loaded += n
        f.result.rows_merged += g - n
        f.result.rows_quarantined += r - g
    _update_current(con, kind, sheet)


def _update_current(con, kind: FileKind, sheet: Sheet) -> None:
    """Set _is_current where the batch's files supersede older rows (exports.md)."""
    table = f"wh.raw.{sheet.table}"
    if kind.history == MONTHLY:
        # The newest load of the month wins, even one with no valid rows.
        con.execute(f"""
            UPDATE {table} SET _is_current = (_load_id = newest.load_id)
            FROM (SELECT export_date, max(load_id) AS load_id FROM batch_files GROUP BY 1) AS newest
            WHERE _export_date = newest.export_date
              AND _is_current IS DISTINCT FROM (_load_id = newest.load_id)""")
    elif kind.history in (SNAPSHOT, COST_EXTRACT):
        keys = [f'"{k}"' for k in kind.supersede_key]
        match = " AND ".join(f"t.{k} IS NOT DISTINCT FROM n.{k}" for k in keys)
        con.execute(f"""
            UPDATE {table} AS t SET _is_current = (t._load_id = n.newest)
            FROM (SELECT {", ".join(keys)},
                         max({{'d': _export_date, 'l': _load_id}}).l AS newest
                  FROM {table}
                  WHERE ({", ".join(keys)}) IN (SELECT ({", ".join(keys)}) FROM {table}
                                                 WHERE _load_id IN (SELECT load_id FROM batch_files))
                  GROUP BY ALL) AS n
            WHERE {match} AND t._is_current IS DISTINCT FROM (t._load_id = n.newest)
        """)


def _replaced(con, name: str, sha: str, kind: FileKind, exported) -> str | None:
    """Earlier loads this file replaces: same name with other content, or same month."""
    same_month = "OR (export_date = ?)" if kind.history == MONTHLY else "OR false AND ? IS NULL"
    rows = con.execute(
        f"""SELECT file, load_id FROM wh.raw.load_log
            WHERE status = ? AND kind = ? AND (file = ? {same_month}) AND file_sha256 <> ?
            ORDER BY load_id""",
        [LOADED, kind.name, name, exported, sha],
    ).fetchall()
    return "; ".join(f"{file} (load {load})" for file, load in rows) or None


def unknown_projects(con, kind: FileKind, checked, project_codes: set[str]) -> dict[int, str]:
    """Per file of the batch (its number), a warning for project codes the config does not
    know (the config may lag)."""
    notes = {}
    for sheet, index in checked:
        for c in sheet.columns:
            if c.name not in PROJECT_CODE_COLUMNS:
                continue
            rows = con.execute(
                f"""SELECT _file_no, "{c.name}", count(*) FROM good_{index}
                    WHERE "{c.name}" IS NOT NULL AND NOT list_contains(?, "{c.name}")
                    GROUP BY 1, 2 ORDER BY 1, 2""",
                [sorted(project_codes)],
            ).fetchall()
            for file_no, code, n in rows:
                notes.setdefault(file_no, []).append(
                    f"project code '{code}' is not in config/projects.yml ({n} rows)")
    return {file_no: "; ".join(lines) for file_no, lines in notes.items()}


def read_config(config_path: Path) -> dict:
    with config_path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


PROJECT_FIELDS = ("code", "name_sv", "name_en", "owner", "funding", "esf", "start", "end",
                  "total_budget_sek", "esf_grant_sek")
KPI_FIELDS = ("id", "project", "target", "direction", "baseline", "baseline_set_by_project",
              "target_factor", "target_per_year", "target_by_gender")


def load_config(con, config: dict) -> None:
    """Copy the project config into raw.config_projects and raw.config_kpis.

    dbt reads projects and targets from there, so changing config/projects.yml and
    refreshing is all it takes to add a project or change a target.
    """
    for table, key, fields in (("config_projects", "projects", PROJECT_FIELDS),
                               ("config_kpis", "kpis", KPI_FIELDS)):
        rows = [[_config_value(item.get(f)) for f in fields] for item in config[key]]
        columns = ", ".join(f'"{f}" VARCHAR' for f in fields)
        con.execute(f"CREATE OR REPLACE TABLE wh.raw.{table} ({columns})")
        if rows:
            con.executemany(f"INSERT INTO wh.raw.{table} VALUES ({', '.join('?' * len(fields))})", rows)


def _config_value(value):
    """Config values as text (dbt types them); a mapping as JSON."""
    if value is None:
        return None
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def load_folder(exports_dir: Path, database: Path, run_id: str, key: bytes, config_path: Path,
                private: Path, progress=None) -> list[FileResult]:
    """Load the project config and every file of a delivery folder into ``database``.

    One result per file, in delivery order (``delivery_files``). ``private`` is the load's private folder
    (``ingest.private.folder``). ``progress`` (a rich Progress) gets a bar per file kind.
    Raises KeyMismatch when the key is not the warehouse's.
    """
    con = connect(database, key, private)
    try:
        config = read_config(config_path)
        load_config(con, config)
        codes = {p["code"] for p in config["projects"]}
        files = delivery_files(exports_dir)
        uploaded = uploads(exports_dir)
        tasks = {}
        if progress is not None:
            for name, count in Counter(map(_kind_name, files)).items():
                tasks[name] = progress.add_task(name, total=count, current="")

        def on_file(path):
            if progress is not None:
                progress.update(tasks[_kind_name(path)], advance=1, current=path.name)

        results = load_files(con, files, run_id, codes, datetime.date.today(), uploaded, on_file)
        con.execute("CHECKPOINT wh")
    finally:
        con.close()
    return results


def _kind_name(path: Path) -> str:
    kind = kind_for(path.name)
    return kind.name if kind else "(unknown file)"
