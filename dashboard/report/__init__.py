"""The Lägesrapport: the steering group's monthly status report as an A4 PDF.

``python -m dashboard.report`` (``make report PROJECT=ETST MONTH=2013-12 LANG=sv OUT=…``)
writes it on the command line; the Översikt page offers the same file as a download
(``dashboard.report.button``). Every number in it is what a ``styrgrupp`` viewer gets,
whoever makes it: the report is for the steering group and is forwarded by e-mail.

Why it lives in dashboard/: the dashboard is the only reader of the published serving
file, and the report must say exactly what the steering pages say. So it reads through
the same query functions (dashboard.queries), the same protected views (dashboard.views)
and the same number formats and plotly figures (dashboard.charts_kpi, charts_funnel) as
the pages; ``content`` gathers them and ``render`` prints them, nothing in this package
holds SQL or a business rule. (This file imports nothing, so that ``python -m
dashboard.report`` can quiet Streamlit's bare-mode warnings before the queries load.)

Rendering: an HTML document (``template.html.j2``, Jinja2 with autoescaping) with the
figures drawn by the plotly.js that ships inside the plotly package, printed to PDF by
Debian's headless Chromium through Playwright (``page.pdf``, A4, page numbers and the
protection note in the footer). Chromium is already what the browser tests drive, and it
prints plotly's SVG as vectors; a static image exporter (kaleido) would need a Chrome of
its own. Nothing is fetched at run time: the page's Content-Security-Policy allows no
remote file and every request the page makes is refused.
"""
