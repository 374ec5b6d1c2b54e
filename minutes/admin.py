"""The minutes in the admin: the meeting list's actions that download them as PDF or Excel,
and «Загрузить протокол» (intake_admin.py), the intake of a whole set of minutes.

The minutes are composed of a meeting and its resolutions, so these actions live above
both: the meeting admin that resolutions/admin.py registers is registered again here, as a
subclass with the two downloads.
"""

import io
import zipfile

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from kernel.downloads import PDF, XLSX, ZIP, download_response
from meetings.models import Meeting
from meetings.selectors import meeting_queryset
from resolutions.admin import MeetingWithResolutionsAdmin

from .exporters.pdf import minutes_pdf
from .exporters.xlsx import minutes_xlsx
from .intake_admin import MinutesIntake
from .selectors import minutes_for

admin.site.unregister(Meeting)


@admin.register(Meeting)
class MinutesMeetingAdmin(MeetingWithResolutionsAdmin):
    actions = [*MeetingWithResolutionsAdmin.actions, "download_pdf", "download_xlsx"]

    def get_urls(self):
        intake = MinutesIntake(self)
        return [
            path(
                "import/",
                self.admin_site.admin_view(intake.upload),
                name="meetings_meeting_intake",
            ),
            path(
                "import/<str:token>/",
                self.admin_site.admin_view(intake.review),
                name="meetings_meeting_intake_review",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Download the minutes as PDF"), permissions=["view"])
    def download_pdf(self, request, queryset):
        return minutes_download(queryset, "pdf", lambda m: minutes_pdf(m)[0])

    @admin.action(description=_("Download the minutes as Excel"), permissions=["view"])
    def download_xlsx(self, request, queryset):
        return minutes_download(queryset, "xlsx", minutes_xlsx)


CONTENT_TYPES = {"pdf": PDF, "xlsx": XLSX}


def minutes_download(queryset, extension: str, write) -> HttpResponse:
    """One file for one meeting, a ZIP of files for several."""
    meetings = list(meeting_queryset().filter(pk__in=queryset.values("pk")).order_by("date"))
    files = [(f"protokol-{m.slug}.{extension}", write(minutes_for(m))) for m in meetings]
    if len(files) == 1:
        name, content = files[0]
        return download_response(content, filename=name, content_type=CONTENT_TYPES[extension])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return download_response(
        buffer.getvalue(), filename=f"protokoly-{extension}.zip", content_type=ZIP
    )
