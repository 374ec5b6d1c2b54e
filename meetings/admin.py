"""The secretary's admin of meetings: the minutes' heading, agenda, attendance, attachments.

Resolutions are added to the meeting page by resolutions/admin.py, which registers a
subclass of MeetingAdmin: meetings must not import resolutions (apps depend one way). The
minutes app registers a subclass of that in turn, with the actions that download the minutes.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, npgettext_lazy, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from kernel.admin_texts import Gender, Noun
from kernel.formsets import ConstraintMessagesFormSetMixin
from kernel.locking import OptimisticLockFormMixin

from .models import AgendaItem, Attendance, Meeting, MeetingAttachment
from .services import meeting_publish, meeting_unpublish


class YearListFilter(admin.SimpleListFilter):
    """Filter by the year of a date field; the years offered are those present."""

    title = _("year")
    parameter_name = "year"
    date_field = "date"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates(self.date_field, "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value() or ""
        # Only a plain year: «²», «0» or 10,000 digits would fail deep in the database layer.
        if re.fullmatch(r"[0-9]{1,4}", value) and int(value) >= 1:
            return queryset.filter(**{f"{self.date_field}__year": int(value)})
        return queryset


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "title", "speakers", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the number is the next free one (AgendaItemFormSet.clean).
        self.fields["order"].required = False

    def has_changed(self):
        # A new row that has only the number the page offered is still an empty row.
        changed = self.changed_data
        if self.instance._state.adding:
            changed = [name for name in changed if name != "order"]
        return bool(changed)


class AgendaItemFormSet(ConstraintMessagesFormSetMixin, BaseInlineFormSet):
    """The agenda's rows numbered on: the extra rows are offered the next numbers, the row
    «Добавить ещё» adds is numbered by admin/js/agenda_numbers.js, and a row left without a
    number gets the next free one when saved."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The meeting's rows are read for the forms anyway: get_queryset() keeps them.
        last = max((item.order for item in self.get_queryset()), default=0)
        self.initial_extra = [{"order": last + i} for i in range(1, self.extra + 1)]

    @property
    def empty_form(self):
        form = super().empty_form
        # The model's default (1) would be taken by any meeting with an agenda.
        form.initial["order"] = None
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        live = [
            form
            for form in self.forms
            if (form.has_changed() or form.instance.pk)
            and not (self.can_delete and self._should_delete_form(form))
        ]
        taken = {form.cleaned_data["order"] for form in live if form.cleaned_data.get("order")}
        for form in live:
            if not form.cleaned_data.get("order"):
                number = max(taken, default=0) + 1
                taken.add(number)
                form.instance.order = form.cleaned_data["order"] = number


class AgendaItemInline(admin.TabularInline):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "agenda item"),
        genitive=pgettext_lazy("genitive", "agenda item"),
        accusative_plural=pgettext_lazy("accusative plural", "agenda items"),
        counted=npgettext_lazy(
            "counted", "%(count)d agenda item", "%(count)d agenda items", "count"
        ),
    )
    model = AgendaItem
    form = AgendaItemForm
    formset = AgendaItemFormSet
    fields = ["order", "title", "speakers", "summary"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new meeting is offered three questions, numbered 1 to 3 (the seed minutes have
        # three); a meeting's page adds rows with «Добавить ещё».
        return 3 if obj is None else 0

    class Media:
        js = ["admin/js/agenda_numbers.js"]


class AttendanceInline(admin.TabularInline):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "attendee"),
        genitive=pgettext_lazy("genitive", "attendee"),
        accusative_plural=pgettext_lazy("accusative plural", "attendees"),
        counted=npgettext_lazy("counted", "%(count)d attendee", "%(count)d attendees", "count"),
        animate=True,
    )
    model = Attendance
    extra = 0
    fields = ["member", "guest_name", "organization", "role"]
    autocomplete_fields = ["member", "organization"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "organization")


class MeetingAttachmentInline(admin.TabularInline):
    noun = Noun(
        Gender.NEUTER,
        accusative=pgettext_lazy("accusative", "attachment"),
        genitive=pgettext_lazy("genitive", "attachment"),
        accusative_plural=pgettext_lazy("accusative plural", "attachments"),
        counted=npgettext_lazy("counted", "%(count)d attachment", "%(count)d attachments", "count"),
    )
    model = MeetingAttachment
    extra = 0
    fields = ["kind", "title", "file"]


def _https_links(field, **kwargs):
    # Links typed without a scheme are taken as https (Django 6's default, adopted now).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class MeetingAdminForm(OptimisticLockFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        formfield_callback = _https_links
        # The admin's fieldsets decide the layout; this is the full editable set.
        fields = [
            "title",
            "topic",
            "date",
            "number",
            "kind",
            "format",
            "slug",
            "venue",
            "address",
            "link",
            "preamble",
            "resolved_intro",
            "decisions_intro",
            "chair",
            "secretary",
            "status",
        ]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    noun = Noun(
        Gender.NEUTER,
        accusative=pgettext_lazy("accusative", "meeting"),
        genitive=pgettext_lazy("genitive", "meeting"),
        accusative_plural=pgettext_lazy("accusative plural", "meetings"),
        counted=npgettext_lazy("counted", "%(count)d meeting", "%(count)d meetings", "count"),
    )
    form = MeetingAdminForm
    list_display = ["date", "title", "topic", "kind", "format", "status", "resolution_count"]
    list_display_links = ["date", "title"]
    list_filter = ["status", YearListFilter, "kind", "format", "venue__municipality"]
    search_fields = ["title", "topic", "preamble", "agenda_items__title", "slug"]
    date_hierarchy = "date"
    list_select_related = ["venue"]
    autocomplete_fields = ["venue", "chair", "secretary"]
    readonly_fields = ["published_at", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]  # the minutes app adds the downloads
    save_on_top = True
    # Links typed without a scheme are taken as https (Django 6's default, adopted now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [AgendaItemInline, AttendanceInline, MeetingAttachmentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "topic",
                    ("date", "number"),
                    ("kind", "format"),
                    "slug",
                    "lock_version",
                ]
            },
        ),
        (_("Venue"), {"fields": ["venue", "address", "link"]}),
        (
            _("Text of the minutes"),
            {"fields": ["preamble", "resolved_intro", "decisions_intro", ("chair", "secretary")]},
        ),
        (_("Publication"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            qs = qs.annotate(_resolution_count=Count("resolutions"))
        return qs

    def save_model(self, request, obj, form, change):
        # The status in the form (chosen, kept, or brought back by a history restore) is
        # applied by the service, with the form's other edits in one save: publishing
        # stamps the date once, returning to drafts clears it.
        if obj.is_published:
            meeting_publish(meeting=obj, user=request.user)
        else:
            meeting_unpublish(meeting=obj, user=request.user)

    @admin.display(description=_("items"), ordering="_resolution_count")
    def resolution_count(self, obj):
        return getattr(obj, "_resolution_count", None)

    @admin.action(description=_("Publish the selected minutes"), permissions=["change"])
    def publish(self, request, queryset):
        # One save per meeting (not a bulk update): each change gets its history row.
        count = 0
        for meeting in queryset.filter(status=Meeting.Status.DRAFT):
            meeting_publish(meeting=meeting, user=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d set of minutes published.",
                "%(count)d sets of minutes published.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected minutes"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for meeting in queryset.filter(status=Meeting.Status.PUBLISHED):
            meeting_unpublish(meeting=meeting, user=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d set of minutes returned to drafts.",
                "%(count)d sets of minutes returned to drafts.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
