"""Texts of the Kedjan page (the chain's funnel, cohort heatmap and drill-down)."""

TEXTS = {
    "funnel_intro": (
        "Etableringskedjan steg för steg: hur många av de inskrivna som nått varje steg, "
        "hur många som gått vidare från steget före och hur många som hoppat över ett steg. "
        "Varje steg räknas för sig, så ett senare steg kan nås utan ett tidigare.",
        "The establishment chain step by step: how many of those enrolled reached each step, "
        "how many went on from the step before and how many skipped a step. Each step is "
        "counted on its own, so a later step can be reached without an earlier one."),
    "funnel_no_projects": ("Du har inte behörighet till något projekt.",
                           "You have no access to any project."),
    "funnel_no_chain_data": (
        "Det finns inga data i kedjan för {projects}: kedjan följer deltagare från "
        "inskrivningen hos Arbetsförmedlingen eller Jobbtorg, och inga sådana inskrivningar "
        "med projektets kod har levererats. Projektets egna siffror finns på sidorna "
        "Översikt och Projekt.",
        "There is no chain data for {projects}: the chain follows participants from their "
        "registration at the employment service or Jobbtorg, and no such registration with "
        "the project's code has been delivered. The project's own figures are on the "
        "Overview and Projects pages."),
    "funnel_without_chain_data": ("Inga data i kedjan för: {projects}.",
                                  "No chain data for: {projects}."),
    "funnel_no_participants": ("Projektet har inga deltagare i kedjan (inga inskrivningar).",
                               "The project has no participants in the chain (no enrolments)."),
    "funnel_follow_up": ("Räkna steg till och med", "Count steps up to"),
    "funnel_follow_up_as_of": ("projektets rapportmånad {month}",
                               "the project's reporting month {month}"),
    "funnel_follow_up_latest": ("senaste levererade data {month}",
                                "the latest delivered data {month}"),
    "funnel_follow_up_help": (
        "Rapportmånaden är samma läsning som KPI:erna och fct_funnel_cohort; senaste data tar "
        "med uppföljning efter projektets slut.",
        "The reporting month reads like the KPIs and fct_funnel_cohort; the latest data adds "
        "follow-up after the project's end."),
    "funnel_intake": ("Inskrivningsmånad (kohort)", "Intake month (cohort)"),
    "funnel_filters": ("Filter", "Filters"),
    "funnel_all": ("Alla", "All"),
    "funnel_district": ("Stadsdel", "District"),
    "funnel_education": ("Utbildningsgrupp", "Education group"),
    "funnel_age": ("Åldersgrupp vid start", "Age group at entry"),
    "funnel_split": ("Jämför", "Compare"),
    "funnel_split_none": ("Ingen uppdelning", "No split"),
    "funnel_participants": ("Deltagare i urvalet", "Participants in the selection"),
    "funnel_employed_share": ("Anställda", "Employed"),
    "funnel_self_supporting_share": ("Självförsörjande", "Self-supporting"),
    "funnel_chart": ("Steg för steg i kedjan", "The chain step by step"),
    "funnel_chart_note": (
        "Varje steg räknas för sig: staplarna visar hur många som nått steget, hur många av "
        "dem som också nått steget före och hur många som hoppat över ett steg.",
        "Each step is counted on its own: the bars show how many reached the step, how many "
        "of them also reached the step before and how many skipped a step."),
    "chart_reached": ("Nått steget", "Reached the step"),
    "chart_reached_with_previous": ("Nått även steget före", "Also reached the step before"),
    "chart_skipped": ("Hoppat över ett steg", "Skipped a step"),
    "funnel_click_hint": ("Klicka på ett stegs stapel för att se stegets deltagare.",
                          "Click a step's bar to see the step's participants."),
    "funnel_click_hint_heatmap": ("Klicka på en ruta för att se kohortens deltagare.",
                                  "Click a cell to see the cohort's participants."),
    "funnel_people_of_step": ("Deltagare: {step}", "Participants: {step}"),
    "funnel_people_of_cohort": ("Kohort {cohort}: {step} (till och med {date})",
                                "Cohort {cohort}: {step} (up to {date})"),
    "funnel_table": ("Tabell: konvertering och bortfall", "Table: conversion and drop-off"),
    "funnel_table_note": (
        "Konvertering = andelen av dem som nått steget före som också nått steget "
        "(täljare: nått båda, nämnare: nått steget före). Bortfall = nått steget före men "
        "inte steget. Hoppat över = nått steget fast ett tidigare steg (från plan) saknas "
        "eller nåddes senare.",
        "Conversion = the share of those who reached the step before who also reached the "
        "step (numerator: reached both, denominator: reached the step before). Drop-off = "
        "reached the step before but not this one. Skipped = reached the step while an "
        "earlier step (from plan) is missing or was reached later."),
    "funnel_steering_fixed": (
        "Styrgruppen ser hela projektets intag per {month}. Urval och filter finns för "
        "projektledare: tal ur olika urval kunde jämföras så att ett skyddat tal räknas fram.",
        "The steering group sees the project's whole intake as of {month}. Selections and "
        "filters are for project managers: numbers of different selections could be "
        "compared to work out a protected one."),
    "funnel_steering_heatmap": (
        "Kohorter per kvartal, var {every}:e månad efter inskrivning.",
        "Cohorts by quarter, every {every} months after enrolment."),
    "funnel_heatmap": ("Kohorter över tid", "Cohorts over time"),
    "funnel_heatmap_intro": (
        "Andel av varje inskrivningskohort som nått steget senast vid slutet av månad k "
        "efter inskrivningsmånaden.",
        "Share of each intake cohort that had reached the step by the end of month k after "
        "the intake month."),
    "funnel_grain": ("Kohort per", "Cohort by"),
    "funnel_grain_month": ("månad", "month"),
    "funnel_grain_quarter": ("kvartal", "quarter"),
    "funnel_heatmap_all_protected": (
        "Alla kohorter i urvalet är för små för att visas (färre än 5 personer). Välj kohort "
        "per kvartal eller ett bredare urval.",
        "Every cohort in the selection is too small to show (fewer than 5 people). Choose "
        "cohorts by quarter or a wider selection."),
    "funnel_heatmap_measure": ("Visa", "Show"),
    "funnel_max_months": ("Månader efter inskrivning", "Months since intake"),
    "funnel_incomplete_note": (
        "Grå rutor: uppföljningen pågår fortfarande (kohorten har ännu inte haft så många "
        "månader fram till {month}); andelen kan fortfarande öka.",
        "Grey cells: the follow-up is still open (the cohort has not yet had that many "
        "months up to {month}); the share may still grow."),
    "funnel_incomplete": ("ofullständig uppföljning", "follow-up still open"),
    "funnel_heatmap_table": ("Tabell: kohorter över tid", "Table: cohorts over time"),
    "funnel_share_employed": ("Andel anställda", "Share employed"),
    "funnel_share_self_supporting": ("Andel självförsörjande", "Share self-supporting"),
    "funnel_cohort": ("Kohort", "Cohort"),
    "funnel_heatmap_alt": ("Värmekartan visar {measure} för {cohorts} kohorter, {first} till "
                           "{last}, upp till {months} månader efter inskrivning. Talen finns i "
                           "tabellen under diagrammet.",
                           "The heatmap shows the {measure} of {cohorts} cohorts, {first} to "
                           "{last}, up to {months} months after enrolment. The numbers are in "
                           "the table below the chart."),
    "funnel_months_since": ("Månader efter inskrivning", "Months since intake"),
    "funnel_drilldown_reached": ("Visa", "Show"),
    "funnel_drilldown_yes": ("nådde steget", "reached the step"),
    "funnel_drilldown_no": ("har inte nått steget", "have not reached the step"),
    "funnel_drilldown_count": ("{n} deltagare", "{n} participants"),
    "funnel_drilldown_not_allowed": (
        "Din roll ser bara sammanställningar; deltagarlistor (klick på en stapel) visas för "
        "projektledare och dataansvariga.",
        "Your role sees aggregates only; participant lists (a click on a bar) are shown to "
        "project managers and data stewards."),
    "funnel_participation_end": ("Utskriven", "Left the project"),
    "funnel_no_cohorts": ("Inga kohorter i urvalet.", "No cohorts in the selection."),
    # Steps of the chain (seed chain_steps)
    "step_inskriven": ("Inskriven", "Enrolled"),
    "step_plan": ("Etableringsplan", "Establishment plan"),
    "step_insats": ("Första insats", "First activity"),
    "step_arbetsgivarkontakt": ("Arbetsgivarkontakt", "Employer contact"),
    "step_anstalld": ("Anställd", "Employed"),
    "step_sjalvforsorjande": ("Självförsörjande", "Self-supporting"),
    # Groups
    "group_K": ("Kvinnor", "Women"),
    "group_M": ("Män", "Men"),
    "group_unknown": ("okänd", "unknown"),
    "group_under 25": ("under 25 år", "under 25"),
    "group_25-54": ("25–54 år", "25–54"),
    "group_over 54": ("över 54 år", "over 54"),
    "group_all": ("Alla", "All"),
    # Columns of the tables
    "col_group": ("Grupp", "Group"),
    "col_step": ("Steg", "Step"),
    "col_participants": ("Deltagare (nämnare)", "Participants (denominator)"),
    "col_reached": ("Nått steget", "Reached the step"),
    "col_share_of_start": ("Andel av inskrivna", "Share of enrolled"),
    "col_previous_reached": ("Nått steget före (nämnare)", "Reached the step before (denominator)"),
    "col_reached_with_previous": ("Nått båda (täljare)", "Reached both (numerator)"),
    "col_conversion": ("Konvertering", "Conversion"),
    "col_drop_off": ("Bortfall", "Drop-off"),
    "col_drop_off_rate": ("Andel bortfall", "Drop-off rate"),
    "col_skipped": ("Hoppat över ett steg", "Skipped a step"),
    "col_cohort": ("Kohort", "Cohort"),
    "col_months_since_intake": ("Månader efter inskrivning", "Months since intake"),
    "col_cohort_size": ("Kohortens storlek (nämnare)", "Cohort size (denominator)"),
    "col_employed": ("Anställda (täljare)", "Employed (numerator)"),
    "col_share_employed": ("Andel anställda", "Share employed"),
    "col_self_supporting": ("Självförsörjande (täljare)", "Self-supporting (numerator)"),
    "col_share_self_supporting": ("Andel självförsörjande", "Share self-supporting"),
    "col_complete": ("Uppföljning klar", "Follow-up complete"),
    "hover_reached": ("Nått steget", "Reached the step"),
    "hover_of_enrolled": ("av inskrivna", "of enrolled"),
    "hover_conversion": ("Konvertering från steget före", "Conversion from the step before"),
    "hover_skipped": ("Hoppat över ett steg", "Skipped a step"),
    "hover_suppressed": ("skyddat (för få)", "protected (too few)"),
}
