"""The synthetic exports: formats, determinism, and a manifest that tells the truth."""

import csv
import datetime
import re
from collections import Counter

import duckdb
import numpy as np
import pyarrow as pa
import pytest
from python_calamine import CalamineWorkbook

from ingest import personnummer, sources
from ingest.generate import generate
from ingest.generate.defects import REASONS

SMALL = 300  # participants, for the tests that generate more than once
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTH_TEXT = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
AMOUNT_TEXT = re.compile(r"-?\d{1,3}([ \u00a0]\d{3})+,\d{2}|-?\d+(,\d{1,2})?")
WORK_OR_STUDIES = ("ARBETE_TV", "ARBETE_TB", "EGET_FORETAG", "UTBILDNING")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("exports")
    manifest_path = tmp_path_factory.mktemp("manifest") / "manifest.json"
    manifest = generate("demo", seed=7, out=out, bad_share=0.01, manifest=manifest_path)
    return out, manifest


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    generate(seed=2, out=out, participants=SMALL, bad_share=0)
    return out


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    personnummer.install(connection)
    return connection


def export_year(name):
    return int(re.search(r"_(\d{4})\d*\.", name).group(1))


def read_rows(path) -> list[tuple[sources.Sheet, list[str], list[list]]]:
    """Per sheet: the sheet, its header and its data rows, as delivered."""
    kind = sources.kind_for(path.name)
    if kind.extension == "csv":
        encoding = "utf-8-sig" if kind.source == "af" else kind.encoding
        with open(path, encoding=encoding, newline="") as f:
            rows = list(csv.reader(f, delimiter=kind.delimiter))
        return [(kind.sheets[0], rows[0], rows[1:])]
    workbook = CalamineWorkbook.from_path(str(path))
    result = []
    for i, sheet in enumerate(kind.sheets):
        name = sheet.sheet_name or workbook.sheet_names[i]
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        result.append((sheet, rows[2], rows[3:]))  # a title row and a blank row come first
    return result


def number_checks(con, values) -> list[tuple]:
    """(problem, 12-digit form) per (type, export year, value), all in one DuckDB query
    with the macros ingest uses; problem is None for a valid number."""
    con.register("v", pa.table({"i": range(len(values)), "t": [v[0] for v in values],
                                "y": [v[1] for v in values], "s": [v[2] for v in values]}))
    return con.execute("""
        SELECT CASE WHEN t = 'pnr' THEN pnr_problem(pnr_twelve(s, y)) ELSE orgnr_problem(s) END,
               CASE WHEN t = 'pnr' THEN pnr_twelve(s, y) END
        FROM v ORDER BY i""").fetchall()


def problems(con, directory) -> dict[str, Counter]:
    """The bad rows of every file per reason, judged independently of the generator:
    dates, numbers, codes and duplicates in Python, personnummer and organisationsnummer
    with the DuckDB macros."""
    files = {p.name: read_rows(p) for p in sorted(directory.iterdir())}
    numbers = []  # (type, year, value) of every personnummer and organisationsnummer
    for name, sheets in files.items():
        for sheet, _, rows in sheets:
            for j, column in enumerate(sheet.columns):
                if column.type in (sources.PNR, sources.ORGNR):
                    kind = "pnr" if column.type == sources.PNR else "orgnr"
                    numbers += [(kind, export_year(name), row[j]) for row in rows]
    verdicts = iter(number_checks(con, numbers))
    result = {}
    for name, sheets in files.items():
        found = result[name] = Counter()
        for sheet, header, rows in sheets:
            assert header == [c.name for c in sheet.columns]
            bad = [[] for _ in rows]
            for j, column in enumerate(sheet.columns):
                for i, row in enumerate(rows):
                    value = row[j]
                    if column.type in (sources.PNR, sources.ORGNR):
                        problem = next(verdicts)[0]
                        if (value == "" and column.required) or (value != "" and problem):
                            bad[i].append("invalid_personnummer" if column.type == sources.PNR
                                          else "invalid_organisationsnummer")
                    elif value == "" or isinstance(value, datetime.date):
                        continue
                    elif column.type == sources.DATE and not valid_date(value):
                        bad[i].append("invalid_date")
                    elif column.type == sources.MONTH and not MONTH_TEXT.fullmatch(value):
                        bad[i].append("invalid_date")
                    elif column.type == sources.AMOUNT and not AMOUNT_TEXT.fullmatch(value):
                        bad[i].append("invalid_number")
                    elif column.type == sources.INT and not (
                            isinstance(value, (int, float)) or value.isdigit()):
                        bad[i].append("invalid_number")
                    elif column.type == sources.CODE and value.strip() not in column.codes:
                        bad[i].append("unknown_code")
                    elif column.type == sources.CODE_LIST and not set(
                            v.strip() for v in value.split(",")) <= set(column.codes):
                        bad[i].append("unknown_code")
            if not sources.kind_for(name).identical_rows_are_facts:
                seen = set()
                for i, row in enumerate(rows):
                    key = tuple(map(str, row))
                    if key in seen:
                        bad[i].append("duplicate_row")
                    seen.add(key)
            assert all(len(reasons) <= 1 for reasons in bad), f"{name}: a row with two defects"
            found.update(reasons[0] for reasons in bad if reasons)
    return result


def valid_date(text):
    try:
        return bool(DATE_TEXT.fullmatch(text)) and datetime.date.fromisoformat(text) is not None
    except ValueError:
        return False


def personnummer_in(con, paths) -> list[tuple[str, str, str]]:
    """(file name, as written, 12-digit number) of every valid personnummer in CSV files."""
    written = []
    for path in paths:
        (sheet, _, rows), = read_rows(path)
        for j, column in enumerate(sheet.columns):
            if column.type == sources.PNR:
                written += [(path.name, row[j]) for row in rows if row[j] != ""]
    checks = number_checks(con, [("pnr", export_year(name), s) for name, s in written])
    return [(name, s, twelve) for (name, s), (problem, twelve) in zip(written, checks)
            if problem is None]


def contents(directory) -> dict:
    """File name -> bytes (CSV) or cell values (xlsx)."""
    result = {}
    for path in sorted(directory.iterdir()):
        if path.suffix == ".csv":
            result[path.name] = path.read_bytes()
        else:
            result[path.name] = [rows for _, _, rows in read_rows(path)]
    return result


def test_every_kind_is_written_with_dated_names(demo):
    out, manifest = demo
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(manifest["files"])
    assert {sources.kind_for(n).name for n in names} == {k.name for k in sources.FILE_KINDS}
    for name in names:
        kind = sources.kind_for(name)
        stamp = name[len(kind.name) + 1:-len(kind.extension) - 1]
        digits = 6 if kind.month_in_name else 4 if kind.name == "partner_heart_kartlaggning" else 8
        assert re.fullmatch(rf"\d{{{digits}}}", stamp), name
    assert "partner_heart_kartlaggning_2009.xlsx" in names
    assert "af_manadsstatus_200908.csv" in names and "af_manadsstatus_201808.csv" in names
    assert not any(n.startswith("af_manadsstatus_2015") and n < "af_manadsstatus_201509"
                   for n in names)


def test_same_seed_same_rows_and_another_seed_other_rows(tmp_path):
    runs = {}
    for label, seed in (("a", 3), ("b", 3), ("c", 4)):
        generate(seed=seed, out=tmp_path / label, participants=SMALL)
        runs[label] = contents(tmp_path / label)
    assert runs["a"] == runs["b"]
    assert runs["a"].keys() == runs["c"].keys()
    assert runs["a"]["af_manadsstatus_201201.csv"] != runs["c"]["af_manadsstatus_201201.csv"]


def test_until_writes_the_earlier_files_unchanged(tmp_path):
    full = generate(seed=5, out=tmp_path / "full", participants=SMALL)
    part = generate(seed=5, out=tmp_path / "part", participants=SMALL, until="2012-06")
    assert part["files"] and set(part["files"]) < set(full["files"])
    assert all(f["export_date"] <= "2012-06-30" for f in part["files"].values())
    assert {n for n, f in full["files"].items() if f["export_date"] <= "2012-06-30"} == set(
        part["files"])
    for name in part["files"]:
        if name.endswith(".csv"):
            assert (tmp_path / "part" / name).read_bytes() == (
                tmp_path / "full" / name).read_bytes()
        else:
            assert contents_of(tmp_path / "part" / name) == contents_of(tmp_path / "full" / name)


def contents_of(path):
    return [rows for _, _, rows in read_rows(path)]


def header_of(name, delimiter=";"):
    return delimiter.join(c.name for c in sources.kind_for(name).sheets[0].columns)


def test_encodings_delimiters_and_line_ends(demo):
    out, _ = demo
    for path in out.glob("af_*.csv"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf" + header_of(path.name).encode())
    jobbtorg = (out / "stad_jobbtorg_deltagare_20140731.csv").read_bytes()
    assert not jobbtorg.startswith(b"\xef\xbb\xbf")
    assert b"\x96" in jobbtorg and b"\x80" in jobbtorg  # – and € in Windows-1252
    text = jobbtorg.decode("cp1252")
    assert text.splitlines()[0] == header_of("stad_jobbtorg_deltagare_20140731.csv")
    assert "Plan upprättad" in text and "Handläggare" in text and " – " in text
    assert text.count("\r\n") == text.count("\n")
    assistance = (out / "stad_ekonomiskt_bistand_201206.csv").read_bytes().decode("cp1252")
    assert "Utbetalningsmånad" in assistance
    assert re.search(r";\d{1,3}\u00a0\d{3},\d{2};", assistance)
    assert re.search(r";\d{1,3} \d{3},\d{2};", assistance)
    hub = (out / "partner_entryhub_besok_20180831.csv").read_bytes()
    assert not hub.startswith(b"\xef\xbb\xbf")
    hub_rows = list(csv.reader(hub.decode("utf-8").splitlines()))
    assert all(len(row) == 7 for row in hub_rows)
    assert any("," in row[5] for row in hub_rows[1:])  # quoted employer names
    costs = (out / "ekonomi_utfall_20101231.csv").read_text("utf-8")
    assert re.search(r";\d+,\d{2};", costs)


def test_xlsx_layout(demo):
    out, _ = demo
    heart = CalamineWorkbook.from_path(str(out / "partner_heart_kartlaggning_2009.xlsx"))
    assert heart.sheet_names == ["Företag", "Intervjuer", "Städer"]
    cells = Counter()
    for path in out.glob("partner_*.xlsx"):
        for sheet, header, rows in read_rows(path):
            workbook = CalamineWorkbook.from_path(str(path))
            name = sheet.sheet_name or workbook.sheet_names[0]
            top = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            assert "uttag" in top[0][0] and all(v == "" for v in top[1])
            assert header == [c.name for c in sheet.columns]
            for j, column in enumerate(sheet.columns):
                if column.type == sources.DATE:
                    cells.update("iso text" if isinstance(row[j], str) and valid_date(row[j])
                                 else type(row[j]).__name__ for row in rows if row[j] != "")
    assert cells["date"] > 10 * cells["iso text"] > 0  # mostly date cells, some ISO text


def test_manifest_counts_match_the_files(demo, con):
    out, manifest = demo
    found = problems(con, out)
    totals = Counter()
    for name, entry in manifest["files"].items():
        path = out / name
        assert entry["rows"] == sum(len(rows) for _, _, rows in read_rows(path)), name
        assert dict(found[name]) == {r: n for r, n in entry["bad"].items() if n}, name
        totals.update(entry["bad"])
    rows = sum(entry["rows"] for entry in manifest["files"].values())
    assert set(totals) == set(REASONS) and all(totals[r] > 0 for r in REASONS)
    assert 0.005 < sum(totals.values()) / rows < 0.015
    for name in manifest["files"]:
        if name.startswith(("stad_ekonomiskt_bistand", "ekonomi_utfall")):
            assert manifest["files"][name]["bad"]["duplicate_row"] == 0


def test_personnummer_forms_centuries_and_people(clean, con):
    written = personnummer_in(con, sorted(clean.glob("*.csv")))
    patterns = {"YYYYMMDDNNNN": r"\d{12}", "YYYYMMDD-NNNN": r"\d{8}-\d{4}",
                "YYMMDD-NNNN": r"\d{6}-\d{4}", "YYMMDDNNNN": r"\d{10}",
                "YYMMDD+NNNN": r"\d{6}\+\d{4}"}
    forms = Counter(next(form for form, pattern in patterns.items() if re.fullmatch(pattern, s))
                    for _, s, _ in written)
    assert len(forms) == 5 and min(forms.values()) > 0
    assert any(int(t[6:8]) > 60 for _, _, t in written)  # samordningsnummer
    # One person, one number: the ten digits written in every form resolve to a single
    # century across all files and export years.
    centuries = {}
    for name, s, twelve in written:
        centuries.setdefault(twelve[2:], set()).add(twelve[:2])
        if "+" in s:  # aged 100 or more at the export date
            assert 100 <= export_year(name) - int(twelve[:4]) < 120
    assert all(len(c) == 1 for c in centuries.values())
    # The same people across files: everyone at Jobbtorg, with a month-end status or paid
    # assistance (but the centenarians) is a registered job seeker with a project code.
    registered = {t for name, _, t in written if name.startswith("af_arbetssokande")}
    for prefix in ("stad_jobbtorg_deltagare", "af_manadsstatus", "af_avaktiveringar",
                   "stad_sfi_resultat"):
        assert {t for name, _, t in written if name.startswith(prefix)} <= registered, prefix
    paid = {t for name, s, t in written
            if name.startswith("stad_ekonomiskt_bistand") and "+" not in s}
    assert paid <= registered
    women = sum(int(t[10]) % 2 == 0 for t in registered) / len(registered)
    assert 0.45 < women < 0.55


def test_participants_are_18_to_64_and_a_third_short_educated(demo, con):
    out, _ = demo
    path = out / "af_arbetssokande_20140731.csv"
    (sheet, header, rows), = read_rows(path)
    valid = {s: twelve for _, s, twelve in personnummer_in(con, [path])}
    ages, short, no_permit = [], 0, 0
    for number, registered, permit, _, _, level in rows:
        if number not in valid or not valid_date(registered):
            continue
        twelve = valid[number]
        day = int(twelve[6:8]) % 60  # samordningsnummer: day + 60
        born = datetime.date(int(twelve[:4]), int(twelve[4:6]), day)
        registered = datetime.date.fromisoformat(registered)
        ages.append(registered.year - born.year
                    - ((registered.month, registered.day) < (born.month, born.day)))
        short += level in ("1", "2")
        no_permit += permit == ""
    assert len(ages) > 0.95 * len(rows)
    assert 18 <= min(ages) <= 20 and 58 <= max(ages) <= 64
    assert 0.28 < short / len(ages) < 0.42
    assert 0.02 < no_permit / len(ages) < 0.09


def test_project_facts(demo, con):
    out, _ = demo
    (companies, _, firms), (_, _, interviews), (_, _, cities) = read_rows(
        out / "partner_heart_kartlaggning_2009.xlsx")
    assert 25 <= len({row[0] for row in firms}) <= 35
    assert Counter(row[1] for row in interviews) == {"K": 30, "M": 30}
    assert len({row[0] for row in cities}) >= 3 and len({row[1] for row in cities}) >= 2
    assert [row[3] for row in cities].count("ja") == 1
    # Guides: about 400 matches a year during ETST.
    for year in (2010, 2011, 2012, 2013):
        (_, _, rows), = read_rows(out / f"partner_yrkesguider_{year}1231.xlsx")
        assert 300 < len(rows) < 500
    # Entry Hub: hires and women among visitors with a known gender.
    visits = [row for p in out.glob("partner_entryhub_besok_*.csv") for _, _, rows in read_rows(p)
              for row in rows]
    assert sum(row[4] == "anstallning" for row in visits) > 30
    assert any(row[2] == "" for row in visits) and any(row[2] != "" for row in visits)
    gender = {row[1]: row[3] for row in visits if row[3] in ("K", "M")}
    assert 0.35 < Counter(gender.values())["K"] / len(gender) < 0.55
    # SAMS appears from its start only, in the matching log as trainees.
    sams = [row for p in out.glob("partner_matchning_*.xlsx") for _, _, rows in read_rows(p)
            for row in rows if row[1] == "SAMS"]
    starts = [str(row[5]) for row in sams if not isinstance(row[5], str) or valid_date(row[5])]
    assert starts and min(starts) >= "2015-09-01"
    assert Counter(row[4] for row in sams).most_common(1)[0][0] == "Trainee"
    assert any(row[1] == "EHUB" for p in out.glob("partner_matchning_*.xlsx")
               for _, _, rows in read_rows(p) for row in rows)


def test_cost_extracts_restate_and_add_up_to_the_budgets(clean):
    latest = {}  # (project, month) -> rows of the newest file that has it
    changed = 0
    for path in sorted(clean.glob("ekonomi_utfall_*.csv")):
        (_, _, rows), = read_rows(path)
        by_month = {}
        for row in rows:
            by_month.setdefault((row[0], row[1]), []).append(row)
        changed += sum(by_month[key] != latest[key] for key in set(by_month) & set(latest))
        latest.update(by_month)
    assert changed >= 8  # two months restated in most yearly files
    total = Counter()
    for rows in latest.values():
        for project, _, _, amount, financier in rows:
            öre = int(amount.replace(",", ""))
            total[project] += öre
            total[project, financier] += öre
    assert total["ETST"] == 80_237_075_00 and total["ETST", "ESF"] == 33_611_934_00
    assert total["HEART"] == 433_578_00 and total["WLFS"] == total["WLFS", "stat"] == 263_592_00


def test_participants_move_on_faster_than_the_comparison_group(demo, con):
    out, _ = demo
    af = str(out / "af_{}_*.csv")
    participants, comparison = con.execute(rf"""
        WITH status AS (SELECT pnr_twelve(personnummer, y) p, manad m FROM (
                            SELECT *, CAST(regexp_extract(filename, '_(\d{{4}})', 1) AS INT) y
                            FROM read_csv('{af.format("manadsstatus")}', delim=';',
                                          all_varchar=true, filename=true))
                        WHERE pnr_problem(pnr_twelve(personnummer, y)) IS NULL),
        left_ AS (SELECT DISTINCT pnr_twelve(personnummer, y) p, orsak,
                         strftime(try_cast(avaktiveringsdatum AS DATE), '%Y-%m') m FROM (
                            SELECT *, CAST(regexp_extract(filename, '_(\d{{4}})', 1) AS INT) y
                            FROM read_csv('{af.format("avaktiveringar")}', delim=';',
                                          all_varchar=true, filename=true))
                  WHERE pnr_problem(pnr_twelve(personnummer, y)) IS NULL),
        etst_months AS (SELECT DISTINCT m FROM status WHERE m BETWEEN '2009-08' AND '2014-01'),
        denominator AS (SELECT DISTINCT p, m FROM (SELECT p, m FROM status UNION
                                                  SELECT p, m FROM left_)
                        WHERE m IN (SELECT m FROM etst_months)),
        numerator AS (SELECT DISTINCT p, m FROM left_ WHERE orsak IN {WORK_OR_STUDIES}
                      AND m IN (SELECT m FROM etst_months)),
        comparison AS (SELECT sum(try_cast(till_arbete AS INT) + try_cast(till_utbildning AS INT))
                              / sum(try_cast(inskrivna AS INT)) rate
                       FROM read_csv('{af.format("jamforelsegrupp")}', delim=';', all_varchar=true)
                       WHERE manad IN (SELECT m FROM etst_months))
        SELECT (SELECT count(*) FROM numerator) / (SELECT count(*) FROM denominator),
               (SELECT rate FROM comparison)""").fetchall()[0]
    assert 1.2 < participants / comparison < 1.9
    assert np.isfinite(participants) and participants > 0.02
