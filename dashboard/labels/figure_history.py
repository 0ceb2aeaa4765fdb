"""Texts of the figures as reported then, their revisions and sources (Swedish, English):
the panel on the Översikt and KPI pages (dashboard.figure_history)."""

TEXTS = {
    "fh_title": ("Som rapporterat då och källor · {month}",
                 "As reported then, and sources · {month}"),
    "fh_no_archive": ("Inga publiceringar är arkiverade än: arkivet börjar med nästa "
                      "publicering.",
                      "No publish is archived yet: the archive starts with the next publish."),
    "fh_basis": ("Jämför med", "Compare with"),
    "fh_basis_first": ("Som rapporterat då (månadens första publicering)",
                       "As reported then (the month's first publish)"),
    "fh_basis_publish": ("Publicering {number} · {date}", "Publish {number} · {date}"),
    "fh_rule": ("Som rapporterat då = siffrorna i den första publiceringen vars data "
                "täckte månaden (eller i den publicering du väljer). Som känt nu = dagens "
                "siffror. En revision = en siffra som har ändrats sedan dess; orsak = de "
                "filer som matar siffran och lästes in efter den publiceringen.",
                "As reported then = the figures of the first publish whose data covered "
                "the month (or of the publish you choose). As known now = today's "
                "figures. A revision = a figure that has changed since; cause = the files "
                "that feed the figure and were loaded after that publish."),
    "fh_reported": ("Månaden rapporterades första gången i publicering {number} den {date}.",
                    "The month was first reported in publish {number} on {date}."),
    "fh_not_covered": ("Den valda publiceringen täckte inte den här månaden.",
                       "The chosen publish did not cover this month."),
    "fh_month_table": ("Månadens siffror då och nu", "The month's figures then and now"),
    "fh_revisions": ("Revisioner i projektet (alla månader)",
                     "Revisions in the project (every month)"),
    "fh_no_revisions": ("Inga siffror har ändrats sedan de rapporterades.",
                        "No figure has changed since it was reported."),
    "fh_kpi": ("KPI", "KPI"),
    "fh_then": ("Som rapporterat då", "As reported then"),
    "fh_now": ("Som känt nu", "As known now"),
    "fh_change": ("Ändring", "Change"),
    "fh_then_numerator": ("Täljare då", "Numerator then"),
    "fh_now_numerator": ("Täljare nu", "Numerator now"),
    "fh_then_denominator": ("Nämnare då", "Denominator then"),
    "fh_now_denominator": ("Nämnare nu", "Denominator now"),
    "fh_revised": ("Reviderad", "Revised"),
    "fh_publish": ("Publicering", "Publish"),
    "fh_published_at": ("Publicerad", "Published"),
    "fh_caused_by": ("Orsak: filer inlästa senare", "Cause: files loaded later"),
    "fh_code_or_config": ("konfiguration eller kod ändrad", "config or code changed"),
    "fh_sources": ("Källor: filerna bakom siffran", "Sources: the files behind the figure"),
    "fh_sources_kpi": ("Källor för", "Sources of"),
    "fh_file": ("Fil", "File"),
    "fh_file_kind": ("Filtyp", "File kind"),
    "fh_role": ("Används till", "Used for"),
    "fh_export_date": ("Exportdatum", "Export date"),
    "fh_loaded_at": ("Inläst", "Loaded"),
    "fh_in_then": ("Med i publiceringen då", "In the publish then"),
    "fh_yes": ("ja", "yes"),
    "fh_no": ("nej", "no"),
}
