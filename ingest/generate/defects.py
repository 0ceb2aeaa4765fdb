"""Bad rows: a share of the rows, each with exactly one defect that ingest must quarantine.

Which columns a defect can hit follows from the column types in ``ingest.sources``, so a
new kind gets its bad rows without code here.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest import sources

REASONS = ("invalid_personnummer", "unknown_code", "invalid_date", "invalid_number",
           "duplicate_row", "invalid_organisationsnummer")
# HEART's rows are its targets (60 interviews, exactly one study visit): kept clean.
CLEAN_KINDS = ("partner_heart_kartlaggning",)
BROKEN_TYPES = {
    "invalid_personnummer": (sources.PNR,),
    "unknown_code": (sources.CODE, sources.CODE_LIST),
    "invalid_date": (sources.DATE, sources.MONTH),
    "invalid_number": (sources.AMOUNT, sources.INT),
    "invalid_organisationsnummer": (sources.ORGNR,),
}
BAD_VALUES = {
    sources.DATE: ("2012-13-45", "31/12/2012", "2011-02-29"),
    sources.MONTH: ("2012-13", "12/2012"),
    sources.AMOUNT: ("12,3,4", "1,2,3,4"),
    sources.INT: ("tre", "7a"),
}
UNKNOWN_CODES = ("99", "Volontär", "Z")
NO_SUCH_BIRTH_DATES = ("19900230", "19850431", "19771131", "19930631", "19890229")


def inject(sheets, kind, share, rng):
    """``sheets`` with bad rows, and the number of bad rows per reason."""
    counts = dict.fromkeys(REASONS, 0)
    if kind.name in CLEAN_KINDS:
        return sheets, counts
    result = []
    for sheet, columns in zip(kind.sheets, sheets):
        columns = list(columns)
        n = len(columns[0])
        eligible = {reason: [i for i, c in enumerate(sheet.columns) if c.type in types]
                    for reason, types in BROKEN_TYPES.items()}
        reasons = [r for r in REASONS if eligible.get(r)
                   or (r == "duplicate_row" and not kind.identical_rows_are_facts)]
        bad = np.sort(rng.choice(n, rng.binomial(n, share), replace=False))
        reason_of = np.array(reasons)[rng.integers(0, len(reasons), len(bad))]
        for reason in reasons:
            rows = bad[reason_of == reason]
            counts[reason] += len(rows)
            if reason == "duplicate_row" or not len(rows):
                continue
            target = rng.choice(eligible[reason], len(rows))  # the one column to break
            for i in eligible[reason]:
                hit = rows[target == i]
                mask = np.zeros(n, bool)
                mask[hit] = True
                values = broken(reason, sheet.columns[i], columns[i].take(hit), rng)
                columns[i] = pc.replace_with_mask(columns[i], pa.array(mask), values)
        # A duplicate is an exact copy right after a good row.
        copies = np.ones(n, int)
        copies[bad[reason_of == "duplicate_row"]] = 2
        order = np.repeat(np.arange(n), copies)
        result.append([column.take(order) for column in columns])
    return result, counts


def broken(reason, column, values, rng) -> pa.Array:
    n = len(values)
    if reason == "invalid_personnummer":
        return bad_personnummer(values, rng)
    if reason == "invalid_organisationsnummer":
        return wrong_check_digit(values, rng)
    if reason == "unknown_code":
        return pa.array(rng.choice([c for c in UNKNOWN_CODES if c not in column.codes], n))
    return pa.array(rng.choice(BAD_VALUES[column.type], n))


def wrong_check_digit(values, rng) -> pa.Array:
    last = pc.cast(pc.utf8_slice_codeunits(values, -1), pa.int64()).to_numpy()
    other = (last + rng.integers(1, 10, len(values))) % 10
    return pc.binary_join_element_wise(pc.utf8_slice_codeunits(values, 0, -1),
                                       pc.cast(pa.array(other), pa.string()), "")


def bad_personnummer(values, rng) -> pa.Array:
    """A wrong check digit, a birth date that does not exist, or a digit missing."""
    n = len(values)
    empty = pc.equal(values, "").to_numpy(zero_copy_only=False)
    variant = np.where(empty, 1, rng.integers(0, 3, n))
    digits = pc.if_else(pa.array(empty), "0", values)
    no_such_date = pc.binary_join_element_wise(
        pa.array(rng.choice(NO_SUCH_BIRTH_DATES, n)),
        pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10_000, n)), pa.string()), 4, "0"), "-")
    return pc.choose(pa.array(variant, pa.int8()), wrong_check_digit(digits, rng), no_such_date,
                     pc.utf8_slice_codeunits(digits, 0, -1))
