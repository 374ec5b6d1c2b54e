"""Admin of the statistics tables: indicators, forms, periods, reports and values.

The admin goes through the workflow, never around it: a version of a form is approved on
its own page by stats.services.form_approve and is frozen from then on; a report's status,
period, organisation and form are read-only (stats.services moves them and logs each step),
and its history can be read but not restored.
"""

import dataclasses
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.text import capfirst
from django.utils.translation import gettext, npgettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from kernel.admin_texts import Gender, Noun
from kernel.dates import long_moment
from kernel.formsets import ConstraintMessagesFormSetMixin
from kernel.validators import validate_sane_date
from resolutions.admin import ResolutionAdmin
from resolutions.models import Resolution

from . import decision_figures, services
from .admin_texts import UnshownErrorsMixin
from .models import (
    CheckResult,
    CheckSettings,
    DecisionTarget,
    DecisionTargetSystem,
    FormItem,
    FormTemplate,
    Indicator,
    Report,
    ReportingPeriod,
    ReportTransition,
    Value,
)

REVERT_REFUSED = _(
    "A report's history is for reading: its status, period, organisation and form change "
    "only on the review pages, which record every step. Reopen or return the report there."
)


# --- Indicators -----------------------------------------------------------------------------


@admin.register(Indicator)
class IndicatorAdmin(UnshownErrorsMixin, admin.ModelAdmin):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "indicator"),
        genitive=pgettext_lazy("genitive", "indicator"),
        accusative_plural=pgettext_lazy("accusative plural", "indicators"),
        counted=npgettext_lazy("counted", "%(count)d indicator", "%(count)d indicators", "count"),
    )
    list_display = ["code", "name", "unit", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "nk6_reference"]
    autocomplete_fields = ["parent", "replaces"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.items.filter(form__status=FormTemplate.Status.APPROVED).exists():
            fields += [f for f in Indicator.FROZEN_FIELDS if f not in fields]
        return fields


# --- Forms and their versions ---------------------------------------------------------------


class MonthField(forms.DateField):
    """A month typed as «07.2026» (a whole date is read as its month)."""

    widget = forms.TextInput(attrs={"placeholder": "07.2026", "size": 8})
    input_formats = ["%m.%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m"]

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%m.%Y")
        return value

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else None


class FormTemplateAdminForm(forms.ModelForm):
    valid_from = MonthField(
        label=_("applies from (month)"),
        required=False,
        help_text=_("The first month reported on this version, as 07.2026."),
    )
    valid_to = MonthField(
        label=_("applies until (month)"),
        required=False,
        help_text=_(
            "The last month reported on this version, as 12.2026; empty: until the next "
            "version, whose approval ends this one the month before it starts."
        ),
    )

    class Meta:
        model = FormTemplate
        fields = ["code", "name", "version", "valid_from", "valid_to", "max_value"]


class FormItemInline(admin.TabularInline):
    noun = Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "form row"),
        genitive=pgettext_lazy("genitive", "form row"),
        accusative_plural=pgettext_lazy("accusative plural", "form rows"),
        counted=npgettext_lazy("counted", "%(count)d form row", "%(count)d form rows", "count"),
    )
    model = FormItem
    extra = 0
    fields = ["order", "section", "indicator", "required"]
    autocomplete_fields = ["indicator"]
    ordering = ["order"]

    # An approved version is frozen: a new edition of the form is a new version. Judged
    # by the stored status (is_frozen), so a refused save never hides the rows' errors.
    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_delete_permission(request, obj)


class CheckSettingsInline(admin.StackedInline):
    noun = Noun(
        Gender.PLURAL,
        accusative=pgettext_lazy("accusative", "check thresholds"),
        genitive=pgettext_lazy("genitive", "check thresholds"),
        accusative_plural=pgettext_lazy("accusative plural", "check thresholds"),
        counted=npgettext_lazy(
            "counted", "%(count)d check thresholds", "%(count)d check thresholds", "count"
        ),
    )
    """The soft checks' thresholds of the version: tuned with its rows, frozen with them."""

    model = CheckSettings
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name_plural = _("thresholds of the checks")
    fieldsets = [
        (
            _("A jump against the same month last year"),
            {"fields": ["jump_percent", "jump_min_difference", "jump_on_stocks"]},
        ),
        (_("The same figure as last year"), {"fields": ["same_above", "same_on_stocks"]}),
        (_("Dropped to zero or appeared from nothing"), {"fields": ["zero_on_stocks"]}),
        (_("Visits per event"), {"fields": ["attendance_min", "attendance_max"]}),
    ]

    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class ApproveForm(forms.Form):
    approved_on = forms.DateField(
        label=_("approval date"),
        widget=AdminDateWidget,
        required=False,
        validators=[validate_sane_date],
    )
    approved_by = forms.ModelChoiceField(
        label=_("approved by resolution"),
        queryset=FormTemplate._meta.get_field("approved_by").related_model.objects.all(),
        required=False,
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["approved_by"]
        field.widget = AutocompleteSelect(FormTemplate._meta.get_field("approved_by"), admin_site)
        field.widget.choices = field.choices


@admin.register(FormTemplate)
class FormTemplateAdmin(UnshownErrorsMixin, admin.ModelAdmin):
    noun = Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "report form"),
        genitive=pgettext_lazy("genitive", "report form"),
        accusative_plural=pgettext_lazy("accusative plural", "report forms"),
        counted=npgettext_lazy(
            "counted", "%(count)d report form", "%(count)d report forms", "count"
        ),
    )
    form = FormTemplateAdminForm
    list_display = ["name", "code", "version", "status", "period", "approved_on"]
    list_filter = ["status", "code"]
    search_fields = ["name", "code"]
    inlines = [CheckSettingsInline, FormItemInline]
    actions = ["copy_as_new_version"]
    change_form_template = "admin/stats/formtemplate/change_form.html"

    @admin.display(description=_("period it applies to"))
    def period(self, obj):
        return obj.period_display

    def get_readonly_fields(self, request, obj=None):
        # Status and approval change only on the approval page; an approved version not at all.
        if obj is not None and obj.is_frozen:
            return [*FormTemplateAdminForm.Meta.fields, "status", "approved_on", "approved_by"]
        return ["status", "approved_on", "approved_by"]

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_delete_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="stats_formtemplate_approve",
            ),
            path(
                "<int:pk>/copy/",
                self.admin_site.admin_view(self.copy_view),
                name="stats_formtemplate_copy",
            ),
            *super().get_urls(),
        ]

    def approve_view(self, request, pk):
        form_version = get_object_or_404(FormTemplate, pk=pk)
        if not self.has_change_permission(request, form_version):
            raise PermissionDenied
        change_url = reverse("admin:stats_formtemplate_change", args=[pk])
        if form_version.is_frozen:
            messages.info(request, services.ALREADY_APPROVED)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = ApproveForm(request.POST, admin_site=self.admin_site)
            if form.is_valid():
                try:
                    approval = services.form_approve(
                        form=form_version,
                        approved_on=form.cleaned_data["approved_on"],
                        approved_by=form.cleaned_data["approved_by"],
                    )
                except services.FormApprovalError as refused:
                    for problem in refused.messages:
                        form.add_error(None, problem)
                else:
                    self.message_user(request, self._approved_message(approval), messages.SUCCESS)
                    return HttpResponseRedirect(change_url)
        else:
            form = ApproveForm(
                initial={"approved_on": timezone.localdate()}, admin_site=self.admin_site
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Approve the report form"),
            "subtitle": str(form_version),
            "opts": self.opts,
            "original": form_version,
            "form": form,
            "error_count": sum(len(errors) for errors in form.errors.values()),
            "media": self.media + form.media,
            "rows": form_version.items.count(),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/stats/formtemplate/approve.html", context)

    def _approved_message(self, approval) -> str:
        form = approval.form
        message = gettext(
            "Version %(version)s of the form «%(name)s» is approved; it applies %(applies)s."
        ) % {
            "version": form.version,
            "name": form.name,
            "applies": form.period_display,
        }
        if approval.ended is not None:
            message += " " + gettext("Version %(version)s now applies %(applies)s.") % {
                "version": approval.ended.version,
                "applies": approval.ended.period_display,
            }
        return message

    def copy_view(self, request, pk):
        form_version = get_object_or_404(FormTemplate, pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            copy = services.form_copy(form=form_version)
            self.message_user(request, self._copied_message(form_version, copy), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:stats_formtemplate_change", args=[copy.pk]))
        latest = FormTemplate.objects.filter(code=form_version.code).order_by("-version").first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Copy as a new version"),
            "subtitle": str(form_version),
            "opts": self.opts,
            "original": form_version,
            "next_version": latest.version + 1,
            "change_url": reverse("admin:stats_formtemplate_change", args=[pk]),
        }
        return TemplateResponse(request, "admin/stats/formtemplate/copy.html", context)

    def _copied_message(self, source, copy) -> str:
        return gettext(
            "Version %(version)s of the form «%(name)s» is a draft copy of version "
            "%(source)s: change its rows and headings, say from which month it applies, and "
            "approve it."
        ) % {"version": copy.version, "name": copy.name, "source": source.version}

    @admin.action(description=_("Copy as a new version"), permissions=["add"])
    def copy_as_new_version(self, request, queryset):
        for source in queryset.order_by("code", "version"):
            copy = services.form_copy(form=source)
            self.message_user(request, self._copied_message(source, copy), messages.SUCCESS)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(UnshownErrorsMixin, admin.ModelAdmin):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "reporting period"),
        genitive=pgettext_lazy("genitive", "reporting period"),
        accusative_plural=pgettext_lazy("accusative plural", "reporting periods"),
        counted=npgettext_lazy(
            "counted", "%(count)d reporting period", "%(count)d reporting periods", "count"
        ),
    )
    list_display = ["__str__", "year", "month", "due_date"]
    list_filter = ["year"]
    search_fields = ["year"]


# --- Reports --------------------------------------------------------------------------------


class ValueInline(admin.TabularInline):
    noun = Noun(
        Gender.NEUTER,
        accusative=pgettext_lazy("accusative", "value"),
        genitive=pgettext_lazy("genitive", "value"),
        accusative_plural=pgettext_lazy("accusative plural", "values"),
        counted=npgettext_lazy("counted", "%(count)d value", "%(count)d values", "count"),
    )
    """The figures, for reading: they change through the operator's page (or an import),
    where the checks, the report's version and the history follow every change."""

    model = Value
    extra = 0
    can_delete = False
    fields = readonly_fields = ["indicator", "value", "explanation"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(ReadOnlyInline):
    noun = Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "status change"),
        genitive=pgettext_lazy("genitive", "status change"),
        accusative_plural=pgettext_lazy("accusative plural", "status changes"),
        counted=npgettext_lazy(
            "counted", "%(count)d status change", "%(count)d status changes", "count"
        ),
    )
    model = ReportTransition
    fields = readonly_fields = ["at", "from_status", "to_status", "user", "by_whom", "comment"]

    @admin.display(description=_("on whose behalf"))
    def by_whom(self, obj):
        return gettext("the centre for the library") if obj.on_behalf else "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class CheckResultInline(ReadOnlyInline):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "check result"),
        genitive=pgettext_lazy("genitive", "check result"),
        accusative_plural=pgettext_lazy("accusative plural", "check results"),
        counted=npgettext_lazy(
            "counted", "%(count)d check result", "%(count)d check results", "count"
        ),
    )
    model = CheckResult
    fields = readonly_fields = ["indicator", "severity", "message"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


class ReportAddForm(forms.ModelForm):
    """A new report: the organisation, the month and the version that applies to it."""

    class Meta:
        model = Report
        fields = ["organization", "form", "period"]

    def clean(self):
        data = super().clean()
        organization, form, period = (data.get(k) for k in ("organization", "form", "period"))
        if organization and form and period:
            refusal = services.report_open_refusal(
                organization=organization, form=form, year=period.year, month=period.month
            )
            if refusal is not None:
                raise forms.ValidationError(refusal.message)
        return data


def _shown(field, value) -> str:
    """A stored value as people read it: status words, names, local dates, «—» for nothing."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return long_moment(value)
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j E Y")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


class ReportHistoryHelper(HistoricalRecordContextHelper):
    def format_delta_change(self, change):
        field = self.model._meta.get_field(change.field)
        return dataclasses.replace(
            change,
            field=capfirst(field.verbose_name),
            old=conditional_escape(_shown(field, change.old)),
            new=conditional_escape(_shown(field, change.new)),
        )


# Every save bumps these: they are the date column, not a change to read.
HISTORY_NOISE = ("version", "updated_at")


@admin.register(Report)
class ReportAdmin(UnshownErrorsMixin, SimpleHistoryAdmin):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "report"),
        genitive=pgettext_lazy("genitive", "report"),
        accusative_plural=pgettext_lazy("accusative plural", "reports"),
        counted=npgettext_lazy("counted", "%(count)d report", "%(count)d reports", "count"),
    )
    list_display = ["organization", "form", "period", "status", "submitted_at", "accepted_at"]
    list_filter = [
        "status",
        "period__year",
        "period__month",
        "form",
        "organization__municipality",
        "organization",
    ]
    list_select_related = ["organization", "form", "period"]
    search_fields = ["organization__short_name", "organization__full_name"]
    autocomplete_fields = ["organization", "form", "period"]
    inlines = [ValueInline, CheckResultInline, TransitionInline]
    object_history_list_template = "admin/stats/report/object_history_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ReportAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "form", "period"]
        return [
            "organization",
            "form",
            "period",
            "status",
            "comment",
            "entered_for_the_library",
            "submitted_at",
            "accepted_at",
            "version",
            "updated_at",
        ]

    @admin.display(description=_("entered by the centre for the library"))
    def entered_for_the_library(self, obj):
        if not obj.entered_by_centre:
            return gettext("no")
        if obj.entry_source:
            return gettext("yes, the figures were received %(source)s") % {
                "source": obj.get_entry_source_display()
            }
        return gettext("yes")

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the review pages, and a report stays with its
        # organisation, month and form: stats.services logs every step.
        if obj is None:
            return []
        return self.get_fields(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    # A report handed in is never deleted (its figures were counted or reviewed): only a
    # draft, one at a time from its own page.
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Report.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    # The history: read, never restored (a restore would move the status without a step).

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            self.message_user(request, REVERT_REFUSED, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:stats_report_history", args=[object_id]))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReportHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        labels = {capfirst(Report._meta.get_field(f).verbose_name) for f in HISTORY_NOISE}
        for record in historical_records:
            changes = getattr(record, "history_delta_changes", None)
            if changes is not None:
                record.history_delta_changes = [c for c in changes if c["field"] not in labels]


# --- The figures a resolution aims to move --------------------------------------------------


class TargetLinksFormSet(ConstraintMessagesFormSetMixin, BaseInlineFormSet):
    """The same indicator (or library system) twice is told beside both rows."""


class TargetIndicatorField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.display_name}"


class DecisionTargetInline(admin.TabularInline):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "target indicator"),
        genitive=pgettext_lazy("genitive", "target indicator"),
        accusative_plural=pgettext_lazy("accusative plural", "target indicators"),
        counted=npgettext_lazy(
            "counted", "%(count)d target indicator", "%(count)d target indicators", "count"
        ),
    )
    model = DecisionTarget
    formset = TargetLinksFormSet
    extra = 0
    fields = ["indicator"]
    verbose_name_plural = _("indicators the item aims to move (its page shows them)")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            # An «из них» line named alone would read twice («из них под открытым небом»).
            kwargs["queryset"] = Indicator.objects.select_related("parent").order_by("code")
            kwargs["form_class"] = TargetIndicatorField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DecisionTargetSystemInline(admin.TabularInline):
    noun = Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "followed library system"),
        genitive=pgettext_lazy("genitive", "followed library system"),
        accusative_plural=pgettext_lazy("accusative plural", "followed library systems"),
        counted=npgettext_lazy(
            "counted",
            "%(count)d followed library system",
            "%(count)d followed library systems",
            "count",
        ),
    )
    model = DecisionTargetSystem
    formset = TargetLinksFormSet
    extra = 0
    fields = ["organization"]
    autocomplete_fields = ["organization"]
    verbose_name_plural = _(
        "library systems whose own figures the item's page shows beside the region's"
    )


# The item's own admin page gains its indicators: registered again here, above resolutions,
# as resolutions/admin.py does with the meeting's page.
admin.site.unregister(Resolution)


@admin.register(Resolution)
class ResolutionWithTargetsAdmin(ResolutionAdmin):
    inlines = [*ResolutionAdmin.inlines, DecisionTargetInline, DecisionTargetSystemInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [*fields, "proposed_indicators"] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "proposed_indicators"] if obj is not None else fields

    @admin.display(description=_("indicators the text speaks of"))
    def proposed_indicators(self, obj):
        """What the item's words propose to link below, not linked yet; "" for none."""
        linked = set(obj.targets.values_list("indicator_id", flat=True))
        proposed = decision_figures.proposed_indicators(
            obj, list(Indicator.objects.select_related("parent").order_by("code"))
        )
        return "; ".join(
            f"{i.code} — {i.display_name}" for i in proposed if i.pk not in linked
        ) or gettext("none: the words of the text name no indicator, or all are linked below")
