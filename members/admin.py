"""Admin of municipalities, organisations, members and operator accounts."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from kernel.admin_texts import Gender, Noun

from .models import Member, Municipality, OperatorAccount, Organization


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    noun = Noun(
        Gender.NEUTER,
        accusative=pgettext_lazy("accusative", "municipality"),
        genitive=pgettext_lazy("genitive", "municipality"),
        accusative_plural=pgettext_lazy("accusative plural", "municipalities"),
        counted=npgettext_lazy(
            "counted", "%(count)d municipality", "%(count)d municipalities", "count"
        ),
    )
    list_display = ["name", "organization_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_organization_count=Count("organizations"))

    @admin.display(description=_("organisations"), ordering="_organization_count")
    def organization_count(self, obj):
        return obj._organization_count


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    noun = Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "organisation"),
        genitive=pgettext_lazy("genitive", "organisation"),
        accusative_plural=pgettext_lazy("accusative plural", "organisations"),
        counted=npgettext_lazy(
            "counted", "%(count)d organisation", "%(count)d organisations", "count"
        ),
    )
    list_display = ["short_name", "kind", "municipality", "parent"]
    list_filter = ["kind", "municipality"]
    list_select_related = ["municipality", "parent"]
    search_fields = ["short_name", "full_name", "aliases", "municipality__name"]
    autocomplete_fields = ["municipality", "parent"]


class AdmittedFilter(admin.SimpleListFilter):
    title = _("admission")
    parameter_name = "admitted"

    def lookups(self, request, model_admin):
        return [("yes", _("admitted by minutes")), ("no", _("no admission in minutes"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(admission__isnull=False)
        if self.value() == "no":
            return queryset.filter(admission__isnull=True)
        return queryset


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "Club member"),
        genitive=pgettext_lazy("genitive", "Club member"),
        accusative_plural=pgettext_lazy("accusative plural", "Club members"),
        counted=npgettext_lazy(
            "counted", "%(count)d Club member", "%(count)d Club members", "count"
        ),
        animate=True,
    )
    list_display = ["full_name", "organization", "municipality", "position", "status"]
    list_filter = [
        "status",
        AdmittedFilter,
        "is_founder",
        "organization__municipality",
        "organization",
    ]
    list_select_related = ["organization__municipality"]
    search_fields = [
        "last_name",
        "first_name",
        "patronymic",
        "organization__short_name",
        "organization__municipality__name",
    ]
    autocomplete_fields = ["organization"]
    fieldsets = [
        (None, {"fields": [("last_name", "first_name", "patronymic"), "position", "organization"]}),
        (_("Membership"), {"fields": ["status", "is_founder", "joined_on", "left_on"]}),
        (
            _("Private contacts"),
            {
                "fields": ["email", "phone"],
                "description": _("Never shown on public pages or in public files."),
            },
        ),
    ]

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description=_("municipality"), ordering="organization__municipality__name")
    def municipality(self, obj):
        return obj.organization.municipality


@admin.register(OperatorAccount)
class OperatorAccountAdmin(admin.ModelAdmin):
    noun = Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "operator account"),
        genitive=pgettext_lazy("genitive", "operator account"),
        accusative_plural=pgettext_lazy("accusative plural", "operator accounts"),
        counted=npgettext_lazy(
            "counted", "%(count)d operator account", "%(count)d operator accounts", "count"
        ),
    )
    list_display = ["user", "organization"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "organization__short_name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["user"]
