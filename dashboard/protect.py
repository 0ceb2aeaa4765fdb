"""Small-count protection for the steering group (../shared/spec/access.md), in one place.

Every table and chart a ``styrgrupp`` user sees goes through ``protect``, and so do the
files they download. Rules:

* a count of 1 to 4 people shows as ``<5`` (0 is shown);
* a rate whose denominator is under 5 is not shown;
* a rate whose numerator is shown as ``<5`` is not shown either, since rate times
  denominator would give the numerator back (Kedjan's reading of the recovery rule);
* secondary suppression: within a group of parts with a shown total (e.g. K and M under
  'all'), a single suppressed part could be recovered as total minus the other parts, so
  the smallest other part is suppressed too.
"""

import pandas as pd

SMALL = "<5"


def protect(df: pd.DataFrame, counts: list[str], rates: dict[str, tuple[str, str]] | None = None,
            part_column: str | None = None, total: str | None = None,
            group: list[str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` safe to show: suppressed counts read ``<5``, suppressed rates None.

    ``rates`` maps a rate column to its (numerator, denominator) columns. ``part_column``,
    ``total`` and ``group`` describe parts and their total for secondary suppression: rows
    with the same ``group`` values are one group, the row whose ``part_column`` equals
    ``total`` is its total.
    """
    out = df.copy()
    hidden = {c: out[c].between(1, 4) for c in counts}
    if part_column is not None:
        _secondary(out, hidden, counts, part_column, total, group or [])
    for rate, (numerator, denominator) in (rates or {}).items():
        small = out[denominator].fillna(0) < 5
        if numerator in hidden:
            small |= hidden[numerator]
        out[rate] = out[rate].astype("object").where(~small, None)
    for c in counts:
        out[c] = out[c].astype("object").where(~hidden[c], SMALL)
    return out


def _secondary(df, hidden, counts, part_column, total, group) -> None:
    parts = df[part_column] != total
    keys = group if group else pd.Series(0, index=df.index)
    for c in counts:
        for _, part_rows in df[parts].groupby(keys, dropna=False):
            rows = part_rows.index
            if hidden[c][rows].sum() == 1 and len(rows) > 1:
                shown = df.loc[rows][~hidden[c][rows]]
                hidden[c].loc[shown[c].idxmin()] = True
