"""Texts users read: Swedish first, English available.

Each page keeps its texts in its own module here (``labels/<page>.py`` with a ``TEXTS``
dict of key -> (Swedish, English)); ``text(key)`` finds a key in any of them.
"""

import importlib
import pkgutil

import streamlit as st

LANGUAGES = ("sv", "en")

COMMON = {
    "no_warehouse": ("Inget lager är publicerat än. Kör `make refresh` (eller `make demo`).",
                     "No warehouse has been published yet. Run `make refresh` (or `make demo`)."),
    "no_data": ("Det finns inga data för det här urvalet.", "There is no data for this selection."),
    "download_csv": ("Ladda ned CSV", "Download CSV"),
    "download_excel": ("Ladda ned Excel", "Download Excel"),
    "as_of": ("Data till och med", "Data as of"),
    "published": ("publicerad", "published"),
    "copy_link": ("Kopiera länk", "Copy link"),
    "as_of_year": ("Läget vid slutet av år", "As at the end of year"),
    "as_of_month": ("och månad", "and month"),
    "link_copied": ("✓ Länken är kopierad", "✓ Link copied"),
    "copy_link_help": ("Länken öppnar sidan med samma val för den som loggar in; "
                       "mottagarens roll avgör vad som visas.",
                       "The link opens the page with the same selections for whoever signs "
                       "in; their role decides what they see."),
    "not_allowed": ("Din roll har inte behörighet till den här sidan.",
                    "Your role does not give access to this page."),
    "no_role": ("Ditt konto har ingen roll i Kedjan. Kontakta dataansvarig.",
                "Your account has no role in Kedjan. Contact the data steward."),
    "numerator": ("Täljare", "Numerator"),
    "denominator": ("Nämnare", "Denominator"),
    "value": ("Värde", "Value"),
    "target": ("Mål", "Target"),
    "month": ("Månad", "Month"),
    "gender": ("Kön", "Gender"),
    "project": ("Projekt", "Project"),
    "overview": ("Översikt", "Overview"),
    "funnel": ("Kedjan", "The chain"),
    "kpi": ("KPI", "KPI"),
    "projects": ("Projekt", "Projects"),
    "esf": ("ESF-rapport", "ESF report"),
    "sql": ("SQL", "SQL"),
    "protection_legend": (
        "Skyddade tal: <5 = 1–4 personer; .. = dolt för att ett litet tal inte ska kunna "
        "räknas fram ur de tal som visas. Luckor och grå kryss i diagrammen är skyddade "
        "värden, inte noll.",
        "Protected numbers: <5 = 1-4 people; .. = hidden so that a small number cannot be "
        "worked out from the numbers shown. Gaps and grey crosses in the charts are "
        "protected values, not zero."),
    "suppressed_legend": ("Skyddat värde", "Protected value"),
    "chart_alt": ("Diagrammet visar", "The chart shows"),
    "chart_data": ("Diagrammets data som tabell", "The chart's data as a table"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    "demo_banner": ("Demoläge: rollväljaren är bara för test, och servern lyssnar bara på den "
                    "här datorn ({address}).",
                    "Demo mode: role picker for testing only; the server listens on this "
                    "machine only ({address})."),
    "demo_role": ("Roll (demo)", "Role (demo)"),
    "demo_projects": ("Mina projekt (demo)", "My projects (demo)"),
    "undeclared_table": (
        "Den här tabellen har inget deklarerat skydd och visas inte för styrgruppen.",
        "This table has no declared protection and is not shown to the steering group."),
}


def _all_texts() -> dict:
    texts = dict(COMMON)
    for module in pkgutil.iter_modules(__path__):
        texts.update(importlib.import_module(f"{__name__}.{module.name}").TEXTS)
    return texts


TEXTS = _all_texts()


def text(key: str, language: str | None = None) -> str:
    language = language or st.session_state.get("language", "sv")
    return TEXTS[key][LANGUAGES.index(language)]
