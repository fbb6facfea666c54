"""What a person may publish: redaction, charts, the HTML report and workbook."""
