"""Admin of the subscriptions, the decisions' reminder addresses and the sent-log.

The only place the portal shows an address. Subscriptions are never added here: a person
subscribes herself and confirms it (double opt-in); the secretary may correct or delete one.
The sent-log is read-only: it is the record that keeps a reminder from going out twice.
"""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy, pgettext_lazy

from kernel.admin_texts import Gender, Noun

from .models import DecisionContact, SentNotice, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    noun = Noun(
        Gender.FEMININE,
        accusative=pgettext_lazy("accusative", "subscription"),
        genitive=pgettext_lazy("genitive", "subscription"),
        accusative_plural=pgettext_lazy("accusative plural", "subscriptions"),
        counted=npgettext_lazy(
            "counted", "%(count)d subscription", "%(count)d subscriptions", "count"
        ),
    )
    list_display = ["email", "minutes", "organization_names", "confirmed_at"]
    list_filter = ["minutes", "organizations"]
    search_fields = ["email"]
    readonly_fields = ["email", "created_at", "confirmed_at"]
    fields = ["email", "minutes", "organizations", "created_at", "confirmed_at"]
    autocomplete_fields = ["organizations"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizations")

    @admin.display(description=_("decisions of organisations"))
    def organization_names(self, obj):
        return ", ".join(o.short_name for o in obj.organizations.all())

    def has_add_permission(self, request):
        return False


@admin.register(DecisionContact)
class DecisionContactAdmin(admin.ModelAdmin):
    noun = Noun(
        Gender.MASCULINE,
        accusative=pgettext_lazy("accusative", "address for a decision's reminders"),
        genitive=pgettext_lazy("genitive", "address for a decision's reminders"),
        accusative_plural=pgettext_lazy("accusative plural", "addresses for decisions' reminders"),
        counted=npgettext_lazy(
            "counted",
            "%(count)d address for a decision's reminders",
            "%(count)d addresses for decisions' reminders",
            "count",
        ),
    )
    list_display = ["decision", "email", "due_date"]
    list_select_related = ["resolution__meeting"]
    search_fields = ["email", "resolution__text", "resolution__responsible_person"]
    autocomplete_fields = ["resolution"]

    @admin.display(description=_("decision"), ordering="resolution__meeting__date")
    def decision(self, obj):
        return Truncator(str(obj.resolution)).chars(90)

    @admin.display(description=_("deadline"), ordering="resolution__due_date")
    def due_date(self, obj):
        return obj.resolution.due_date


@admin.register(SentNotice)
class SentNoticeAdmin(admin.ModelAdmin):
    noun = Noun(
        Gender.NEUTER,
        accusative=pgettext_lazy("accusative", "sent letter"),
        genitive=pgettext_lazy("genitive", "sent letter"),
        accusative_plural=pgettext_lazy("accusative plural", "sent letters"),
        counted=npgettext_lazy(
            "counted", "%(count)d sent letter", "%(count)d sent letters", "count"
        ),
    )
    list_display = ["sent_at", "kind", "recipient", "subject"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["recipient", "subject", "key"]
    date_hierarchy = "sent_at"
    fields = ["sent_at", "kind", "recipient", "subject", "key"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
