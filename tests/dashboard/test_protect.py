"""The protection engine (dashboard.protect), computed by hand on tiny views."""

import pandas as pd
import pytest

from dashboard.protect import SMALL, SUPPRESSED, DeclarationError, Disclosure, hide_rates
from tests import attacker


def view(cells: dict, relations=(), rests=()) -> Disclosure:
    """cells: {key: value}; relations: (total, parts); rests: (total, parts, rest key)."""
    d = Disclosure()
    for key, value in cells.items():
        d.cell(key, value)
    for total, parts in relations:
        d.relate(total, parts)
    for total, parts, rest in rests:
        d.relate(total, parts, rest=rest)
    return d.solve()


def reader_leaks(d: Disclosure) -> list:
    return attacker.leaks(d.values, d.implicit - d.known, d.relations, d.marks)


def test_counts_from_one_to_four_show_as_less_than_five_and_zero_is_shown():
    d = view({"a": 0, "b": 1, "c": 4, "d": 5, "e": 120})
    assert d.marks == {"b": SMALL, "c": SMALL}


def test_a_small_part_beside_a_shown_total_hides_the_smallest_other_part_as_secondary():
    # 30 = K + M: K = 3 is small, and M = 27 would give it back as 30 - 27.
    d = view({"all": 30, "K": 3, "M": 27}, [("all", ("K", "M"))])
    assert d.marks == {"K": SMALL, "M": SUPPRESSED}
    assert reader_leaks(d) == []


def test_two_small_parts_protect_each_other():
    d = view({"all": 6, "K": 3, "M": 3}, [("all", ("K", "M"))])
    assert d.marks == {"K": SMALL, "M": SMALL}


def test_a_part_is_hidden_before_the_total_and_the_smallest_first():
    d = view({"Alla": 60, "A": 2, "B": 20, "C": 38}, [("Alla", ("A", "B", "C"))])
    assert d.marks == {"A": SMALL, "B": SUPPRESSED}


def test_an_unknown_part_of_one_to_four_cannot_be_recovered_from_the_total():
    # 12 visitors, 5 women and 5 men shown: the 2 of unknown gender would be 12 - 5 - 5.
    d = view({"all": 12, "K": 5, "M": 5}, rests=[("all", ("K", "M"), "unknown")])
    assert d.values["unknown"] == 2 and len(d.marks) == 1
    assert set(d.marks.values()) == {SUPPRESSED}
    assert reader_leaks(d) == []


def test_a_running_total_hides_a_month_whose_new_people_are_one_to_four():
    # 50 to date, then 51: one new person. Shown as 50 and 51 the difference gives them away.
    d = view({"jan": 50, "feb": 51, "mar": 60},
             rests=[("feb", ("jan",), "new_feb"), ("mar", ("feb",), "new_mar")])
    assert d.values["new_feb"] == 1 and d.values["new_mar"] == 9
    assert d.marks == {"jan": SUPPRESSED}  # a part before a total
    assert reader_leaks(d) == []


def test_a_small_cell_in_one_of_two_breakdowns_of_a_total_is_protected():
    d = view({"started": 20, "young": 3, "old": 17, "school": 12, "college": 8},
             [("started", ("young", "old")), ("started", ("school", "college"))])
    assert d.marks == {"young": SMALL, "old": SUPPRESSED}
    assert reader_leaks(d) == []


def test_a_cell_recovered_only_by_combining_relations_is_protected():
    # T = a + b + c and S = a + b: with a, b and c hidden, each relation alone leaves two or
    # three unknowns, but T - S = c = 2. The engine sees it and hides one total as well.
    cells = {"T": 11, "a": 3, "b": 6, "c": 2, "S": 9}
    relations = [("T", ("a", "b", "c")), ("S", ("a", "b"))]
    d = view(cells, relations)
    assert d.marks["a"] == d.marks["c"] == SMALL and d.marks["b"] == SUPPRESSED
    assert SUPPRESSED in (d.marks.get("S"), d.marks.get("T"))
    assert reader_leaks(d) == []
    # Without S hidden the reader would pin c: the test of the reader sees it too.
    unsafe = _with_marks(cells, relations, {"a": SMALL, "c": SMALL, "b": SUPPRESSED})
    assert [key for key, *_ in reader_leaks(unsafe)] == ["c"]


def _with_marks(cells, relations, marks) -> Disclosure:
    d = Disclosure()
    for key, value in cells.items():
        d.cell(key, value)
    for total, parts in relations:
        d.relate(total, parts)
    d.marks = marks
    return d


def test_small_marks_that_pin_each_other_become_secondary_marks():
    # 2 = K + M with both <5 and the 2 itself <5, but 2 is known from a shown 9 - 7: K and
    # M are then 1 and 1. Where no shown cell is left to hide, a <5 becomes '..'.
    d = view({"all": 2, "K": 1, "M": 1, "nine": 9, "seven": 7},
             [("all", ("K", "M")), ("nine", ("seven", "all"))])
    assert reader_leaks(d) == []
    assert SUPPRESSED in d.marks.values()


def test_a_relation_the_data_does_not_satisfy_is_refused():
    d = Disclosure()
    for key, value in {"all": 10, "K": 3, "M": 8}.items():
        d.cell(key, value)
    with pytest.raises(DeclarationError):
        d.relate("all", ("K", "M"))


def test_a_running_total_that_falls_declares_nothing_when_not_strict():
    d = Disclosure()
    d.cell("jan", 10)
    d.cell("feb", 9)
    d.relate("feb", ("jan",), rest="new", strict=False)
    assert d.relations == [] and "new" not in d.values


def test_missing_cells_are_no_cells_and_their_relations_are_not_declared():
    d = view({"all": None, "K": 3, "M": 7}, [("all", ("K", "M"))])
    assert d.relations == [] and d.marks == {"K": SMALL}


def test_apply_marks_a_frame_and_rates_hide_with_their_counts():
    df = pd.DataFrame({"g": ["all", "K", "M"], "n": [30, 3, 27], "den": [40, 4, 36],
                       "rate": [0.75, 0.75, 0.75]})
    d = Disclosure()
    d.table("t", df, ["g"], ["n", "den"])
    d.relate(("t", "all", "n"), [("t", "K", "n"), ("t", "M", "n")])
    d.relate(("t", "all", "den"), [("t", "K", "den"), ("t", "M", "den")])
    shown = hide_rates(d.solve().apply("t", df, ["g"], ["n", "den"]), {"rate": ("n", "den")})
    assert shown["n"].tolist() == [30, SMALL, SUPPRESSED]
    assert shown["den"].tolist() == [40, SMALL, SUPPRESSED]
    assert shown["rate"].tolist() == [0.75, SUPPRESSED, SUPPRESSED]


def test_a_rate_with_a_denominator_under_five_is_hidden_and_a_missing_rate_stays_missing():
    df = pd.DataFrame({"num": [0, 0, 10], "den": [4, 0, 20], "rate": [0.0, None, 0.5]})
    out = hide_rates(df, {"rate": ("num", "den")})
    assert out["rate"].tolist()[0] == SUPPRESSED and pd.isna(out["rate"].iloc[1])
    assert out["rate"].iloc[2] == 0.5


def test_an_extended_view_keeps_todays_marks_and_hides_archived_cells_instead():
    # Today: all 12 = K 7 + M 5 (no one of unknown gender). As reported then: all 10 =
    # K 7 + M 3; a late file added 2 men. Shown beside today's, then's M = 3 is <5, and
    # then's all and K would give it back (10 - 7), as would today's M and the revision
    # (5 - 2): an archived cell is hidden, today's stay as today's view shows them.
    today = view({"all": 12, "K": 7, "M": 5}, rests=[("all", ("K", "M"), "unknown")])
    assert today.marks == {}
    d = today.extended()
    for gender, value in (("all", 10), ("K", 7), ("M", 3)):
        d.cell(("then", gender), value)
    d.relate(("then", "all"), [("then", "K"), ("then", "M")], rest=("then", "unknown"),
             known_if_zero=True)
    for gender in ("all", "K", "M"):
        d.relate(gender, [("then", gender)], rest=("added", gender), strict=False,
                 known_if_zero=True)
        d.relate(("then", gender), [gender], rest=("removed", gender), strict=False,
                 known_if_zero=True)
    d.solve()
    assert {k: v for k, v in d.marks.items() if k[0] != "then"} == {}
    assert d.marks[("then", "M")] == SMALL
    # then's K equals today's (not revised: known), so hiding it alone protects nothing:
    # then's all is hidden too.
    assert d.marks[("then", "all")] == SUPPRESSED
    assert set(d.marks) <= {("then", "M"), ("then", "all"), ("then", "K")}
    assert reader_leaks(d) == []
    # Without the second archived cell hidden, the reader gets then's M back.
    naive = {("then", "M"): SMALL}
    assert attacker.leaks(d.values, d.implicit - d.known, d.relations, naive)
