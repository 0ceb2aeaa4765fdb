"""Texts of the ESF-rapport page (Swedish, English)."""

TEXTS = {
    "esf_intro": ("ESF:s gemensamma indikatorer för deltagare (förordning 1304/2013 bilaga I) "
                  "per projekt och rapportperiod. Ett kalenderår avser deltagare som påbörjat "
                  "respektive avslutat det året; hela projektet avser allt till och med "
                  "projektets senaste månad.",
                  "The ESF common indicators for participants (Regulation 1304/2013 Annex I) per "
                  "project and reporting period. A calendar year covers the participants who "
                  "started or left that year; the whole project covers everything up to the "
                  "project's latest month."),
    "esf_project": ("ESF-projekt", "ESF project"),
    "esf_period": ("Rapportperiod", "Reporting period"),
    "esf_total": ("Hela projektet", "Whole project"),
    "esf_as_of": ("Läst till och med {month}.", "Read up to {month}."),
    "esf_no_projects": ("Det finns inga ESF-projekt i lagret.",
                        "There are no ESF projects in the warehouse."),
    "esf_code": ("Kod", "Code"),
    "esf_indicator": ("Indikator", "Indicator"),
    "esf_women": ("Kvinnor", "Women"),
    "esf_men": ("Män", "Men"),
    "esf_all": ("Totalt", "Total"),
    "esf_started": ("Deltagare som påbörjat", "Participants who started"),
    "esf_leavers": ("Deltagare som avslutat", "Participants who left"),
    "esf_chart": ("Påbörjade deltagare efter ålder och utbildning",
                  "Participants who started by age and education"),
    "esf_participants_started": ("Deltagare som påbörjat", "Participants who started"),
    "esf_aged_under_25": ("varav under 25 år", "of whom under 25"),
    "esf_aged_25_54": ("varav 25–54 år", "of whom 25-54"),
    "esf_aged_over_54": ("varav över 54 år", "of whom over 54"),
    "esf_isced_0_2": ("varav förgymnasial utbildning (ISCED 0–2)",
                      "of whom primary or lower secondary education (ISCED 0-2)"),
    "esf_isced_3_4": ("varav gymnasial utbildning (ISCED 3–4)",
                      "of whom upper secondary education (ISCED 3-4)"),
    "esf_isced_5_8": ("varav eftergymnasial utbildning (ISCED 5–8)",
                      "of whom tertiary education (ISCED 5-8)"),
    "esf_education_unknown": ("varav okänd utbildning", "of whom education unknown"),
    "esf_participants_left": ("Deltagare som avslutat", "Participants who left"),
    "esf_left_in_education": ("varav i utbildning vid avslut",
                              "of whom in education or training upon leaving"),
    "esf_left_in_employment": ("varav i arbete vid avslut (inom 4 veckor)",
                               "of whom in employment upon leaving (within 4 weeks)"),
    "esf_left_six_month_follow_up_due": ("varav med uppföljning efter 6 månader inom perioden",
                                         "of whom the 6-month follow-up is due"),
    "esf_employed_six_months_after_leaving": ("varav i arbete 6 månader efter avslut",
                                              "of whom in employment 6 months after leaving"),
    "esf_all_hidden": ("Alla tal i uppdelningen är små och visas inte.",
                       "Every number of the breakdown is small and is not shown."),
}
