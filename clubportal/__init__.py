"""The project package of the Kuzbass methodists' club portal: settings, URLs, the home page."""

import os

# openpyxl parses with lxml whenever lxml is installed (python-docx needs it for the
# minutes intake), and then reads workbook XML without defusedxml: an entity bomb in an
# uploaded workbook would no longer be refused. Every entry point imports this package
# (settings, WSGI, manage.py) before openpyxl, so it keeps to defusedxml.
os.environ["OPENPYXL_LXML"] = "False"
