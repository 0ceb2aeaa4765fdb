"""Texts of the Datakvalitet page: its own, the column headers of its tables
(``dq_col_<column>``), the codes in them (``dq_code_<code>``: results, statuses, stages,
severities, quarantine reasons) and the quarantine details ingest writes (DETAILS)."""

COLUMNS = {
    "started_at": ("Startad", "Started"),
    "finished_at": ("Klar", "Finished"),
    "result": ("Resultat", "Result"),
    "failed_stage": ("Steg som misslyckades", "Failed stage"),
    "message": ("Meddelande", "Message"),
    "files_loaded": ("Filer inlästa", "Files loaded"),
    "files_unchanged": ("Filer oförändrade", "Files unchanged"),
    "files_rejected": ("Filer avvisade", "Files rejected"),
    "rows_read": ("Rader lästa", "Rows read"),
    "rows_loaded": ("Rader inlästa", "Rows loaded"),
    "rows_merged": ("Rader sammanslagna", "Rows merged"),
    "rows_quarantined": ("Rader i karantän", "Rows quarantined"),
    "checks_failed": ("Kontroller som inte gick igenom", "Checks failed"),
    "severity": ("Allvarlighet", "Severity"),
    "status": ("Status", "Status"),
    "table": ("Tabell", "Table"),
    "column": ("Kolumn", "Column"),
    "expectation": ("Kontroll", "Check"),
    "unexpected_count": ("Avvikande", "Unexpected"),
    "details": ("Detaljer", "Details"),
    "kind": ("Källa", "Source"),
    "latest_export": ("Senaste exportdatum", "Latest export date"),
    "latest_load": ("Senast inläst", "Latest load"),
    "files": ("Filer", "Files"),
    "stale": ("Gammal", "Stale"),
    "load_id": ("Inläsning", "Load"),
    "file": ("Fil", "File"),
    "error": ("Fel", "Error"),
    "warnings": ("Varningar", "Warnings"),
    "replaces": ("Ersätter", "Replaces"),
    "besokar_id": ("Besökar-id", "Visitor id"),
    "personnummer_count": ("Antal personnummer", "Personnummer"),
    "visit_count": ("Besök", "Visits"),
    "visits_without_personnummer": ("Besök utan personnummer", "Visits without personnummer"),
    "first_visit_date": ("Första besök", "First visit"),
    "last_visit_date": ("Senaste besök", "Latest visit"),
    "raw_table": ("Rådatatabell", "Raw table"),
    "column_name": ("Kolumn", "Column"),
    "reason": ("Orsak", "Reason"),
    "rows": ("Rader", "Rows"),
    "row_number": ("Rad", "Row"),
    "value": ("Värde", "Value"),
    "detail": ("Förklaring", "Detail"),
}

CODES = {
    # refresh results and stages (refresh/pipeline.py)
    "published": ("publicerad", "published"),
    "unchanged": ("inget nytt", "nothing new"),
    "failed": ("misslyckad", "failed"),
    "check": ("kontroll av ändringar", "check for changes"),
    "ingest": ("inläsning", "ingest"),
    "dbt": ("dbt", "dbt"),
    "validate": ("validering", "validate"),
    "publish": ("publicering", "publish"),
    "rest": ("övrigt", "rest"),
    # files (ingest/load.py)
    "loaded": ("inläst", "loaded"),
    "rejected": ("avvisad", "rejected"),
    "unknown_file": ("okänd fil", "unknown file"),
    # checks (expectations/gate.py)
    "critical": ("kritisk", "critical"),
    "warning": ("varning", "warning"),
    "passed": ("godkänd", "passed"),
    "skipped": ("ej körd", "skipped"),
    # quarantine reasons (ingest/load.py)
    "invalid_personnummer": ("ogiltigt personnummer", "invalid personnummer"),
    "unknown_code": ("okänd kod", "unknown code"),
    "invalid_date": ("ogiltigt datum", "invalid date"),
    "invalid_number": ("ogiltigt tal", "invalid number"),
    "duplicate_row": ("dubblettrad", "duplicate row"),
    "invalid_organisationsnummer": ("ogiltigt organisationsnummer", "invalid organisationsnummer"),
    "month_mismatch": ("fel månad", "month mismatch"),
    "missing_fields": ("fält saknas", "missing fields"),
    "extra_fields": ("extra fält", "extra fields"),
    "missing_value": ("värde saknas", "missing value"),
}

# The details of quarantined rows as ingest writes them (in English), matched whole, with
# their Swedish and English texts; {0}, {1}: what the groups of the pattern matched.
DETAILS = (
    (r"missing", "personnummer saknas", "personnummer missing"),
    (r"empty", "tomt värde", "empty value"),
    (r"not one of the accepted forms \(wrong length or characters\)",
     "inte en godkänd form (fel längd eller fel tecken)",
     "not one of the accepted forms (wrong length or characters)"),
    (r"no such birth date", "födelsedatumet finns inte", "no such birth date"),
    (r"wrong check digit", "fel kontrollsiffra", "wrong check digit"),
    (r"not of the form NNNNNN-NNNN", "inte på formen NNNNNN-NNNN", "not of the form NNNNNN-NNNN"),
    (r"expected a date YYYY-MM-DD", "väntade ett datum ÅÅÅÅ-MM-DD", "expected a date YYYY-MM-DD"),
    (r"expected a month YYYY-MM", "väntade en månad ÅÅÅÅ-MM", "expected a month YYYY-MM"),
    (r"the file name says (.+)", "filnamnet säger {0}", "the file name says {0}"),
    (r"not a number", "inte ett tal", "not a number"),
    (r"allowed: (.*)", "tillåtna koder: {0}", "allowed codes: {0}"),
    (r"expected (\d+) fields, found (\d+) \(line cut off\?\)",
     "väntade {0} fält, fann {1} (avklippt rad?)", "expected {0} fields, found {1} (line cut off?)"),
    (r"expected (\d+) fields, found (\d+)", "väntade {0} fält, fann {1}",
     "expected {0} fields, found {1}"),
    (r"identical to an earlier row of the file", "samma som en tidigare rad i filen",
     "identical to an earlier row of the file"),
    (r"\(looks like a personnummer: not stored\)", "(ser ut som ett personnummer: sparas inte)",
     "(looks like a personnummer: not stored)"),
)

TEXTS = {
    **{f"dq_col_{column}": texts for column, texts in COLUMNS.items()},
    **{f"dq_code_{code}": texts for code, texts in CODES.items()},
    "data_quality": ("Datakvalitet", "Data quality"),
    "freshness": ("Senaste leverans per källa", "Latest delivery per source"),
    "load_log": ("Inläsningslogg per fil", "Load log per file"),
    "quarantine": ("Karantänsatta rader per orsak", "Quarantined rows by reason"),
    "quarantine_rows": ("Rader med orsaken", "Rows with the reason"),
    "no_quarantine": ("Inga rader har karantänsatts.", "No rows have been quarantined."),
    "rejected_files": ("Filer som avvisades", "Rejected files"),
    "dq_last_published": ("Senaste uppdateringen publicerades {when}.",
                          "The last refresh was published {when}."),
    "dq_last_unchanged": ("Senaste uppdateringen ({when}) fann inget nytt: inga nya filer, "
                          "samma kod och konfiguration. Inget publicerades.",
                          "The last refresh ({when}) found nothing new: no new files, the same "
                          "code and configuration. Nothing was published."),
    "dq_last_failed": ("Senaste uppdateringen ({when}) misslyckades i steget {stage}: {message}. "
                       "Instrumentpanelen visar fortfarande föregående data.",
                       "The last refresh ({when}) failed at stage {stage}: {message}. "
                       "The dashboard still shows the previous data."),
    "dq_data_docs": ("Valideringsrapport (Great Expectations Data Docs)",
                     "Validation report (Great Expectations Data Docs)"),
    "dq_data_docs_page": ("Valideringsresultat (körning · kontrollsvit)",
                          "Validation result (run · suite)"),
    "dq_data_docs_links": ("Välj sida i listan: länkarna inne i rapporten fungerar inte här, och "
                           "inget hämtas utifrån (rapporten visas utan skript).",
                           "Choose a page in the list: the links inside the report do not work "
                           "here, and nothing is fetched from outside (shown without scripts)."),
    "dq_data_docs_missing": ("Ingen valideringsrapport finns än. Den skrivs vid nästa uppdatering.",
                             "There is no validation report yet. The next refresh writes it."),
    "dq_history": ("Uppdateringshistorik", "Refresh history"),
    "dq_stage_seconds": ("Sekunder per steg (inläsning, dbt, validering, publicering)",
                         "Seconds per stage (ingest, dbt, validate, publish)"),
    "dq_validation": ("Validering: kontroller som inte gick igenom",
                      "Validation: checks that did not pass"),
    "dq_validation_clean": ("Alla kontroller gick igenom.", "Every check passed."),
    "dq_validation_all": ("Alla kontroller", "All checks"),
    "dq_visitor_conflicts": ("Entry Hub: besökar-id med flera personnummer",
                             "Entry Hub: visitor ids with several personnummer"),
    "dq_visitor_conflicts_rule": ("Besök utan personnummer räknas till personnumret på "
                                  "besökar-id:ts tidigaste besök med ett. Be Entry Hub rätta "
                                  "de andra. Personnumren visas aldrig, bara antalet.",
                                  "Visits without a personnummer count for the personnummer of "
                                  "the visitor id's earliest visit with one. Ask Entry Hub to "
                                  "correct the others. The numbers are never shown, only how "
                                  "many."),
    "dq_visitor_conflicts_none": ("Inget besökar-id har mer än ett personnummer.",
                                  "No visitor id carries more than one personnummer."),
    "dq_stale": ("{kind}: senaste filen är mer än {days} dagar äldre än leveransens nyaste fil. "
                 "Be avsändaren om en ny export.",
                 "{kind}: the newest file is more than {days} days older than the delivery's "
                 "newest file. Ask the sender for a new export."),
}
