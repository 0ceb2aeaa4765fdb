"""The simulated world behind the exports: people and their way through the chain.

Everything is drawn once, for the whole period, from one numpy Generator, so the rows of a
file never depend on which files get written (``--until``). Tables are plain dicts of
equally long numpy arrays; dates are ``datetime64[D]``, months ``datetime64[M]``, and NaT
means "not (yet) happened".
"""

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from ingest import personnummer, sources

Table = dict[str, np.ndarray]


def day(text):
    return np.datetime64(text, "D")


def mon(text):
    return np.datetime64(text, "M")


NAT = np.datetime64("NaT", "D")
HORIZON = day("2018-08-31")  # the last export date
ETST = (day("2009-08-01"), day("2014-01-31"))
HEART = (day("2009-01-07"), day("2009-07-07"))
SAMS_START = day("2015-09-01")
EHUB_START = day("2017-10-05")
ESTABLISHMENT_REFORM = mon("2010-12")  # status 69 (etableringsuppdraget) exists from here
NEW_SFI_SCALE = day("2012-07-01")  # grades A-F replace VG/G/IG
# Months with monthly files: ETST plus half a year of follow-up, then SAMS to the horizon.
ERAS = ((mon("2009-08"), mon("2014-07")), (mon("2015-09"), mon("2018-08")))
FILE_MONTHS = np.concatenate([np.arange(first, last + 1) for first, last in ERAS])

DISTRICTS = {  # share of participants: the north-western suburbs dominate
    "Rinkeby-Kista": 0.21, "Spånga-Tensta": 0.17, "Hässelby-Vällingby": 0.10,
    "Skärholmen": 0.11, "Enskede-Årsta-Vantör": 0.09, "Farsta": 0.06,
    "Hägersten-Liljeholmen": 0.06, "Bromma": 0.04, "Södermalm": 0.04, "Skarpnäck": 0.04,
    "Älvsjö": 0.03, "Kungsholmen": 0.02, "Norrmalm": 0.015, "Östermalm": 0.015,
}
OFFICES = np.array(["AF Kista", "AF Tensta", "AF Vällingby", "AF Skärholmen", "AF Farsta",
                    "AF Globen", "AF Sveavägen", "AF Liljeholmen"])
FIRST_NAMES = np.array(["Anna", "Erik", "Maria", "Johan", "Fatima", "Ahmed", "Sara", "Karl",
                        "Leila", "Per", "Eva", "Omar", "Lena", "Hassan", "Karin", "Amina"])
LAST_NAMES = np.array(["Berg", "Lind", "Holm", "Ek", "Nilsson", "Hassan", "Karlsson", "Yusuf",
                       "Lundqvist", "Öberg", "Andersson", "Mohammed"])
# Teams after an en dash, one with a euro sign: the city's text carries Windows-1252 characters.
TEAMS = np.array(["enhet Nord", "enhet Syd", "enhet Väst", "Jobbtorg City", "EU-projekt (€)"])
EMPLOYER_WORDS = np.array(["Nordic", "Stockholms", "Svea", "Mälardalens", "Kista", "Solna",
                           "Baltic", "Östra", "Centrum", "Järva"])
EMPLOYER_TRADES = np.array(["Bygg", "Vård", "Städ", "Logistik", "Restaurang", "IT-konsult",
                            "Omsorg", "Fastighetsservice", "Handel", "Transport"])
# Some names carry a comma: the Entry Hub CSV must quote them.
EMPLOYER_SUFFIXES = np.array([" AB", " AB", " HB", ", Stockholm AB", " & Co, Handelsbolag",
                              " ekonomisk förening"])
# Organisationsnummer prefixes (AB, AB, HB/KB, HB, non-profit): the third digit is >= 2.
ORGNR_PREFIXES = np.array([556, 559, 969, 916, 802])
PROFESSION_AREAS = np.array(["Vård och omsorg", "Bygg och anläggning",
                             "Ekonomi och administration", "Data/IT", "Teknik", "Handel",
                             "Transport", "Pedagogik",
                             "Hotell, restaurang och storhushåll", "Juridik"])
OCN_MODULES = np.array(["Svenska på arbetsplatsen", "Kundbemötande", "Lokalvård",
                        "Barnskötsel, grund", "Datorkunskap", "Arbetsmiljö och säkerhet",
                        "Truckkörning"])
HEART_CITIES = np.array([["Solna", "Sverige"], ["Göteborg", "Sverige"], ["Malmö", "Sverige"],
                         ["Köpenhamn", "Danmark"], ["Berlin", "Tyskland"],
                         ["Amsterdam", "Nederländerna"], ["Helsingfors", "Finland"]])

EDUCATION = {"1": 0.15, "2": 0.20, "3": 0.28, "4": 0.10, "5": 0.17, "6": 0.02, "9": 0.08}
SHORT_EDUCATION = ("1", "2")  # kortutbildad
UNKNOWN_EDUCATION = "9"
SFI_SHARE = {"1": 0.85, "2": 0.85, "3": 0.75, "4": 0.4, "5": 0.35, "6": 0.3, "9": 0.8}
OCN_SHARE = {"1": 0.28, "2": 0.28, "3": 0.12, "4": 0.1, "5": 0.08, "6": 0.05, "9": 0.15}
WORK_REASONS = {"ARBETE_TV": 0.35, "ARBETE_TB": 0.55, "EGET_FORETAG": 0.10}
STUDIES_REASON = "UTBILDNING"
DROPOUT_REASONS = {"KONTAKT_UPPHORT": 0.6, "OVRIG": 0.4}
SUPPORT = {"INSTEG": 0.65, "NYSTART": 0.35}
SUPPORT_INSATS = {"INSTEG": "Instegsjobb", "NYSTART": "Nystartsjobb"}
OLD_GRADES = {"VG": 0.3, "G": 0.55, "IG": 0.15}
NEW_GRADES = {"A": 0.08, "B": 0.12, "C": 0.25, "D": 0.2, "E": 0.2, "F": 0.15}
OCN_LEVELS = {"1": 0.4, "2": 0.35, "3": 0.18, "4": 0.07}
BRANCHES = {"G": 0.18, "Q": 0.16, "N": 0.14, "I": 0.12, "C": 0.08, "F": 0.08, "H": 0.08,
            "M": 0.05, "J": 0.04, "P": 0.03, "S": 0.02, "L": 0.01, "O": 0.01}
VISIT_KINDS = {"natverkstraff": 0.4, "vagledning": 0.35, "arbetsgivarmote": 0.25}
HIRE_VISIT = "anstallning"
EHUB_EMPLOYER_VISITS = ("arbetsgivarmote", HIRE_VISIT)
TOWNS = {"Stockholm": 0.45, "Umeå": 0.30, "Göteborg": 0.25}
COST_TYPES = {"personal": 0.55, "lokaler": 0.10, "resor": 0.03, "tjanster": 0.15,
              "deltagarersattning": 0.12, "ovrigt": 0.05}
# Cost outcome per project (projects.md): months and SEK per financier. ETST's total is
# 80 237 075 with 33 611 934 from the ESF; WLFS is paid by Vinnova (the state).
BUDGETS = (
    ("ETST", mon("2009-08"), mon("2014-01"),
     {"ESF": 33_611_934, "kommun": 40_125_141, "stat": 6_500_000}),
    ("HEART", mon("2009-01"), mon("2009-07"), {"ESF": 324_578, "kommun": 109_000}),
    ("WLFS", mon("2015-08"), mon("2016-04"), {"stat": 263_592}),
)


def checked(values, codes):
    """``values``, after making sure every non-empty one is in the code set from sources."""
    values = np.asarray(values)
    bad = set(np.unique(values[values != ""]).tolist()) - set(codes)
    assert not bad, f"not in {codes}: {sorted(bad)}"
    return values


def pick(rng, n, weights, codes=None):
    """``n`` draws from the keys of ``weights`` (a dict of value -> relative weight)."""
    values = np.array(list(weights))
    p = np.array(list(weights.values()), dtype=float)
    drawn = values[rng.choice(len(values), size=n, p=p / p.sum())]
    return drawn if codes is None else checked(drawn, codes)


def lookup(mapping, values):
    """``mapping[v]`` for every v in ``values``, vectorised."""
    keys = np.array(list(mapping))
    order = np.argsort(keys)
    return np.array(list(mapping.values()))[order][np.searchsorted(keys[order], values)]


def days(rng, low, high, n):
    """``n`` whole-day spans, uniform in [low, high]."""
    return rng.integers(low, high + 1, n).astype("timedelta64[D]")


def month_start(months):
    return months.astype("datetime64[M]").astype("datetime64[D]")


def month_end(months):
    return (months.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1


def expand(first, last):
    """Rows ``first[i] .. last[i]`` for every i: (i per row, value per row)."""
    counts = np.maximum((last - first).astype(np.int64) + 1, 0)
    index = np.repeat(np.arange(len(first)), counts)
    step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return index, first[index] + step


def take(table: Table, rows) -> Table:
    return {name: values[rows] for name, values in table.items()}


def concat(*tables: Table) -> Table:
    return {name: np.concatenate([t[name] for t in tables]) for name in tables[0]}


def sort_by(table: Table, *keys) -> Table:
    """Rows ordered by ``keys`` (the first is the major key), ties in their current order."""
    return take(table, np.lexsort([table[k] for k in reversed(keys)]))


@dataclass
class World:
    pnr: np.ndarray  # int64, the 12-digit personnummer of every person
    woman: np.ndarray  # per person
    district: np.ndarray  # per person, index into DISTRICTS
    form_u: np.ndarray  # per person, picks the personnummer form in each file kind
    centenarian: np.ndarray  # per person: aged 100+ at every export date
    officers: np.ndarray  # case officer names (Handläggare)
    participants: Table  # one row per participant, index = person
    status: Table  # month-end status rows, by month
    deregistrations: Table  # by date
    payments: Table  # economic assistance rows, by month
    sfi: Table  # by date
    ocn: Table  # by date
    guides: Table  # profession-guide matches, by start
    placements: Table  # matching-log rows, by start
    visits: Table  # Entry Hub visits, by date
    employers: Table
    heart_companies: Table
    heart_interviews: Table
    heart_cities: Table
    costs: Table  # by month
    comparison: Table  # by month


def build(n: int, seed: int) -> World:
    """The world of ``n`` participants (plus Entry Hub visitors and a few centenarians)."""
    rng = np.random.default_rng(seed)
    con = duckdb.connect()
    personnummer.install(con)
    parts = draw_participants(rng, n)
    first_spells = draw_spells(rng, np.arange(n), parts["intake"], parts["short"], second=False)
    again = np.flatnonzero(
        (first_spells["outcome"] == "work") & (rng.random(n) < 0.12)
    )  # deregistered to work, back a few months later
    second_spells = draw_spells(
        rng, again, first_spells["exit"][again] + days(rng, 45, 200, len(again)),
        parts["short"][again], second=True,
    )
    second_spells = take(second_spells, second_spells["reg"] <= HORIZON - 30)
    first_spells["next_reg"][second_spells["person"]] = second_spells["reg"]
    spells = concat(first_spells, second_spells)
    exit1 = first_spells["exit"]
    parts["jt_end"] = np.where(
        np.isnat(exit1), NAT, np.maximum(exit1 + days(rng, 0, 30, n), parts["jt_start"])
    )

    n_visitors = max(300, n // 20)
    visitor_birth = day("1998-01-01") - days(rng, 2, 35 * 365, n_visitors)  # aged 20-55
    visitor_woman = rng.random(n_visitors) < 0.45
    visitor_pnr = rng.random(n_visitors) < 0.65
    n_old = 5 + n // 100_000
    old_birth = day("1900-01-01") + days(rng, 0, 9 * 365 - 1, n_old)  # 100+ from 2009 on
    birth = np.concatenate([parts["birth"], visitor_birth[visitor_pnr], old_birth])
    woman = np.concatenate([parts["woman"], visitor_woman[visitor_pnr], rng.random(n_old) < 0.7])
    coordination = np.concatenate([parts["coordination"], rng.random(visitor_pnr.sum()) < 0.05,
                                   np.zeros(n_old, bool)])
    people = len(birth)
    person_of_visitor = np.where(visitor_pnr, n + np.cumsum(visitor_pnr) - 1, -1)
    old = np.arange(people - n_old, people)
    district = np.concatenate([parts["district"],
                               rng.choice(len(DISTRICTS), people - n, p=district_weights())])

    employers = draw_employers(con, rng, 200 + n // 10)
    visits = draw_visits(rng, person_of_visitor, visitor_woman, len(employers["orgnr"]))
    status = month_status(rng, spells)
    ended = spells["orsak"] != ""
    deregistrations = sort_by(
        {"person": spells["person"][ended], "date": spells["exit"][ended],
         "orsak": spells["orsak"][ended]}, "date")
    heart = draw_heart(rng, employers)
    return World(
        pnr=personnummer_numbers(con, rng, birth, woman, coordination),
        woman=woman,
        district=district,
        form_u=rng.random(people),
        centenarian=np.isin(np.arange(people), old),
        officers=draw_officers(rng, n),
        participants=parts,
        status=status,
        deregistrations=deregistrations,
        payments=draw_payments(rng, parts, first_spells, second_spells, old),
        sfi=draw_sfi(rng, parts),
        ocn=draw_ocn(rng, parts),
        guides=draw_guides(rng, parts, n),
        placements=draw_placements(rng, parts, spells, visits, len(employers["orgnr"])),
        visits=visits,
        employers=employers,
        heart_companies=heart[0],
        heart_interviews=heart[1],
        heart_cities=heart[2],
        costs=draw_costs(rng),
        comparison=draw_comparison(rng, status, deregistrations, woman),
    )


def district_weights():
    weights = np.array(list(DISTRICTS.values()))
    return weights / weights.sum()


def officers_per_district(n):
    return 4 + n // 2000


def draw_officers(rng, n):
    """Case officers, ``officers_per_district(n)`` per district, in district order."""
    count = officers_per_district(n) * len(DISTRICTS)
    return np.char.add(
        np.char.add(np.char.add(FIRST_NAMES[rng.integers(0, len(FIRST_NAMES), count)], " "),
                    np.char.add(LAST_NAMES[rng.integers(0, len(LAST_NAMES), count)], " – ")),
        TEAMS[rng.integers(0, len(TEAMS), count)],
    )


def draw_participants(rng, n) -> Table:
    sams = rng.random(n) < 0.04  # a few percent; the rest are ETST
    etst_days = (ETST[1] - ETST[0]).astype(int) + 1
    sams_days = (HORIZON - SAMS_START).astype(int) - 60
    intake = np.where(
        sams, SAMS_START + (rng.random(n) * sams_days).astype(int).astype("timedelta64[D]"),
        # intake grows as the project gets known
        ETST[0] + (rng.beta(1.3, 1.0, n) * etst_days).astype(int).astype("timedelta64[D]"),
    )
    # Aged 18-64 at intake: 6576 days is more than 18 years, 23739 less than 65.
    age_days = 6576 + (rng.beta(1.8, 3.2, n) * (23739 - 6576)).astype(int)
    edu = pick(rng, n, EDUCATION, sources.UTBILDNINGSNIVA)
    # Some start as "unknown" (9) in the employment service's snapshots until assessed.
    late_assessment = (edu != UNKNOWN_EDUCATION) & (rng.random(n) < 0.12)
    project_start = np.where(sams, SAMS_START, ETST[0])
    project_end = np.where(sams, HORIZON, ETST[1])
    jt_start = np.clip(intake + days(rng, -14, 45, n), project_start, project_end)
    district = rng.choice(len(DISTRICTS), n, p=district_weights())
    return {
        "project": np.where(sams, "SAMS", "ETST"),
        "intake": intake,
        "birth": intake - age_days.astype("timedelta64[D]"),
        "woman": rng.random(n) < 0.5,
        "coordination": rng.random(n) < 0.03,  # samordningsnummer
        "edu": edu,
        "short": np.isin(edu, SHORT_EDUCATION),
        "edu_known": np.where(late_assessment, intake + days(rng, 30, 400, n), NAT),
        "permit": np.where(rng.random(n) < 0.05, NAT, intake - days(rng, 7, 200, n)),
        "office": rng.integers(0, len(OFFICES), n),
        "district": district,
        "jobbtorg": rng.random(n) < 0.85,
        "jt_start": jt_start,
        "plan": np.where(rng.random(n) < 0.9, jt_start + days(rng, 30, 92, n), NAT),  # 1-3 months
        "officer": district * officers_per_district(n)
        + rng.integers(0, officers_per_district(n), n),
    }


def draw_spells(rng, person, reg, short, second) -> Table:
    """Registration spells at the employment service, each ending in a deregistration or
    still running at the horizon (censored: exit NaT, orsak empty)."""
    n = len(person)
    months = rng.gamma(1.4, 5.0, n) if second else rng.gamma(1.6, 10.0, n)
    exit = reg + np.maximum(14, months * 30.44).astype(int).astype("timedelta64[D]")
    censored = exit > HORIZON
    u = rng.random(n)
    p_work = 0.6 if second else np.where(short, 0.55, 0.66)
    p_studies = 0.1 if second else 0.17
    work = ~censored & (u < p_work)
    studies = ~censored & ~work & (u < p_work + p_studies)
    outcome = np.where(censored, "",
                       np.where(work, "work", np.where(studies, "studies", "dropout")))
    orsak = checked(np.select(
        [work, studies, ~censored],
        [pick(rng, n, WORK_REASONS), STUDIES_REASON, pick(rng, n, DROPOUT_REASONS)], "",
    ), sources.ORSAK)
    exit = np.where(censored, NAT, exit)
    first_m = reg.astype("datetime64[M]")
    # Registered at a month's end while the exit falls in a later month.
    last_m = np.where(censored, HORIZON.astype("datetime64[M]"), exit.astype("datetime64[M]") - 1)
    n_months = (last_m - first_m).astype(int) + 1
    # Subsidised jobs (status 41) before leaving for work grow more common over the project.
    progress = np.clip((reg - ETST[0]) / (ETST[1] - ETST[0]), 0, 1)
    sub_months = np.minimum(rng.integers(2, 8, n), n_months - 1)
    sub = work & (rng.random(n) < 0.08 + 0.32 * progress) & (sub_months >= 1)
    part_months = np.minimum(rng.integers(1, 4, n), n_months - 1)
    part = ~sub & ~censored & (rng.random(n) < 0.15) & (part_months >= 1)
    sub_first_month = last_m - np.where(sub, sub_months, 0) + 1
    return {
        "person": person,
        "reg": reg,
        "exit": exit,
        "outcome": outcome,
        "orsak": orsak,
        "first_m": first_m,
        "last_m": last_m,
        "sub_months": np.where(sub, sub_months, 0),
        "stod": np.where(sub, pick(rng, n, SUPPORT, sources.ANSTALLNINGSSTOD), ""),
        "sub_start": np.where(sub, month_start(sub_first_month) + days(rng, 0, 10, n), NAT),
        "part_months": np.where(part, part_months, 0),
        "next_reg": np.full(n, NAT),
    }


def month_status(rng, spells) -> Table:
    """One row per spell and month-end while registered, in the months with files."""
    index, month = expand(spells["first_m"], spells["last_m"])
    keep = np.isin(month, FILE_MONTHS)
    index, month = index[keep], month[keep]
    n = len(month)
    early = (month - spells["first_m"][index]).astype(int) < 12
    left = (spells["last_m"][index] - month).astype(int)  # months until the last one
    programme = np.where(month >= ESTABLISHMENT_REFORM, "69", "68")
    u = rng.random(n)
    kategori = np.where(u < np.where(early, 0.55, 0.30), programme,
               np.where(u < np.where(early, 0.80, 0.70), "11",
               np.where(u < np.where(early, 0.92, 0.90), "12", "98")))
    part_time = left < spells["part_months"][index]
    kategori = np.where(part_time, np.where(rng.random(n) < 0.6, "21", "22"), kategori)
    subsidised = left < spells["sub_months"][index]
    kategori = np.where(subsidised, "41", kategori)
    return sort_by({
        "person": spells["person"][index],
        "month": month,
        "kategori": checked(kategori, sources.SOKANDEKATEGORI),
        "stod": np.where(subsidised, spells["stod"][index], ""),
    }, "month")


def draw_payments(rng, parts, first_spells, second_spells, old) -> Table:
    """Economic assistance: monthly while unemployed, usually stopping when work starts."""
    n = len(parts["intake"])
    outcome, exit = first_spells["outcome"], first_spells["exit"]
    work_start = np.where(first_spells["sub_months"] > 0, first_spells["sub_start"],
                          np.where(outcome == "work", exit, NAT)).astype("datetime64[M]")
    first = parts["intake"].astype("datetime64[M]") - (rng.random(n) < 0.3).astype(int)
    exit_m = exit.astype("datetime64[M]")
    last = np.select(
        [outcome == "work", outcome == "studies", outcome == "dropout"],
        [work_start - 1 + np.where(rng.random(n) < 0.15, rng.integers(1, 3, n), 0),
         exit_m - 1 + (rng.random(n) < 0.2).astype(int), exit_m + rng.integers(0, 7, n)],
        np.minimum(HORIZON.astype("datetime64[M]"), first + 36),
    )
    recipient = rng.random(n) < np.where(parts["short"], 0.72, 0.6)
    back = rng.random(len(second_spells["person"])) < 0.4  # again after re-registering
    again_last = np.where(np.isnat(second_spells["exit"]),
                          np.minimum(HORIZON.astype("datetime64[M]"),
                                     second_spells["first_m"] + 12),
                          second_spells["exit"].astype("datetime64[M]") - 1)
    index, month = expand(np.concatenate([first[recipient], second_spells["first_m"][back]]),
                          np.concatenate([last[recipient], again_last[back]]))
    person = np.concatenate([np.flatnonzero(recipient), second_spells["person"][back]])[index]
    base = rng.uniform(3_500, 14_500, n) * 100  # öre
    amount = base[person] * rng.uniform(0.92, 1.08, len(person))
    whole_kronor = rng.random(len(person)) < 0.6
    ore = np.where(whole_kronor, np.round(amount / 100) * 100, np.round(amount)).astype(np.int64)
    rows = {"person": person, "month": month, "ore": ore}

    corrected = rng.random(len(person)) < 0.02  # a negative correction in the same month
    corrections = take(rows, corrected)
    corrections["ore"] = -np.round(corrections["ore"] * rng.uniform(0.05, 0.5, corrected.sum()))
    corrections["ore"] = corrections["ore"].astype(np.int64)
    twice = take(rows, rng.random(len(person)) < 0.01)  # two identical payments
    # A payment reversed in the same month, the month after assistance stopped: nets to 0.
    reversed_ = np.flatnonzero(recipient & (outcome == "work") & (rng.random(n) < 0.03))
    paid = {"person": reversed_, "month": last[reversed_] + 1,
            "ore": np.round(base[reversed_] / 100).astype(np.int64) * 100}
    reversal = dict(paid, ore=-paid["ore"])
    old_rows = {"person": np.repeat(old, len(FILE_MONTHS)),
                "month": np.tile(FILE_MONTHS, len(old)),
                "ore": np.repeat(rng.integers(20, 60, len(old)) * 10_000, len(FILE_MONTHS))}
    payments = concat(rows, corrections, twice, paid, reversal, old_rows)
    payments = take(payments, np.isin(payments["month"], FILE_MONTHS))
    return sort_by(payments, "month", "person")


def draw_sfi(rng, parts) -> Table:
    """Swedish for immigrants: 1-3 consecutive courses, a few failed."""
    takers = np.flatnonzero(rng.random(len(parts["edu"]))
                            < lookup(SFI_SHARE, parts["edu"]))
    t = len(takers)
    index, step = expand(np.zeros(t, int), rng.integers(0, 3, t))
    short = parts["short"][takers]
    first_course = np.where(short, (rng.random(t) >= 0.4).astype(int),
                            1 + (rng.random(t) >= 0.3))
    first_date = parts["intake"][takers] + days(rng, 30, 150, t)
    date = first_date[index] + (step * 150 + rng.integers(-40, 41, len(index))).astype(
        "timedelta64[D]")
    n = len(index)
    betyg = np.where(date < NEW_SFI_SCALE, pick(rng, n, OLD_GRADES), pick(rng, n, NEW_GRADES))
    rows = {"person": takers[index],
            "kurs": np.array(sources.SFI_KURS)[np.minimum(first_course[index] + step, 3)],
            "betyg": checked(betyg, sources.SFI_BETYG),
            "date": date}
    return sort_by(take(rows, date <= HORIZON), "date")


def draw_ocn(rng, parts) -> Table:
    n = len(parts["edu"])
    person = np.flatnonzero((parts["project"] == "ETST")
                            & (rng.random(n) < lookup(OCN_SHARE, parts["edu"])))
    k = len(person)
    rows = {"person": person,
            "module": OCN_MODULES[rng.integers(0, len(OCN_MODULES), k)],
            "level": pick(rng, k, OCN_LEVELS, sources.OCN_NIVA),
            "date": parts["intake"][person] + days(rng, 40, 360, k)}
    return sort_by(take(rows, rows["date"] <= HORIZON), "date")


def draw_guides(rng, parts, n) -> Table:
    """About 400 profession-guide matches a year during ETST (more at national scale), each
    with a participant who entered within the year before the match."""
    factor = max(1.0, n / 50_000)
    span = (ETST[1] - ETST[0]).astype(int)
    start = np.sort(ETST[0] + days(rng, 0, span, rng.poisson(400 * factor * span / 365.25)))
    etst = np.flatnonzero(parts["project"] == "ETST")
    etst = etst[np.argsort(parts["intake"][etst], kind="stable")]
    intake = parts["intake"][etst]
    low = np.searchsorted(intake, start - 365, "left")
    high = np.searchsorted(intake, start, "right")
    found = high > low
    start, low, high = start[found], low[found], high[found]
    k = len(start)
    person = etst[low + (rng.random(k) * (high - low)).astype(int)]
    guide = rng.integers(1, int(180 * factor) + 1, k)
    # Each (guide, participant, date) once.
    _, first = np.unique(guide * 10**12 + person * 10**5 + (start - ETST[0]).astype(int),
                         return_index=True)
    rows = {"guide": guide, "person": person,
            "area": PROFESSION_AREAS[rng.integers(0, len(PROFESSION_AREAS), k)],
            "start": start, "end": start + days(rng, 60, 270, k),
            "meetings": 1 + rng.poisson(6, k)}
    return take(rows, np.sort(first))


def draw_placements(rng, parts, spells, visits, n_employers) -> Table:
    """The matching log: placements, meetings and employment (insatser)."""
    n = len(parts["intake"])
    person, project = np.arange(n), parts["project"]
    exit1 = spells["exit"][:n]  # the first spells come first, one per participant

    def rows(who, projects, insats, start, end):
        return {"person": who, "project": projects,
                "insats": np.broadcast_to(insats, len(who)).astype("U20"),
                "start": start, "end": end}

    def before_exit(start):
        return ~(start >= exit1)

    praktik_start = parts["intake"] + days(rng, 45, 300, n)
    praktik = (rng.random(n) < 0.4) & before_exit(praktik_start)
    trainee_start = parts["intake"] + days(rng, 30, 150, n)
    trainee = (rng.random(n) < np.where(project == "SAMS", 0.7, 0.04)) & before_exit(
        trainee_start)
    meeting_day = parts["intake"] + days(rng, 20, 400, n)
    meeting = (rng.random(n) < 0.3) & before_exit(meeting_day)

    # Employment after a deregistration to work (not for own business), ending before a
    # re-registration.
    s = len(spells["person"])
    hired = np.isin(spells["orsak"], ("ARBETE_TV", "ARBETE_TB")) & (rng.random(s) < 0.45)
    probation = rng.random(s) < 0.25
    job_start = spells["exit"] + days(rng, 0, 10, s)
    job_end = np.where(probation, job_start + 182,
                       np.where(spells["orsak"] == "ARBETE_TB", job_start + days(rng, 90, 365, s),
                                NAT))
    cap = spells["next_reg"] - days(rng, 1, 20, s)
    job_end = np.where(np.isnat(cap) | (job_end <= cap), job_end, cap)
    subsidised = (spells["sub_months"] > 0) & (rng.random(s) < 0.7)
    p = spells["person"]

    v = len(visits["person"])
    ehub = (visits["aktivitet"] == HIRE_VISIT) & (visits["person"] >= 0) & (rng.random(v) < 0.4)
    e = ehub.sum()
    ehub_start = visits["date"][ehub] + days(rng, 0, 14, e)
    ehub_end = np.where(rng.random(e) < 0.5, NAT, ehub_start + days(rng, 180, 365, e))
    table = concat(
        rows(person[praktik], project[praktik], "Praktik", praktik_start[praktik],
             praktik_start[praktik] + days(rng, 28, 120, praktik.sum())),
        rows(person[trainee], project[trainee], "Trainee", trainee_start[trainee],
             trainee_start[trainee] + days(rng, 90, 180, trainee.sum())),
        rows(person[meeting], project[meeting], "Arbetsgivarmöte", meeting_day[meeting],
             meeting_day[meeting]),
        rows(p[hired], project[p[hired]], np.where(probation[hired], "Provanställning",
                                                   "Anställning"),
             job_start[hired], job_end[hired]),
        rows(p[subsidised], project[p[subsidised]],
             lookup(SUPPORT_INSATS, spells["stod"][subsidised]),
             spells["sub_start"][subsidised], spells["exit"][subsidised] - 1),
        rows(visits["person"][ehub], np.full(e, "EHUB"), "Anställning", ehub_start, ehub_end),
    )
    checked(table["insats"], sources.INSATS)
    table["employer"] = rng.integers(0, n_employers, len(table["person"]))
    return sort_by(take(table, table["start"] <= HORIZON), "start")


def draw_visits(rng, person_of_visitor, woman, n_employers) -> Table:
    """Entry Hub visits; a hired visitor's last visit reports the hire."""
    n_visitors = len(person_of_visitor)
    hired = rng.random(n_visitors) < 0.15
    town = pick(rng, n_visitors, TOWNS, sources.ENTRYHUB_ORT)
    visitor, _ = expand(np.zeros(n_visitors, int), rng.poisson(1.6, n_visitors))
    date = EHUB_START + days(rng, 0, (HORIZON - EHUB_START).astype(int), len(visitor))
    # One visit per visitor and day, in date order per visitor.
    _, first = np.unique(visitor * 100_000 + (date - EHUB_START).astype(int), return_index=True)
    visitor, date = visitor[first], date[first]
    n = len(visitor)
    last_visit = np.r_[visitor[1:] != visitor[:-1], True]
    aktivitet = np.where(hired[visitor] & last_visit, HIRE_VISIT, pick(rng, n, VISIT_KINDS))
    with_employer = np.isin(aktivitet, EHUB_EMPLOYER_VISITS) & (rng.random(n) < 0.85)
    return sort_by({
        "visitor": visitor,
        "person": person_of_visitor[visitor],
        "date": date,
        "kon": checked(np.where(rng.random(n) < 0.15, "", np.where(woman[visitor], "K", "M")),
                       sources.KON),
        "aktivitet": checked(aktivitet, sources.ENTRYHUB_AKTIVITET),
        "employer": np.where(with_employer, rng.integers(0, n_employers, n), -1),
        "ort": town[visitor],
    }, "date")


def draw_employers(con, rng, n) -> Table:
    candidates = (ORGNR_PREFIXES[rng.integers(0, len(ORGNR_PREFIXES), 2 * n)] * 1_000_000
                  + rng.integers(0, 1_000_000, 2 * n))
    _, first = np.unique(candidates, return_index=True)
    nine = candidates[np.sort(first)[:n]]
    ten = nine * 10 + check_digits(con, nine)  # ten digits: the prefixes have no leading 0
    name = np.char.add(
        np.char.add(EMPLOYER_WORDS[rng.integers(0, len(EMPLOYER_WORDS), n)], " "),
        np.char.add(EMPLOYER_TRADES[rng.integers(0, len(EMPLOYER_TRADES), n)],
                    EMPLOYER_SUFFIXES[rng.integers(0, len(EMPLOYER_SUFFIXES), n)]))
    return {"orgnr": np.char.add(np.char.add((ten // 10_000).astype(str), "-"),
                                 np.char.zfill((ten % 10_000).astype(str), 4)),
            "name": name,
            "branch": pick(rng, n, BRANCHES, sources.SNI_SECTIONS)}


def draw_heart(rng, employers):
    """HEART's mapping: about 30 employers, 60 interviews (30 K, 30 M), cities and regions
    in Sweden and Europe with exactly one study visit."""
    span = (HEART[1] - HEART[0]).astype(int)
    e = rng.choice(len(employers["orgnr"]), 31, replace=False)
    offers = rng.random((31, len(sources.HEART_ERBJUDER))) < 0.45
    offers[np.arange(31), rng.integers(0, offers.shape[1], 31)] = True  # one at least
    offer_text = np.full(31, "", dtype="U80")
    for j, offer in enumerate(sources.HEART_ERBJUDER):
        joined = np.where(offer_text == "", offer, np.char.add(np.char.add(offer_text, ", "),
                                                               offer))
        offer_text = np.where(offers[:, j], joined, offer_text)
    companies = {"orgnr": employers["orgnr"][e], "name": employers["name"][e],
                 "date": np.sort(HEART[0] + days(rng, 0, span, 31)), "offers": offer_text}
    interviews = {"id": np.char.add("I", np.char.zfill(np.arange(1, 61).astype(str), 2)),
                  "kon": checked(rng.permutation(np.repeat(["K", "M"], 30)), sources.KON),
                  "date": np.sort(HEART[0] + days(rng, 0, span, 60))}
    chosen = np.sort(rng.choice(len(HEART_CITIES), 5, replace=False))
    visit = np.full(5, "nej", dtype="U3")
    visit[rng.integers(0, 5)] = "ja"
    cities = {"city": HEART_CITIES[chosen, 0], "country": HEART_CITIES[chosen, 1],
              "date": np.sort(HEART[0] + days(rng, 0, span, 5)),
              "visit": checked(visit, sources.JA_NEJ)}
    return companies, interviews, cities


def allocate(total_ore, weights):
    """Whole öre in proportion to ``weights``, summing exactly to ``total_ore``."""
    ore = np.floor(total_ore * weights / weights.sum()).astype(np.int64)
    ore[np.argmax(weights)] += total_ore - ore.sum()
    return ore


def draw_costs(rng) -> Table:
    """Monthly cost outcome per project, cost type and financier, summing to the budgets.

    ``prelim`` is what the first extract of a month said (0 = row not there yet): a later
    extract restates the last two months of a year with the final amounts."""
    parts = []
    cost_types = np.array(list(COST_TYPES))
    for project, first, last, financiers in BUDGETS:
        months = np.arange(first, last + 1)
        shares = np.array(list(COST_TYPES.values()))
        if project == "WLFS":  # a pre-study: no participants to compensate
            shares = np.where(cost_types == "deltagarersattning", 0, shares)
        ramp = np.minimum(1, (np.arange(len(months)) + 1) / 4)  # starting up
        month, kind = np.meshgrid(months, np.arange(len(cost_types)), indexing="ij")
        for financier, sek in financiers.items():
            weights = (ramp[:, None] * shares[None, :]
                       * rng.uniform(0.8, 1.2, month.shape)).ravel()
            ore = allocate(sek * 100, weights)
            parts.append({"project": np.full(ore.size, project), "month": month.ravel(),
                          "kostnadsslag": cost_types[kind.ravel()],
                          "finansiar": np.full(ore.size, financier), "ore": ore})
    costs = concat(*parts)
    costs = take(costs, costs["ore"] > 0)
    checked(costs["kostnadsslag"], sources.KOSTNADSSLAG)
    checked(costs["finansiar"], sources.FINANSIAR)
    # A few costs booked as two identical halves: identical rows are separate costs.
    halves = (rng.random(len(costs["ore"])) < 0.03) & (costs["ore"] % 2 == 0)
    costs["ore"] = np.where(halves, costs["ore"] // 2, costs["ore"])
    costs = concat(costs, take(costs, halves))
    n = len(costs["ore"])
    prelim = np.round(costs["ore"] * rng.uniform(0.8, 1.0, n)).astype(np.int64)
    costs["prelim"] = np.where(rng.random(n) < 0.1, 0, prelim)
    return sort_by(costs, "month")


def draw_comparison(rng, status, deregistrations, woman) -> Table:
    """Newly arrived job seekers outside the projects, per month and gender: about as many
    as the participants, moving on to work or studies 1.35-1.75 times less often (T2)."""
    in_months = np.isin(deregistrations["date"].astype("datetime64[M]"), FILE_MONTHS)
    left = take(deregistrations, in_months)
    moved = np.isin(left["orsak"], list(WORK_REASONS) + [STUDIES_REASON])
    months = len(FILE_MONTHS)

    def per_month_and_gender(month, person):
        cell = np.searchsorted(FILE_MONTHS, month.astype("datetime64[M]")) * 2 + woman[person]
        return np.bincount(cell, minlength=2 * months).reshape(months, 2)

    stock = per_month_and_gender(status["month"], status["person"])
    leaving = per_month_and_gender(left["date"], left["person"])
    moving = per_month_and_gender(left["date"][moved], left["person"][moved])
    # The participants' rate as T2 counts it: moved on / (registered at month end or left).
    era = (FILE_MONTHS >= ERAS[1][0]).astype(int)
    pooled = np.array([moving[era == e].sum(0) / np.maximum((stock + leaving)[era == e].sum(0), 1)
                       for e in (0, 1)])  # era x gender
    rate = pooled[era] / rng.uniform(1.35, 1.75)
    registered = np.round((stock * 1.5 + 25) * rng.uniform(0.9, 1.1, stock.shape)).astype(int)
    to_work_or_studies = rng.binomial(registered, np.minimum(rate, 1))
    to_work = rng.binomial(to_work_or_studies, 0.75)
    return {"month": np.repeat(FILE_MONTHS, 2),
            "kon": np.tile(checked(["M", "K"], sources.KON), months),  # woman = column 1
            "inskrivna": registered.ravel(),
            "till_arbete": to_work.ravel(),
            "till_utbildning": (to_work_or_studies - to_work).ravel()}


def check_digits(con, nine) -> np.ndarray:
    """Luhn check digits of nine-digit numbers, by the macro ingest validates with."""
    con.register("nines", pa.table({
        "i": np.arange(len(nine)),
        "nine": np.char.zfill(np.asarray(nine).astype(str), 9),
    }))
    digits = con.execute("SELECT luhn_check_digit(nine) AS d FROM nines ORDER BY i").fetchnumpy()
    con.unregister("nines")
    return np.asarray(digits["d"]).astype(np.int64)


def personnummer_numbers(con, rng, birth, woman, coordination) -> np.ndarray:
    """Distinct 12-digit personnummer: birth date (day + 60 for a samordningsnummer), a
    three-digit serial whose last digit is odd for men and even for women, a check digit."""
    n = len(birth)
    year = birth.astype("datetime64[Y]").astype(int) + 1970
    month = birth.astype("datetime64[M]").astype(int) % 12 + 1
    dom = (birth - month_start(birth)).astype(int) + 1 + 60 * coordination
    date = year * 10_000 + month * 100 + dom
    man = (~woman).astype(np.int64)
    key = date * 2 + man
    # Rank people sharing a date and gender, so each gets its own serial.
    order = np.lexsort((rng.random(n), key))
    new_group = np.r_[True, key[order][1:] != key[order][:-1]]
    group = np.cumsum(new_group) - 1
    rank = np.arange(n) - np.flatnonzero(new_group)[group]
    assert rank.max() < 499, "too many people share a birth date"
    offset = rng.integers(0, 499, group[-1] + 1)[group]
    serial = np.empty(n, np.int64)
    serial[order] = 2 * (1 + (rank + offset) % 499) + man[order]
    nine = (date % 1_000_000) * 1000 + serial
    return date * 10_000 + serial * 10 + check_digits(con, nine)
