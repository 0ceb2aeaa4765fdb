"""Texts of the Lägesrapport (the steering group's PDF status report) and its download
button on the Översikt page (Swedish, English)."""

TEXTS = {
    "rp_title": ("Lägesrapport", "Status report"),
    "rp_all_projects": ("Alla projekt", "All projects"),
    "rp_as_of": ("Läget vid slutet av {month}", "Situation at the end of {month}"),
    "rp_owner": ("Projektägare", "Project owner"),
    "rp_period": ("Projektperiod", "Project period"),
    "rp_as_of_month": ("Rapportmånad", "Report month"),
    "rp_published": ("Underlag: publicering {run} ({when})",
                     "Source: publish {run} ({when})"),
    "rp_made": ("Rapporten skapades {when} ur den publicerade serveringsfilen, med samma "
                "frågor och samma skydd av små tal som styrgruppen får i Kedjan.",
                "The report was made {when} from the published serving file, with the same "
                "queries and the same small-count protection the steering group gets in Kedjan."),
    "rp_freshness": ("Datafärskhet: senaste fil per källa", "Data freshness: newest file per source"),
    "rp_source": ("Källa", "Source"),
    "rp_newest_export": ("Senaste fil exporterad", "Newest file exported"),
    "rp_files": ("Filer", "Files"),
    "rp_stale": ("Inaktuell", "Stale"),
    "rp_stale_note": ("Inaktuell: senaste filen är mer än {days} dagar äldre än leveransens "
                      "nyaste fil.",
                      "Stale: the newest file is more than {days} days older than the "
                      "delivery's newest file."),
    "rp_yes": ("ja", "yes"),
    "rp_summary": ("Sammanfattning", "Summary"),
    "rp_kpis": ("Mål och nyckeltal", "Targets and key figures"),
    "rp_value": ("Värde", "Value"),
    "rp_numerator_denominator": ("Täljare / nämnare", "Numerator / denominator"),
    "rp_forecast_at": ("Prognos vid {month}", "Forecast at {month}"),
    "rp_no_forecast": ("ingen prognos: ingen tid kvar", "no forecast: no time left"),
    "rp_no_forecast_open": ("ingen prognos: projektet har inget slutdatum",
                            "no forecast: the project has no end date"),
    "rp_trend_note": ("Linje: värdet månad för månad; prickad: målet; streckad: prognosen.",
                      "Line: the value month by month; dotted: the target; dashed: the forecast."),
    "rp_budget": ("Budget: förbrukning mot förfluten tid", "Budget: burn against elapsed time"),
    "rp_no_budget": ("Projektet har ingen budget med kostnader till och med rapportmånaden.",
                     "The project has no budget with costs up to the report month."),
    "rp_chain": ("Etableringskedjan", "The establishment chain"),
    "rp_chain_as_of": ("Hela projektets intag, steg räknade till och med {month} (projektets "
                       "rapportmånad), samma fasta urval som styrgruppen ser i Kedjan.",
                       "The project's whole intake, steps counted up to {month} (the "
                       "project's reporting month), the same fixed selection the steering "
                       "group sees in Kedjan."),
    "rp_chain_later": ("Kedjan läses alltid per projektets rapportmånad: tal ur olika "
                       "läsmånader kunde jämföras så att ett skyddat tal räknas fram.",
                       "The chain is always read as of the project's reporting month: "
                       "figures read as of different months could be compared to work out a "
                       "protected number."),
    "rp_no_chain": ("Projektet har inga deltagare i kedjan.",
                    "The project has no participants in the chain."),
    "rp_esf": ("ESF-indikatorer (hela projektet)", "ESF indicators (whole project)"),
    "rp_no_esf": ("Inga ESF-indikatorer är beräknade för projektet.",
                  "No ESF indicators are computed for the project."),
    "rp_data_quality": ("Datakvalitet", "Data quality"),
    "rp_quarantine": ("Karantänsatta rader per källa (hela leveransen)",
                      "Quarantined rows by source (the whole delivery)"),
    "rp_quarantined_rows": ("Karantänsatta rader", "Quarantined rows"),
    "rp_quarantine_files": ("Filer med karantän", "Files with quarantine"),
    "rp_no_quarantine": ("Inga rader har karantänsatts.", "No rows have been quarantined."),
    "rp_quarantine_note": ("Rader i filerna, inte personer: en rad som inte kunde läsas in "
                           "(t.ex. ogiltigt personnummer eller okänd kod) räknas inte i "
                           "nyckeltalen. Dataansvarig ser varje rad på sidan Datakvalitet.",
                           "Rows of the files, not people: a row that could not be loaded "
                           "(e.g. an invalid personnummer or an unknown code) is not counted "
                           "in the key figures. The data steward sees every row on the Data "
                           "quality page."),
    "rp_missing_months": ("Månader utan levererad fil", "Months with no delivered file"),
    "rp_missing_months_count": ("{count} månader saknar en månadsfil", "{count} months lack a monthly file"),
    "rp_missing_months_examples": ("bland dem", "among them"),
    "rp_no_missing_months": ("Ingen månadsfil saknas.", "No monthly file is missing."),
    "rp_pending_t1": ("Väntande i T1 (biståndsfil saknas för 18-månadersmånaden)",
                      "Pending in T1 (no assistance file for the 18-month month)"),
    "rp_appendix": ("Bilaga: definitioner", "Appendix: definitions"),
    "rp_status_rule": ("Så sätts status", "How the status is set"),
    "rp_protection_note": ("Små tal (1–4 personer) visas som <5",
                           "Small numbers (1–4 people) are shown as <5"),
    "rp_protection_detail": ("Varje tal i rapporten har samma skydd som styrgruppen får i "
                             "Kedjan. .. = dolt för att ett litet tal inte ska kunna räknas "
                             "fram ur de tal som visas; – = inget värde. Andelar visas bara när "
                             "täljare och nämnare visas och nämnaren är minst 5. Grå kryss i "
                             "diagrammen är skyddade värden, inte noll.",
                             "Every number in the report has the protection the steering group "
                             "gets in Kedjan. .. = hidden so that a small number cannot be "
                             "worked out from the numbers shown; – = no value. Shares are shown "
                             "only when numerator and denominator are shown and the denominator "
                             "is at least 5. Grey crosses in the charts are protected values, "
                             "not zero."),
    "rp_page": ("Sida", "Page"),
    "rp_of": ("av", "of"),
    "rp_month_outside": ("det finns ingen sådan rapportmånad i lagret. Välj en månad från "
                         "{first} till {last} (MONTH=ÅÅÅÅ-MM).",
                         "there is no such report month in the warehouse. Choose a month from "
                         "{first} to {last} (MONTH=YYYY-MM)."),
    "rp_unknown_project": ("Projektet {project} finns inte i lagret. Välj bland: {known}.",
                           "The project {project} is not in the warehouse. Choose from: {known}."),
    "rp_no_chromium": ("Chromium saknas ({path}): installera Debian-paketet chromium "
                       "(apt-get install chromium) eller ange KEDJAN_CHROMIUM.",
                       "Chromium is missing ({path}): install Debian's chromium package "
                       "(apt-get install chromium) or set KEDJAN_CHROMIUM."),
    # The download on the Översikt page.
    "rp_download": ("Ladda ned lägesrapport (PDF)", "Download status report (PDF)"),
    "rp_download_for": ("Lägesrapport för", "Status report for"),
    "rp_download_help": ("A4-rapport för styrgruppen per vald månad, med skydd av små tal "
                         "som för styrgruppen, oavsett din roll. Det tar några sekunder att "
                         "skapa den.",
                         "An A4 report for the steering group as of the chosen month, with the "
                         "steering group's small-count protection whatever your role. It takes "
                         "a few seconds to make."),
}
