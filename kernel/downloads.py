"""Files the portal hands out: one way to answer with a download.

Every download is an attachment under a name we choose (RFC 6266 through Django's
`content_disposition_header`, so Cyrillic names survive) and says `nosniff`, so that no
browser second-guesses the type we send. The middleware sets `nosniff` on every response
too; a download says it itself so that it stays true wherever the response is built.

Every file also carries validators (ETag and Last-Modified, `Validators`), so that a client
asking again (If-None-Match, If-Modified-Since) gets 304 Not Modified: `not_modified()` before
the file is made, `validated()` on the file. Where they come from differs by file: the content
version (`kernel.pagecache.content_validators`) or the hash of a rendered PDF. Every file is
revalidated on each use (max-age=0); a draft's is marked private by its caller as well.
"""

import datetime
from dataclasses import dataclass

from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header, http_date

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
ICS = "text/calendar; charset=utf-8"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
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


@dataclass(frozen=True)
class Validators:
    """What a client revalidates a file with: its ETag (quoted, W/ when weak) and the time
    it last changed."""

    etag: str
    last_modified: datetime.datetime | None = None

    @property
    def timestamp(self) -> int | None:
        return None if self.last_modified is None else int(self.last_modified.timestamp())


def not_modified(request, validators: Validators) -> HttpResponse | None:
    """304 (with the validators) when the client's copy is current, else None.

    If-None-Match wins over If-Modified-Since when a client sends both (RFC 9110 13.2.2).
    """
    response = get_conditional_response(
        request, etag=validators.etag, last_modified=validators.timestamp
    )
    return None if response is None else validated(response, validators)


def validated(response: HttpResponse, validators: Validators) -> HttpResponse:
    """The response with its ETag and Last-Modified, to be revalidated on every use."""
    response["ETag"] = validators.etag
    if validators.timestamp is not None:
        response["Last-Modified"] = http_date(validators.timestamp)
    patch_cache_control(response, max_age=0)
    return response
