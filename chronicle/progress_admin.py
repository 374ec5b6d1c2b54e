"""The meetings' admin with «О ходе выполнения решений…»: the list's action and the draft
meeting page's button that put the report on open decisions on its agenda
(chronicle.progress_agenda).

The meeting admin the minutes app registers is registered again here, as a subclass with the
action, the way each app above meetings adds its part to the meeting's admin.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kernel.dates import long_date
from meetings.models import Meeting
from minutes.admin import MinutesMeetingAdmin

from .progress_agenda import ProgressItemRefused, progress_item_add

CONFLICT_MESSAGE = gettext_lazy(
    "The agenda of %(meeting)s was being changed at the same moment, and the question was not "
    "added. Open the meeting again and repeat the action."
)

admin.site.unregister(Meeting)


@admin.register(Meeting)
class ChronicleMeetingAdmin(MinutesMeetingAdmin):
    actions = [*MinutesMeetingAdmin.actions, "add_progress_item"]
    change_form_template = "admin/chronicle/meeting_change_form.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/progress-item/",
                self.admin_site.admin_view(require_POST(self.progress_item_view)),
                name="meetings_meeting_progress_item",
            ),
            *super().get_urls(),
        ]

    def progress_item_view(self, request, object_id):
        """The button of a draft meeting's page: the action for that one meeting."""
        meeting = self.get_object(request, unquote(object_id))
        if meeting is None:
            raise Http404
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        self.progress_item_for(request, meeting)
        return redirect("admin:meetings_meeting_change", meeting.pk)

    @admin.action(
        description=gettext_lazy("Add «On the progress of the decisions…» to the agenda"),
        permissions=["change"],
    )
    def add_progress_item(self, request, queryset):
        for meeting in queryset.order_by("date", "pk"):
            self.progress_item_for(request, meeting)

    def progress_item_for(self, request, meeting):
        date = long_date(meeting.date)
        try:
            added = progress_item_add(meeting=meeting, user=request.user)
        except ProgressItemRefused as refused:
            self.message_user(request, refused.message, messages.WARNING)
            return
        except IntegrityError:
            # Another save of the same agenda got in between: nothing of ours is kept.
            self.message_user(request, CONFLICT_MESSAGE % {"meeting": date}, messages.ERROR)
            return
        values = {"meeting": date, "number": added.item.order, "title": added.item.title}
        if added.created:
            text = _("Added to the agenda of %(meeting)s as question %(number)s: «%(title)s».")
            self.message_user(request, text % values, messages.SUCCESS)
        else:
            text = _(
                "The agenda of %(meeting)s already has the question %(number)s «%(title)s»: "
                "nothing was added."
            )
            self.message_user(request, text % values, messages.INFO)
