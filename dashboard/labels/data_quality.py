"""Texts of the Datakvalitet page."""

TEXTS = {
    "data_quality": ("Datakvalitet", "Data quality"),
    "freshness": ("Senaste leverans per källa", "Latest delivery per source"),
    "load_log": ("Inläsningslogg per fil", "Load log per file"),
    "quarantine": ("Karantänsatta rader per orsak", "Quarantined rows by reason"),
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
    "dq_stale": ("{kind}: senaste filen är mer än {days} dagar äldre än leveransens nyaste fil, "
                 "och pågående projekt ({projects}) behöver den. Be avsändaren om en ny export.",
                 "{kind}: the newest file is more than {days} days older than the delivery's "
                 "newest file, and projects still running ({projects}) need it. Ask the "
                 "sender for a new export."),
    "dq_stale_rule": ("Bara källor till projekt som pågår kan vara sena: ett avslutat projekts "
                      "filer har upphört som de ska.",
                      "Only sources of projects still running can be late: an ended project's "
                      "files have stopped, as they should."),
    "dq_load_log_pick": ("Välj en rad för att öppna filens karantänsatta rader.",
                         "Pick a row to open the file's quarantined rows."),
    "dq_quarantine_file": ("Fil", "File"),
    "dq_quarantine_reason": ("Orsak", "Reason"),
    "dq_all_files": ("Alla filer", "All files"),
    "dq_all_reasons": ("Alla orsaker", "All reasons"),
    "dq_quarantine_load": ("{file} (inläsning {load}, {rows} rader)", "{file} (load {load}, {rows} rows)"),
    "dq_cap": ("Visar de första {shown} av {total} problemen. Hela listan för en fil: välj filen "
               "och ladda ned listan till avsändaren.",
               "Showing the first {shown} of {total} problems. The full list of a file: choose "
               "the file and download the list for the sender."),
    "dq_to_sender": ("Till avsändaren: {file}", "For the sender: {file}"),
    "dq_to_sender_help": ("Alla {n} problem i filen, på svenska: rad, kolumn, värdet som det "
                          "levererades (aldrig personnummer), felet och vad som förväntades. "
                          "Klar att mejla till avsändaren.",
                          "All {n} problems of the file, in Swedish: row, column, the value as "
                          "delivered (never a personnummer), the problem and what was "
                          "expected. Ready to e-mail to the sender."),
    "dq_missing_sources": ("Källor som inte levererat data", "Sources that delivered no data"),
    "dq_missing_sources_note": (
        "De här filerna har inte levererat något för projektets period: KPI:erna som behöver "
        "dem visar \"Inga data levererade\" i stället för ett värde. Be avsändaren leverera "
        "filen och kör en ny uppdatering.",
        "These files have delivered nothing for the project's period: the KPIs that need them "
        "show \"No data delivered\" instead of a value. Ask the sender for the file and run "
        "a new refresh."),
    "dq_no_missing_sources": ("Alla källor som KPI:erna behöver har levererat data.",
                              "Every source the KPIs need has delivered data."),
    "dq_file_kind": ("Filtyp", "File kind"),
    "dq_kpis_without_data": ("KPI:er utan data", "KPIs without data"),
}
