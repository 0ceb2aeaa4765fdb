"""Texts of the Översikt page (Swedish, English)."""

TEXTS = {
    "ov_as_of_help": ("Hela sidan visas som den såg ut vid slutet av vald månad: bara "
                      "KPI-rader och kostnader till och med den månaden används.",
                      "The whole page shows the situation at the end of the chosen month: "
                      "only KPI rows and costs up to that month are used."),
    "ov_freshness": ("Senaste levererade fil exporterad {export} · inläst {loaded} "
                     "({days} dagar sedan)",
                     "Newest delivered file exported {export} · loaded {loaded} "
                     "({days} days ago)"),
    "ov_data_dates": ("Data till och med: {dates}", "Data up to: {dates}"),
    "ov_no_data_date": ("inga data", "no data"),
    "ov_reading_as_of": ("Läget vid slutet av **{month}**.", "Situation at the end of **{month}**."),
    "ov_status_rule_title": ("Så sätts status", "How the status is set"),
    "ov_status_rule": (
        "**På väg**: prognosen vid projektets slut når målet. **I riskzonen**: prognosen "
        "når inte målet men minst 90 % av det, och projektet har tid kvar. **Efter**: "
        "prognosen är under 90 % av målet, eller projektet är slut och målet nåddes inte. "
        "**Följs upp**: KPI:n har inget mål. Ett antal i ett projekt utan slutdatum har "
        "inget slut att göra prognos mot: på väg när målet är nått, i riskzonen så länge "
        "antalet växer, efter när det inte växer. **Inga data levererade**: en fil som "
        "KPI:n behöver har inte levererat något för projektets period.\n\n"
        "**Prognos** i nuvarande takt: för andelar och kvoter det senaste värdet; för "
        "antal det senaste värdet plus takten de senaste 6 månaderna (förändringen på 6 "
        "månader / 6) gånger antalet månader kvar till projektets slutmånad. Matchningar "
        "med yrkesguide (i genomsnitt 400 per år) bedöms på matchningarna sedan "
        "projektstart mot 400 gånger antalet förflutna projektår; värdet hittills i år "
        "visas som månadsvärde. Ett projekt utan slutdatum, eller som har slutat, bedöms "
        "på sitt senaste värde. Kvinnor och män får egen status mot sina mål.",
        "**On track**: the forecast at the project's end meets the target. **At risk**: the "
        "forecast misses the target but reaches at least 90 % of it, and the project has "
        "time left. **Behind**: the forecast is below 90 % of the target, or the project "
        "has ended without meeting it. **Monitored**: the KPI has no target. A count of a "
        "project without an end date has no end to forecast to: on track once the target "
        "is met, at risk while it still grows, behind when it does not grow. **No data "
        "delivered**: a file the KPI needs has delivered nothing for the project's "
        "period.\n\n"
        "**Forecast** at the current pace: for shares and ratios the latest value; for "
        "counts the latest value plus the pace of the last 6 months (the change over 6 "
        "months / 6) times the months left to the project's end month. Profession guide "
        "matches (on average 400 a year) are judged on the matches since the project's "
        "start against 400 times the elapsed project years; the year-to-date value is "
        "shown as the monthly figure. A project without an end date, or one that has "
        "ended, is judged on its latest value. Women and men get their own status against "
        "their targets."),
    "ov_status_on_track": ("På väg", "On track"),
    "ov_status_at_risk": ("I riskzonen", "At risk"),
    "ov_status_behind": ("Efter", "Behind"),
    "ov_status_monitored": ("Följs upp", "Monitored"),
    "ov_status_no_value": ("Inget värde än", "No value yet"),
    "ov_status_protected": ("Skyddat (små tal)", "Protected (small numbers)"),
    "ov_status_documented": ("Dokumenterat", "Documented"),
    "ov_status_no_data": ("Inga data levererade: {sources}", "No data delivered: {sources}"),
    "ov_summary_no_data": ("Inga data levererade", "No data delivered"),
    "ov_status_burn_ahead": ("Snabbare än tiden", "Ahead of time"),
    "ov_status_burn_behind": ("Långsammare än tiden", "Behind time"),
    "ov_status_burn_in_step": ("I takt med tiden", "In step with time"),
    "ov_summary": ("Antal KPI:er per status, alla projekt", "Number of KPIs by status, all projects"),
    "ov_judged": ("Sedan start {value} mot {target}", "Since the start {value} against {target}"),
    "ov_not_started": ("Projektet hade inte startat vid slutet av {month}.",
                       "The project had not started by the end of {month}."),
    "ov_no_data_yet": ("Projektet har inga data i sin period än.",
                       "The project has no data in its period yet."),
    "ov_period": ("Period {start} – {end}", "Period {start} – {end}"),
    "ov_open_end": ("inget slutdatum", "no end date"),
    "ov_ended": ("Projektet slutade {month}: slutläget visas.",
                 "The project ended in {month}: its final figures are shown."),
    "ov_data_until": ("Data till och med {month}.", "Data up to {month}."),
    "ov_forecast": ("Prognos", "Forecast"),
    "ov_forecast_at": ("Prognos {month}", "Forecast {month}"),
    "ov_pace": ("Takt per månad", "Pace per month"),
    "ov_status": ("Status", "Status"),
    "ov_kpi": ("KPI", "KPI"),
    "ov_women": ("Kvinnor", "Women"),
    "ov_men": ("Män", "Men"),
    "ov_excluded": ("Utanför (väntande/okänt kön)", "Left out (pending/unknown gender)"),
    "ov_comparison": ("Jämförelsegrupp", "Comparison group"),
    "ov_table": ("Tabell med täljare och nämnare", "Table with numerators and denominators"),
    "ov_delta_target": ("mot målet", "against the target"),
    "ov_no_kpis": ("Projektet har inga beräknade KPI:er.", "The project has no computed KPIs."),
    "ov_documented_fact": ("{value} hållna enligt projektets redovisning hos Vinnova "
                           "(2015-02932): ett dokumenterat faktum, ingen aktivitetsfil levereras.",
                           "{value} held according to the project's account at Vinnova "
                           "(2015-02932): a documented fact, no activity file is delivered."),
    "ov_budget": ("Budget: förbrukning mot förfluten tid", "Budget: burn against elapsed time"),
    "ov_elapsed": ("Förfluten andel av perioden", "Elapsed share of the period"),
    "ov_cost_to_date": ("Kostnad hittills", "Cost to date"),
    "ov_total_budget": ("Total budget", "Total budget"),
    "ov_esf_cost": ("ESF-finansierat hittills", "ESF-financed to date"),
    "ov_esf_grant": ("ESF-bidrag", "ESF grant"),
    "ov_esf_used": ("Förbrukat ESF-bidrag", "ESF grant used"),
    "ov_burn_gap": ("Förbrukning minus förfluten tid", "Burn minus elapsed time"),
    "ov_burn_status": ("Takt", "Pace"),
    "ov_burn_rule": ("I takt: förbrukad andel av budgeten inom ±10 procentenheter från "
                     "förfluten andel av projektperioden.",
                     "In step: the share of the budget used within ±10 percentage points of "
                     "the elapsed share of the project period."),
    "ov_no_budget": ("Inga projekt med budget har kostnader till och med vald månad.",
                     "No project with a budget has costs up to the chosen month."),
    "ov_project_budget": ("Budget", "Budget"),
}
