"""What a determined reader can learn from a protected view: for every hidden cell, the
smallest and largest value consistent with what is shown, by linear programming.

The reader knows the shown cells, which cells are hidden and with which mark (``<5``
means 1 to 4), the declared relations, and that every count is a whole number of at least
0. Nothing of the engine is used but the view's declaration and its output marks:
``unknown`` are the implicit cells the reader does not know (the declaration's implicit
cells less those it takes as known).
"""

import numpy as np
from scipy.optimize import linprog

from dashboard.protect import SMALL, SUPPRESSED, hidden_groups


def intervals(values: dict, unknown: set, relations: list, marks: dict, only=None) -> dict:
    """Every hidden cell's [low, high] (high None: unbounded) over the relations, solved
    per connected group of hidden cells; ``only``: just the cells it accepts."""
    hidden = set(marks) | set(unknown)
    groups = hidden_groups(hidden, relations)  # independent subsystems, solved apart
    found = {}
    for cells, rels in groups:
        index = {k: i for i, k in enumerate(cells)}
        a_eq, b_eq = [], []
        for total, parts in rels:
            row = np.zeros(len(cells))
            rhs = 0.0
            for sign, cell in [(-1.0, total)] + [(1.0, p) for p in parts]:
                if cell in index:
                    row[index[cell]] += sign
                else:
                    rhs -= sign * values[cell]
            a_eq.append(row)
            b_eq.append(rhs)
        bounds = [(1, 4) if marks.get(k) == SMALL else (0, None) for k in cells]
        for i, key in enumerate(cells):
            if only is not None and not only(key):
                continue
            c = np.zeros(len(cells))
            c[i] = 1.0
            low = linprog(c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
            high = linprog(-c, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds, method="highs")
            assert low.status == 0, (key, low.message)  # the true values are a solution
            top = None if high.status == 3 else -high.fun
            found[key] = (int(np.ceil(low.fun - 1e-6)),
                          None if top is None else int(np.floor(top + 1e-6)))
    return found


def audit(values: dict, unknown: set, relations: list, marks: dict) -> tuple[dict, list]:
    """The intervals of the hidden counts of 1 to 4 people, and those the reader pins
    down: any to one value; a cell shown as ``..`` to within 1 to 4 (no room for 0 or for
    5 and more), which its mark does not say. (A ``<5`` says 1 to 4 by itself, and so
    does an implicit count known to lie within 1 to 4.)"""
    small = intervals(values, unknown, relations, marks, only=lambda k: 1 <= values[k] <= 4)
    found = []
    for key, (low, high) in small.items():
        if low == high or (marks.get(key) == SUPPRESSED and low >= 1
                           and high is not None and high <= 4):
            found.append((key, values[key], low, high))
    return small, found


def leaks(values: dict, unknown: set, relations: list, marks: dict) -> list:
    return audit(values, unknown, relations, marks)[1]
