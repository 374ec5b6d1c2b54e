"""The portal of the Kuzbass methodists' club: project settings and shared pieces."""

import os

# openpyxl switches to lxml whenever lxml is installed (python-docx and pikepdf bring it), and
# then parses a workbook's XML without defusedxml: an entity bomb in an upload is left
# unexpanded and the file let through instead of refused (tests/clubportal/test_xlsx_safety.py).
# Keep it on the standard library's parser with defusedxml, as without lxml. openpyxl reads the
# variable once, on its first import, which comes after this package's (settings, apps).
os.environ.setdefault("OPENPYXL_LXML", "False")
