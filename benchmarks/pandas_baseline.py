"""The "straightforward analyst" baseline: T1, T2 and the funnel's step counts computed
from the export files with pandas alone, then asserted equal to a refreshed warehouse.

    python benchmarks/pandas_baseline.py --exports DIR --warehouse WAREHOUSE.duckdb [--json OUT.json]

Written from the spec (../shared/spec/exports.md and projects.md), not from Kedjan's code:
read_csv / read_excel, merges, groupby and date arithmetic, the way an analyst would do it
by hand. It shares nothing with ingest or dbt but the project config (the project's
period). The benchmark orchestrator measures its wall time and peak memory from outside,
so nothing is timed here. Exit status 1 when any figure differs from the marts.
"""

import argparse
import datetime
import functools
import json
import math
import os
import re
import sys
from pathlib import Path

import duckdb
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parent.parent
PROJECT = "ETST"
T1, T2 = "etst_self_supporting_18m", "etst_transition_ratio"
STEPS = ("inskriven", "plan", "insats", "arbetsgivarkontakt", "anstalld", "sjalvforsorjande")

# Column types of the export contract (exports.md); a tuple is the set of allowed codes.
PNR = "personnummer"  # required: an empty value quarantines the row
PNR_OPTIONAL = "personnummer, optional"  # Entry Hub visitors may have none
TEXT, TEXT_REQUIRED, DATE, MONTH, INT, AMOUNT, ORGNR = (
    "text", "text, required", "date", "month", "integer", "amount", "organisationsnummer")

# The file kinds this baseline needs, with their format and every column (a row with a bad
# value in any column is quarantined by ingest, so every column is checked here too).
KINDS = {
    "af_arbetssokande": {"columns": {
        "personnummer": PNR, "inskrivningsdatum": DATE, "uppehallstillstand_datum": DATE,
        "projektkod": TEXT, "af_kontor": TEXT,
        "utbildningsniva": ("1", "2", "3", "4", "5", "6", "9")}},
    "af_manadsstatus": {"monthly": True, "columns": {
        "personnummer": PNR, "manad": MONTH,
        "sokandekategori": ("11", "12", "21", "22", "41", "68", "69", "98"),
        "anstallningsstod": ("INSTEG", "NYSTART")}},
    "af_avaktiveringar": {"columns": {
        "personnummer": PNR, "avaktiveringsdatum": DATE,
        "orsak": ("ARBETE_TV", "ARBETE_TB", "EGET_FORETAG", "UTBILDNING", "OVRIG",
                  "KONTAKT_UPPHORT")}},
    "af_jamforelsegrupp": {"monthly": True, "columns": {
        "manad": MONTH, "kon": ("K", "M"), "inskrivna": INT, "till_arbete": INT,
        "till_utbildning": INT}},
    "stad_jobbtorg_deltagare": {"city": True, "columns": {
        "Personnummer": PNR, "Inskrivningsdatum": DATE, "Utskrivningsdatum": DATE,
        "Stadsdel": TEXT, "Projektkod": TEXT, "Plan upprättad": DATE, "Handläggare": TEXT}},
    # Identical rows are separate payments: no duplicate check.
    "stad_ekonomiskt_bistand": {"city": True, "monthly": True, "duplicates_allowed": True,
                                "columns": {"Personnummer": PNR, "Utbetalningsmånad": MONTH,
                                            "Belopp": AMOUNT, "Stadsdel": TEXT}},
    "stad_sfi_resultat": {"city": True, "columns": {
        "Personnummer": PNR, "Kurs": ("A", "B", "C", "D"),
        "Betyg": ("A", "B", "C", "D", "E", "F", "VG", "G", "IG"), "Datum": DATE}},
    "partner_yrkesguider": {"excel": True, "columns": {
        "Guide-ID": TEXT, "Personnummer": PNR, "Yrkesområde": TEXT, "Matchningsdatum": DATE,
        "Avslutsdatum": DATE, "Antal träffar": INT}},
    "partner_matchning": {"excel": True, "columns": {
        "Personnummer": PNR, "Projekt": TEXT, "Organisationsnummer": ORGNR,
        "Arbetsgivare": TEXT,
        "Insats": ("Praktik", "Trainee", "Provanställning", "Anställning", "Instegsjobb",
                   "Nystartsjobb", "Arbetsgivarmöte"),
        "Startdatum": DATE, "Slutdatum": DATE, "Bransch": tuple("ABCDEFGHIJKLMNOPQRSTU")}},
    "partner_ocn_intyg": {"excel": True, "columns": {
        "Personnummer": PNR, "Kursmodul": TEXT, "Nivå": ("1", "2", "3", "4"),
        "Intygsdatum": DATE}},
    "partner_entryhub_besok": {"sep": ",", "encoding": "utf-8", "columns": {
        "datum": DATE, "besokar_id": TEXT_REQUIRED, "personnummer": PNR_OPTIONAL,
        "kon": ("K", "M"),
        "aktivitet": ("natverkstraff", "arbetsgivarmote", "vagledning", "anstallning"),
        "arbetsgivare": TEXT, "ort": ("Umeå", "Stockholm", "Göteborg")}},
    # Costs: only their months matter here (the project's latest month of data).
    "ekonomi_utfall": {"encoding": "utf-8", "decimal_comma": True, "duplicates_allowed": True,
                       "columns": {
                           "projekt": TEXT, "manad": MONTH,
                           "kostnadsslag": ("personal", "lokaler", "resor", "tjanster",
                                            "deltagarersattning", "ovrigt"),
                           "belopp": AMOUNT, "finansiar": ("ESF", "kommun", "stat", "ovrig")}},
}

EMPLOYMENT_INSATSER = ("Provanställning", "Anställning", "Instegsjobb", "Nystartsjobb")
TO_WORK = ("ARBETE_TV", "ARBETE_TB", "EGET_FORETAG")
TO_STUDIES = ("UTBILDNING",)


# --- months as whole numbers (year * 12 + month - 1): plain arithmetic, 18 months = +18 ---

def month_of(dates: pd.Series) -> pd.Series:
    return dates.dt.year * 12 + dates.dt.month - 1


def month_text(month: int) -> str:
    return f"{int(month) // 12:04d}-{int(month) % 12 + 1:02d}"


def month_end(months: pd.Series) -> pd.Series:
    """The last day of each month number."""
    months = months.astype(int)
    first = pd.to_datetime(pd.DataFrame({"year": months // 12, "month": months % 12 + 1,
                                         "day": 1}))
    return first + pd.offsets.MonthEnd(0)


# --- the validity rules of exports.md (what ingest quarantines) ---------------------------

def luhn_ok(ten: str) -> bool:
    total = 0
    for i, ch in enumerate(ten[:9]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10 == int(ten[9])


@functools.cache
def twelve_digits(text: str, export_year: int) -> str | None:
    """The normalised 12-digit personnummer, or None when the number is invalid.

    A two-digit year is the latest year ending in YY not after the export year; `+` (aged
    100 or more) takes a further 100 years off. Cached: the same number recurs in every file.
    """
    if m := re.fullmatch(r"([0-9]{8})-?([0-9]{4})", text):
        twelve = m[1] + m[2]
    elif m := re.fullmatch(r"([0-9]{2})([0-9]{4})([-+]?)([0-9]{4})", text):
        year = export_year - (export_year - int(m[1])) % 100 - (100 if m[3] == "+" else 0)
        twelve = f"{year:04d}{m[2]}{m[4]}"
    else:
        return None
    day = int(twelve[6:8])
    try:  # a samordningsnummer has the day of month + 60
        datetime.date(int(twelve[:4]), int(twelve[4:6]), day - 60 if day > 60 else day)
    except ValueError:
        return None
    return twelve if luhn_ok(twelve[2:]) else None


def orgnr_ok(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{6}-?[0-9]{4}", text)) and luhn_ok(text.replace("-", ""))


def export_date(name: str, kind: str) -> datetime.date:
    """The date in a file name: YYYYMMDD; YYYYMM = that month's last day; YYYY = 31 Dec;
    none: today (the day of the refresh)."""
    rest = Path(name).stem[len(kind):]
    m = re.search(r"(?<![0-9])([0-9]{8}|[0-9]{6}|[0-9]{4})(?![0-9])", rest)
    if not m:
        return datetime.date.today()
    digits = m[1]
    if len(digits) == 8:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if len(digits) == 6:
        return (pd.Timestamp(int(digits[:4]), int(digits[4:]), 1) + pd.offsets.MonthEnd(0)).date()
    return datetime.date(int(digits), 12, 31)


def files_of(exports: Path, kind: str) -> list[Path]:
    """The kind's files (name case-insensitive), in load order: export date, then name."""
    ext = ".xlsx" if KINDS[kind].get("excel") else ".csv"
    found = []
    for path in exports.iterdir():
        lower = path.name.lower()
        if lower.endswith(ext) and (lower == kind + ext or lower.startswith(kind + "_")):
            try:
                found.append((export_date(path.name, kind), path.name.lower(), path))
            except ValueError:
                print(f"  {path.name}: no valid date in the name, left out (ingest rejects it)")
    return [path for _, _, path in sorted(found)]


def cell_text(value) -> str:
    """An Excel cell as the text a CSV export would hold (dates in ISO)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_file(path: Path, kind: str) -> pd.DataFrame | None:
    """All rows of one file as text, columns named as in the spec; None when ingest
    would reject the whole file (empty, wrong encoding, a required column missing)."""
    spec = KINDS[kind]
    wanted = {name.casefold(): name for name in spec["columns"]}
    if spec.get("excel"):
        sheet = pd.read_excel(path, sheet_name=0, header=None, engine="calamine", dtype=object)
        sheet = sheet.map(cell_text)
        # A title row and blank rows may come first: the header row holds the column names.
        for i in range(min(50, len(sheet))):
            if len(wanted.keys() & {c.strip().casefold() for c in sheet.iloc[i]}) >= 2:
                break
        else:
            return None
        df = sheet.iloc[i + 1:].copy()
        df.columns = list(sheet.iloc[i])
        df = df[(df != "").any(axis=1)]  # blank rows are not rows
    else:
        if path.stat().st_size == 0:
            return None
        encoding = "cp1252" if spec.get("city") else spec.get("encoding", "utf-8-sig")
        if spec.get("city"):
            raw = path.read_bytes()
            try:  # UTF-8 with non-ASCII text in a city file is a wrong export: rejected
                raw.decode("utf-8")
                if not raw.isascii():
                    return None
            except UnicodeDecodeError:
                pass
        try:
            # Too many fields on a line: ingest quarantines the row, pandas skips it.
            df = pd.read_csv(path, sep=spec.get("sep", ";"), encoding=encoding, dtype=str,
                             keep_default_na=False, on_bad_lines="skip")
        except (UnicodeDecodeError, pd.errors.EmptyDataError):
            return None
        # Too few fields leave NaN (an empty field is ""): ingest quarantines those rows.
        df = df[df.notna().all(axis=1)]
    header = [str(c).strip().casefold() for c in df.columns]
    if not wanted.keys() <= set(header):
        return None
    df.columns = range(len(header))
    # Duplicates are judged on the raw fields of the whole row, extra columns included.
    duplicate = df.duplicated() if not spec.get("duplicates_allowed") else False
    first_position = {}
    for position, name in enumerate(header):
        first_position.setdefault(name, position)
    out = pd.DataFrame({wanted[name]: df[position].str.strip(" ")
                        for name, position in first_position.items() if name in wanted})
    out["_duplicate"] = duplicate
    return out.reset_index(drop=True)


def validate(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The valid rows, typed: personnummer as 12 digits (column `pnr`), dates as datetime,
    months as month numbers, numbers as numbers; empty = missing. One pass over all files
    of the kind: `_export` (the file's export date) gives each row its export year."""
    ok = ~df.pop("_duplicate").astype(bool)
    for name, kind_of_column in KINDS[kind]["columns"].items():
        value = df[name]
        empty = value == ""
        if kind_of_column in (PNR, PNR_OPTIONAL):
            twelve = pd.Series([twelve_digits(v, y) if v else None
                                for v, y in zip(value, df["_export"].dt.year)],
                               index=df.index, dtype=object)
            ok &= twelve.notna() | (empty & (kind_of_column == PNR_OPTIONAL))
            df = df.drop(columns=name).assign(pnr=twelve)
        elif kind_of_column == TEXT_REQUIRED:
            ok &= ~empty
        elif kind_of_column == DATE:
            iso = value.where(value.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"))
            parsed = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
            ok &= empty | parsed.notna()
            df[name] = parsed
        elif kind_of_column == MONTH:
            good = value.str.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])")
            ok &= empty | good
            month = (value.str[:4].where(good).astype(float) * 12
                     + value.str[5:7].where(good).astype(float) - 1)
            if name == "manad" and kind == "af_manadsstatus":  # must be the file's month
                ok &= empty | ~good | (month == month_of(df["_export"]))
            df[name] = month
        elif kind_of_column in (INT, AMOUNT):
            digits = value.str.replace(r"([0-9])[ \u00a0]+([0-9])", r"\1\2", regex=True)
            pattern = r"[+-]?[0-9]+"
            if kind_of_column == AMOUNT:
                comma = KINDS[kind].get("city") or KINDS[kind].get("decimal_comma")
                pattern += r"(,[0-9]+)?" if comma else r"(\.[0-9]+)?"
            good = digits.str.fullmatch(pattern)
            ok &= empty | good
            df[name] = pd.to_numeric(digits.where(good).str.replace(",", "."))
        elif kind_of_column == ORGNR:
            ok &= empty | value.map(orgnr_ok)
        elif isinstance(kind_of_column, tuple):
            ok &= empty | value.isin(kind_of_column)
    return df[ok.astype(bool)]


def read_kind(exports: Path, kind: str) -> tuple[pd.DataFrame, list[tuple[int, datetime.date]]]:
    """Valid rows of every loaded file of the kind (with `_file`, its load order, `_export`
    and `_row`), and the loaded files as (load order, export date)."""
    frames, loaded = [], []
    for order, path in enumerate(files_of(exports, kind)):
        exported = export_date(path.name, kind)
        df = read_file(path, kind)
        if df is None:
            print(f"  {path.name}: left out, ingest rejects the whole file")
            continue
        frames.append(df.assign(_row=range(len(df)), _file=order, _export=pd.Timestamp(exported)))
        loaded.append((order, exported))
    if not frames:
        raise SystemExit(f"{exports}: no {kind} file; the baseline needs every kind it reads")
    rows = validate(pd.concat(frames, ignore_index=True), kind)
    if KINDS[kind].get("monthly"):
        # A file delivered again for a month replaces the earlier one, even with no rows.
        newest = {}
        for order, exported in loaded:
            newest[exported] = order
        rows = rows[rows["_file"].isin(newest.values())]
    print(f"{kind}: {len(loaded)} files, {sum(map(len, frames))} rows read, {len(rows)} used")
    return rows, loaded


def newest_snapshot(rows: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Each key's rows from the newest snapshot (by load order) that contains the key."""
    newest = rows.groupby(key, dropna=False)["_file"].transform("max")
    return rows[rows["_file"] == newest]


# --- the chain's facts ---------------------------------------------------------------------

def months_covered(df: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """One row per month from `first` to `last` (both month numbers) of every row."""
    df = df.reset_index(drop=True)
    count = (df[last] - df[first] + 1).clip(lower=0).astype(int)
    out = df.loc[df.index.repeat(count)]
    out["month"] = (out[first] + out.groupby(level=0).cumcount()).astype(int)
    return out.reset_index(drop=True)


def spells(deregistrations: pd.DataFrame, status_months: pd.DataFrame,
           reasons: tuple[str, ...]) -> pd.DataFrame:
    """Employment or studies spells (projects.md): from the deregistration date to the last
    day of the month before the person's next month-end status row (a status row for a
    month that ends after the deregistration date), or still running (end NaT)."""
    d = deregistrations[deregistrations["orsak"].isin(reasons)
                        & deregistrations["avaktiveringsdatum"].notna()]
    d = d[["pnr", "avaktiveringsdatum"]].drop_duplicates()
    later = d.merge(status_months, on="pnr")
    later = later[month_end(later["month"]) > later["avaktiveringsdatum"]]
    next_status = later.groupby(["pnr", "avaktiveringsdatum"])["month"].min().rename("next_status")
    d = d.merge(next_status.reset_index(), on=["pnr", "avaktiveringsdatum"], how="left")
    d["first_month"] = month_of(d["avaktiveringsdatum"])
    d["last_month"] = d["next_status"] - 1  # NaN: still running
    d["end"] = month_end(d["next_status"].fillna(1) - 1).where(d["next_status"].notna())
    return d


def first_step_dates(participations: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """Per participation, the first day on or after inskriven on which one of the person's
    events holds: an event is held from `start` to `end` (NaT = still running), so one
    that began before inskriven and still runs gives the inskriven date."""
    m = participations.merge(events[["pnr", "start", "end"]], on="pnr")
    day = m["start"].where(m["start"] > m["inskriven"], m["inskriven"])
    m = m.assign(day=day)[m["end"].isna() | (m["end"] >= day)]
    return m.groupby(["pnr", "project"])["day"].min()


def point(df: pd.DataFrame, date: str) -> pd.DataFrame:
    d = df[df[date].notna()]
    return pd.DataFrame({"pnr": d["pnr"], "start": d[date], "end": d[date]})


def period(df: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    d = df[df[start].notna()]
    return pd.DataFrame({"pnr": d["pnr"], "start": d[start], "end": d[end]})


def month_fact(df: pd.DataFrame) -> pd.DataFrame:
    """A month fact holds on the last day of its month."""
    ends = month_end(df["month"].astype(int))
    return pd.DataFrame({"pnr": df["pnr"].values, "start": ends.values, "end": ends.values})


def compute(exports: Path, config_path: Path) -> dict:
    t = {kind: read_kind(exports, kind) for kind in KINDS}
    job_seekers = newest_snapshot(t["af_arbetssokande"][0], ["pnr"])
    jobbtorg = newest_snapshot(t["stad_jobbtorg_deltagare"][0], ["pnr", "Projektkod"])
    statuses = t["af_manadsstatus"][0].rename(columns={"manad": "month"})
    statuses = statuses[statuses["month"].notna()]
    deregs = t["af_avaktiveringar"][0]
    payments = t["stad_ekonomiskt_bistand"][0]
    matching = t["partner_matchning"][0]
    visits = t["partner_entryhub_besok"][0]

    # Participations: the earliest registration carrying the project code, at the
    # employment service or at Jobbtorg.
    registrations = pd.concat([
        job_seekers.rename(columns={"projektkod": "project", "inskrivningsdatum": "date"}),
        jobbtorg.rename(columns={"Projektkod": "project", "Inskrivningsdatum": "date"}),
    ])[["pnr", "project", "date"]]
    registrations = registrations[(registrations["project"] != "") & registrations["date"].notna()]
    participations = (registrations.groupby(["pnr", "project"])["date"].min()
                      .rename("inskriven").reset_index())

    # Residence permit: the person's row with the latest registration date in their
    # newest snapshot; on a tie, the later row of the file.
    latest_rows = (job_seekers.sort_values(["inskrivningsdatum", "_row"], na_position="first")
                   .groupby("pnr").tail(1))
    permits = latest_rows.set_index("pnr")["uppehallstillstand_datum"].dropna()

    # Months with an economic-assistance file: only there is self-support known.
    known_months = {exported.year * 12 + exported.month - 1
                    for _, exported in t["stad_ekonomiskt_bistand"][1]}
    last_known = max(known_months) if known_months else 0
    # Net sums in öre, so that a payment and its correction cancel exactly.
    payments = payments.assign(ore=(payments["Belopp"] * 100).round(),
                               month=payments["Utbetalningsmånad"])
    net = payments.groupby(["pnr", "month"], as_index=False)["ore"].sum()
    assisted = net.loc[net["ore"] > 0, ["pnr", "month"]].astype({"month": int})

    # Employed or in studies, per person and month (projects.md "Employed in month M").
    # Running periods are spread to the last month with an assistance file: beyond it
    # self-support is unknown anyway.
    status_months = statuses[["pnr", "month"]].drop_duplicates()
    employed_status = statuses[(statuses["anstallningsstod"] != "")
                               | statuses["sokandekategori"].isin(["41", "21", "22"])]
    jobs = matching[matching["Insats"].isin(EMPLOYMENT_INSATSER) & matching["Startdatum"].notna()]
    jobs = jobs.assign(first=month_of(jobs["Startdatum"]),
                       last=month_of(jobs["Slutdatum"]).fillna(last_known))
    work_spells = spells(deregs, status_months, TO_WORK)
    study_spells = spells(deregs, status_months, TO_STUDIES)
    working_or_studying = pd.concat([
        employed_status[["pnr", "month"]],
        months_covered(jobs, "first", "last")[["pnr", "month"]],
        months_covered(work_spells.assign(last_month=work_spells["last_month"].fillna(last_known)),
                       "first_month", "last_month")[["pnr", "month"]],
        months_covered(study_spells.assign(last_month=study_spells["last_month"].fillna(last_known)),
                       "first_month", "last_month")[["pnr", "month"]],
    ]).astype({"month": int}).drop_duplicates()
    # Self-supporting: employed or in studies, in a month with an assistance file, and no
    # assistance that month.
    candidates = working_or_studying[working_or_studying["month"].isin(known_months)]
    candidates = candidates.merge(assisted, on=["pnr", "month"], how="left", indicator=True)
    self_supporting = candidates.loc[candidates["_merge"] == "left_only", ["pnr", "month"]]

    months = reporting_months(config_path, t, participations)
    t1 = t1_rows(participations, permits, known_months, self_supporting, months)
    t2 = t2_rows(participations, statuses, deregs, t["af_jamforelsegrupp"][0], months)
    funnel = funnel_counts(participations, t, jobbtorg, statuses, deregs, matching, visits,
                           work_spells, self_supporting)
    return {"t1": t1, "t2": t2, "funnel": funnel}


def reporting_months(config_path: Path, t: dict, participations: pd.DataFrame) -> list[int]:
    """The project's months: from its first month to the earlier of its last month and its
    latest month of data (a record of its own, or a person-level record without a project
    code of one of its participants; a record dated after its file's export is a plan)."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    project = next(p for p in config["projects"] if p["code"] == PROJECT)
    start, end = pd.Timestamp(project["start"]), project.get("end")
    people = set(participations.loc[participations["project"] == PROJECT, "pnr"])
    dated = []  # month numbers of the project's dated records

    def add(kind, column, project_column=None, own=None, rows=None):
        rows = t[kind][0] if rows is None else rows
        rows = rows[rows[column].notna()]
        if rows.empty:
            return
        value = rows[column]
        is_month = value.dtype.kind == "f"  # months are month numbers, dates datetimes
        month = value if is_month else month_of(value)
        day = month_end(month).set_axis(rows.index) if is_month else value
        keep = day <= rows["_export"]
        if own is not None:
            belongs = pd.Series(own == PROJECT, index=rows.index)
        elif project_column is not None:
            code = rows[project_column]
            belongs = (code == PROJECT) | ((code == "") & rows["pnr"].isin(people))
        else:
            belongs = rows["pnr"].isin(people)
        dated.append(month[keep & belongs])

    add("af_arbetssokande", "inskrivningsdatum", "projektkod",
        rows=newest_snapshot(t["af_arbetssokande"][0], ["pnr"]))
    jobbtorg = newest_snapshot(t["stad_jobbtorg_deltagare"][0], ["pnr", "Projektkod"])
    for column in ("Inskrivningsdatum", "Plan upprättad", "Utskrivningsdatum"):
        add("stad_jobbtorg_deltagare", column, "Projektkod", rows=jobbtorg)
    add("partner_matchning", "Startdatum", "Projekt")
    add("af_manadsstatus", "manad")
    add("af_avaktiveringar", "avaktiveringsdatum")
    add("stad_ekonomiskt_bistand", "Utbetalningsmånad")
    add("stad_sfi_resultat", "Datum")
    add("partner_ocn_intyg", "Intygsdatum")
    add("af_jamforelsegrupp", "manad", own="ETST")  # the comparison group is ETST's
    add("partner_yrkesguider", "Matchningsdatum", own="ETST")  # every guide match is ETST's
    costs = t["ekonomi_utfall"][0]
    if not costs.empty:
        add("ekonomi_utfall", "manad", rows=costs.assign(pnr=None), project_column="projekt")
    latest = max((int(m.max()) for m in dated if len(m)), default=None)
    first = start.year * 12 + start.month - 1
    last = latest
    if end is not None and latest is not None:
        end = pd.Timestamp(end)
        last = min(end.year * 12 + end.month - 1, latest)
    return list(range(first, last + 1)) if last is not None else []


def t1_rows(participations, permits, known_months, self_supporting, months) -> dict:
    """T1 per month: participants (inskriven by the month's end) whose permit date + 18
    months falls in or before the month; numerator: self-supporting in the month holding
    that mark. People whose mark month has no assistance file are pending: left out."""
    people = participations[participations["project"] == PROJECT].merge(
        permits.rename("permit").reset_index(), on="pnr")
    people["intake_month"] = month_of(people["inskriven"])
    people["mark_month"] = month_of(people["permit"]) + 18
    people["known"] = people["mark_month"].isin(known_months)
    marks = self_supporting.rename(columns={"month": "mark_month"}).assign(self_supporting=True)
    people = people.merge(marks, on=["pnr", "mark_month"], how="left")
    people["self_supporting"] = people["self_supporting"].fillna(False).astype(bool)
    rows = {}
    for month in months:
        counted = people[(people["intake_month"] <= month) & (people["mark_month"] <= month)
                         & people["known"]]
        rows[month] = {"numerator": int(counted["self_supporting"].sum()),
                       "denominator": len(counted)}
    return rows


def t2_rows(participations, statuses, deregs, comparison, months) -> dict:
    """T2 per month: participants' and comparison group's pooled rates to date, and their
    ratio (null when a pooled denominator or the comparison's numerator is 0)."""
    people = participations[participations["project"] == PROJECT][["pnr", "inskriven"]]
    dated = deregs[deregs["avaktiveringsdatum"].notna()]
    facts = pd.concat([
        pd.DataFrame({"pnr": statuses["pnr"], "month": statuses["month"], "moved_on": False}),
        pd.DataFrame({"pnr": dated["pnr"], "month": month_of(dated["avaktiveringsdatum"]),
                      "moved_on": dated["orsak"].isin(TO_WORK + TO_STUDIES)}),
    ])
    facts = facts.merge(people, on="pnr")
    facts = facts[month_of(facts["inskriven"]) <= facts["month"]]  # a participant in M
    at_risk = facts.groupby("month")["pnr"].nunique()
    moved_on = facts[facts["moved_on"]].groupby("month")["pnr"].nunique()
    comparison = comparison.fillna({"inskrivna": 0, "till_arbete": 0, "till_utbildning": 0})
    by_month = comparison.groupby("manad")[["inskrivna", "till_arbete", "till_utbildning"]].sum()
    index = pd.Index(months, dtype=float)
    pooled = pd.DataFrame({
        "numerator": moved_on.reindex(index, fill_value=0).cumsum(),
        "denominator": at_risk.reindex(index, fill_value=0).cumsum(),
        "comparison_numerator": (by_month["till_arbete"] + by_month["till_utbildning"])
        .reindex(index, fill_value=0).cumsum(),
        "comparison_denominator": by_month["inskrivna"].reindex(index, fill_value=0).cumsum(),
    })
    rows = {}
    for month, r in pooled.iterrows():
        value = None
        if r.denominator and r.comparison_denominator and r.comparison_numerator:
            value = (r.numerator / r.denominator) / (r.comparison_numerator / r.comparison_denominator)
        rows[int(month)] = {"numerator": int(r.numerator), "denominator": int(r.denominator),
                            "value": value}
    return rows


def funnel_counts(participations, t, jobbtorg, statuses, deregs, matching, visits,
                  work_spells, self_supporting) -> dict:
    """Per project, how many participants reached each step of the chain (projects.md)."""
    guides, ocn, sfi = (t[k][0] for k in ("partner_yrkesguider", "partner_ocn_intyg",
                                          "stad_sfi_resultat"))
    # A visit without a personnummer belongs to the personnummer of the earliest visit
    # (date, file export date, row) with the same visitor id that carries one.
    with_pnr = (visits[visits["pnr"].notna()]
                .sort_values(["datum", "_export", "_file", "_row"], na_position="last")
                .groupby("besokar_id").head(1).set_index("besokar_id")["pnr"])
    visits = visits.assign(pnr=visits["pnr"].fillna(visits["besokar_id"].map(with_pnr)))
    visits = visits[visits["pnr"].notna()]

    placements = matching[matching["Insats"].isin(["Praktik", "Trainee"])]
    jobs = matching[matching["Insats"].isin(EMPLOYMENT_INSATSER)]
    in_programme = statuses[statuses["sokandekategori"].isin(["68", "69"])]
    employed_status = statuses[(statuses["anstallningsstod"] != "")
                               | statuses["sokandekategori"].isin(["41", "21", "22"])]
    # A deregistration to work holds on its date, and its employment spell on every day.
    deregistered = work_spells.assign(
        end=work_spells["end"].where(work_spells["end"] > work_spells["avaktiveringsdatum"],
                                     work_spells["avaktiveringsdatum"])
        .where(work_spells["end"].notna()))
    events = {
        "plan": [point(jobbtorg, "Plan upprättad")],
        "insats": [period(guides, "Matchningsdatum", "Avslutsdatum"),
                   point(ocn, "Intygsdatum"), point(sfi, "Datum"),
                   period(placements, "Startdatum", "Slutdatum"), month_fact(in_programme)],
        "arbetsgivarkontakt": [period(matching, "Startdatum", "Slutdatum"),
                               point(visits[visits["aktivitet"] == "arbetsgivarmote"], "datum")],
        "anstalld": [period(jobs, "Startdatum", "Slutdatum"), month_fact(employed_status),
                     period(deregistered, "avaktiveringsdatum", "end"),
                     point(visits[visits["aktivitet"] == "anstallning"], "datum")],
        "sjalvforsorjande": [month_fact(self_supporting)],
    }
    steps = participations.set_index(["pnr", "project"])[["inskriven"]]
    for step, parts in events.items():
        steps[step] = first_step_dates(participations, pd.concat(parts))
    counts = steps.groupby(level="project").count()
    return {project: {step: int(n) for step, n in row.items()} for project, row in counts.iterrows()}


# --- comparison with the marts -------------------------------------------------------------

def compare(result: dict, warehouse: Path) -> tuple[list[str], dict]:
    mismatches = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kpis = con.execute(
            """SELECT kpi_id, month, numerator, denominator, value FROM marts.fct_kpi_monthly
               WHERE project_id = ? AND gender = 'all' AND kpi_id IN (?, ?)""",
            [PROJECT, T1, T2]).fetchall()
        steps = con.execute(f"""
            SELECT project_id, {", ".join(f"count({s}_date)" for s in STEPS)}
            FROM marts.fct_participation_steps GROUP BY project_id""").fetchall()
    marts = {T1: {}, T2: {}}
    for kpi, month, numerator, denominator, value in kpis:
        marts[kpi][month.year * 12 + month.month - 1] = {
            "numerator": numerator, "denominator": denominator, "value": value}
    for kpi, ours, fields in ((T1, result["t1"], ("numerator", "denominator")),
                              (T2, result["t2"], ("numerator", "denominator", "value"))):
        for month in sorted(ours.keys() | marts[kpi].keys()):
            mine, theirs = ours.get(month), marts[kpi].get(month)
            if mine is None or theirs is None:
                mismatches.append(f"{kpi} {month_text(month)}: row only in "
                                  f"{'the baseline' if theirs is None else 'the mart'}")
                continue
            for field in fields:
                a, b = mine[field], theirs[field]
                same = (a is None and b is None) or (
                    a is not None and b is not None and abs(a - b) <= 1e-9 * max(1, abs(b)))
                if not same:
                    mismatches.append(f"{kpi} {month_text(month)} {field}: baseline {a}, mart {b}")
    mart_funnel = {row[0]: dict(zip(STEPS, row[1:])) for row in steps}
    for project in sorted(result["funnel"].keys() | mart_funnel.keys()):
        mine, theirs = result["funnel"].get(project, {}), mart_funnel.get(project, {})
        for step in STEPS:
            if mine.get(step, 0) != theirs.get(step, 0):
                mismatches.append(f"funnel {project} {step}: baseline {mine.get(step, 0)}, "
                                  f"mart {theirs.get(step, 0)}")
    return mismatches, {"t1_rows": len(result["t1"]), "t2_rows": len(result["t2"]),
                        "funnel_rows": len(result["funnel"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exports", type=Path, required=True, help="the delivery folder")
    parser.add_argument("--warehouse", type=Path, required=True,
                        help="a refreshed warehouse (opened read-only)")
    parser.add_argument("--json", type=Path, help="write a JSON summary here")
    parser.add_argument("--config", type=Path,
                        default=Path(os.environ.get("KEDJAN_PROJECTS_CONFIG")
                                     or REPO / "config" / "projects.yml"),
                        help="the projects config (the project's period)")
    args = parser.parse_args()
    result = compute(args.exports, args.config)
    mismatches, counts = compare(result, args.warehouse)
    for line in mismatches[:10]:
        print("MISMATCH", line)
    summary = {"equal": not mismatches, **counts, "mismatches": mismatches}
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    print(f"pandas baseline: {'equal to' if not mismatches else 'DIFFERS from'} the marts "
          f"(T1 {counts['t1_rows']} months, T2 {counts['t2_rows']} months, funnel "
          f"{counts['funnel_rows']} projects; {len(mismatches)} mismatches)")
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
