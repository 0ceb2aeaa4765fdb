"""Writing a file's text columns in the exact format of its kind (exports.md)."""

import codecs
import datetime
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter

from ingest import sources

CHUNK = 200_000  # rows encoded at a time
TEXT_DATE_SHARE = 0.05  # partners type some dates as text
EXCEL_1970 = 25569  # the Excel serial number of 1970-01-01
FIRST_SHEET = "Blad1"
TITLES = {
    "partner_yrkesguider": "Röda Korset – yrkesguider",
    "partner_matchning": "Matchningslogg – arbetsgivarkontakter och insatser",
    "partner_ocn_intyg": "OCN – kvalitetssäkrade intyg",
    "partner_heart_foretag": "HEART – kartläggning av företag",
    "partner_heart_intervjuer": "HEART – intervjuer med målgruppen",
    "partner_heart_stader": "HEART – städer och regioner",
}


def write(path, file, sheets, rng):
    if file.kind.extension == "xlsx":
        write_xlsx(path, file, sheets, rng)
    else:
        write_csv(path, file.kind, sheets[0])


def quoted(values, delimiter) -> pa.Array:
    needs_quotes = pc.match_substring_regex(values, f'[{re.escape(delimiter)}"\r\n]')
    inner = pc.replace_substring(values, '"', '""')
    return pc.if_else(needs_quotes, pc.binary_join_element_wise('"', inner, '"', ""), values)


def write_csv(path, kind, columns):
    eol = "\r\n" if kind.source == "stad" else "\n"  # the city's files come from Windows
    names = [c.name for c in kind.sheets[0].columns]
    lines = pc.binary_join_element_wise(*[quoted(c, kind.delimiter) for c in columns],
                                        kind.delimiter)
    with open(path, "wb") as out:
        if kind.source == "af":  # the employment service writes a byte order mark
            out.write(codecs.BOM_UTF8)
        out.write((kind.delimiter.join(names) + eol).encode(kind.encoding))
        for start in range(0, len(lines), CHUNK):
            chunk = lines.slice(start, CHUNK)
            one_list = pa.ListArray.from_arrays(pa.array([0, len(chunk)], pa.int32()), chunk)
            body = pc.binary_join(one_list, eol)[0].as_py()
            out.write((body + eol).encode(kind.encoding))


def write_xlsx(path, file, sheets, rng):
    """A title row and a blank row above the header; xlsxwriter writes cell by cell."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    # A fixed creation time: the same seed gives the same bytes.
    workbook.set_properties({"created": datetime.datetime.fromisoformat(str(file.date))})
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for sheet, columns in zip(file.kind.sheets, sheets):
        worksheet = workbook.add_worksheet(sheet.sheet_name or FIRST_SHEET)
        worksheet.set_column(0, len(sheet.columns) - 1, 20)
        worksheet.write_string(0, 0, f"{TITLES[sheet.table]}, uttag {file.date}", bold)
        for c, column in enumerate(sheet.columns):
            worksheet.write_string(2, c, column.name, bold)
        formats = [date_format if column.type == sources.DATE else None
                   for column in sheet.columns]
        cells = [cell_values(column, values, rng)
                 for column, values in zip(sheet.columns, columns)]
        write_string, write_number = worksheet.write_string, worksheet.write_number
        for r, row in enumerate(zip(*cells), start=3):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if value.__class__ is str:
                    write_string(r, c, value)
                else:
                    write_number(r, c, value, formats[c])
    workbook.close()


def cell_values(column, values, rng) -> list:
    """Per row: None (empty cell), a number (dates as Excel serials) or a string."""
    cells = np.array(values.to_pylist(), dtype=object)
    if column.type == sources.DATE:
        parsed = pc.strptime(values, format="%Y-%m-%d", unit="s", error_is_null=True)
        # strptime rolls 2011-02-29 over to March: a date must also print back the same.
        exact = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), values)
        serial = pc.add(pc.divide(pc.cast(parsed, pa.int64()), 86_400), EXCEL_1970)
        as_date = (pc.fill_null(exact, False).to_numpy(zero_copy_only=False)
                   & (rng.random(len(values)) >= TEXT_DATE_SHARE))
        cells[as_date] = pc.filter(serial, pa.array(as_date)).to_pylist()
    elif column.type == sources.INT:
        digits = pc.match_substring_regex(values, r"^\d+$").to_numpy(zero_copy_only=False)
        cells[digits] = pc.cast(pc.filter(values, pa.array(digits)), pa.int64()).to_pylist()
    cells[cells == ""] = None
    return cells.tolist()
