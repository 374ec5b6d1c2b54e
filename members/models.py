"""Municipalities, library organisations, club members and the operator ↔ organisation link."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from intake import search
from kernel.search import search_field, with_search_column


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganizationQuerySet(models.QuerySet):
    def library_systems(self):
        """Only ЦБС and МИБС: the bodies that report statistics."""
        return self.filter(kind__in=Organization.LIBRARY_SYSTEM_KINDS)


class Organization(models.Model):
    class Kind(models.TextChoices):
        CBS = "cbs", _("CBS")
        MIBS = "mibs", _("MIBS")
        REGIONAL = "regional", _("regional library")
        OTHER = "other", _("other organisation")

    LIBRARY_SYSTEM_KINDS = (Kind.CBS, Kind.MIBS)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CBS)
    short_name = models.CharField(_("short name"), max_length=200, unique=True)
    full_name = models.CharField(
        pgettext_lazy("organisation", "full name"), max_length=500, blank=True
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        # A default in the database too: code that predates the field still inserts rows.
        db_default="",
        help_text=_(
            "The names the minutes use for it besides the short and full name, one per line "
            "(«Полысаевская ЦБС», «МИБС г. Новокузнецка»). The intake of minutes recognises "
            "them in any case."
        ),
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="organizations",
        null=True,
        blank=True,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        help_text=_("For branches: the CBS or MIBS the library belongs to."),
        on_delete=models.PROTECT,
        related_name="branches",
        null=True,
        blank=True,
    )

    objects = OrganizationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organisation cannot be part of itself."),
            ),
        ]

    def __str__(self):
        return self.short_name

    @property
    def display_full_name(self):
        return self.full_name or self.short_name

    @property
    def is_library_system(self) -> bool:
        """A ЦБС or МИБС: one of Organization.objects.library_systems()."""
        return self.kind in self.LIBRARY_SYSTEM_KINDS


# meetings.Meeting.Status.PUBLISHED: members is the bottom app and imports no other.
PUBLISHED_MEETING = "published"


class MemberQuerySet(models.QuerySet):
    def public(self):
        """Members the public may know of: admitted by a resolution of published minutes, or
        marked by the secretary as members without an admission record (the founders).

        The one rule of every public page, file and listing: a member whom only draft
        minutes admit (created from their admission item) is shown nowhere until they are
        published, and her page answers 404.
        """
        return self.filter(
            Q(is_founder=True) | Q(admission__resolution__meeting__status=PUBLISHED_MEETING)
        )

    def visible_to(self, user):
        """Public members for the public; every member for staff (drafts link to them)."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.public()

    def active(self):
        return self.filter(status=Member.Status.ACTIVE)

    def with_organization(self):
        """Members with their organisation and its municipality fetched in the same query."""
        return self.select_related("organization__municipality")


class Member(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("is a member of the Club")
        LEFT = "left", _("has left")

    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    status = models.CharField(
        _("membership status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    joined_on = models.DateField(
        _("date joined"),
        null=True,
        blank=True,
        help_text=_(
            "Filled in for members admitted before minutes were kept on the portal; "
            "for the others the date joined is the date of the minutes that admitted them."
        ),
    )
    left_on = models.DateField(_("date left"), null=True, blank=True)
    is_founder = models.BooleanField(
        _("Club member without an admission record (founder)"),
        default=False,
        help_text=_(
            "Tick for the founders and for members admitted before minutes were kept on the "
            "portal: they are shown on the site without minutes that admit them. Any other "
            "member appears on the site once the minutes that admit her are published."
        ),
    )
    # Private: shown only in the admin, never on a public page or in a public file.
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    # The lemmas of the name (the heading) and the position; never the private contacts.
    search_lemmas = search_field()

    objects = MemberQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_lemmas"])

    class Meta:
        verbose_name = _("Club member")
        verbose_name_plural = _("Club members")
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(status="left"),
                name="member_left_on_only_when_left",
                violation_error_message=_("The date left is given only for members who have left."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.organization})" if self.organization_id else self.full_name

    SEARCHED_FIELDS = frozenset({"last_name", "first_name", "patronymic", "position"})

    def save(self, *args, **kwargs):
        self.refresh_search_lemmas()
        super().save(*args, **with_search_column(kwargs, self.SEARCHED_FIELDS))

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    def refresh_search_lemmas(self):
        """The search column from the texts (intake.search); save() calls it, and so must
        whatever writes rows around save() (bulk_create in the bench and the demo)."""
        self.search_lemmas = search.document(self.full_name, self.position)

    @property
    def admission_or_none(self):
        """The admission by minutes (resolutions.Admission), or None for earlier members."""
        try:
            return self.admission
        except ObjectDoesNotExist:
            return None

    @property
    def full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self):
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()


class OperatorAccount(models.Model):
    """Binds a user account to the one organisation whose statistics it reports."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="operator_account",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="operator_accounts",
    )

    class Meta:
        verbose_name = _("operator account")
        verbose_name_plural = _("operator accounts")

    def __str__(self):
        return f"{self.user} → {self.organization}"
