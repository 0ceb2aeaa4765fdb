"""Quarantined rows as a person reads them: the problem and what was expected, in words.

Ingest records each problem with a reason code and an English detail (ingest/load.py,
ingest/personnummer.py); this maps both to the texts in dashboard/labels/quarantine.py.
Used for the data steward's preview of an upload, the quarantine on Datakvalitet and the
per-file list "to the sender", so a problem reads the same everywhere.
"""

import re

import pandas as pd

from dashboard.labels import TEXTS, text

# (detail as ingest writes it, text key); the pattern's named groups fill the text.
DETAILS = (
    (r"missing", "exp_pnr_missing"),
    (r"not one of the accepted forms.*", "exp_pnr_form"),
    (r"no such birth date", "exp_pnr_birth_date"),
    (r"wrong check digit", "exp_check_digit"),
    (r"empty", "exp_value"),
    (r"expected a date YYYY-MM-DD", "exp_date"),
    (r"expected a month YYYY-MM", "exp_month"),
    (r"the file name says (?P<month>\S+)", "exp_month_of_file"),
    (r"not a number", "exp_number"),
    (r"allowed: (?P<codes>.*)", "exp_codes"),
    (r"not of the form NNNNNN-NNNN", "exp_orgnr_form"),
    (r"expected (?P<expected>\d+) fields, found (?P<found>\d+) \(line cut off\?\)", "exp_fields_cut"),
    (r"expected (?P<expected>\d+) fields, found (?P<found>\d+)", "exp_fields"),
    (r"identical to an earlier row of the file", "exp_unique_row"),
)
HIDDEN_VALUE = "(looks like a personnummer: not stored)"  # ingest.load.PNR_HIDDEN


def expected(detail: str | None, language: str | None = None) -> str:
    """What was expected, for an ingest detail; the detail itself if it is not known."""
    for pattern, key in DETAILS:
        found = re.fullmatch(pattern, detail or "")
        if found:
            return text(key, language).format(**found.groupdict())
    return detail or ""


def reason(code: str, language: str | None = None) -> str:
    key = f"reason_{code}"
    return text(key, language) if key in TEXTS else code


def explained(rows: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """Quarantined rows (row_number, column_name, reason, value, detail) as a table a
    person reads: row, column, the value as delivered (never a personnummer), the
    problem and what was expected."""
    def value(row) -> str:
        if row["reason"] == "invalid_personnummer" or row["value"] == HIDDEN_VALUE:
            return text("q_pnr_hidden", language)
        if row["value"] is None or pd.isna(row["value"]):
            return "" if row["reason"] in ("duplicate_row", "missing_fields", "extra_fields") \
                else text("q_empty", language)
        return str(row["value"])

    return pd.DataFrame({
        text("q_row", language): rows["row_number"].astype("int64"),
        text("q_column", language): [c or text("q_whole_row", language) for c in rows["column_name"]],
        text("q_value", language): [value(r) for _, r in rows.iterrows()],
        text("q_reason", language): [reason(r, language) for r in rows["reason"]],
        text("q_expected", language): [expected(d, language) for d in rows["detail"]],
    })
