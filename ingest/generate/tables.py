"""The export files: which exist, their names and dates, and their rows as text.

A builder returns, per sheet of the file kind, one pyarrow string array per column, in
the column order of ``ingest.sources`` (names are never repeated here). Empty string =
missing value.
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest import sources
from ingest.generate.world import (
    DISTRICTS,
    ERAS,
    FILE_MONTHS,
    HORIZON,
    OFFICES,
    UNKNOWN_EDUCATION,
    World,
    day,
    month_end,
    month_start,
)

KINDS = {kind.name: kind for kind in sources.FILE_KINDS}
DISTRICT_NAMES = np.array(list(DISTRICTS))

# Shares of the forms (YYYYMMDDNNNN, YYYYMMDD-NNNN, YYMMDD-NNNN, YYMMDDNNNN) per source.
PNR_FORMS = {"af": (0.7, 0.3, 0, 0), "stad": (0.1, 0.5, 0.3, 0.1),
             "partner": (0.1, 0.4, 0.4, 0.1)}
PLUS_FORM = 4  # YYMMDD+NNNN, for people aged 100 or more
# Thousands separators in the city's amounts: none, a space, a no-break space.
SEPARATORS = {"": 0.2, " ": 0.4, "\u00a0": 0.4}


@dataclass(frozen=True)
class ExportFile:
    name: str
    kind: sources.FileKind
    date: np.datetime64  # the export date, as the name says
    low: np.datetime64  # the rows' dates (or months) from low to high
    high: np.datetime64
    build: Callable  # (world, file, rng) -> [[pa.Array per column] per sheet]


# --- text ------------------------------------------------------------------------------

def text(values) -> pa.Array:
    array = pa.array(np.asarray(values), pa.string())
    # pyarrow converts a large numpy text array in chunks
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def integers(values) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values)), pa.string())


def iso(dates) -> pa.Array:
    """YYYY-MM-DD, empty for NaT."""
    return pc.fill_null(pc.cast(pa.array(np.asarray(dates, "datetime64[D]")), pa.string()), "")


def months(values) -> pa.Array:
    return text(np.datetime_as_string(np.asarray(values, "datetime64[M]")))


def known_by(dates, date):
    """``dates``, emptied where they fall after ``date`` (not yet known at the export)."""
    return np.where(dates <= date, dates, np.datetime64("NaT"))


def join(*parts, separator="") -> pa.Array:
    return pc.binary_join_element_wise(*parts, separator)


def pnr_text(numbers, form) -> pa.Array:
    """The 12-digit ``numbers`` written in ``form`` (index into PNR_FORMS' order, or PLUS_FORM)."""
    full = pc.cast(pa.array(numbers), pa.string())
    date8 = pc.utf8_slice_codeunits(full, 0, 8)
    date6 = pc.utf8_slice_codeunits(full, 2, 8)
    tail = pc.utf8_slice_codeunits(full, 8, 12)
    return pc.choose(pa.array(form, pa.int8()), full, join(date8, tail, separator="-"),
                     join(date6, tail, separator="-"), join(date6, tail),
                     join(date6, tail, separator="+"))


def pnr(world: World, person, kind) -> pa.Array:
    """Personnummer of ``person`` as ``kind`` writes them. The form is fixed per person and
    kind, so a row repeated by an overlapping extract is identical."""
    shift = list(KINDS).index(kind.name) * 0.618034
    cumulative = np.cumsum(PNR_FORMS[kind.source])
    form = np.minimum(np.searchsorted(cumulative, (world.form_u[person] + shift) % 1, "right"),
                      len(cumulative) - 1)
    form = np.where(world.centenarian[person], PLUS_FORM, form)
    return pnr_text(world.pnr[person], form)


def amounts(ore, separators=None) -> pa.Array:
    """Decimal-comma amounts from öre, with ``separators`` (per row) between thousands."""
    ore = np.asarray(ore)
    kronor = np.abs(ore) // 100
    if separators is None:
        whole = integers(kronor)
    else:
        assert (kronor < 1_000_000).all(), "one thousands separator at most"
        grouped = join(integers(kronor // 1000), text(separators),
                       pc.utf8_lpad(integers(kronor % 1000), 3, "0"))
        whole = pc.if_else(pa.array(kronor >= 1000), grouped, integers(kronor))
    value = join(whole, pc.utf8_lpad(integers(np.abs(ore) % 100), 2, "0"), separator=",")
    return pc.if_else(pa.array(ore < 0), join(pa.scalar("-"), value), value)


def between(sorted_values, low, high) -> slice:
    return slice(np.searchsorted(sorted_values, low, "left"),
                 np.searchsorted(sorted_values, high, "right"))


# --- builders, one per kind --------------------------------------------------------------

def af_arbetssokande(world, file, rng):
    p = world.participants
    person = np.flatnonzero(p["intake"] <= file.date)
    assessed = ~(p["edu_known"][person] > file.date)
    return [[pnr(world, person, file.kind), iso(p["intake"][person]),
             iso(p["permit"][person]), text(p["project"][person]),
             text(OFFICES[p["office"][person]]),
             text(np.where(assessed, p["edu"][person], UNKNOWN_EDUCATION))]]


def af_manadsstatus(world, file, rng):
    rows = between(world.status["month"], file.low, file.high)
    return [[pnr(world, world.status["person"][rows], file.kind),
             months(world.status["month"][rows]), text(world.status["kategori"][rows]),
             text(world.status["stod"][rows])]]


def af_avaktiveringar(world, file, rng):
    d = world.deregistrations
    rows = between(d["date"], file.low, file.high)
    return [[pnr(world, d["person"][rows], file.kind), iso(d["date"][rows]),
             text(d["orsak"][rows])]]


def af_jamforelsegrupp(world, file, rng):
    c = world.comparison
    rows = between(c["month"], file.low, file.high)
    return [[months(c["month"][rows]), text(c["kon"][rows]), integers(c["inskrivna"][rows]),
             integers(c["till_arbete"][rows]), integers(c["till_utbildning"][rows])]]


def stad_jobbtorg_deltagare(world, file, rng):
    p = world.participants
    person = np.flatnonzero(p["jobbtorg"] & (p["jt_start"] <= file.date))
    return [[pnr(world, person, file.kind), iso(p["jt_start"][person]),
             iso(known_by(p["jt_end"][person], file.date)),
             text(DISTRICT_NAMES[p["district"][person]]), text(p["project"][person]),
             iso(known_by(p["plan"][person], file.date)),
             text(world.officers[p["officer"][person]])]]


def stad_ekonomiskt_bistand(world, file, rng):
    pay = world.payments
    rows = between(pay["month"], file.low, file.high)
    person = pay["person"][rows]
    separators = rng.choice(list(SEPARATORS), len(person), p=list(SEPARATORS.values()))
    return [[pnr(world, person, file.kind), months(pay["month"][rows]),
             amounts(pay["ore"][rows], separators),
             text(DISTRICT_NAMES[world.district[person]])]]


def stad_sfi_resultat(world, file, rng):
    sfi = world.sfi
    rows = between(sfi["date"], file.low, file.high)
    return [[pnr(world, sfi["person"][rows], file.kind), text(sfi["kurs"][rows]),
             text(sfi["betyg"][rows]), iso(sfi["date"][rows])]]


def partner_yrkesguider(world, file, rng):
    g = world.guides
    rows = between(g["start"], file.low, file.high)
    guide_id = join(pa.scalar("RK-"), pc.utf8_lpad(integers(g["guide"][rows]), 4, "0"))
    return [[guide_id, pnr(world, g["person"][rows], file.kind), text(g["area"][rows]),
             iso(g["start"][rows]), iso(known_by(g["end"][rows], file.date)),
             integers(g["meetings"][rows])]]


def partner_matchning(world, file, rng):
    m, e = world.placements, world.employers
    rows = between(m["start"], file.low, file.high)
    employer = m["employer"][rows]
    return [[pnr(world, m["person"][rows], file.kind), text(m["project"][rows]),
             text(e["orgnr"][employer]), text(e["name"][employer]), text(m["insats"][rows]),
             iso(m["start"][rows]), iso(known_by(m["end"][rows], file.date)),
             text(e["branch"][employer])]]


def partner_ocn_intyg(world, file, rng):
    o = world.ocn
    rows = between(o["date"], file.low, file.high)
    return [[pnr(world, o["person"][rows], file.kind), text(o["module"][rows]),
             text(o["level"][rows]), iso(o["date"][rows])]]


def partner_entryhub_besok(world, file, rng):
    v = world.visits
    rows = between(v["date"], file.low, file.high)
    person, employer = v["person"][rows], v["employer"][rows]
    with_pnr = person >= 0
    return [[iso(v["date"][rows]),
             join(pa.scalar("EH"), pc.utf8_lpad(integers(v["visitor"][rows] + 1), 6, "0")),
             pc.if_else(pa.array(with_pnr), pnr(world, np.where(with_pnr, person, 0), file.kind),
                        ""),
             text(v["kon"][rows]), text(v["aktivitet"][rows]),
             text(np.where(employer >= 0, world.employers["name"][employer], "")),
             text(v["ort"][rows])]]


def partner_heart_kartlaggning(world, file, rng):
    c, i, s = world.heart_companies, world.heart_interviews, world.heart_cities
    return [[text(c["orgnr"]), text(c["name"]), iso(c["date"]), text(c["offers"])],
            [text(i["id"]), text(i["kon"]), iso(i["date"])],
            [text(s["city"]), text(s["country"]), iso(s["date"]), text(s["visit"])]]


def ekonomi_utfall(world, file, rng):
    """The year's months, restating November and December of the year before. The year's
    own November and December are preliminary when a later file restates them."""
    c = world.costs
    year = file.date.astype("datetime64[Y]")
    month = c["month"]
    in_year = month.astype("datetime64[Y]") == year
    last_year = year == c["month"].max().astype("datetime64[Y]")
    restated = (month - month.astype("datetime64[Y]").astype("datetime64[M]")).astype(int) >= 10
    final = (in_year & (~restated | last_year)) | (
        restated & (month.astype("datetime64[Y]") == year - 1))
    preliminary = in_year & restated & ~last_year & (c["prelim"] > 0)
    ore = np.where(preliminary, c["prelim"], c["ore"])
    rows = np.flatnonzero(final | preliminary)
    return [[text(c["project"][rows]), months(month[rows]), text(c["kostnadsslag"][rows]),
             amounts(ore[rows]), text(c["finansiar"][rows])]]


# --- the plan -----------------------------------------------------------------------------

def plan(world: World) -> list[ExportFile]:
    """Every file of the whole period, in the order of sources.FILE_KINDS, then by date."""
    files = []

    def add(kind, stamp, date, build, low=None, high=None):
        k = KINDS[kind]
        files.append(ExportFile(f"{kind}_{stamp}.{k.extension}", k, date, low, high, build))

    def ymd(date):
        return str(date).replace("-", "")

    for m in FILE_MONTHS:
        stamp = str(m).replace("-", "")
        for build in (af_manadsstatus, af_jamforelsegrupp, stad_ekonomiskt_bistand):
            add(build.__name__, stamp, month_end(m), build, m, m)
    # Snapshots every six months, deregistration extracts every three; each extract
    # repeats the last month of the one before (across the gap between the eras, too).
    low = month_start(ERAS[0][0])
    for first, last in ERAS:
        for m in np.arange(first + 5, last + 1, 6):
            for build in (af_arbetssokande, stad_jobbtorg_deltagare):
                add(build.__name__, ymd(month_end(m)), month_end(m), build)
        for m in np.arange(first + 2, last + 1, 3):
            add("af_avaktiveringar", ymd(month_end(m)), month_end(m), af_avaktiveringar,
                low, month_end(m))
            low = month_start(m)
    # SFI results half-yearly.
    half_years = np.arange(np.datetime64("2009-12"), HORIZON.astype("datetime64[M]"), 6)
    ends = np.append(month_end(half_years), HORIZON)
    for low, high in zip(np.append(day("2009-08-01"), ends[:-1] + 1), ends):
        add("stad_sfi_resultat", ymd(high), high, stad_sfi_resultat, low, high)
    # Partner files yearly (an Excel sheet holds at most 1,048,576 rows).
    for build, dates in ((partner_yrkesguider, world.guides["start"]),
                         (partner_matchning, world.placements["start"]),
                         (partner_ocn_intyg, world.ocn["date"]),
                         (partner_entryhub_besok, world.visits["date"])):
        for year in np.unique(dates.astype("datetime64[Y]")):
            high = min(day(f"{year}-12-31"), HORIZON)
            add(build.__name__, ymd(high), high, build, day(f"{year}-01-01"), high)
    add("partner_heart_kartlaggning", "2009", day("2009-12-31"), partner_heart_kartlaggning)
    for year in np.unique(world.costs["month"].astype("datetime64[Y]")):
        add("ekonomi_utfall", f"{year}1231", day(f"{year}-12-31"), ekonomi_utfall)
    order = list(KINDS)
    return sorted(files, key=lambda f: (order.index(f.kind.name), f.date))
