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
    hidden = {c: out[c].between(1, 4).fillna(False).astype(bool) for c in counts}
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
    """Within each group with exactly one hidden part, hide the smallest shown part."""
    parts = df[part_column] != total
    keys = [df[g] for g in group] if group else [pd.Series(0, index=df.index)]
    part_count = parts.groupby(keys, dropna=False).transform("sum")
    for c in counts:
        hidden_parts = (hidden[c] & parts).groupby(keys, dropna=False).transform("sum")
        candidates = df[c].where(parts & ~hidden[c] & (hidden_parts == 1) & (part_count > 1)).dropna()
        if not candidates.empty:
            smallest = candidates.groupby([k[candidates.index] for k in keys], dropna=False).idxmin()
            hidden[c].loc[smallest.to_numpy()] = True


def is_small(value) -> bool:
    """A count suppressed by the small-count rule (shown as ``<5``)."""
    return isinstance(value, str) and value == SMALL


def protect_parts(df: pd.DataFrame, keys: list[str], total: str, parts: list[str]) -> pd.DataFrame:
    """Counts held in columns (``parts`` of the ``total`` column, e.g. women and men of the
    visitors of known gender), protected: the columns are turned into rows so that the
    secondary suppression works across the parts, then back into columns. Other columns
    are dropped; join them back on ``keys``."""
    long = df.melt(id_vars=keys, value_vars=[total, *parts], var_name="part", value_name="n")
    shown = protect(long, ["n"], part_column="part", total=total, group=keys)
    wide = shown.pivot(index=keys, columns="part", values="n").reset_index()
    wide.columns.name = None
    return wide[[*keys, total, *parts]]


def protect_crosstab(table: pd.DataFrame, hierarchies: list[tuple[str, str, list[str]]]) -> pd.DataFrame:
    """A table of counts (rows x columns), protected along every way its cells add up.

    ``hierarchies``: (axis, total, parts): on axis "columns" the ``parts`` columns add up
    to the ``total`` column in every row (K and M of 'all'); on axis "rows" the ``parts``
    rows add up to the ``total`` row in every column (age groups of those who started).
    The rule is applied along each hierarchy in turn, a cell hidden along one counting as
    small along the others, until no more cells are hidden: a cell suppressed by one
    breakdown cannot be recovered from another.
    """
    values = table.apply(pd.to_numeric, errors="coerce").astype(float)
    hidden = pd.DataFrame(False, index=table.index, columns=table.columns)
    while True:
        before = hidden.copy()
        work = values.mask(hidden, 1.0)  # a hidden cell is small for the rule
        for axis, total, parts in hierarchies:
            frame = work[[total, *parts]] if axis == "columns" else work.loc[[total, *parts]].T
            long = frame.rename_axis("key").reset_index().melt(
                id_vars="key", var_name="part", value_name="n")
            shown = protect(long, ["n"], part_column="part", total=total, group=["key"])
            marks = shown.assign(n=shown["n"].map(is_small)).pivot(index="key", columns="part",
                                                                   values="n")
            marks = (marks if axis == "columns" else marks.T).astype(bool)
            hidden.loc[marks.index, marks.columns] |= marks
        if hidden.equals(before):
            break
    return table.astype(object).mask(hidden, SMALL)
