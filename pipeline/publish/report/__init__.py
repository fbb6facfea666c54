"""The planner's report: one self-contained HTML file and an Excel workbook.

Both are for publication, so every text column of their tables passes the publication boundary
first (:func:`pipeline.publish.report.inputs.publishable`, :mod:`pipeline.publish.boundary`);
internal artefacts keep the raw text. Every proposal is HTML-escaped by the template engine, and
Excel cells that a spreadsheet would read as a formula are defused.
"""
