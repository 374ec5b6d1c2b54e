"""The club's memory in the admin: the register of participation certificates, a read-only
list for the secretary, and the meetings' admin with the agenda action (progress_admin).

Entries are written only by chronicle.certificates.certificate_issue, when a certificate is
downloaded; the register is the record of what was issued, so nobody edits or deletes it.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy, pgettext_lazy

from kernel.admin_texts import Gender, Noun

from . import progress_admin  # noqa: F401  the meetings' admin with the agenda action
from .models import Certificate

CERTIFICATE_NOUN = Noun(
    Gender.FEMININE,
    accusative=pgettext_lazy("accusative", "participation certificate"),
    genitive=pgettext_lazy("genitive", "participation certificate"),
    accusative_plural=pgettext_lazy("accusative plural", "participation certificates"),
    counted=npgettext_lazy(
        "counted",
        "%(count)d participation certificate",
        "%(count)d participation certificates",
        "count",
    ),
)


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    noun = CERTIFICATE_NOUN
    list_display = ["register_number", "issued_on", "member", "requested_by", "issued_at"]
    list_filter = ["year"]
    date_hierarchy = "issued_on"
    search_fields = ["member__last_name", "member__first_name"]
    list_select_related = ["member__organization", "issued_by"]
    fields = ["register_number", "member", "issued_on", "issued_at", "requested_by", "facts_hash"]
    readonly_fields = fields

    @admin.display(description=_("register number"), ordering="number")
    def register_number(self, obj):
        return obj.register_number

    @admin.display(description=_("requested by"))
    def requested_by(self, obj):
        return obj.requester

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
