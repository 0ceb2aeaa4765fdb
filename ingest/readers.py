"""Readers: turn a delivered file into a DuckDB temp table of (row number, fields).

Every reader yields the same shape, ``(header: list[str], table)`` where ``table`` has
``_row_number BIGINT`` (the line in a CSV file, the sheet row in Excel, both counted from
1 as an editor shows them) and ``fields VARCHAR[]``. The generic loader validates and
types from there, so quirks live here and nowhere else.

CSV files are read by DuckDB one whole line per record and split on the delimiter with a
quote-aware pattern. DuckDB's own CSV parser does not report the line a record came
from, and the spec asks every bad row to be named by file and row: this way each record
keeps its exact line number, a cut-off last line is seen as missing fields instead of
vanishing, and the work stays vectorised. Records spanning lines (a quoted value with a
line break) are not part of any export contract; they would show up as quarantined rows,
never as a silent loss.
"""

import codecs
import contextlib
import datetime
import itertools
import os
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
from python_calamine import CalamineWorkbook

from ingest.sources import FileKind, Sheet

CHUNK = 1 << 20
XLSX_CHUNK_ROWS = 50_000  # rows of a sheet per chunk into DuckDB
NEWLINE = b"\n"


class FileRejected(Exception):
    """The whole file cannot be loaded; the message says why and what to do."""


def read_csv_lines(con: duckdb.DuckDBPyConnection, path: Path, kind: FileKind, table: str):
    """Load a CSV file into temp ``table``; return its header fields."""
    if path.stat().st_size == 0:
        raise FileRejected(
            f"{path.name}: the file is empty (0 bytes), so it has no header row. "
            "Ask the sender for a new export."
        )
    with _as_utf8(path, kind.encoding) as utf8_path:
        delim = kind.delimiter
        # A line without a quote is split on the delimiter (the common case, and much
        # faster); otherwise the pattern takes one field after each delimiter: a quoted
        # field (with "" for a quote) or anything up to the next delimiter.
        pattern = f'{delim}("(?:[^"]|"")*"|[^{delim}]*)'
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE {table} AS
            SELECT _row_number,
                   CASE WHEN NOT contains(line, '"') THEN string_split(line, ?)
                        ELSE [CASE WHEN f LIKE '"%"' AND length(f) >= 2
                                   THEN replace(f[2:-2], '""', '"') ELSE f END
                              FOR f IN regexp_extract_all(? || line, ?, 1)] END AS fields
            FROM (
                SELECT row_number() OVER () AS _row_number, line
                FROM read_csv(?, columns = {{'line': 'VARCHAR'}}, delim = E'\\x01',
                              quote = '', escape = '', header = false,
                              auto_detect = false, parallel = false, strict_mode = false)
            )
            WHERE trim(coalesce(line, '')) <> ''
            """,
            [delim, delim, pattern, str(utf8_path)],
        )
    first = con.execute(f"SELECT _row_number, fields FROM {table} ORDER BY _row_number LIMIT 1").fetchall()
    if not first or first[0][0] != 1:
        raise FileRejected(f"{path.name}: line 1 holds no header row. The header must be on line 1.")
    con.execute(f"DELETE FROM {table} WHERE _row_number = 1")
    return first[0][1]


@contextlib.contextmanager
def _as_utf8(path: Path, encoding: str):
    """Check the file's encoding, streamed; yield a path DuckDB reads the file as UTF-8 from.

    UTF-8 files are only checked. Windows-1252 files are decoded in Python (DuckDB's
    latin-1 reader rejects bytes 0x80-0x9F such as – and €) and streamed to DuckDB
    through a pipe, a chunk at a time: the decoded text holds clear personnummer and is
    never written to disk, not even for a moment. A city file that is valid UTF-8 with
    non-ASCII text was exported with the wrong encoding and is rejected, since decoding it
    as Windows-1252 would garble every å, ä, ö.
    """
    if encoding == "utf-8":
        _check_decodes(path, "utf-8")
        yield path
        return
    if _decodes(path, "utf-8") and not _is_ascii(path):
        raise FileRejected(
            f"{path.name}: the file is UTF-8 encoded, but this export must be Windows-1252. "
            "Export it again as Windows-1252 (ANSI)."
        )
    _check_decodes(path, encoding)
    read_end, write_end = os.pipe()
    feeder = threading.Thread(target=_feed_utf8, args=(path, encoding, write_end), daemon=True)
    feeder.start()
    try:
        yield Path(f"/dev/fd/{read_end}")  # DuckDB reads a pipe as a file, front to back
    finally:
        os.close(read_end)  # a feeder DuckDB stopped reading from gets EPIPE and ends
        feeder.join()


def _feed_utf8(path: Path, encoding: str, write_end: int) -> None:
    """Decode ``path`` a chunk at a time into the pipe ``write_end`` as UTF-8."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with os.fdopen(write_end, "wb") as out, path.open("rb") as src:
            while chunk := src.read(CHUNK):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except BrokenPipeError:
        pass


def _check_decodes(path: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, lines = 0, 1
    with path.open("rb") as src:
        while chunk := src.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as err:
                line = lines + chunk[: max(err.start, 0)].count(NEWLINE)
                raise FileRejected(
                    f"{path.name}: line {line} (byte {offset + err.start + 1}) "
                    f"is not valid {encoding}. Export the file again in {encoding}."
                ) from None
            offset += len(chunk)
            lines += chunk.count(NEWLINE)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileRejected(
                f"{path.name}: the file ends inside a character: it was cut off. "
                "Ask the sender for a complete export."
            ) from None


def _decodes(path: Path, encoding: str) -> bool:
    try:
        _check_decodes(path, encoding)
    except FileRejected:
        return False
    return True


def _is_ascii(path: Path) -> bool:
    with path.open("rb") as src:
        while chunk := src.read(CHUNK):
            if not chunk.isascii():
                return False
    return True


def read_xlsx_sheet(con: duckdb.DuckDBPyConnection, path: Path, sheet: Sheet, table: str):
    """Load one sheet into temp ``table``; return its header fields.

    The header row is the first row that holds at least two of the sheet's column
    names: exports put title and blank rows above it.
    """
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as err:  # calamine raises several types for a broken zip or xml
        raise FileRejected(
            f"{path.name}: the file cannot be opened as an Excel workbook ({err}). "
            "Check that it is a complete .xlsx file and ask for a new export."
        ) from None
    name = sheet.sheet_name or workbook.sheet_names[0]
    if name not in workbook.sheet_names:
        raise FileRejected(
            f"{path.name}: sheet '{name}' is missing; sheets found: {', '.join(workbook.sheet_names)}."
        )
    # calamine hands the sheet's rows over one at a time (counted from row 1 whatever the
    # first used cell), and they reach DuckDB in chunks: a large workbook is never held as
    # Python objects at once.
    rows = enumerate(workbook.get_sheet_by_name(name).iter_rows(), start=1)
    wanted = {c.name.strip().casefold() for c in sheet.columns}
    for _, row in itertools.islice(rows, 50):
        header = [_cell_text(c) for c in row]
        if len(wanted & {h.strip().casefold() for h in header}) >= min(2, len(wanted)):
            break
    else:
        raise FileRejected(
            f"{path.name}, sheet '{name}': no header row with the columns "
            f"{', '.join(c.name for c in sheet.columns)} in the first 50 rows."
        )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (_row_number BIGINT, fields VARCHAR[])")
    while chunk := list(itertools.islice(rows, XLSX_CHUNK_ROWS)):
        numbers, fields = [], []
        for number, row in chunk:
            texts = [_cell_text(c) for c in row]
            if any(t.strip() for t in texts):
                numbers.append(number)
                fields.append(texts)
        con.register("xlsx_arrow", pa.table({"_row_number": pa.array(numbers, pa.int64()),
                                             "fields": pa.array(fields, pa.list_(pa.string()))}))
        con.execute(f"INSERT INTO {table} SELECT * FROM xlsx_arrow")
        con.unregister("xlsx_arrow")
    return header


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV export of it would hold (dates in ISO)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
