"""Texts of the SQL page (read-only SQL over the marts schema)."""

TEXTS = {
    "sql_intro": (
        "Skrivskyddad SQL (DuckDB) mot schemat **marts**: pseudonyma data, inga rådata. "
        "Högst {rows} rader och {mb} MB visas och en fråga avbryts efter {seconds} sekunder. "
        "Bara en läsfråga i taget (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE).",
        "Read-only SQL (DuckDB) over the **marts** schema: pseudonymous data, no raw data. "
        "At most {rows} rows and {mb} MB are shown and a query is stopped after {seconds} seconds. "
        "One read query at a time (SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE)."),
    "sql_editor": ("Fråga", "Query"),
    "sql_run": ("Kör", "Run"),
    "sql_example": ("Exempel", "Example"),
    "sql_example_pick": ("Välj ett exempel …", "Pick an example …"),
    "sql_ex_participants": ("Deltagare och steg per projekt", "Participants and steps per project"),
    "sql_ex_kpis": ("Senaste KPI-värden", "Latest KPI values"),
    "sql_ex_funnel": ("Kedjan per kohort (ETST)", "The chain by cohort (ETST)"),
    "sql_schema": ("Tabeller i marts", "Tables in marts"),
    "sql_schema_filter": ("Sök tabell eller kolumn", "Search table or column"),
    "sql_column": ("Kolumn", "Column"),
    "sql_type": ("Typ", "Type"),
    "sql_description": ("Beskrivning", "Description"),
    "sql_rows_estimate": ("ca {rows} rader", "about {rows} rows"),
    "sql_result": ("Resultat", "Result"),
    "sql_result_summary": ("{rows} rader på {seconds}.", "{rows} rows in {seconds}."),
    "sql_truncated": (
        "Resultatet har fler än {rows} rader: bara de första {rows} visas och laddas ned. "
        "Begränsa frågan (WHERE, GROUP BY, LIMIT) för att se allt.",
        "The result has more than {rows} rows: only the first {rows} are shown and "
        "downloaded. Narrow the query (WHERE, GROUP BY, LIMIT) to see everything."),
    "sql_timed_out": (
        "Frågan avbröts efter {seconds} sekunder (tidsgränsen). Begränsa den och försök igen.",
        "The query was stopped after {seconds} seconds (the time limit). Narrow it and try again."),
    "sql_cut": (
        "Resultatet är större än {mb} MB: bara de första {rows} raderna visas och laddas ned. "
        "Välj färre eller kortare kolumner, eller begränsa frågan (WHERE, GROUP BY, LIMIT).",
        "The result is larger than {mb} MB: only the first {rows} rows are shown and "
        "downloaded. Pick fewer or shorter columns, or narrow the query (WHERE, GROUP BY, LIMIT)."),
    "sql_failed": ("Frågan gick inte att köra: {error}", "The query failed: {error}"),
    "sql_failed_name": (
        "Frågan gick inte att köra: den nämner en tabell, kolumn, funktion eller typ som inte "
        "finns i marts. Kontrollera stavningen mot tabellerna i marts.",
        "The query failed: it names a table, column, function or type that is not in marts. "
        "Check the spelling against the tables in marts."),
    "sql_failed_other": (
        "Frågan gick inte att köra. Kontrollera den och försök igen.",
        "The query failed. Check it and try again."),
    "sql_out_of_memory": (
        "Frågan behöver mer minne än tillåtet ({memory}) och avbröts. Begränsa den (WHERE, "
        "färre kolumner, GROUP BY) och försök igen.",
        "The query needs more memory than allowed ({memory}) and was stopped. Narrow it "
        "(WHERE, fewer columns, GROUP BY) and try again."),
    "sql_refused": ("Frågan kördes inte.", "The query was not run."),
    # Refusals, one per kind
    "sql_refused_empty": ("Skriv en fråga först.", "Write a query first."),
    "sql_refused_syntax": ("Frågan går inte att tolka som SQL.", "The query cannot be parsed as SQL."),
    "sql_refused_multiple": (
        "Bara en sats i taget: frågan innehåller flera satser.",
        "One statement at a time: the query holds several statements."),
    "sql_refused_write": (
        "Sidan är skrivskyddad: satser som ändrar data eller schema (INSERT, UPDATE, DELETE, "
        "CREATE, DROP, ALTER, IMPORT …) körs inte.",
        "The page is read-only: statements that change data or schema (INSERT, UPDATE, "
        "DELETE, CREATE, DROP, ALTER, IMPORT …) are not run."),
    "sql_refused_attach": (
        "ATTACH och DETACH är inte tillåtna: frågor går bara mot det publicerade lagrets marts.",
        "ATTACH and DETACH are not allowed: queries run only on the published marts."),
    "sql_refused_extension": (
        "INSTALL och LOAD av tillägg är inte tillåtna.",
        "INSTALL and LOAD of extensions are not allowed."),
    "sql_refused_pragma": ("PRAGMA-satser är inte tillåtna.", "PRAGMA statements are not allowed."),
    "sql_refused_set": (
        "Inställningar kan inte ändras (SET, RESET, USE).",
        "Settings cannot be changed (SET, RESET, USE)."),
    "sql_refused_copy": (
        "COPY är inte tillåtet: använd nedladdningsknapparna under resultatet.",
        "COPY is not allowed: use the download buttons below the result."),
    "sql_refused_export": (
        "EXPORT DATABASE är inte tillåtet.", "EXPORT DATABASE is not allowed."),
    "sql_refused_not_select": (
        "Bara läsfrågor (SELECT) körs här.", "Only read queries (SELECT) run here."),
    "sql_refused_file": (
        "Frågan läser filer (read_csv, read_parquet, glob, en filsökväg …): bara tabeller "
        "i marts kan läsas.",
        "The query reads files (read_csv, read_parquet, glob, a file path …): only tables "
        "in marts can be read."),
    "sql_refused_table_function": (
        "Tabellfunktioner är inte tillåtna (utom range, generate_series och unnest).",
        "Table functions are not allowed (except range, generate_series and unnest)."),
    "sql_refused_function": (
        "Funktionen är inte tillåten här.", "The function is not allowed here."),
    "sql_refused_schema": (
        "Bara tabellerna i schemat marts kan läsas (skriv marts.<tabell>, se listan till höger).",
        "Only the tables of the marts schema can be read (write marts.<table>, see the list "
        "on the right)."),
    "sql_refused_no_warehouse": (
        "Inget lager är publicerat än.", "No warehouse has been published yet."),
}
