"""Uploaded workbooks judged before they are opened: size, entries, and what streaming counts.

A file is refused (WorkbookRejected, with the reason in Russian) before openpyxl reads it,
so a hostile workbook costs what counting its XML costs, never what materialising it would.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import IO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .census import EntitiesDeclared, LimitPassed, WorkbookLimits, count_workbook

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
# For a caller without limits of its own; each import sets its own from the form's shape.
UPLOAD_LIMITS = WorkbookLimits(
    max_bytes=MAX_UPLOAD_BYTES,
    max_unpacked=MAX_UNCOMPRESSED_BYTES,
    max_entries=MAX_ZIP_ENTRIES,
    max_rows=10_000,
    max_cells=100_000,
    max_shared_strings=100_000,
    max_elements=1_000_000,
)

# What a damaged or hostile file makes zipfile, zlib, the XML parsers or openpyxl raise while
# the workbook is opened (found by truncating and corrupting real workbooks): each means
# "this is not a workbook we can read", never a server error. zipfile raises
# NotImplementedError for unknown compression, RuntimeError for encrypted entries; openpyxl
# OSError for a package without a workbook part; its descriptors TypeError and ValueError.
UNREADABLE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    KeyError,
    EOFError,
    zlib.error,
    ParseError,
    DefusedXmlException,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
)
_SUPPORTED_COMPRESSION = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


class WorkbookRejected(Exception):
    """An uploaded file that will not be opened, with the reason in words for the user."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _not_a_workbook() -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file is not an Excel workbook (.xlsx), or it is damaged or password-protected. "
            "Save it in Excel as «Excel Workbook (*.xlsx)» without a password and upload it again."
        ),
        code="not_xlsx",
    )


def open_uploaded_workbook(
    fileobj: IO[bytes], *, limits: WorkbookLimits = UPLOAD_LIMITS, data_only: bool = True
) -> Workbook:
    """Open an uploaded .xlsx read-only after checking what it would cost to read.

    Cells read as the values the spreadsheet saved (never formulas, which nothing here
    evaluates); data_only=False reads formulas as their text instead, to find a formula
    saved without its value.

    First what the archive declares: its size, entry count and uncompressed sizes (zipfile
    never inflates an entry past its declared size, a lie fails the CRC check, so they are a
    real bound on a zip bomb). Then what its XML holds: every part is streamed through expat
    and its rows, cells, shared strings and elements counted (kernel.xlsx.census), so a
    small file declaring millions of them is refused in milliseconds, before openpyxl would
    materialise any. openpyxl then parses through defusedxml (no entity bombs). Raises
    WorkbookRejected with a message that names the limit. The caller closes the workbook; a
    sheet damaged further in may still raise one of the errors above while its rows are read.
    """
    size = _size_of(fileobj)
    if size > limits.max_bytes:
        raise WorkbookRejected(
            _("The file is too large (%(size)s); at most %(limit)s is accepted.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limits.max_bytes)},
            code="too_big",
        )
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
            _check_declared(entries, limits)
            count_workbook(archive, limits)
    except LimitPassed as passed:
        raise _limit_passed(passed) from passed
    except EntitiesDeclared as exc:
        raise _not_a_workbook() from exc
    except UNREADABLE_ERRORS as exc:
        raise _not_a_workbook() from exc
    try:
        fileobj.seek(0)
        return load_workbook(fileobj, read_only=True, data_only=data_only)
    except UNREADABLE_ERRORS as exc:
        raise _not_a_workbook() from exc


def _check_declared(entries: list[zipfile.ZipInfo], limits: WorkbookLimits) -> None:
    if len(entries) > limits.max_entries:
        raise WorkbookRejected(
            _(
                "The workbook consists of too many parts (%(count)s); at most %(limit)s are "
                "accepted. Remove unneeded sheets and pictures and save it again."
            )
            % {"count": len(entries), "limit": limits.max_entries},
            code="too_many_entries",
        )
    uncompressed = sum(info.file_size for info in entries)
    if uncompressed > limits.max_unpacked:
        raise WorkbookRejected(
            _(
                "Unpacked, the workbook would take %(size)s; at most %(limit)s is accepted. "
                "Remove unneeded sheets and pictures or split the data into several files."
            )
            % {"size": filesizeformat(uncompressed), "limit": filesizeformat(limits.max_unpacked)},
            code="too_large_uncompressed",
        )
    # Every .xlsx has a manifest; Excel stores its parts deflated and never encrypts them
    # inside the zip (a password-protected workbook is not a zip at all).
    if "[Content_Types].xml" not in {info.filename for info in entries} or any(
        info.flag_bits & 0x1 or info.compress_type not in _SUPPORTED_COMPRESSION for info in entries
    ):
        raise _not_a_workbook()


# What the census counted past its limit: the code and the sentence of the refusal.
_LIMIT_MESSAGES = {
    "rows": (
        "too_many_rows",
        gettext_lazy(
            "The workbook has more rows than are accepted (at most %(limit)s). Remove the rows "
            "that are not needed or split the data into several files."
        ),
    ),
    "cells": (
        "too_many_cells",
        gettext_lazy(
            "The workbook has more cells than are accepted (at most %(limit)s). Remove the "
            "cells that are not needed or split the data into several files."
        ),
    ),
    "shared_strings": (
        "too_many_texts",
        gettext_lazy(
            "The workbook holds more distinct texts than are accepted (at most %(limit)s). "
            "Remove the texts that are not needed or split the data into several files."
        ),
    ),
    "elements": (
        "too_complex",
        gettext_lazy(
            "The workbook is more complex than is accepted: its markup has more than "
            "%(limit)s elements. Remove unneeded sheets, styles and pictures and save it again "
            "in Excel as «Excel Workbook (*.xlsx)»."
        ),
    ),
    "stretch": (
        "text_too_long",
        gettext_lazy(
            "The workbook holds a text longer than is accepted (at most %(limit)s in one cell "
            "or part). Shorten it and save the workbook again in Excel."
        ),
    ),
    "unpacked": (
        "too_large_uncompressed",
        gettext_lazy(
            "Unpacked, the workbook would take more than is accepted (at most %(limit)s). "
            "Remove unneeded sheets and pictures or split the data into several files."
        ),
    ),
}
_LIMITS_IN_BYTES = frozenset({"stretch", "unpacked"})


def _limit_passed(passed: LimitPassed) -> WorkbookRejected:
    """The census's refusal in words, naming the limit."""
    code, message = _LIMIT_MESSAGES[passed.what]
    if passed.what in _LIMITS_IN_BYTES:
        limit = filesizeformat(passed.limit)
    else:
        limit = number_format(passed.limit, force_grouping=True)
    return WorkbookRejected(str(message) % {"limit": limit}, code=code)


def _size_of(fileobj: IO[bytes]) -> int:
    size = getattr(fileobj, "size", None)  # Django's UploadedFile knows it without reading
    if isinstance(size, int):
        return size
    fileobj.seek(0, 2)
    return fileobj.tell()
