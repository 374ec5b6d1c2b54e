"""Writers of resolutions as files: the PDF extract (pdf.py) and the Excel export (xlsx.py)."""
