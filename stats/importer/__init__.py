"""Statistics from Excel: one report's filled-in template, or many reports' values at once.

A file is read and checked whole before anything is written; then every value lands in
one transaction through services.report_save_values / report_batch_save_values (so the checks
and the report's version are handled in one place), or none does. Every attempt on a
report is logged in ImportLog, a rejected one too: the log is written after the values'
transaction ends.
"""

from .bulk import REPORTS_PER_BATCH, bulk_values_import
from .reading import ImportIssue, ImportResult
from .template import PendingImport, report_import, report_import_confirmed

__all__ = [
    "REPORTS_PER_BATCH",
    "ImportIssue",
    "ImportResult",
    "PendingImport",
    "bulk_values_import",
    "report_import",
    "report_import_confirmed",
]
