"""Writers of the minutes as files: PDF (pdf.py) and Excel (xlsx.py)."""
