"""Small-count protection, computed by hand on tiny tables."""

import pandas as pd

from dashboard.protect import SMALL, protect, protect_crosstab, protect_parts


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


def test_missing_counts_are_not_mistaken_for_small_ones():
    df = pd.DataFrame({"n": pd.array([None, 3, 7], dtype="Int64")})
    assert protect(df, ["n"])["n"].tolist()[1:] == [SMALL, 7]
    assert pd.isna(protect(df, ["n"])["n"].iloc[0])


def test_parts_held_in_columns_get_secondary_suppression():
    df = pd.DataFrame({"city": ["Umeå", "Göteborg"], "known": [40, 12], "women": [3, 6],
                       "men": [37, 6]})
    out = protect_parts(df, ["city"], "known", ["women", "men"]).set_index("city")
    assert out.loc["Umeå"].tolist() == [40, SMALL, SMALL]
    assert out.loc["Göteborg"].tolist() == [12, 6, 6]


def test_a_crosstab_cell_hidden_in_one_breakdown_stays_hidden_in_the_other():
    # Women/men add up to 'all' per row; the age rows add up to 'started' per column.
    table = pd.DataFrame({"K": [20, 2, 18], "M": [25, 10, 15], "all": [45, 12, 33]},
                         index=["started", "under_25", "25_54"])
    out = protect_crosstab(table, [("columns", "all", ["K", "M"]),
                                   ("rows", "started", ["under_25", "25_54"])])
    # K under 25 is small; M under 25 goes with it (row), and so do K 25-54 (column) and,
    # through it, M 25-54 (row): every hidden cell has a hidden partner in each breakdown.
    assert out.loc["under_25", "K"] == SMALL and out.loc["under_25", "M"] == SMALL
    assert out.loc["25_54", "K"] == SMALL and out.loc["25_54", "M"] == SMALL
    assert out.loc["started"].tolist() == [20, 25, 45]
