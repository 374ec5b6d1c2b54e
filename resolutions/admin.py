"""Admin of resolutions and their progress, and the resolutions inline of the meeting page."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from kernel.admin_texts import Gender, Noun
from meetings.admin import MeetingAdmin, YearListFilter
from meetings.models import Meeting

from .forms import ResolutionInlineFormSet, resolution_form_for
from .models import Resolution, ResolutionProgress
from .services import progress_entry_save

# What the «agenda question» list is filled from, and what to do while it is empty.
AGENDA_LIST_HELP = _("The list is filled from this meeting's agenda.")
AGENDA_OF_NEW_MEETING_HELP = _(
    "The list is filled from the meeting's agenda once the meeting is saved: add the agenda "
    "questions above, save the meeting, then choose the question here."
)
AGENDA_EMPTY_HELP = _(
    "The list is filled from this meeting's agenda, which has no questions yet: add them to "
    "the agenda above and save the meeting, then choose the question here."
)
AGENDA_OF_NO_MEETING_HELP = _(
    "The list is filled from the agenda of the item's meeting: choose the meeting and save "
    "the item, then choose the question here."
)
AGENDA_OF_ITEM_MEETING_EMPTY_HELP = _(
    "The list is filled from the agenda of the item's meeting, which has no questions yet: "
    "add them on the meeting's page, then choose the question here."
)


def agenda_help(meeting, *, here: bool) -> str:
    """The help of the «agenda question» list of an item of this meeting (None: not chosen
    yet); here: the item is edited on the meeting's own page."""
    if meeting is None or meeting.pk is None:
        return AGENDA_OF_NEW_MEETING_HELP if here else AGENDA_OF_NO_MEETING_HELP
    if not meeting.agenda_items.exists():
        return AGENDA_EMPTY_HELP if here else AGENDA_OF_ITEM_MEETING_EMPTY_HELP
    return AGENDA_LIST_HELP


RESOLUTION_NOUN = Noun(
    Gender.MASCULINE,
    accusative=pgettext_lazy("accusative", "minutes item"),
    genitive=pgettext_lazy("genitive", "minutes item"),
    accusative_plural=pgettext_lazy("accusative plural", "minutes items"),
    counted=npgettext_lazy("counted", "%(count)d minutes item", "%(count)d minutes items", "count"),
)
RESOLUTION_FIELDS = [
    ("section", "number", "kind"),
    "text",
    "agenda_item",
    "admitted",
    "responsible_organizations",
    "to_library_systems",
    ("responsible_person", "due_date", "status"),
    "lock_version",
]

PROGRESS_NOUN = Noun(
    Gender.FEMININE,
    accusative=pgettext_lazy("accusative", "progress entry"),
    genitive=pgettext_lazy("genitive", "progress entry"),
    accusative_plural=pgettext_lazy("accusative plural", "progress entries"),
    counted=npgettext_lazy(
        "counted", "%(count)d progress entry", "%(count)d progress entries", "count"
    ),
)


class ResolutionInline(admin.StackedInline):
    noun = RESOLUTION_NOUN
    model = Resolution
    formset = ResolutionInlineFormSet
    extra = 0
    fields = RESOLUTION_FIELDS
    autocomplete_fields = ["responsible_organizations"]
    ordering = ["section", "number"]
    show_change_link = True
    verbose_name = _("minutes item")
    verbose_name_plural = _("items of the minutes (resolved and decisions)")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = resolution_form_for(self.admin_site)
        formset = super().get_formset(request, obj, **kwargs)
        # Only this meeting's agenda can be linked; the choices are read once per page.
        agenda_field = formset.form.base_fields["agenda_item"]
        agenda_field.queryset = (
            agenda_field.queryset.filter(meeting=obj) if obj else (agenda_field.queryset.none())
        )
        agenda_field.help_text = agenda_help(obj, here=True)
        return formset

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("responsible_organizations", "admissions__member")
        )

    class Media:
        js = ["admin/js/resolution_numbers.js"]


admin.site.unregister(Meeting)


@admin.register(Meeting)
class MeetingWithResolutionsAdmin(MeetingAdmin):
    inlines = [*MeetingAdmin.inlines, ResolutionInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # The items saved, their admitted members through resolutions.services.
        if formset.model is Resolution:
            deleted = set(map(id, formset.deleted_forms))
            for item in formset.forms:
                if id(item) not in deleted:
                    warning = item.save_admissions()
                    if warning:
                        messages.warning(request, warning)


class ProgressInline(admin.TabularInline):
    noun = PROGRESS_NOUN
    model = ResolutionProgress
    extra = 1
    fields = ["date", "text", "new_status", "evidence", "author"]
    readonly_fields = ["author"]


class MeetingYearFilter(YearListFilter):
    date_field = "meeting__date"


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue decisions"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset


@admin.register(Resolution)
class ResolutionAdmin(SimpleHistoryAdmin):
    noun = RESOLUTION_NOUN
    list_display = [
        "meeting_date",
        "section",
        "number",
        "kind",
        "short_text",
        "status",
        "due_date",
        "overdue",
    ]
    list_display_links = ["short_text"]
    list_filter = [
        "kind",
        "status",
        "section",
        MeetingYearFilter,
        OverdueFilter,
        "responsible_organizations",
        "to_library_systems",
        "responsible_organizations__municipality",
    ]
    list_select_related = ["meeting"]
    search_fields = ["text", "responsible_person", "meeting__topic", "meeting__title"]
    date_hierarchy = "meeting__date"
    autocomplete_fields = ["meeting", "responsible_organizations"]
    inlines = [ProgressInline]
    ordering = ["-meeting__date", "section", "number"]

    def get_fields(self, request, obj=None):
        return [("meeting",), *RESOLUTION_FIELDS]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = resolution_form_for(self.admin_site)
        form = super().get_form(request, obj, change=change, **kwargs)
        agenda_field = form.base_fields.get("agenda_item")
        if agenda_field is not None:
            # Only the agenda of the item's meeting: on a new item, of the meeting the address
            # names (?meeting=…, as the admin fills the form's initial values), or none yet.
            meeting = obj.meeting if obj else self.meeting_of_new_item(request)
            agenda_field.queryset = (
                agenda_field.queryset.filter(meeting=meeting)
                if meeting
                else agenda_field.queryset.none()
            )
            agenda_field.help_text = agenda_help(meeting, here=False)
        return form

    @staticmethod
    def meeting_of_new_item(request):
        value = request.GET.get("meeting", "")
        if not value.isascii() or not value.isdigit() or len(value) > 18:
            return None
        return Meeting.objects.filter(pk=int(value)).first()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Here rather than in save_related: a restore from the history saves only the model.
        warning = form.save_admissions()
        if warning:
            messages.warning(request, warning)

    def save_formset(self, request, form, formset, change):
        entries = formset.save(commit=False)
        for entry in entries:
            if isinstance(entry, ResolutionProgress):
                progress_entry_save(entry=entry, author=request.user)
            else:
                entry.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    @admin.display(description=_("meeting date"), ordering="meeting__date")
    def meeting_date(self, obj):
        return obj.meeting.date

    @admin.display(description=_("text"))
    def short_text(self, obj):
        return Truncator(obj.text).chars(120)

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        if obj.kind != Resolution.Kind.DECISION or not obj.due_date:
            return None
        return obj.is_open and obj.due_date < timezone.localdate()


@admin.register(ResolutionProgress)
class ResolutionProgressAdmin(admin.ModelAdmin):
    noun = PROGRESS_NOUN
    list_display = ["date", "resolution", "new_status", "author"]
    list_filter = ["new_status"]
    list_select_related = ["resolution__meeting", "author"]
    search_fields = ["text", "resolution__text"]
    date_hierarchy = "date"
    autocomplete_fields = ["resolution"]
    readonly_fields = ["author"]

    def save_model(self, request, obj, form, change):
        progress_entry_save(entry=obj, author=request.user)
