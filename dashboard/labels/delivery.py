"""Texts of the Leverans page (the data steward's uploads and refresh)."""

TEXTS = {
    "delivery": ("Leverans", "Delivery"),
    "dl_intro": ("Ladda upp månadens exportfiler. Varje fil kontrolleras direkt, med samma "
                 "kontroller som inläsningen, utan att något läses in. Ta sedan emot filerna "
                 "till leveransmappen och starta en uppdatering.",
                 "Upload the month's export files. Each file is checked at once, with the "
                 "load's own checks, and nothing is loaded. Then accept the files into the "
                 "delivery folder and start a refresh."),
    "dl_upload": ("Exportfiler (CSV eller Excel)", "Export files (CSV or Excel)"),
    "dl_upload_help": ("Högst {limit} MB per fil. Filnamnet avgör exporttypen, t.ex. "
                       "af_manadsstatus_201207.csv.",
                       "At most {limit} MB a file. The file name gives the export kind, e.g. "
                       "af_manadsstatus_201207.csv."),
    "dl_checking": ("Kontrollerar {n} fil(er) …", "Checking {n} file(s) …"),
    "dl_check_failed": ("Kontrollen kunde inte köras: {error}. Försök igen; kvarstår felet, "
                        "kontakta driften.",
                        "The check could not run: {error}. Try again; if it persists, contact "
                        "operations."),
    "dl_too_big": ("{file}: filen är {size} MB, gränsen är {limit} MB. Dela upp exporten eller "
                   "lägg filen direkt i leveransmappen.",
                   "{file}: the file is {size} MB, the limit is {limit} MB. Split the export "
                   "or put the file in the delivery folder directly."),
    "dl_twice": ("{file} är uppladdad två gånger: ta bort den ena.",
                 "{file} is uploaded twice: remove one of them."),
    "dl_kind": ("Exporttyp: {kind}", "Export kind: {kind}"),
    "dl_unknown": ("Filnamnet motsvarar ingen exporttyp, så filen kan inte tas emot. "
                   "Byt namn enligt exportavtalet. Förväntade namn: {names}",
                   "The file name matches no export kind, so the file cannot be accepted. "
                   "Rename it as the export contract says. Expected names: {names}"),
    "dl_rejected": ("Filen skulle avvisas vid inläsningen och kan inte tas emot: {error}",
                    "The load would reject this file, so it cannot be accepted: {error}"),
    "dl_encoding": ("Teckenkodning: {encoding}{bom}, kontrollerad", "Encoding: {encoding}{bom}, checked"),
    "dl_bom": (" (med BOM)", " (with BOM)"),
    "dl_header_ok": ("Rubrikrad: alla {n} kolumner finns", "Header: all {n} columns present"),
    "dl_header_missing": ("Rubrikrad{sheet}: kolumner saknas: {missing}. I filen men inte i "
                          "avtalet (omdöpta?): {unexpected}. Kolumner i filen: {found}.",
                          "Header{sheet}: columns missing: {missing}. In the file but not in "
                          "the contract (renamed?): {unexpected}. Columns in the file: {found}."),
    "dl_rows": ("Rader: {rows}, varav {quarantined} skulle karantänsättas (läses inte in).",
                "Rows: {rows}, of which {quarantined} would be quarantined (not loaded)."),
    "dl_no_problems": ("Inga rader skulle karantänsättas.", "No row would be quarantined."),
    "dl_problems": ("Rader som skulle karantänsättas", "Rows that would be quarantined"),
    "dl_sheet": ("Blad", "Sheet"),
    "dl_loaded_before": ("Den här filen (samma namn och innehåll) lästes in {when} "
                         "(inläsning {load}). Den tas inte emot igen.",
                         "This file (same name and content) was loaded {when} (load {load}). "
                         "It is not accepted again."),
    "dl_waiting": ("Den här filen ligger redan i leveransmappen och läses in vid nästa "
                   "uppdatering.",
                   "This file is already in the delivery folder; the next refresh loads it."),
    "dl_replaces": ("En fil med samma namn men annat innehåll lästes in {when}: den här "
                    "ersätter den.",
                    "A file of the same name with other content was loaded {when}: this one "
                    "replaces it."),
    "dl_accept": ("Ta emot {n} fil(er) till leveransmappen", "Accept {n} file(s) into the delivery folder"),
    "dl_discard": ("Kasta uppladdningarna", "Discard the uploads"),
    "dl_accepted": ("Mottaget av {user}: {files}. Filerna läses in vid nästa uppdatering.",
                    "Accepted by {user}: {files}. The next refresh loads them."),
    "dl_refresh": ("Uppdatering", "Refresh"),
    "dl_refresh_start": ("Starta uppdatering nu", "Start a refresh now"),
    "dl_refresh_schedule": ("Uppdateringen körs också schemalagt när nya filer har kommit. "
                            "Under en uppdatering visar instrumentpanelen tidigare data.",
                            "The refresh also runs on a schedule when new files have "
                            "arrived. While it runs the dashboard shows the previous data."),
    "dl_refresh_running": ("En uppdatering pågår (process {pid}): steg {step} av {steps}, "
                           "{stage}, sedan {since}. Instrumentpanelen visar tidigare data "
                           "tills den är publicerad.",
                           "A refresh is running (process {pid}): step {step} of {steps}, "
                           "{stage}, since {since}. The dashboard shows the previous data until "
                           "it is published."),
    "dl_refresh_progress": ("{elapsed} s i steget{previous}", "{elapsed} s in the stage{previous}"),
    "dl_refresh_previous": (" (förra gången {seconds} s)", " (last time {seconds} s)"),
    "dl_refresh_busy": ("En uppdatering pågår redan: vänta tills den är klar.",
                        "A refresh is already running: wait for it to finish."),
    "dl_refresh_starting": ("Uppdateringen startar …", "The refresh is starting …"),
    "dl_refresh_published": ("Uppdateringen publicerades {when}: {loaded} filer inlästa, "
                             "{rejected} avvisade, {quarantined} rader i karantän.",
                             "The refresh was published {when}: {loaded} files loaded, "
                             "{rejected} rejected, {quarantined} rows quarantined."),
    "dl_refresh_unchanged": ("Inget nytt att läsa in ({when}): inget publicerades.",
                             "Nothing new to load ({when}): nothing was published."),
    "dl_refresh_failed": ("Uppdateringen misslyckades i steget {stage} ({when}): {message}. "
                          "Instrumentpanelen visar fortfarande tidigare data; se Datakvalitet.",
                          "The refresh failed at stage {stage} ({when}): {message}. The "
                          "dashboard still shows the previous data; see Data quality."),
    "dl_refresh_output": ("Uppdateringen avslutades utan att skriva historik. Utskrift:",
                          "The refresh ended without writing history. Output:"),
    "stage_start": ("kontroll av nya filer", "checking for new files"),
    "stage_ingest": ("inläsning", "ingest"),
    "stage_dbt": ("dbt-bygge", "dbt build"),
    "stage_validate": ("validering", "validation"),
    "stage_publish": ("publicering", "publishing"),
}
