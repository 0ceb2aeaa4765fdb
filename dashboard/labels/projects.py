"""Texts of the Projekt page (Swedish, English)."""

TEXTS = {
    "pr_intro": ("Varje projekt med sina egna mål. Siffrorna gäller projektets senaste "
                 "månad med data.",
                 "Each project with its own targets. The figures are as of the project's "
                 "latest month of data."),
    "pr_as_of": ("Läget vid slutet av {month}.", "As of the end of {month}."),
    "pr_period": ("Period {start} – {end} · {owner}", "Period {start} – {end} · {owner}"),
    "pr_open_end": ("inget slutdatum", "no end date"),
    "pr_not_visible": ("Din roll visar inget av de här projekten.",
                       "Your role shows none of these projects."),
    "pr_target_met": ("Mål nått", "Target met"),
    "pr_target_not_met": ("Mål inte nått", "Target not met"),
    "pr_monitored": ("Följs upp utan mål", "Monitored, no target"),
    "pr_heart_progress": ("Utveckling mot målen", "Progress towards the targets"),
    "pr_heart_interviews": ("Intervjuer per kön", "Interviews by gender"),
    "pr_heart_interviews_targets": ("Intervjuer per kön mot målen {women} kvinnor och {men} män",
                                    "Interviews by gender against the targets of {women} women "
                                    "and {men} men"),
    "pr_heart_table": ("HEART per månad", "HEART by month"),
    "pr_interviews_women": ("Intervjuer, kvinnor", "Interviews, women"),
    "pr_interviews_men": ("Intervjuer, män", "Interviews, men"),
    "pr_women_share": ("Andel kvinnor", "Women's share"),
    "pr_baseline": ("Baslinje", "Baseline"),
    "pr_baseline_note": ("Målet är en andel kvinnor över baslinjen {baseline} från tidigare "
                         "insatser (satt av projektet).",
                         "The target is a women's share above the baseline {baseline} of "
                         "earlier efforts (set by the project)."),
    "pr_city_share": ("Andel kvinnor bland besökarna per stad, hittills",
                      "Women's share of visitors by city, to date"),
    "pr_city_note": ("En besökare räknas i varje stad hen har besökt, så städerna summerar "
                     "inte till projektets total. Besökare med okänt kön räknas inte i andelen.",
                     "A visitor counts in every city they visited, so the cities do not add up "
                     "to the project's total. Visitors of unknown gender are left out of the share."),
    "pr_city_trend": ("Andel kvinnor per stad över tid", "Women's share by city over time"),
    "pr_visitors_month": ("Besökare per månad, stad och kön", "Visitors per month, city and gender"),
    "pr_city_table": ("Besökare per stad och månad", "Visitors by city and month"),
    "pr_city": ("Stad", "City"),
    "pr_visitors": ("Besökare hittills", "Visitors to date"),
    "pr_women": ("Kvinnor", "Women"),
    "pr_men": ("Män", "Men"),
    "pr_unknown_gender": ("Okänt kön", "Unknown gender"),
    "pr_known_gender": ("Känt kön", "Known gender"),
    "pr_above_baseline": ("Över baslinjen", "Above the baseline"),
    "pr_visitors_in_month": ("Besökare under månaden", "Visitors in the month"),
    "pr_women_in_month": ("Kvinnor under månaden", "Women in the month"),
    "pr_men_in_month": ("Män under månaden", "Men in the month"),
    "pr_unknown_in_month": ("Okänt kön under månaden", "Unknown gender in the month"),
    "pr_visits_in_month": ("Besök under månaden", "Visits in the month"),
    "pr_reported_hires": ("Rapporterade anställningar hittills", "Reported hires to date"),
    "pr_unknown_visitors": ("Besökare med okänt kön (utanför andelen)",
                            "Visitors of unknown gender (left out of the share)"),
    "pr_trainee_title": ("Traineeplatser", "Trainee placements"),
    "pr_trainee_note": ("Traineeplatser i matchningsloggen (Insats = Trainee) under projektet, "
                        "från projektstart. Dokumentet anger inget antal: följs upp utan mål.",
                        "Trainee placements in the matching log (Insats = Trainee) under the "
                        "project, from its start. The document gives no number: monitored "
                        "without a target."),
    "pr_placements_to_date": ("Traineeplatser hittills", "Trainee placements to date"),
    "pr_people_to_date": ("Personer hittills", "People to date"),
    "pr_employers_to_date": ("Arbetsgivare hittills", "Employers to date"),
    "pr_running": ("Pågående vid månadens slut", "Running at the month's end"),
    "pr_started": ("Påbörjade", "Started"),
    "pr_to_date": ("Hittills", "To date"),
    "pr_trainee_table": ("Traineeplatser per månad och kön", "Trainee placements by month and gender"),
    "pr_forums_title": ("Dialogforum", "Dialogue forums"),
    "pr_forums_fact": ("**{value}** dialogforum hölls enligt projektets beskrivning hos Vinnova "
                       "(diarienummer 2015-02932, status avslutat): deltagare ur målgruppen, "
                       "forskare, arbetsgivare och offentlig sektor. Ingen aktivitetsfil levereras, "
                       "så siffran är ett dokumenterat faktum och inte beräknad ur data.",
                       "**{value}** dialogue forums were held according to the project's "
                       "description at Vinnova (reference 2015-02932, status closed): people "
                       "from the target group, researchers, employers and the public sector. No "
                       "activity file is delivered, so the figure is a documented fact, not "
                       "computed from data."),
    "pr_documented": ("Dokumenterat", "Documented"),
    "pr_budget": ("Budget", "Budget"),
    "pr_budget_caption": ("Kostnad hittills {cost} av {budget} ({used}); {elapsed} av "
                          "perioden har gått.",
                          "Cost to date {cost} of {budget} ({used}); {elapsed} of the "
                          "period has elapsed."),
    "pr_kpi_table": ("Tabell", "Table"),
    "pr_placements_chart": ("Traineeplatser hittills, totalt och per kön",
                            "Trainee placements to date, in all and by gender"),
}
