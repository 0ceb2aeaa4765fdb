"""Small-count protection for the steering group (../shared/spec/access.md): one engine.

What a protected viewer sees is declared as a ``Disclosure``: its *cells* (counts of
people, each with a key) and the *relations* between them (a total and the parts that add
up to it). A part the page never shows but that a relation implies is declared as an
*implicit* cell: the people of unknown gender beside women and men, the month's new people
in a running total, the people who reached a step without the one before. Implicit cells
are counts of people too. Cells with the same key are one count wherever they are shown,
so a total shown elsewhere on the page counts as shown.

Rules (``Disclosure.solve``):

* primary: a shown count from 1 to 4 shows as ``<5`` (0 is shown);
* secondary: no count of 1 to 4 people, shown as ``<5`` or implicit, may be recoverable
  from the shown cells and the relations, knowing that every count is a whole number
  of at least 0 and that ``<5`` means 1 to 4: not to one value, and a cell marked ``..``
  not even as lying within 1 to 4. Quick tests first (bounds carried through the
  relations, linear algebra over the hidden cells), then the exact one, linear
  programming. Where one is exposed, the smallest shown cell of a relation through it is
  hidden too, parts before totals, until none is. A cell hidden this way shows as ``..``
  (the mark SCB and Eurostat use), never as ``<5``: its true value may be anything;
* rates (``hide_rates``): shown only when their numerator and denominator are both shown
  and the denominator is at least 5; otherwise the rate would give a hidden count back.
* a view shown beside another one (``extended``: the figures as reported then beside
  today's) holds the other's cells, relations and marks as they are, since the reader
  sees both: only its own cells are hidden further, so that the two together give no
  hidden count back.

A declared relation that the data does not satisfy raises ``DeclarationError``: the page
then fails rather than protect on a wrong premise.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.linalg import null_space
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

SMALL = "<5"  # a count of 1 to 4 people
SUPPRESSED = ".."  # hidden so that a small count cannot be recovered (secondary)
MARKS = (SMALL, SUPPRESSED)
_INF = float("inf")


class DeclarationError(ValueError):
    """A declared relation does not hold in the data."""


def is_suppressed(value) -> bool:
    """A cell hidden by the protection (``<5`` or ``..``)."""
    return isinstance(value, str) and value in MARKS


def _count(value) -> int | None:
    if value is None or isinstance(value, str) or pd.isna(value):
        return None
    return int(round(float(value)))


@dataclass
class Disclosure:
    """The cells and relations of one view, and which cells it hides."""

    values: dict = field(default_factory=dict)
    implicit: set = field(default_factory=set)
    known: set = field(default_factory=set)  # implicit cells a reader may take as known
    relations: list = field(default_factory=list)
    marks: dict = field(default_factory=dict)  # key -> SMALL or SUPPRESSED, after solve()
    settled: dict = field(default_factory=dict)  # marks another view gave: kept as they are
    fixed: set = field(default_factory=set)  # cells another view shows: never hidden here

    def cell(self, key, value) -> None:
        """A shown count (a missing value is no cell)."""
        count = _count(value)
        if count is None:
            return
        if self.values.get(key, count) != count:
            raise DeclarationError(f"cell {key} declared as {self.values[key]} and {count}")
        self.values[key] = count

    def relate(self, total, parts, rest=None, strict: bool = True, define: bool = False,
               known_if_zero: bool = False) -> None:
        """``total`` = the sum of ``parts`` (+ ``rest``, an implicit cell: the remainder).

        ``define``: ``total`` is an implicit cell, the sum of the parts. ``strict=False``: a
        relation whose remainder would be negative does not hold here and is not declared
        (a running total that fell). ``known_if_zero``: a remainder of 0 counts as known to
        the reader (people of unknown gender are rare enough that a reader may assume
        there are none). A relation with a missing cell is not declared: nothing can be
        recovered from it.
        """
        if define and all(p in self.values for p in parts):
            self.values[total] = sum(self.values[p] for p in parts)
            self.implicit.add(total)
        keys = [total, *parts]
        if any(k not in self.values for k in keys):
            return
        remainder = self.values[total] - sum(self.values[p] for p in parts)
        if rest is None:
            if remainder != 0:
                raise DeclarationError(f"{total} is not the sum of {parts} ({remainder} off)")
        else:
            if remainder < 0 and not strict:
                return
            if remainder < 0 or self.values.get(rest, remainder) != remainder:
                raise DeclarationError(f"{total} minus {parts} is {remainder}, not a count")
            self.values[rest] = remainder
            self.implicit.add(rest)
            if known_if_zero and remainder == 0:
                self.known.add(rest)
            parts = [*parts, rest]
        self.relations.append((total, tuple(parts)))

    def table(self, name, df: pd.DataFrame, keys: list[str], counts: list[str]) -> None:
        """Every count of ``df`` as a cell keyed (name, *row keys, column)."""
        for row in df[keys + counts].itertuples(index=False):
            for column, value in zip(counts, row[len(keys):]):
                self.cell((name, *row[:len(keys)], column), value)

    def shown(self) -> set:
        return set(self.values) - self.implicit

    def extended(self) -> "Disclosure":
        """A new view beside this solved one, which the same reader sees too (archived
        figures beside today's): it starts with this one's cells, relations and marks, and
        keeps them as they are (this view shows them already), so that only the cells
        added to the new one are hidden to protect what the two show together."""
        return Disclosure(values=dict(self.values), implicit=set(self.implicit),
                          known=set(self.known), relations=list(self.relations),
                          settled=dict(self.marks), fixed=self.shown() - set(self.marks))

    # --- the engine ----------------------------------------------------------------------

    def solve(self) -> "Disclosure":
        primary = {k for k in self.shown() - self.fixed - set(self.settled)
                   if 1 <= self.values[k] <= 4}
        self.marks = {**self.settled, **dict.fromkeys(primary, SMALL)}
        hidden = set(self.marks) | (self.implicit - self.known)
        by_cell = defaultdict(list)
        for relation in self.relations:
            for key in (relation[0], *relation[1]):
                by_cell[key].append(relation)
        changed = set(hidden)  # only groups of hidden cells that changed are checked again
        while True:
            exposed = set()
            for cells, relations in hidden_groups(hidden, self.relations):
                if not changed.isdisjoint(cells):
                    exposed |= self._exposed(cells, relations, hidden)
            if not exposed:
                # The quick tests pass: the exact one (linear programming) decides.
                exposed = self._unsafe_by_lp(hidden)
                if not exposed:
                    return self
            changed = set()
            for key in sorted(exposed, key=repr):
                if not changed.isdisjoint(_cells_of(by_cell[key])):
                    continue  # a cell hidden this round may already protect it
                partner = self._partner(key, by_cell, hidden)
                if partner is None:
                    continue  # all around it is hidden already (maybe in this round)
                hidden.add(partner)
                self.marks[partner] = SUPPRESSED
                changed.add(partner)
            if not changed:
                raise DeclarationError(f"{sorted(exposed, key=repr)[:3]} cannot be protected")
            changed |= exposed  # checked again next round, whatever was hidden beside them

    def _exposed(self, cells: list, relations: list, hidden: set) -> set:
        """The exposed cells of one group of hidden cells joined by ``relations``: pinned
        to one value by the bounds carried through the relations (a cell marked ``..``
        already when pinned to within 1 to 4: its mark does not say it is small), or
        determined exactly."""
        sensitive = [k for k in cells if 1 <= self.values[k] <= 4]
        if not sensitive:
            return set()
        low, high = self._bounds(cells, relations, hidden)
        leaks = {k for k in sensitive if low[k] == high[k] or (
            self.marks.get(k) == SUPPRESSED and low[k] >= 1 and high[k] <= 4)}
        if leaks:
            return leaks  # the exact test (costlier) once these are protected
        return {k for k in _determined(cells, relations) if 1 <= self.values[k] <= 4}

    def _bounds(self, cells: list, relations: list, hidden: set) -> tuple[dict, dict]:
        """Each hidden cell's smallest and largest value that the shown cells and the
        relations allow (every count at least 0, ``<5`` 1 to 4), carried through the
        relations until nothing changes."""
        low, high = {}, {}
        for k in {c for total, parts in relations for c in (total, *parts)} | set(cells):
            if k in hidden:
                low[k], high[k] = (1, 4) if self.marks.get(k) == SMALL else (0, _INF)
            else:
                low[k] = high[k] = self.values[k]
        for _ in range(200):
            changed = False
            for total, parts in relations:
                sum_low = sum(low[p] for p in parts)
                sum_high = sum(high[p] for p in parts)
                new = (max(low[total], sum_low), min(high[total], sum_high))
                if new != (low[total], high[total]):
                    low[total], high[total], changed = *new, True
                for p in parts:
                    new = (max(low[p], low[total] - (sum_high - high[p])),
                           min(high[p], high[total] - (sum_low - low[p])))
                    if new != (low[p], high[p]):
                        low[p], high[p], changed = *new, True
            if not changed:
                break
        return low, high

    def _unsafe_by_lp(self, hidden: set) -> set:
        """Counts of 1 to 4 people among ``hidden`` that linear programming pins down
        (the reader's best: the relations, every count at least 0, ``<5`` as 1 to 4).

        A few solves over the whole view (the fewest and the most hidden small people,
        two mixed objectives) move most cells away from their true value, which proves
        them free; only the cells none of them moved get a solve of their own, over
        their group of hidden cells.
        """
        sensitive = [k for k in sorted(hidden, key=repr) if 1 <= self.values[k] <= 4]
        if not sensitive:
            return set()
        system = _System(self, hidden)
        truth = np.array([self.values[k] for k in system.cells], dtype=float)
        at = [system.index[k] for k in sensitive]
        pool = [truth]
        rng = np.random.default_rng(len(sensitive))  # the same view, the same solves
        for weights in (np.ones(len(at)), -np.ones(len(at)),
                        rng.choice([-1.0, 1.0], len(at)), rng.choice([-1.0, 1.0], len(at))):
            objective = np.zeros(len(system.cells))
            objective[at] = weights
            solution = system.solve(objective)
            if solution is not None:
                pool.append(solution)
        pool = np.array(pool)
        unsafe = set()
        for key, i in zip(sensitive, at):
            if self._free(key, pool[:, i]):
                continue
            low, high = system.interval(i)
            if self._free(key, np.array([low, high])):
                continue
            unsafe.add(key)
        return unsafe

    def _free(self, key, values: np.ndarray) -> bool:
        """Whether a cell takes these values and is not pinned down: a ``..`` one may be 0
        or 5 and more; any other one another whole number than its own."""
        if self.marks.get(key) == SUPPRESSED:
            return bool((values <= 1e-6).any() or (values >= 5 - 1e-6).any())
        return bool((np.abs(values - self.values[key]) >= 1 - 1e-6).any())

    def _partner(self, key, by_cell, hidden):
        """The cell to hide for ``key``: a shown cell from the relations nearest to it
        (through hidden cells), a part before a total, the smallest positive count first
        (a zero hides little), then the smallest. Where every cell around is hidden and
        the ``<5`` marks themselves pin it, the nearest ``<5`` cell, itself first, is
        marked ``..`` instead: that says less (any value) than ``<5`` (1 to 4)."""
        seen, frontier, marked = {key}, [key], [key]
        while frontier:
            candidates, reached = [], []
            for cell in frontier:
                for total, parts in by_cell[cell]:
                    for other in (total, *parts):
                        if other in seen:
                            continue
                        seen.add(other)
                        if other in hidden:
                            reached.append(other)
                        elif other not in self.fixed:
                            value = self.values[other]
                            candidates.append((other == total, value == 0, value, repr(other), other))
            if candidates:
                return min(candidates)[-1]
            marked += reached
            frontier = reached
        return next((k for k in marked if self.marks.get(k) == SMALL
                     and k not in self.settled), None)

    # --- frames ----------------------------------------------------------------------------

    def apply(self, name, df: pd.DataFrame, keys: list[str], counts: list[str]) -> pd.DataFrame:
        """``df`` with its hidden cells (declared by ``table``) replaced by their marks."""
        out = df.copy()
        for column in counts:
            marks = [self.marks.get((name, *row, column)) for row in
                     df[keys].itertuples(index=False)]
            if any(marks):
                out[column] = [m if m else v for m, v in zip(marks, out[column].astype(object))]
        return out


class _System:
    """The reader's linear system over a view's hidden cells: the relations with the shown
    cells moved to the right-hand side; bounds 1 to 4 for ``<5``, at least 0 otherwise."""

    def __init__(self, disclosure: "Disclosure", hidden: set):
        self.cells = sorted(hidden, key=repr)
        self.index = {k: i for i, k in enumerate(self.cells)}
        rows, cols, data, rhs = [], [], [], []
        for total, parts in disclosure.relations:
            terms = [(-1.0, total)] + [(1.0, p) for p in parts]
            if not any(k in self.index for _, k in terms):
                continue
            constant = 0.0
            for sign, k in terms:
                if k in self.index:
                    rows.append(len(rhs))
                    cols.append(self.index[k])
                    data.append(sign)
                else:
                    constant -= sign * disclosure.values[k]
            rhs.append(constant)
        self.matrix = coo_matrix((data, (rows, cols)), shape=(len(rhs), len(self.cells))).tocsr()
        self.rhs = np.array(rhs)
        self.bounds = [(1, 4) if disclosure.marks.get(k) == SMALL else (0, None)
                       for k in self.cells]

    def solve(self, objective: np.ndarray) -> np.ndarray | None:
        if not len(self.rhs):
            return None
        result = linprog(objective, A_eq=self.matrix, b_eq=self.rhs, bounds=self.bounds,
                         method="highs")
        return result.x if result.status == 0 else None

    def interval(self, i: int) -> tuple[float, float]:
        """The smallest and largest value of cell ``i`` (inf: unbounded)."""
        objective = np.zeros(len(self.cells))
        objective[i] = 1.0
        low = self.solve(objective)
        high = self.solve(-objective) if low is not None else None
        top = np.inf if high is None else high[i]
        return (low[i] if low is not None else 0.0), top


def _determined(cells: list, relations: list) -> set:
    """The cells of one group of hidden cells whose value follows exactly from the
    relations and the shown cells: every direction of freedom the relations leave (their
    null space over the hidden cells) is 0 at the cell.

    Most relations hold a cell found in no other (the unknown part, a month's new people):
    such a relation constrains nothing else, so it is set aside first, the null space of
    what remains is computed, and the set-aside cells are then expressed through the
    others (in reverse order), which keeps the dense algebra small.
    """
    coefficients = []
    for total, parts in relations:
        row = defaultdict(float)
        row[total] -= 1.0
        for p in parts:
            row[p] += 1.0
        coefficients.append({k: c for k, c in row.items() if k in cells and c})
    occurs = defaultdict(set)
    for i, row in enumerate(coefficients):
        for k in row:
            occurs[k].add(i)
    remaining, set_aside = set(range(len(coefficients))), []
    leaves = [k for k in cells if len(occurs[k]) == 1]
    while leaves:
        leaf = leaves.pop()
        if len(occurs[leaf]) != 1:
            continue
        i = occurs[leaf].pop()
        remaining.discard(i)
        set_aside.append((leaf, coefficients[i]))
        for k in coefficients[i]:
            if k != leaf:
                occurs[k].discard(i)
                if len(occurs[k]) == 1:
                    leaves.append(k)
    core_cells = sorted({k for i in remaining for k in coefficients[i]}, key=repr)
    placed = {k for k, _ in set_aside}
    free_cells = [k for k in cells if k not in placed and k not in core_cells]
    index = {k: i for i, k in enumerate(core_cells)}
    matrix = np.zeros((len(remaining), len(core_cells)))
    for row, i in enumerate(sorted(remaining)):
        for k, c in coefficients[i].items():
            matrix[row, index[k]] = c
    core = null_space(matrix) if len(remaining) else np.eye(len(core_cells))
    width = core.shape[1] + len(free_cells)
    basis = {k: np.concatenate([core[i], np.zeros(len(free_cells))]) for k, i in index.items()}
    for j, k in enumerate(free_cells):
        basis[k] = np.zeros(width)
        basis[k][core.shape[1] + j] = 1.0
    for leaf, row in reversed(set_aside):
        basis[leaf] = -sum((c * basis[k] for k, c in row.items() if k != leaf),
                           np.zeros(width)) / row[leaf]
    return {k for k in cells if width == 0 or np.abs(basis[k]).max() < 1e-9}


def _cells_of(relations) -> list:
    return [k for total, parts in relations for k in (total, *parts)]


def hidden_groups(hidden: set, relations: list) -> list[tuple[list, list]]:
    """The hidden cells grouped by the relations that join them, each group with the
    relations that hold one of its cells."""
    parent = {k: k for k in hidden}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    touching = []
    for relation in relations:
        cells = [k for k in (relation[0], *relation[1]) if k in hidden]
        if cells:
            touching.append((relation, cells))
            for other in cells[1:]:
                parent[root(other)] = root(cells[0])
    groups = defaultdict(lambda: ([], []))
    for k in hidden:
        groups[root(k)][0].append(k)
    for relation, cells in touching:
        groups[root(cells[0])][1].append(relation)
    return list(groups.values())


@dataclass
class Protected:
    """The frames of a view as a viewer may see them; ``protected``: small-count protection
    was applied. The display helpers (dashboard.components) want one of these for every
    table and chart a protected viewer gets, so no table reaches them undeclared."""

    frames: dict
    protected: bool
    disclosure: Disclosure | None = None  # what was declared and hidden (for audits)

    def __getitem__(self, name: str) -> pd.DataFrame | None:
        """A shallow copy of the frame: views are cached and shared (dashboard.views)."""
        frame = self.frames.get(name)
        return None if frame is None else frame.copy(deep=False)


# A table or chart without counts of people (money, dates, texts): nothing to protect.
NO_PEOPLE = Protected({}, protected=False)


def hide_rates(df: pd.DataFrame, rates: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Rates (``rate: (numerator, denominator)``) shown only where both are shown and the
    denominator is at least 5; a hidden rate reads ``..`` (a rate with no value stays so)."""
    out = df.copy()
    for rate, (numerator, denominator) in rates.items():
        den = out[denominator].astype(object)
        hidden = (out[numerator].map(is_suppressed) | den.map(is_suppressed)
                  | pd.to_numeric(den.where(~den.map(is_suppressed)), errors="coerce")
                  .fillna(0).lt(5))
        values = out[rate].astype(object)
        out[rate] = values.where(~hidden | values.isna(), SUPPRESSED)
    return out
