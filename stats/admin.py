"""Admin of the statistics tables: indicators, forms, periods, reports and values."""

from django.contrib import admin

from .models import FormItem, FormTemplate, Indicator, Report, ReportingPeriod, Value


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


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
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
    inlines = [ValueInline]
