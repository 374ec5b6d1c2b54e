"""Files the portal hands out: one way to answer with a download.

Every download is an attachment under a name we choose (RFC 6266 through Django's
`content_disposition_header`, so Cyrillic names survive) and says `nosniff`, so that no
browser second-guesses the type we send. The middleware sets `nosniff` on every response
too; a download says it itself so that it stays true wherever the response is built.
Caching (ETag, Last-Modified, Cache-Control) is each caller's business: it differs by file.
"""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
ICS = "text/calendar; charset=utf-8"
OCTET_STREAM = "application/octet-stream"


def download_response(
    content: bytes, *, filename: str, content_type: str, as_attachment: bool = True
) -> HttpResponse:
    """The bytes as a file to save (or, with as_attachment=False, to open) under filename."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file (opened for reading) streamed as a download under filename."""
    response = FileResponse(file, content_type=content_type, as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
