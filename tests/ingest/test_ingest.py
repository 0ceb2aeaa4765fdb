"""Ingest: every quirk of exports.md, one by one, on small files written here."""

import datetime
import hashlib
import hmac
import json
import os
import stat

import duckdb
import pytest

import settings
from ingest import load, personnummer, private, readers
from tests.conftest import (
    AF_AVAKT,
    AF_SOKANDE,
    AF_STATUS,
    EKONOMI,
    MATCHNING,
    STAD_BISTAND,
    STAD_JOBBTORG,
    expected_key,
    orgnr,
    pnr,
    query,
    run_ingest,
)

A = pnr("19900101", "123")  # a man (second-to-last digit 3 is odd)
B = pnr("19851224", "242")  # a woman


def samordning(birth: str, serial: str) -> str:
    day = int(birth[6:]) + 60
    return pnr(birth[:6] + f"{day:02d}", serial)


def table_rows(warehouse, table):
    return query(warehouse, f"SELECT * EXCLUDE (_loaded_at) FROM raw.{table} ORDER BY ALL")


def quarantine(warehouse):
    return query(warehouse, "SELECT file, row_number, column_name, reason, value, detail "
                            "FROM raw.quarantine ORDER BY file, row_number, column_name")


def log(warehouse):
    return {r[0]: r[1:] for r in query(
        warehouse, "SELECT file, status, rows_read, rows_loaded, rows_merged, rows_quarantined, "
                   "error, replaces FROM raw.load_log ORDER BY load_id")}


# --- the employment service: UTF-8 with BOM --------------------------------------------

def test_af_file_with_bom_loads_pseudonymised(delivery, warehouse):
    delivery.af("af_arbetssokande_20120131.csv", AF_SOKANDE, [
        [A, "2011-03-01", "2010-09-01", "ETST", "0180", "1"],
        [B[2:8] + "-" + B[8:], "2011-04-01", "", "ETST", "0181", "3"],
    ])
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    rows = query(warehouse, "SELECT person_key, birth_year, gender, inskrivningsdatum, "
                            "uppehallstillstand_datum, utbildningsniva FROM raw.af_arbetssokande "
                            "ORDER BY birth_year")
    assert rows == [
        (expected_key(B), 1985, "K", datetime.date(2011, 4, 1), None, "3"),
        (expected_key(A), 1990, "M", datetime.date(2011, 3, 1), datetime.date(2010, 9, 1), "1"),
    ]
    columns = [r[0] for r in query(warehouse, "SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = 'af_arbetssokande'")]
    assert "personnummer" not in columns
    assert {"_file", "_file_sha256", "_row_number", "_load_id", "_loaded_at"} <= set(columns)


def test_every_personnummer_form_gives_the_same_person(delivery, warehouse):
    old = pnr("19050607", "123")  # aged 106 in 2011: written with +
    s = samordning("19920315", "456")
    forms = [A, A[:8] + "-" + A[8:], A[2:8] + "-" + A[8:], A[2:], s[2:8] + "-" + s[8:],
             old[2:8] + "+" + old[8:], s]
    delivery.af("af_avaktiveringar_20111231.csv", AF_AVAKT,
                [[f, f"2011-01-{i + 10:02d}", "OVRIG"] for i, f in enumerate(forms)])
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    rows = query(warehouse, "SELECT person_key, birth_year, birth_date, gender "
                            "FROM raw.af_avaktiveringar ORDER BY _row_number")
    a = (expected_key(A), 1990, datetime.date.fromisoformat(A[:8]), "M")
    # A samordningsnummer's date of birth is its day minus 60.
    s_row = (expected_key(s), 1992, datetime.date(1992, 3, 15), "K")
    assert rows == [a] * 4 + [s_row, (expected_key(old), 1905, datetime.date(1905, 6, 7), "M"),
                              s_row]


def test_two_digit_year_resolves_against_the_export_year(delivery, warehouse):
    born_2010 = pnr("20100101", "123")
    # In a 2011 export "100101" is 2010; the same digits with + are 1910.
    delivery.af("af_avaktiveringar_2011.csv", AF_AVAKT, [
        [born_2010[2:8] + "-" + born_2010[8:], "2011-02-01", "OVRIG"],
        [born_2010[2:8] + "+" + born_2010[8:], "2011-02-02", "OVRIG"],
    ])
    run_ingest(delivery.folder, warehouse)
    years = query(warehouse, "SELECT birth_year FROM raw.af_avaktiveringar ORDER BY _row_number")
    assert years == [(2010,), (1910,)]


@pytest.mark.parametrize("bad, detail", [
    (A[:-1] + str((int(A[-1]) + 1) % 10), "wrong check digit"),
    ("19900230" + "1234", "no such birth date"),
    ("19901301" + "1234", "no such birth date"),
    ("19900100" + "1234", "no such birth date"),
    (A[2:-1], "not one of the accepted forms (wrong length or characters)"),
    (A[:8] + "+" + A[8:], "not one of the accepted forms (wrong length or characters)"),
    ("19900101-12X4", "not one of the accepted forms (wrong length or characters)"),
    ("", "missing"),
])
def test_invalid_personnummer_is_quarantined_never_stored(delivery, warehouse, bad, detail):
    delivery.af("af_avaktiveringar_20111231.csv", AF_AVAKT,
                [[A, "2011-01-10", "OVRIG"], [bad, "2011-01-11", "OVRIG"]])
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert quarantine(warehouse) == [
        ("af_avaktiveringar_20111231.csv", 3, "personnummer", "invalid_personnummer", None, detail)]
    assert query(warehouse, "SELECT count(*) FROM raw.af_avaktiveringar") == [(1,)]


def test_unknown_codes_dates_and_month_mismatch(delivery, warehouse):
    delivery.af("af_manadsstatus_201201.csv", AF_STATUS, [
        [A, "2012-01", "11", ""],
        [B, "2012-01", "99", ""],  # unknown sokandekategori
        [A, "2012-01", "41", "instegs"],  # codes are case-sensitive
        [B, "2012-02", "11", ""],  # not the file's month
        [A, "2012-13", "11", ""],  # no such month
        [B, "2012-01", "", ""],  # empty code = missing, loads
    ])
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    reasons = [(r[1], r[2], r[3], r[4]) for r in quarantine(warehouse)]
    assert reasons == [
        (3, "sokandekategori", "unknown_code", "99"),
        (4, "anstallningsstod", "unknown_code", "instegs"),
        (5, "manad", "month_mismatch", "2012-02"),
        (6, "manad", "invalid_date", "2012-13"),
    ]
    assert query(warehouse, "SELECT _row_number, sokandekategori FROM raw.af_manadsstatus "
                            "ORDER BY 1") == [(2, "11"), (7, None)]


@pytest.mark.parametrize("value", ["2012-02-30", "31/12/2012", "2012-1-5", "igår"])
def test_unparseable_date_is_quarantined(delivery, warehouse, value):
    delivery.af("af_avaktiveringar_20121231.csv", AF_AVAKT, [[A, value, "OVRIG"]])
    run_ingest(delivery.folder, warehouse)
    assert [(r[2], r[3], r[4]) for r in quarantine(warehouse)] == [
        ("avaktiveringsdatum", "invalid_date", value)]


# --- the city: Windows-1252, decimal comma, thousands separators -----------------------

def test_city_file_in_windows_1252(delivery, warehouse):
    delivery.city("stad_ekonomiskt_bistand_201201.csv", STAD_BISTAND, [
        [A, "2012-01", "12 345,50", "Spånga–Tensta"],
        [A, "2012-01", "12\u00a0345,50", "Skärholmen €"],
        [B, "2012-01", "-1 000", "Rinkeby-Kista"],
        [B, "2012-01", "100", "Älvsjö"],
    ])
    raw_bytes = (delivery.folder / "stad_ekonomiskt_bistand_201201.csv").read_bytes()
    assert b"\x96" in raw_bytes and b"\x80" in raw_bytes and b"\xa0" in raw_bytes
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    rows = query(warehouse, 'SELECT "Utbetalningsmånad", CAST("Belopp" AS VARCHAR), "Stadsdel" '
                            "FROM raw.stad_ekonomiskt_bistand ORDER BY _row_number")
    assert rows == [("2012-01", "12345.50", "Spånga–Tensta"), ("2012-01", "12345.50", "Skärholmen €"),
                    ("2012-01", "-1000.00", "Rinkeby-Kista"), ("2012-01", "100.00", "Älvsjö")]


@pytest.mark.parametrize("value", ["1,2,3", "12.345,50", "12 34x", "--5", "1 000 ,5"])
def test_invalid_number_is_quarantined(delivery, warehouse, value):
    delivery.city("stad_ekonomiskt_bistand_201202.csv", STAD_BISTAND,
                  [[A, "2012-02", value, "Bromma"]])
    run_ingest(delivery.folder, warehouse)
    assert [(r[2], r[3], r[4]) for r in quarantine(warehouse)] == [("Belopp", "invalid_number", value)]


def test_city_file_delivered_as_utf8_is_rejected(delivery, warehouse):
    delivery.csv("stad_ekonomiskt_bistand_201201.csv", STAD_BISTAND,
                  [[A, "2012-01", "100", "Spånga-Tensta"]], encoding="utf-8")
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT, [[A, "2012-01-10", "OVRIG"]])
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 1
    assert "stad_ekonomiskt_bistand_201201.csv: the file is UTF-8 encoded" in text
    entries = log(warehouse)
    assert entries["stad_ekonomiskt_bistand_201201.csv"][0] == "rejected"
    assert entries["af_avaktiveringar_20120131.csv"][:3] == ("loaded", 1, 1)


def test_a_large_city_file_is_streamed_with_every_line_number(delivery, warehouse):
    """Windows-1252 is decoded into a pipe DuckDB reads (no decoded copy on disk): a file
    of many chunks loads whole, and a bad last row keeps its line number."""
    rows = [[A, "2012-01", str(i), "Spånga-Tensta"] for i in range(60_000)] + [[B, "2012-01", "x", "Bromma"]]
    path = delivery.city("stad_ekonomiskt_bistand_201201.csv", STAD_BISTAND, rows)
    assert path.stat().st_size > 2 * (1 << 20)
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert log(warehouse)[path.name][:3] == ("loaded", 60_001, 60_000)
    assert [(r[1], r[3]) for r in quarantine(warehouse)] == [(60_002, "invalid_number")]
    assert query(warehouse, 'SELECT DISTINCT "Stadsdel" FROM raw.stad_ekonomiskt_bistand') == [
        ("Spånga-Tensta",)]


def test_the_private_folder_is_0700_and_removed_even_after_an_error(warehouse):
    warehouse.parent.mkdir(parents=True)
    with pytest.raises(RuntimeError), private.folder(warehouse, "run") as folder:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        (folder / "spill.tmp").write_bytes(b"clear")
        raise RuntimeError
    assert not folder.exists()


def test_af_file_that_is_not_utf8_is_rejected_with_its_line(delivery, warehouse):
    delivery.csv("af_avaktiveringar_20120131.csv", AF_AVAKT,
                 [[A, "2012-01-10", "OVRIG"], [B, "2012-01-11", "ÖVRIG"]], encoding="cp1252")
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 1
    assert "af_avaktiveringar_20120131.csv: line 3 (byte" in text and "not valid utf-8" in text


# --- partner Excel files -----------------------------------------------------------------

def test_xlsx_with_title_row_excel_dates_and_iso_text(delivery, warehouse):
    employer = orgnr("556036079")
    delivery.xlsx("partner_matchning_20121231.xlsx", {"Blad1": (MATCHNING, [
        [A, "ETST", employer, "Bygg AB", "Praktik", datetime.datetime(2012, 3, 1), None, "F"],
        [B, "ETST", employer, "Bygg AB", "Anställning", "2012-04-01", "2012-10-31", "F"],
        [B, "ETST", employer[:-1] + str((int(employer[-1]) + 1) % 10), "X", "Praktik",
         "2012-04-01", None, "F"],
        [A, "ETST", employer, "Bygg AB", "Volontär", "2012-05-01", None, "F"],
    ])})
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    rows = query(warehouse, 'SELECT _row_number, "Insats", "Startdatum", "Slutdatum", '
                            '"Organisationsnummer" FROM raw.partner_matchning ORDER BY 1')
    # Title on sheet row 1, blank row 2, header row 3: data starts on row 4.
    assert rows == [
        (4, "Praktik", datetime.date(2012, 3, 1), None, employer),
        (5, "Anställning", datetime.date(2012, 4, 1), datetime.date(2012, 10, 31), employer),
    ]
    assert [(r[1], r[2], r[3]) for r in quarantine(warehouse)] == [
        (6, "Organisationsnummer", "invalid_organisationsnummer"),
        (7, "Insats", "unknown_code"),
    ]


def test_xlsx_rows_are_sheet_rows_when_the_data_starts_off_a1(delivery, warehouse):
    """A sheet whose first used cell is C5 (no title): rows keep the numbers Excel shows."""
    employer = orgnr("556036079")
    delivery.xlsx("partner_matchning_20121231.xlsx", {"Blad1": (MATCHNING, [
        [A, "ETST", employer, "Bygg AB", "Praktik", "2012-03-01", None, "F"],
        [A, "ETST", employer, "Bygg AB", "Volontär", "2012-05-01", None, "F"],
    ])}, title=None, header_cell=(4, 2))
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert query(warehouse, 'SELECT _row_number, "Insats" FROM raw.partner_matchning') == \
        [(6, "Praktik")]
    assert [(r[1], r[2], r[3]) for r in quarantine(warehouse)] == [(7, "Insats", "unknown_code")]


def test_xlsx_sheet_larger_than_a_chunk_loads_every_row(delivery, warehouse, monkeypatch):
    """A sheet reaches DuckDB a chunk of rows at a time: every row arrives once, with its
    number, a blank row on a chunk's edge included."""
    monkeypatch.setattr(readers, "XLSX_CHUNK_ROWS", 2)
    employer = orgnr("556036079")
    rows = [[A, "ETST", employer, "Bygg AB", "Praktik", f"2012-0{m}-01", None, "F"]
            for m in range(1, 6)]
    delivery.xlsx("partner_matchning_20121231.xlsx",
                  {"Blad1": (MATCHNING, rows[:2] + [[None] * 8] + rows[2:])})
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert query(warehouse, 'SELECT _row_number, month("Startdatum") FROM raw.partner_matchning '
                            "ORDER BY 1") == [(4, 1), (5, 2), (7, 3), (8, 4), (9, 5)]
    assert log(warehouse)["partner_matchning_20121231.xlsx"][:4] == ("loaded", 5, 5, 0)


def test_heart_file_loads_three_sheets(delivery, warehouse):
    employer = orgnr("556677889")
    delivery.xlsx("partner_heart_kartlaggning_2009.xlsx", {
        "Företag": (["Organisationsnummer", "Företag", "Kontaktdatum", "Erbjuder"],
                    [[employer, "Solna Bygg AB", datetime.datetime(2009, 2, 1), "praktik, anställning"],
                     [employer, "Solna Bygg AB", "2009-03-01", "praktik, cirkus"]]),
        "Intervjuer": (["Intervju-ID", "Kön", "Datum"],
                       [["I1", "K", datetime.datetime(2009, 3, 1)], ["I2", "M", "2009-03-02"]]),
        "Städer": (["Stad/region", "Land", "Kontaktdatum", "Studiebesök"],
                   [["Umeå", "Sverige", "2009-04-01", "nej"], ["Rotterdam", "Nederländerna",
                                                             "2009-05-01", "ja"]]),
    })
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert query(warehouse, "SELECT count(*) FROM raw.partner_heart_foretag") == [(1,)]
    assert query(warehouse, 'SELECT "Kön" FROM raw.partner_heart_intervjuer ORDER BY 1') == [("K",), ("M",)]
    assert query(warehouse, 'SELECT "Stad/region" FROM raw.partner_heart_stader '
                            'WHERE "Studiebesök" = \'ja\'') == [("Rotterdam",)]
    assert [(r[2], r[3]) for r in quarantine(warehouse)] == [("Erbjuder", "unknown_code")]
    assert log(warehouse)["partner_heart_kartlaggning_2009.xlsx"][:4] == ("loaded", 6, 5, 0)


def test_corrupt_xlsx_is_rejected(delivery, warehouse):
    (delivery.folder / "partner_ocn_intyg_2012.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 1
    assert "partner_ocn_intyg_2012.xlsx: the file cannot be opened as an Excel workbook" in text


def test_entry_hub_csv_with_commas_in_quotes_and_optional_personnummer(delivery, warehouse):
    delivery.csv("partner_entryhub_besok_20180131.csv",
                 ["datum", "besokar_id", "personnummer", "kon", "aktivitet", "arbetsgivare", "ort"],
                 [["2018-01-10", "V1", "", "K", "natverkstraff", "", "Umeå"],
                  ["2018-01-11", "V2", A, "", "arbetsgivarmote", '"Randstad, Umeå"', "Umeå"],
                  ["2018-01-12", "V3", "", "", "vagledning", "", "Malmö"]],
                 encoding="utf-8", delimiter=",")
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert query(warehouse, "SELECT besokar_id, person_key, gender, arbetsgivare "
                            "FROM raw.partner_entryhub_besok ORDER BY 1") == [
        ("V1", None, None, None), ("V2", expected_key(A), "M", "Randstad, Umeå")]
    assert [(r[2], r[3]) for r in quarantine(warehouse)] == [("ort", "unknown_code")]


# --- whole files: drift, empty, cut off, duplicates --------------------------------------

def test_schema_drift_rejects_the_file_and_the_others_load(delivery, warehouse):
    renamed = ["personnummer", "avregistreringsdatum", "orsak"]
    delivery.af("af_avaktiveringar_20120131.csv", renamed, [[A, "2012-01-10", "OVRIG"]])
    delivery.af("af_manadsstatus_201201.csv", AF_STATUS, [[A, "2012-01", "11", ""]])
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 1
    message = log(warehouse)["af_avaktiveringar_20120131.csv"][5]
    assert "af_avaktiveringar_20120131.csv" in message
    assert "missing: avaktiveringsdatum" in message
    assert "Columns found: personnummer, avregistreringsdatum, orsak" in message
    assert message in " ".join(text.split()) or "missing: avaktiveringsdatum" in text
    assert log(warehouse)["af_manadsstatus_201201.csv"][:3] == ("loaded", 1, 1)


def test_a_file_without_its_header_row_leaves_no_personnummer_in_the_load_log(delivery, warehouse):
    """The first data row is taken for the header: its personnummer must not reach the
    rejection message (load log, serving file, screen)."""
    delivery.af("af_avaktiveringar_20120131.csv", [A, "2012-01-10", "OVRIG"], [[B, "2012-01-11", "OVRIG"]])
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 1
    message = log(warehouse)["af_avaktiveringar_20120131.csv"][5]
    assert message.startswith("af_avaktiveringar_20120131.csv: required column(s) missing: "
                              "personnummer, avaktiveringsdatum, orsak. Columns found: "
                              "(looks like a personnummer: not stored), 2012-01-10, OVRIG.")
    assert A not in message and A not in text


def test_who_uploaded_a_file_is_copied_into_the_load_log(delivery, warehouse):
    """The delivery page's uploads log names the uploader of a file by name and content."""
    path = delivery.af("af_manadsstatus_201201.csv", AF_STATUS, [[A, "2012-01", "11", ""]])
    other = delivery.af("af_manadsstatus_201202.csv", AF_STATUS, [[A, "2012-02", "11", ""]])
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    settings.uploads_log(delivery.folder).write_text(
        json.dumps({"file": path.name, "sha256": sha, "uploaded_by": "anna@example.se",
                    "uploaded_at": "2012-02-03T10:00:00"}) + "\n"
        + json.dumps({"file": other.name, "sha256": "not its content", "uploaded_by": "x",
                      "uploaded_at": "2012-02-03T10:00:00"}) + "\n" + '{"file": "cut off')
    run_ingest(delivery.folder, warehouse)
    assert query(warehouse, "SELECT file, uploaded_by, uploaded_at FROM raw.load_log ORDER BY file") == [
        (path.name, "anna@example.se", datetime.datetime(2012, 2, 3, 10)), (other.name, None, None)]


def test_headers_match_after_trimming_and_case_folding_extra_columns_kept(delivery, warehouse):
    header = [" PERSONNUMMER ", "AvaktiveringsDatum", "orsak", "Handläggare"]
    delivery.af("af_avaktiveringar_20120131.csv", header, [[A, "2012-01-10", "OVRIG", "X – Y"]])
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert query(warehouse, "SELECT _extra->>'Handläggare' FROM raw.af_avaktiveringar") == [("X – Y",)]


def test_header_only_file_loads_nothing_and_zero_byte_file_is_rejected(delivery, warehouse):
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT, [])
    (delivery.folder / "af_avaktiveringar_20120229.csv").write_bytes(b"")
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 1
    entries = log(warehouse)
    assert entries["af_avaktiveringar_20120131.csv"][:4] == ("loaded", 0, 0, 0)
    assert entries["af_avaktiveringar_20120229.csv"][0] == "rejected"
    assert "empty (0 bytes)" in entries["af_avaktiveringar_20120229.csv"][5]


def test_file_cut_off_in_the_middle_of_a_line(delivery, warehouse):
    path = delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT,
                       [[A, "2012-01-10", "OVRIG"], [B, "2012-01-11", "UTBILDNING"]])
    path.write_bytes(path.read_bytes() + f"{A};2012-01".encode())
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert quarantine(warehouse) == [("af_avaktiveringar_20120131.csv", 4, "", "missing_fields",
                                      None, "expected 3 fields, found 2 (line cut off?)")]
    assert log(warehouse)["af_avaktiveringar_20120131.csv"][:5] == ("loaded", 3, 2, 0, 1)


def test_identical_rows_quarantined_except_payments_and_costs(delivery, warehouse):
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT,
                [[A, "2012-01-10", "OVRIG"], [A, "2012-01-10", "OVRIG"]])
    delivery.city("stad_ekonomiskt_bistand_201201.csv", STAD_BISTAND,
                  [[A, "2012-01", "500", "Bromma"], [A, "2012-01", "500", "Bromma"]])
    delivery.csv("ekonomi_utfall_20121231.csv", EKONOMI,
                 [["ETST", "2012-01", "resor", "1 200,00", "ESF"]] * 2, encoding="utf-8")
    run_ingest(delivery.folder, warehouse)
    assert [(r[0], r[1], r[3]) for r in quarantine(warehouse)] == [
        ("af_avaktiveringar_20120131.csv", 3, "duplicate_row")]
    assert query(warehouse, 'SELECT sum("Belopp") FROM raw.stad_ekonomiskt_bistand') == [(1000,)]
    assert query(warehouse, "SELECT sum(belopp) FROM raw.ekonomi_utfall") == [(2400,)]


def test_quoted_and_plain_lines_split_alike(delivery, warehouse):
    """Lines with quotes take the quote-aware split, the others a plain one: the same
    fields either way, so a row repeated with quotes is still a repeat."""
    header = AF_AVAKT + ["Kommentar"]
    delivery.af("af_avaktiveringar_20120131.csv", header,
                [[A, "2012-01-10", "OVRIG", "a"], [f'"{A}"', '"2012-01-10"', "OVRIG", '"a"'],
                 [B, '"2012-01-11"', "UTBILDNING", '"sa ""nej""; igen"'], [B, "2012-01-12", "OVRIG", ""]])
    status, _ = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert [(r[1], r[3]) for r in quarantine(warehouse)] == [(3, "duplicate_row")]
    assert query(warehouse, "SELECT avaktiveringsdatum, orsak, _extra->>'Kommentar' "
                            "FROM raw.af_avaktiveringar ORDER BY 1") == [
        (datetime.date(2012, 1, 10), "OVRIG", "a"),
        (datetime.date(2012, 1, 11), "UTBILDNING", 'sa "nej"; igen'),
        (datetime.date(2012, 1, 12), "OVRIG", "")]


def test_same_delivery_twice_changes_no_table(delivery, warehouse):
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT, [[A, "2012-01-10", "OVRIG"], ["1", "", ""]])
    delivery.city("stad_ekonomiskt_bistand_201201.csv", STAD_BISTAND, [[A, "2012-01", "500", "Bromma"]])
    delivery.af("af_arbetssokande_20120131.csv", AF_SOKANDE, [[A, "2011-03-01", "", "ETST", "1", "2"]])
    assert run_ingest(delivery.folder, warehouse)[0] == 0
    tables = [r[0] for r in query(warehouse, "SELECT table_name FROM information_schema.tables "
                                             "WHERE table_schema = 'raw'")]
    before = {t: query(warehouse, f"SELECT * FROM raw.{t} ORDER BY ALL") for t in tables}
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert {t: query(warehouse, f"SELECT * FROM raw.{t} ORDER BY ALL") for t in tables} == before


def test_a_file_is_known_by_its_signature_until_it_is_written_to(delivery, warehouse,
                                                                  monkeypatch):
    """A loaded file's signature (inode, size, times) stands for its hash, so a delivery
    with nothing new is found so without reading it. Rewriting the file, even with its size
    and modification time put back, changes the signature: the new content loads."""
    monkeypatch.setattr(load, "SIGNATURE_SETTLED_SECONDS", 0)
    path = delivery.af("af_manadsstatus_201201.csv", AF_STATUS, [[A, "2012-01", "11", ""]])
    assert run_ingest(delivery.folder, warehouse)[0] == 0
    signature = load.file_signature(path)
    assert query(warehouse, "SELECT file_signature FROM raw.load_log") == [(signature,)]
    assert load.delivered_before(delivery.folder, warehouse)
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(b";11;", b";12;"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert load.file_signature(path) != signature
    assert not load.delivered_before(delivery.folder, warehouse)
    assert run_ingest(delivery.folder, warehouse)[0] == 0
    assert query(warehouse, "SELECT sokandekategori FROM raw.af_manadsstatus WHERE _is_current") == \
        [("12",)]


def test_a_file_changed_just_now_has_no_signature(delivery, warehouse):
    """Within the file system's timestamp granularity a change could leave the times as
    they were: a file changed less than SIGNATURE_SETTLED_SECONDS ago is hashed each time."""
    path = delivery.af("af_manadsstatus_201201.csv", AF_STATUS, [[A, "2012-01", "11", ""]])
    assert load.file_signature(path) is None
    assert run_ingest(delivery.folder, warehouse)[0] == 0
    assert query(warehouse, "SELECT file_signature FROM raw.load_log") == [(None,)]
    assert load.delivered_before(delivery.folder, warehouse)


def test_newer_snapshot_supersedes_per_person(delivery, warehouse):
    delivery.af("af_arbetssokande_20120131.csv", AF_SOKANDE, [
        [A, "2011-03-01", "", "ETST", "1", "9"], [B, "2011-04-01", "", "ETST", "1", "2"]])
    delivery.af("af_arbetssokande_20120630.csv", AF_SOKANDE, [[A, "2011-03-01", "", "ETST", "1", "3"]])
    run_ingest(delivery.folder, warehouse)
    current = query(warehouse, "SELECT gender, utbildningsniva, _file FROM raw.af_arbetssokande "
                               "WHERE _is_current ORDER BY 1")
    # A's level is corrected in the newer snapshot; B, missing from it, keeps the older row.
    assert current == [("K", "2", "af_arbetssokande_20120131.csv"),
                       ("M", "3", "af_arbetssokande_20120630.csv")]
    assert query(warehouse, "SELECT count(*) FROM raw.af_arbetssokande") == [(3,)]


def test_snapshot_order_follows_the_date_in_the_name_not_the_load_order(delivery, warehouse, tmp_path):
    delivery.af("af_arbetssokande_20120630.csv", AF_SOKANDE, [[A, "2011-03-01", "", "ETST", "1", "3"]])
    run_ingest(delivery.folder, warehouse)
    (delivery.folder / "af_arbetssokande_20120630.csv").unlink()
    delivery.af("af_arbetssokande_20120131.csv", AF_SOKANDE, [[A, "2011-03-01", "", "ETST", "1", "9"]])
    run_ingest(delivery.folder, warehouse)
    assert query(warehouse, "SELECT utbildningsniva FROM raw.af_arbetssokande WHERE _is_current") == [("3",)]


def test_monthly_file_delivered_again_replaces_that_month(delivery, warehouse):
    delivery.af("af_manadsstatus_201201.csv", AF_STATUS, [[A, "2012-01", "11", ""], [B, "2012-01", "11", ""]])
    delivery.af("af_manadsstatus_201202.csv", AF_STATUS, [[A, "2012-02", "11", ""]])
    run_ingest(delivery.folder, warehouse)
    delivery.af("af_manadsstatus_201201.csv", AF_STATUS, [[A, "2012-01", "41", "INSTEG"]])
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert "replaces af_manadsstatus_201201.csv (load 1)" in text
    current = query(warehouse, "SELECT manad, sokandekategori FROM raw.af_manadsstatus "
                               "WHERE _is_current ORDER BY 1")
    assert current == [("2012-01", "41"), ("2012-02", "11")]
    assert query(warehouse, "SELECT count(*) FROM raw.af_manadsstatus") == [(4,)]


def test_later_cost_extract_replaces_project_months_it_contains(delivery, warehouse):
    delivery.csv("ekonomi_utfall_20120131.csv", EKONOMI, [
        ["ETST", "2012-01", "personal", "100", "ESF"], ["ETST", "2012-01", "resor", "50", "ESF"],
        ["HEART", "2012-01", "personal", "7", "kommun"]], encoding="utf-8")
    delivery.csv("ekonomi_utfall_20120229.csv", EKONOMI, [
        ["ETST", "2012-01", "personal", "120", "ESF"], ["ETST", "2012-02", "personal", "90", "ESF"]],
        encoding="utf-8")
    run_ingest(delivery.folder, warehouse)
    assert query(warehouse, "SELECT projekt, manad, sum(belopp) FROM raw.ekonomi_utfall "
                            "WHERE _is_current GROUP BY ALL ORDER BY ALL") == [
        ("ETST", "2012-01", 120), ("ETST", "2012-02", 90), ("HEART", "2012-01", 7)]


def test_overlapping_extract_rows_are_merged(delivery, warehouse):
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT,
                [[A, "2012-01-10", "OVRIG"], [B, "2012-01-20", "ARBETE_TV"]])
    delivery.af("af_avaktiveringar_20120229.csv", AF_AVAKT,
                [[B[2:8] + "-" + B[8:], "2012-01-20", "ARBETE_TV"], [A, "2012-02-10", "UTBILDNING"]])
    run_ingest(delivery.folder, warehouse)
    assert log(warehouse)["af_avaktiveringar_20120229.csv"][:5] == ("loaded", 2, 1, 1, 0)
    assert query(warehouse, "SELECT count(*) FROM raw.af_avaktiveringar") == [(3,)]


def test_unknown_project_code_loads_with_a_warning(delivery, warehouse):
    delivery.af("af_arbetssokande_20120131.csv", AF_SOKANDE, [[A, "2011-03-01", "", "NYTT", "1", "2"]])
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 0
    assert "project code 'NYTT' is not in config/projects.yml (1 rows)" in text
    assert query(warehouse, "SELECT projektkod FROM raw.af_arbetssokande") == [("NYTT",)]


def test_unknown_file_name_is_reported(delivery, warehouse):
    (delivery.folder / "notes.txt").write_text("hej")
    status, text = run_ingest(delivery.folder, warehouse)
    assert status == 1
    assert "notes.txt" in text and "no export kind has this file name" in text


def test_rows_read_equal_loaded_merged_and_quarantined(delivery, warehouse):
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT,
                [[A, "2012-01-10", "OVRIG"], [A, "2012-01-10", "OVRIG"], ["x", "y", "z"], [B]])
    delivery.af("af_avaktiveringar_20120229.csv", AF_AVAKT, [[A, "2012-01-10", "OVRIG"]])
    run_ingest(delivery.folder, warehouse)
    for status, read, loaded, merged, quarantined, *_ in log(warehouse).values():
        assert read == loaded + merged + quarantined
    distinct_bad_rows = query(warehouse, "SELECT count(DISTINCT (file, row_number)) FROM raw.quarantine")
    assert distinct_bad_rows == [(3,)]


# --- the warehouse never holds a clear personnummer --------------------------------------

def test_no_clear_personnummer_anywhere_in_the_warehouse_file(delivery, warehouse):
    people = [pnr(f"19{80 + i:02d}0{i % 9 + 1}1{i % 9}", f"{100 + i}") for i in range(20)]
    bad = [p[:-1] + str((int(p[-1]) + 1) % 10) for p in people[:5]]
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT,
                [[p, "2012-01-10", "OVRIG"] for p in people + bad]
                + [["2012-01-10", people[0], "OVRIG"]])  # a number in the wrong column
    delivery.city("stad_ekonomiskt_bistand_201201.csv", STAD_BISTAND,
                  [[p[2:8] + "-" + p[8:], "2012-01", "100", "Bromma"] for p in people])
    run_ingest(delivery.folder, warehouse)
    data = b"".join(p.read_bytes() for p in warehouse.parent.iterdir() if p.is_file())
    for p in people + bad:
        for form in (p, p[:8] + "-" + p[8:], p[2:], p[2:8] + "-" + p[8:]):
            assert form.encode() not in data, form


def test_key_file_is_created_private_and_a_changed_key_is_refused(delivery, warehouse, tmp_path,
                                                                   monkeypatch):
    monkeypatch.delenv("KEDJAN_PSEUDONYM_KEY")
    key_file = tmp_path / "secret" / "pseudonym.key"
    monkeypatch.setenv("KEDJAN_KEY_FILE", str(key_file))
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT, [[A, "2012-01-10", "OVRIG"]])
    assert run_ingest(delivery.folder, warehouse)[0] == 0
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    key = key_file.read_text().strip()
    assert key.encode() not in warehouse.read_bytes()
    monkeypatch.setenv("KEDJAN_PSEUDONYM_KEY", "another key")
    delivery.af("af_avaktiveringar_20120229.csv", AF_AVAKT, [[A, "2012-02-10", "OVRIG"]])
    with pytest.raises(load.KeyMismatch, match="pseudonymisation key differs"):
        run_ingest(delivery.folder, warehouse)
    assert query(warehouse, "SELECT count(*) FROM raw.af_avaktiveringar") == [(1,)]


def test_export_date_from_file_name():
    kind = load.kind_for("partner_matchning_x.xlsx")
    today = datetime.date(2026, 1, 2)
    assert load.export_date("partner_matchning_20120315.xlsx", kind, today) == datetime.date(2012, 3, 15)
    assert load.export_date("partner_matchning_201202.xlsx", kind, today) == datetime.date(2012, 2, 29)
    assert load.export_date("partner_matchning_2012.xlsx", kind, today) == datetime.date(2012, 12, 31)
    assert load.export_date("partner_matchning.xlsx", kind, today) == today
    with pytest.raises(ValueError, match="not a date"):
        load.export_date("partner_matchning_20121345.xlsx", kind, today)


def test_file_kinds_are_recognised_case_insensitively():
    assert load.kind_for("AF_Manadsstatus_201201.CSV").name == "af_manadsstatus"
    assert load.kind_for("partner_heart_kartlaggning_2009.xlsx").name == "partner_heart_kartlaggning"
    assert load.kind_for("af_manadsstatus_201201.xlsx") is None
    assert load.kind_for("af_manadsstatusx.csv") is None


def test_jobbtorg_snapshot_keyed_per_person_and_project(delivery, warehouse):
    delivery.city("stad_jobbtorg_deltagare_20120131.csv", STAD_JOBBTORG, [
        [A, "2011-03-01", "", "Rinkeby-Kista", "ETST", "2011-04-01", "H1 – Nord"],
        [A, "2011-05-01", "", "Rinkeby-Kista", "SAMS", "", "H2"]])
    delivery.city("stad_jobbtorg_deltagare_20120630.csv", STAD_JOBBTORG, [
        [A, "2011-03-01", "2012-05-31", "Rinkeby-Kista", "ETST", "2011-04-01", "H1 – Nord"]])
    run_ingest(delivery.folder, warehouse)
    assert query(warehouse, 'SELECT "Projektkod", "Utskrivningsdatum", "Handläggare" '
                            "FROM raw.stad_jobbtorg_deltagare WHERE _is_current ORDER BY 1") == [
        ("ETST", datetime.date(2012, 5, 31), "H1 – Nord"), ("SAMS", None, "H2")]


def test_hmac_in_sql_matches_python_for_long_keys():
    con = duckdb.connect()
    long_key = b"k" * 100
    personnummer.install(con, long_key)
    assert con.execute("SELECT person_key('199001011239')").fetchall()[0][0] == \
        hmac.new(long_key, b"199001011239", hashlib.sha256).hexdigest()


# --- batches --------------------------------------------------------------------------------

def test_a_batch_of_files_loads_as_the_files_one_by_one(delivery, tmp_path, monkeypatch):
    """Files of a kind are checked and written in batches (load.BATCH_BYTES): a delivery in
    which later files of a batch replace, supersede and repeat earlier ones, with a
    rejected file and bad rows among them, gives the same raw tables, quarantine and load
    log as one file per batch."""
    delivery.af("af_manadsstatus_201201.csv", AF_STATUS, [[A, "2012-01", "11", ""], [B, "2012-01", "11", ""]])
    delivery.af("af_manadsstatus_201202.csv", AF_STATUS, [[A, "2012-02", "11", ""], [A, "2012-02", "11", ""]])
    delivery.af("af_manadsstatus_201202_rattad.csv", AF_STATUS, [[A, "2012-02", "41", "INSTEG"]])
    delivery.af("af_manadsstatus_201203.csv", AF_STATUS,
                [[B, "2012-02", "11", ""], ["x", "2012-03", "11", ""]])
    delivery.af("af_avaktiveringar_20120131.csv", AF_AVAKT,
                [[A, "2012-01-10", "OVRIG"], [B, "2012-01-20", "ARBETE_TV"]])
    delivery.af("af_avaktiveringar_20120215.csv", ["personnummer", "datum", "orsak"],
                [[A, "2012-02-01", "OVRIG"]])
    delivery.af("af_avaktiveringar_20120229.csv", AF_AVAKT,
                [[B, "2012-01-20", "ARBETE_TV"], [A, "2012-02-10", "UTBILDNING"]])
    delivery.af("af_avaktiveringar_20120331.csv", AF_AVAKT,
                [[A, "2012-02-10", "UTBILDNING"], [B, "2012-03-01", "OVRIG"]])
    delivery.af("af_arbetssokande_20120131.csv", AF_SOKANDE, [[A, "2011-03-01", "", "ETST", "1", "2"]])
    delivery.af("af_arbetssokande_20120229.csv", AF_SOKANDE,
                [[A, "2011-03-01", "2011-01-01", "NYTT", "1", "3"], [B, "2011-04-01", "", "ETST", "1", "1"]])
    delivery.af("af_arbetssokande_20120331.csv", AF_SOKANDE, [[B, "2011-04-01", "", "ETST", "1", "2"]])
    delivery.csv("ekonomi_utfall_20120131.csv", EKONOMI, [
        ["ETST", "2012-01", "personal", "100", "ESF"], ["HEART", "2012-01", "personal", "7", "kommun"]],
        encoding="utf-8")
    delivery.csv("ekonomi_utfall_20120229.csv", EKONOMI, [
        ["ETST", "2012-01", "personal", "120", "ESF"], ["ETST", "2012-02", "personal", "90", "ESF"]],
        encoding="utf-8")
    batches = []
    real = load._load_batch

    def counted(con, kind, paths, *args):
        batches.append(len(paths))
        return real(con, kind, paths, *args)

    monkeypatch.setattr(load, "_load_batch", counted)
    together, apart = tmp_path / "together" / "w.duckdb", tmp_path / "apart" / "w.duckdb"
    run_ingest(delivery.folder, together)
    assert sorted(batches, reverse=True)[:3] == [4, 4, 3]  # the kinds were batched
    batches.clear()
    monkeypatch.setattr(load, "BATCH_BYTES", 1)
    run_ingest(delivery.folder, apart)
    assert set(batches) == {1}
    tables = [t for (t,) in query(together, "SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'raw' ORDER BY 1")]
    when = {"_loaded_at", "run_id", "started_at", "finished_at"}  # the clock's, not the data's
    for table in tables:
        columns = [c for (c,) in query(together, "SELECT column_name FROM information_schema.columns "
                                                 "WHERE table_schema = 'raw' AND table_name = ? "
                                                 "ORDER BY ordinal_position", [table]) if c not in when]
        quoted = ", ".join(f'"{c}"' for c in columns)
        sql = f"SELECT {quoted} FROM raw.{table} ORDER BY ALL"
        assert query(together, sql) == query(apart, sql), table
    assert log(together)["af_avaktiveringar_20120215.csv"][0] == "rejected"
    assert log(together)["af_avaktiveringar_20120331.csv"][:5] == ("loaded", 2, 1, 1, 0)
    assert query(together, "SELECT count(*) FROM raw.quarantine") == [(3,)]
