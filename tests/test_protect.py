"""Small-count protection, computed by hand on tiny tables."""

import pandas as pd

from dashboard.protect import SMALL, protect


def test_counts_from_one_to_four_show_as_less_than_five():
    df = pd.DataFrame({"n": [0, 1, 4, 5, 120]})
    assert protect(df, ["n"])["n"].tolist() == [0, SMALL, SMALL, 5, 120]


def test_rate_hidden_when_denominator_under_five_or_numerator_suppressed():
    df = pd.DataFrame({"num": [2, 0, 3, 10], "den": [4, 8, 40, 20], "rate": [0.5, 0.0, 0.075, 0.5]})
    out = protect(df, ["num", "den"], {"rate": ("num", "den")})
    assert out["rate"].tolist() == [None, 0.0, None, 0.5]
    assert out["den"].tolist() == [SMALL, 8, 40, 20]


def test_secondary_suppression_hides_the_smallest_other_part():
    df = pd.DataFrame({
        "month": ["2012-01"] * 3 + ["2012-02"] * 3,
        "gender": ["all", "K", "M"] * 2,
        "n": [30, 3, 27, 30, 12, 18],
    })
    out = protect(df, ["n"], part_column="gender", total="all", group=["month"])
    # January: K=3 is suppressed, and M=27 would give it back as 30 - 27.
    assert out["n"].tolist() == [30, SMALL, SMALL, 30, 12, 18]


def test_no_secondary_suppression_when_two_parts_are_already_hidden():
    df = pd.DataFrame({"gender": ["all", "K", "M"], "n": [6, 3, 3]})
    out = protect(df, ["n"], part_column="gender", total="all")
    assert out["n"].tolist() == [6, SMALL, SMALL]


def test_three_parts_one_small_hides_the_next_smallest_only():
    df = pd.DataFrame({"district": ["Alla", "A", "B", "C"], "n": [60, 2, 20, 38]})
    out = protect(df, ["n"], part_column="district", total="Alla")
    assert out["n"].tolist() == [60, SMALL, SMALL, 38]
