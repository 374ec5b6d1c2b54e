"""Admin of the statistics tables: indicators, forms, periods, reports and values."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CheckResult,
    FormItem,
    FormTemplate,
    Indicator,
    Report,
    ReportingPeriod,
    ReportTransition,
    Value,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["code", "name", "nk6_reference"]
    autocomplete_fields = ["parent", "replaces"]


class FormItemInline(admin.TabularInline):
    model = FormItem
    extra = 0
    fields = ["order", "section", "indicator"]
    autocomplete_fields = ["indicator"]
    ordering = ["order"]

    # An approved version is frozen: a new edition of the form is a new version.
    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_frozen) and super().has_delete_permission(request, obj)


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "status", "approved_on"]
    list_filter = ["status", "code"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["approved_by"]
    inlines = [FormItemInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "month", "due_date"]
    list_filter = ["year"]
    search_fields = ["year"]


class ValueInline(admin.TabularInline):
    model = Value
    extra = 0
    fields = ["indicator", "value"]
    autocomplete_fields = ["indicator"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    # Figures change through the operator's form or a reopening, never silently here.
    def has_add_permission(self, request, obj=None):
        return bool(obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return bool(obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return bool(obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TransitionInline(ReadOnlyInline):
    model = ReportTransition
    fields = readonly_fields = ["at", "from_status", "to_status", "user", "comment"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class CheckResultInline(ReadOnlyInline):
    model = CheckResult
    fields = readonly_fields = ["indicator", "severity", "message"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
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
    readonly_fields = ["submitted_at", "accepted_at", "version", "updated_at"]
    inlines = [ValueInline, CheckResultInline, TransitionInline]

    def get_readonly_fields(self, request, obj=None):
        # The status moves only through the review pages, which log every step.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "status", "comment"] if obj else fields
