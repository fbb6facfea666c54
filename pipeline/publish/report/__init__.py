"""The planner's report: one self-contained HTML file and an Excel workbook.

Both are for publication, so every text in them goes through :mod:`pipeline.publish.redact` first
(:func:`pipeline.publish.report.inputs.publishable`); internal artefacts keep the raw text. Every
proposal is HTML-escaped by the template engine, and Excel cells that a spreadsheet would read as
a formula are defused.
"""
