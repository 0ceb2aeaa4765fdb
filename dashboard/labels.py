"""Texts users read: Swedish first, English available."""

import streamlit as st

LANGUAGES = ("sv", "en")

TEXTS = {
    "data_quality": ("Datakvalitet", "Data quality"),
    "no_warehouse": ("Inget lager är publicerat än. Kör `make refresh` (eller `make demo`).",
                     "No warehouse has been published yet. Run `make refresh` (or `make demo`)."),
    "freshness": ("Senaste leverans per källa", "Latest delivery per source"),
    "load_log": ("Inläsningslogg per fil", "Load log per file"),
    "quarantine": ("Karantänsatta rader per orsak", "Quarantined rows by reason"),
    "quarantine_rows": ("Rader med orsaken", "Rows with the reason"),
    "no_quarantine": ("Inga rader har karantänsatts.", "No rows have been quarantined."),
    "rejected_files": ("Filer som avvisades", "Rejected files"),
}


def text(key: str, language: str | None = None) -> str:
    language = language or st.session_state.get("language", "sv")
    return TEXTS[key][LANGUAGES.index(language)]
