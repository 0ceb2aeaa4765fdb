"""What the layer modules share: severities, the unit of validation, frame reading.

A ``Target`` is one bounded frame validated as one whole-dataframe batch against one
expectation suite: a per-file profile of a raw table (one row per loaded file, a column per
check counting the rows that fail it), a sample of a raw table's rows, or a summary of the
load log. No frame grows with the rows of a delivery. The layer modules build targets from
the warehouse; ``expectations.gate`` runs them through Great Expectations.

Every expectation is made with ``expect``, which sets GX's native ``severity`` and records
in ``meta['problem']`` what a failing row *is*, in words ("with Belopp above 1 000 000"):
the gate turns that into the short text of a check ("3 rows with Belopp above 1 000 000").
"""

import os

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before great_expectations is imported

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402

CRITICAL = "critical"  # blocks publishing
WARNING = "warning"  # shown on the data-quality page
SEVERITY_NOTES = {
    CRITICAL: "Severity critical: a failure blocks publishing.",
    WARNING: "Severity warning: a failure is shown on the data-quality page.",
}


def expect(kind: str, severity: str, problem: str, unit: str = "row", meta: dict | None = None,
           **kwargs):
    """A GX expectation of class ``kind`` (e.g. "ExpectColumnValuesToBeInSet").

    ``problem`` says in words what is wrong with a row that fails it, read after a count of
    ``unit``s ("3 rows" + " with Belopp above 1 000 000"); for a table-level expectation
    (a column missing) it is the whole sentence. Both are kept in ``meta``, with ``meta``.
    """
    assert severity in (CRITICAL, WARNING), severity
    cls = getattr(gx.expectations, kind)
    return cls(severity=severity, meta={"problem": problem, "unit": unit, **(meta or {})},
               notes=SEVERITY_NOTES[severity], **kwargs)


@dataclass
class Skipped:
    """An expectation not run: skipped (a table is missing), or, with ``problem``, failed
    because it could not be evaluated (a column it needs is missing or of another type)."""

    expectation: str
    column: str | None
    severity: str
    reason: str
    problem: str | None = None  # set: reported as failed, "could not be evaluated"


@dataclass
class Target:
    suite: str  # expectation suite name, e.g. "raw.af_manadsstatus"
    table: str  # the warehouse table it checks, e.g. "raw.af_manadsstatus"
    frame: pd.DataFrame | None  # None: not run, only its skipped expectations reported
    expectations: list = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # incl. could not be evaluated
    # Columns that name a row of the frame in a check's details, e.g. ("label",).
    label_columns: tuple[str, ...] = ()
    unit: str = "row"  # what a row of the frame is: row, file, month
    # For a per-file profile: (measure column, load id) -> example rows of that file that
    # fail the check, e.g. ["row 3: 2012-04-02"] (a small query on the warehouse).
    examples: Callable[[str, int], list[str]] | None = None

    def label(self, index) -> str:
        """A short name of one row of the frame, for a check's details."""
        if self.frame is None or not self.label_columns or index not in self.frame.index:
            return f"row {index}"
        return " ".join(str(self.frame.loc[index, c]) for c in self.label_columns)


def number(n) -> str:
    """1234567 -> '1 234 567' (Swedish thousands separator, as the users write it)."""
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.2f}".replace(",", " ")
    return f"{int(n):,}".replace(",", " ")


def percent(share: float) -> str:
    """0.05 -> '5', 0.125 -> '12.5' (a share as a percentage, without float noise)."""
    return f"{round(100 * share, 1):g}"


def table_exists(con, schema: str, table: str) -> bool:
    """Whether the connection's database has the table (or view)."""
    return con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = "
        "current_database() AND table_schema = ? AND table_name = ?",
        [schema, table]).fetchall()[0][0] > 0


def columns_of(con, schema: str, table: str) -> dict[str, str]:
    """Column name -> DuckDB type, in table order."""
    return dict(con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = "
        "current_database() AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, table]).fetchall())


def read_frame(con, sql: str, params=None) -> pd.DataFrame:
    """A (bounded) query's result as a DataFrame with dtypes GX checks predictably.

    Dates and timestamps become ``datetime64[ns]`` (a date outside the nanosecond range,
    year < 1678 or > 2261, keeps microseconds), integers ``int64`` (``Int64`` when a value
    is missing), and text columns with no value at all pandas' ``str``. Values are never
    converted between kinds: a date stored as text stays text, so the type expectations
    still see what the warehouse holds.
    """
    df = con.execute(sql, params or []).df()
    for name in df.columns:
        column = df[name]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            if getattr(column.dt, "tz", None) is None and column.dtype != "datetime64[ns]":
                try:
                    df[name] = column.astype("datetime64[ns]")
                except (OverflowError, pd.errors.OutOfBoundsDatetime):
                    pass
        elif pd.api.types.is_integer_dtype(column.dtype):
            df[name] = column.astype("Int64" if column.isna().any() else "int64")
        elif column.dtype == object and column.isna().all():
            df[name] = column.astype("str")
    return df
