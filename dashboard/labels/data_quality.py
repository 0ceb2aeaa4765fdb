"""Texts of the Datakvalitet page."""

TEXTS = {
    "data_quality": ("Datakvalitet", "Data quality"),
    "freshness": ("Senaste leverans per källa", "Latest delivery per source"),
    "load_log": ("Inläsningslogg per fil", "Load log per file"),
    "quarantine": ("Karantänsatta rader per orsak", "Quarantined rows by reason"),
    "quarantine_rows": ("Rader med orsaken", "Rows with the reason"),
    "no_quarantine": ("Inga rader har karantänsatts.", "No rows have been quarantined."),
    "rejected_files": ("Filer som avvisades", "Rejected files"),
}
