"""Checks of uploaded attachments: size and type judged by content, never by the file name."""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

TOO_BIG = _("The file is %(size)s; files up to %(limit)s are accepted.")
EMPTY = _("The file is empty.")
UNKNOWN_TYPE = _(
    "This kind of file is not accepted. Upload PDF, a picture (JPEG, PNG), or a Word, "
    "Excel, PowerPoint or OpenDocument file."
)

# Office formats are zip archives; the part that names each.
_OOXML = {
    "word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xl/workbook.xml": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "ppt/presentation.xml": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
_ODF = {
    b"application/vnd.oasis.opendocument.text": ("odt", "application/vnd.oasis.opendocument.text"),
    b"application/vnd.oasis.opendocument.spreadsheet": (
        "ods",
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    b"application/vnd.oasis.opendocument.presentation": (
        "odp",
        "application/vnd.oasis.opendocument.presentation",
    ),
}


def sniff(file) -> tuple[str, str] | None:
    """(extension, content type) judged from the file's bytes, or None if not accepted."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        head = file.read(64)
        if head.startswith(b"%PDF-"):
            return "pdf", "application/pdf"
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return "png", "image/png"
        if head.startswith(b"\xff\xd8\xff"):
            return "jpg", "image/jpeg"
        if head.startswith(b"PK\x03\x04"):
            file.seek(0)
            try:
                with zipfile.ZipFile(file) as archive:
                    names = set(archive.namelist())
                    for part, kind in _OOXML.items():
                        if part in names and "[Content_Types].xml" in names:
                            return kind
                    if "mimetype" in names:
                        return _ODF.get(archive.read("mimetype").strip())
            except (zipfile.BadZipFile, KeyError, OSError):
                return None
        return None
    finally:
        file.seek(position)


def validate_attachment(file) -> None:
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError(EMPTY, code="empty")
    if size is not None and size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            TOO_BIG,
            code="too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_ATTACHMENT_BYTES)},
        )
    if sniff(file) is None:
        raise ValidationError(UNKNOWN_TYPE, code="type")


def stored_name(prefix: str, file) -> str:
    """A non-guessable name whose extension comes from the content, not the upload's name."""
    import uuid

    try:
        kind = sniff(file)
    except (OSError, ValueError):  # nothing readable yet: keep a neutral extension
        kind = None
    extension = kind[0] if kind else "bin"
    return f"{prefix}/{uuid.uuid4().hex}.{extension}"
