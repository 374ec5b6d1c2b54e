"""Who follows what by e-mail, whose address a decision's reminders go to, and what was sent.

Addresses are personal data: they live in these tables and the admin only, never on a page
or in a file. A subscription is stored once its owner has confirmed it (the letter's link
carries the request, signed), so an address nobody confirmed is never kept.
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Organization
from resolutions.models import Resolution


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Subscription(models.Model):
    email = models.EmailField(_("e-mail address"), max_length=254)
    minutes = models.BooleanField(_("new minutes"), default=False)
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("decisions of organisations"),
        related_name="+",
        blank=True,
    )
    created_at = models.DateTimeField(pgettext_lazy("subscription", "created"), auto_now_add=True)
    # The moment of the last confirmation: a confirmation link issued before it is used up.
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscription_email_unique",
                violation_error_message=_("This address is already subscribed."),
            )
        ]

    def __str__(self):
        return self.email


class DecisionContact(models.Model):
    """The responsible person's address for one decision: its reminders go there."""

    resolution = models.OneToOneField(
        Resolution,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="notice_contact",
        limit_choices_to={"kind": Resolution.Kind.DECISION},
    )
    email = models.EmailField(_("e-mail of the responsible person"), max_length=254)

    class Meta:
        verbose_name = _("address for a decision's reminders")
        verbose_name_plural = _("addresses for decisions' reminders")

    def __str__(self):
        return self.email


class SentNotice(models.Model):
    """One letter that went out; its key says which, so that none goes out twice."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("new minutes")
        REPORT_DUE = "report_due", _("report due soon")
        REPORT_OVERDUE = "report_overdue", _("report overdue")
        REPORT_RETURNED = "report_returned", _("report returned")
        DECISION_DUE = "decision_due", _("decision due soon")
        DECISION_OVERDUE = "decision_overdue", _("decision overdue")

    key = models.CharField(_("key"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    recipient = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("sent letter")
        verbose_name_plural = _("sent letters")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="sent_notice_key_unique",
                violation_error_message=_("This letter has already been sent."),
            )
        ]
        indexes = [models.Index(fields=["recipient", "sent_at"], name="sent_notice_recipient")]

    def __str__(self):
        return self.subject
