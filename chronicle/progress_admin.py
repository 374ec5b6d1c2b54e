"""The meetings' admin with «О ходе выполнения решений…»: the action that puts the report
on open decisions on a draft meeting's agenda (chronicle.progress_agenda).

The meeting admin the minutes app registers is registered again here, as a subclass with the
action, the way each app above meetings adds its part to the meeting's admin.
"""

from django.contrib import admin, messages
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

    @admin.action(
        description=gettext_lazy("Add «On the progress of the decisions…» to the agenda"),
        permissions=["change"],
    )
    def add_progress_item(self, request, queryset):
        for meeting in queryset.order_by("date", "pk"):
            date = long_date(meeting.date)
            try:
                added = progress_item_add(meeting=meeting, user=request.user)
            except ProgressItemRefused as refused:
                self.message_user(request, refused.message, messages.WARNING)
                continue
            except IntegrityError:
                # Another save of the same agenda got in between: nothing of ours is kept.
                self.message_user(request, CONFLICT_MESSAGE % {"meeting": date}, messages.ERROR)
                continue
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
