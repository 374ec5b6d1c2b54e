"""The register of the participation certificates the portal has issued («справки об участии»)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Member


class Certificate(models.Model):
    """One issued certificate: for whom, its number within the year, who asked for it and
    what it stated (a hash of the facts).

    A member's certificate of one day with the same facts is one entry: asking again (a
    reload, a bot) is handed the same number, so the register grows by one row per member,
    day and change of her record at most (chronicle.certificates.certificate_issue).
    """

    member = models.ForeignKey(
        Member,
        verbose_name=_("Club member"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number in the year"))
    issued_on = models.DateField(_("date of issue"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when a visitor of the site without an account asked for it."),
    )
    facts_hash = models.CharField(_("hash of the facts"), max_length=64)

    class Meta:
        verbose_name = _("participation certificate")
        verbose_name_plural = _("register of participation certificates")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"],
                name="certificate_unique_number_in_year",
                violation_error_message=_("A certificate with this number was already issued."),
            ),
            models.UniqueConstraint(
                fields=["member", "issued_on", "facts_hash"],
                name="certificate_once_a_day_per_facts",
                violation_error_message=_(
                    "This member's certificate with these facts was already issued that day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="certificate_number_positive",
                violation_error_message=_("Certificate numbers start at 1."),
            ),
        ]

    def __str__(self):
        return self.register_number

    @property
    def register_number(self) -> str:
        """«12/2026»: the number within the year and the year."""
        return f"{self.number}/{self.year}"

    @property
    def requester(self) -> str:
        if self.issued_by_id is None:
            return str(_("a visitor of the site"))
        return self.issued_by.get_full_name() or self.issued_by.get_username()
