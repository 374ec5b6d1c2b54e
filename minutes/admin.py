"""The meeting's admin page with the minutes to download, as PDF or Excel, one or many.

Registered over resolutions' subclass of the meeting admin (which adds the decisions to the
page), as that one is over meetings' own: each layer extends the page of the one below.
"""

import io
import zipfile

from django.contrib import admin
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from meetings.selectors import meeting_queryset
from resolutions.admin import MeetingWithResolutionsAdmin

from .exporters.pdf import minutes_pdf
from .exporters.xlsx import minutes_xlsx
from .selectors import minutes_for

admin.site.unregister(Meeting)


@admin.register(Meeting)
class MinutesMeetingAdmin(MeetingWithResolutionsAdmin):
    actions = [*MeetingWithResolutionsAdmin.actions, "download_pdf", "download_xlsx"]

    @admin.action(description=_("Download the minutes as PDF"), permissions=["view"])
    def download_pdf(self, request, queryset):
        return minutes_download(queryset, "pdf", lambda m: minutes_pdf(m)[0])

    @admin.action(description=_("Download the minutes as Excel"), permissions=["view"])
    def download_xlsx(self, request, queryset):
        return minutes_download(queryset, "xlsx", minutes_xlsx)


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def minutes_download(queryset, extension: str, write) -> HttpResponse:
    """One file for one meeting, a ZIP of files for several."""
    meetings = list(meeting_queryset().filter(pk__in=queryset.values("pk")).order_by("date"))
    files = [(f"protokol-{m.slug}.{extension}", write(minutes_for(m))) for m in meetings]
    if len(files) == 1:
        name, content = files[0]
        response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files:
                archive.writestr(name, content)
        name = f"protokoly-{extension}.zip"
        response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["zip"])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
