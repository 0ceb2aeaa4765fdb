"""The file kinds of ../shared/spec/exports.md, declared as data.

One generic loader (``ingest.load``) serves every kind: adding a kind is an entry here
plus its tests. Column names are the spec's; headers are matched after trimming and
case-folding. Each kind lands in one raw table per sheet, named after the kind.
"""

from dataclasses import dataclass

# Column types. Ingest validates and types every value; the raw tables hold the typed
# value, so staging models only rename and map codes.
PNR = "personnummer"  # replaced by person_key, birth_year, birth_date, gender
DATE = "date"  # ISO YYYY-MM-DD (or an Excel date cell)
MONTH = "month"  # YYYY-MM, kept as text
INT = "integer"
AMOUNT = "amount"  # decimal, thousands separators allowed
TEXT = "text"
CODE = "code"  # one value of ``codes``
CODE_LIST = "code_list"  # comma-separated values of ``codes``
ORGNR = "organisationsnummer"

# How a later file of the kind relates to earlier ones (exports.md, "Snapshots",
# "Monthly files", "Cost extracts", "Duplicates").
SNAPSHOT = "snapshot"  # newest snapshot containing the key wins, per key
MONTHLY = "monthly"  # a later file for the same month replaces the earlier one
COST_EXTRACT = "cost_extract"  # a later file replaces earlier ones per key
APPEND = "append"  # every file adds rows
MERGE = "merge"  # like append, but a row an earlier file delivered is merged


@dataclass(frozen=True)
class Column:
    name: str
    type: str = TEXT
    # An empty value quarantines the row: invalid_personnummer for a personnummer,
    # missing_value otherwise. Other empty values are missing (exports.md: "Empty
    # string = missing"; "an empty code is missing, not unknown").
    required: bool = False
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    table: str  # raw table name
    columns: tuple[Column, ...]
    sheet_name: str | None = None  # xlsx sheet; None = the first sheet


@dataclass(frozen=True)
class FileKind:
    name: str  # file name prefix, e.g. af_arbetssokande
    source: str  # af, stad, partner, ekonomi
    extension: str  # csv or xlsx
    sheets: tuple[Sheet, ...]
    encoding: str = "utf-8"  # utf-8 reads with or without a BOM
    delimiter: str = ";"
    decimal_comma: bool = False
    history: str = APPEND
    # Columns that identify the unit a newer file supersedes (SNAPSHOT, COST_EXTRACT).
    supersede_key: tuple[str, ...] = ()
    # Whether identical rows in one file are separate facts (payments, costs).
    identical_rows_are_facts: bool = False
    # A column whose month must equal the month in the file name.
    month_column: str | None = None
    month_in_name: bool = False  # the name carries YYYYMM and the file covers that month

    @property
    def table(self) -> str:
        return self.sheets[0].table


def col(name, type=TEXT, required=False, codes=()):
    return Column(name, type, required, tuple(codes))


SOKANDEKATEGORI = ("11", "12", "21", "22", "41", "68", "69", "98")
ANSTALLNINGSSTOD = ("INSTEG", "NYSTART")
ORSAK = ("ARBETE_TV", "ARBETE_TB", "EGET_FORETAG", "UTBILDNING", "OVRIG", "KONTAKT_UPPHORT")
UTBILDNINGSNIVA = ("1", "2", "3", "4", "5", "6", "9")
KON = ("K", "M")
SFI_KURS = ("A", "B", "C", "D")
SFI_BETYG = ("A", "B", "C", "D", "E", "F", "VG", "G", "IG")
INSATS = (
    "Praktik", "Trainee", "Provanställning", "Anställning", "Instegsjobb", "Nystartsjobb",
    "Arbetsgivarmöte",
)
SNI_SECTIONS = tuple("ABCDEFGHIJKLMNOPQRSTU")
OCN_NIVA = ("1", "2", "3", "4")
ENTRYHUB_AKTIVITET = ("natverkstraff", "arbetsgivarmote", "vagledning", "anstallning")
ENTRYHUB_ORT = ("Umeå", "Stockholm", "Göteborg")
HEART_ERBJUDER = ("praktik", "anställning", "lärlingsplats", "utbildning")
JA_NEJ = ("ja", "nej")
KOSTNADSSLAG = ("personal", "lokaler", "resor", "tjanster", "deltagarersattning", "ovrigt")
FINANSIAR = ("ESF", "kommun", "stat", "ovrig")

FILE_KINDS: tuple[FileKind, ...] = (
    FileKind(
        "af_arbetssokande", "af", "csv",
        (Sheet("af_arbetssokande", (
            col("personnummer", PNR, True),
            col("inskrivningsdatum", DATE),
            col("uppehallstillstand_datum", DATE),
            col("projektkod"),
            col("af_kontor"),
            col("utbildningsniva", CODE, codes=UTBILDNINGSNIVA),
        )),),
        history=SNAPSHOT, supersede_key=("person_key",),
    ),
    FileKind(
        "af_manadsstatus", "af", "csv",
        (Sheet("af_manadsstatus", (
            col("personnummer", PNR, True),
            col("manad", MONTH),
            col("sokandekategori", CODE, codes=SOKANDEKATEGORI),
            col("anstallningsstod", CODE, codes=ANSTALLNINGSSTOD),
        )),),
        history=MONTHLY, month_column="manad", month_in_name=True,
    ),
    FileKind(
        "af_avaktiveringar", "af", "csv",
        (Sheet("af_avaktiveringar", (
            col("personnummer", PNR, True),
            col("avaktiveringsdatum", DATE),
            col("orsak", CODE, codes=ORSAK),
        )),),
        history=MERGE,
    ),
    FileKind(
        "af_jamforelsegrupp", "af", "csv",
        (Sheet("af_jamforelsegrupp", (
            col("manad", MONTH),
            col("kon", CODE, codes=KON),
            col("inskrivna", INT),
            col("till_arbete", INT),
            col("till_utbildning", INT),
        )),),
        history=MONTHLY, month_in_name=True,
    ),
    FileKind(
        "stad_jobbtorg_deltagare", "stad", "csv",
        (Sheet("stad_jobbtorg_deltagare", (
            col("Personnummer", PNR, True),
            col("Inskrivningsdatum", DATE),
            col("Utskrivningsdatum", DATE),
            col("Stadsdel"),
            col("Projektkod"),
            col("Plan upprättad", DATE),
            col("Handläggare"),
        )),),
        encoding="cp1252", decimal_comma=True,
        history=SNAPSHOT, supersede_key=("person_key", "Projektkod"),
    ),
    FileKind(
        "stad_ekonomiskt_bistand", "stad", "csv",
        (Sheet("stad_ekonomiskt_bistand", (
            col("Personnummer", PNR, True),
            col("Utbetalningsmånad", MONTH),
            col("Belopp", AMOUNT),
            col("Stadsdel"),
        )),),
        encoding="cp1252", decimal_comma=True,
        history=MONTHLY, month_in_name=True, identical_rows_are_facts=True,
    ),
    FileKind(
        "stad_sfi_resultat", "stad", "csv",
        (Sheet("stad_sfi_resultat", (
            col("Personnummer", PNR, True),
            col("Kurs", CODE, codes=SFI_KURS),
            col("Betyg", CODE, codes=SFI_BETYG),
            col("Datum", DATE),
        )),),
        encoding="cp1252", decimal_comma=True,
    ),
    FileKind(
        "partner_yrkesguider", "partner", "xlsx",
        (Sheet("partner_yrkesguider", (
            col("Guide-ID", TEXT),
            col("Personnummer", PNR, True),
            col("Yrkesområde"),
            col("Matchningsdatum", DATE),
            col("Avslutsdatum", DATE),
            col("Antal träffar", INT),
        )),),
        history=MERGE,
    ),
    FileKind(
        "partner_matchning", "partner", "xlsx",
        (Sheet("partner_matchning", (
            col("Personnummer", PNR, True),
            col("Projekt"),
            col("Organisationsnummer", ORGNR),
            col("Arbetsgivare"),
            col("Insats", CODE, codes=INSATS),
            col("Startdatum", DATE),
            col("Slutdatum", DATE),
            col("Bransch", CODE, codes=SNI_SECTIONS),
        )),),
        history=MERGE,
    ),
    FileKind(
        "partner_ocn_intyg", "partner", "xlsx",
        (Sheet("partner_ocn_intyg", (
            col("Personnummer", PNR, True),
            col("Kursmodul"),
            col("Nivå", CODE, codes=OCN_NIVA),
            col("Intygsdatum", DATE),
        )),),
        history=MERGE,
    ),
    FileKind(
        "partner_entryhub_besok", "partner", "csv",
        (Sheet("partner_entryhub_besok", (
            col("datum", DATE),
            col("besokar_id", TEXT, True),
            col("personnummer", PNR),
            col("kon", CODE, codes=KON),
            col("aktivitet", CODE, codes=ENTRYHUB_AKTIVITET),
            col("arbetsgivare"),
            col("ort", CODE, codes=ENTRYHUB_ORT),
        )),),
        delimiter=",", history=MERGE,
    ),
    FileKind(
        "partner_heart_kartlaggning", "partner", "xlsx",
        (
            Sheet("partner_heart_foretag", (
                col("Organisationsnummer", ORGNR),
                col("Företag"),
                col("Kontaktdatum", DATE),
                col("Erbjuder", CODE_LIST, codes=HEART_ERBJUDER),
            ), sheet_name="Företag"),
            Sheet("partner_heart_intervjuer", (
                col("Intervju-ID", TEXT),
                col("Kön", CODE, codes=KON),
                col("Datum", DATE),
            ), sheet_name="Intervjuer"),
            Sheet("partner_heart_stader", (
                col("Stad/region", TEXT),
                col("Land"),
                col("Kontaktdatum", DATE),
                col("Studiebesök", CODE, codes=JA_NEJ),
            ), sheet_name="Städer"),
        ),
        history=MERGE,
    ),
    FileKind(
        "ekonomi_utfall", "ekonomi", "csv",
        (Sheet("ekonomi_utfall", (
            col("projekt", TEXT),
            col("manad", MONTH),
            col("kostnadsslag", CODE, codes=KOSTNADSSLAG),
            col("belopp", AMOUNT),
            col("finansiar", CODE, codes=FINANSIAR),
        )),),
        decimal_comma=True, history=COST_EXTRACT, supersede_key=("projekt", "manad"),
        identical_rows_are_facts=True,
    ),
)

# Columns that hold a project code: unknown codes load, with a warning in the load log.
PROJECT_CODE_COLUMNS = ("projektkod", "Projektkod", "Projekt", "projekt")


def kind_for(file_name: str) -> FileKind | None:
    """The kind of a delivered file, from its name (case-insensitive), or None."""
    lower = file_name.lower()
    for kind in FILE_KINDS:
        stem = kind.name
        ext = "." + kind.extension
        if lower.endswith(ext) and (lower[: -len(ext)] == stem or lower.startswith(stem + "_")):
            return kind
    return None
