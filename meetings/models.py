"""Meetings of the club and what their minutes record besides resolutions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from intake import search
from kernel.search import search_field, with_search_column
from kernel.uploads import stored_name, validate_attachment
from kernel.validators import DATE_OUT_OF_RANGE, date_in_range, validate_sane_date
from members.models import Member, Organization

DEFAULT_RESOLVED_INTRO = _(
    "The participants of the meeting of the Kuzbass Methodologists' Business Meetings Club "
    "resolved:"
)
DEFAULT_DECISIONS_INTRO = _("Following the event, the following decisions were adopted:")
PUBLICATION_BYPASS_MESSAGE = _(
    "Minutes are published and returned to drafts only through meetings.services "
    "(meeting_publish, meeting_unpublish), which keeps the status and the publication date "
    "together."
)
RESERVED_SLUG_MESSAGE = _(
    "The address «%(slug)s» belongs to a page of the portal, and a meeting with it could "
    "never be opened. Choose another one; these are taken: %(reserved)s."
)


# Callables, so that a new meeting gets the phrase in the active language (Russian), and
# migrations record a reference instead of one language's text.
def default_resolved_intro():
    return str(DEFAULT_RESOLVED_INTRO)


def default_decisions_intro():
    return str(DEFAULT_DECISIONS_INTRO)


def reserved_slugs() -> frozenset[str]:
    """The fixed first segments of the meeting addresses (feed, calendar.ics…), read from
    the URLconf: a meeting with such a slug would hide that page or never be reached."""
    _prefix, resolver = get_resolver().namespace_dict["meetings"]
    words = set()
    for pattern in resolver.url_patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue  # a regular expression: resolving the address (below) catches it
        first = str(pattern.pattern).split("/", 1)[0]
        if first and "<" not in first:
            words.add(first)
    return frozenset(words)


def slug_reaches_its_meeting(slug: str) -> bool:
    """Whether the meeting's address is routed to the meeting page, and hides no other page."""
    if slug in reserved_slugs():
        return False
    try:
        # A pattern matched before the meeting's, e.g. a regular expression, also counts.
        return resolve(reverse("meetings:detail", args=[slug])).view_name == "meetings:detail"
    except NoReverseMatch:  # not a slug at all: the field's own check says so
        return True


class PublicationBypassError(Exception):
    """A meeting's status or publication date changed outside meetings.services."""

    def __init__(self):
        self.message = PUBLICATION_BYPASS_MESSAGE
        super().__init__(str(self.message))


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Meeting.Status.PUBLISHED)

    def visible_to(self, user):
        """Published meetings for the public; every meeting for staff."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual meeting")
        REGULAR = "regular", _("regular meeting")
        EXTRAORDINARY = "extraordinary", _("extraordinary meeting")
        VISITING = "visiting", _("off-site meeting")
        OTHER = "other", _("other")

    class Format(models.TextChoices):
        ONLINE = "online", _("online")
        OFFLINE = "offline", _("in person")
        HYBRID = "hybrid", _("hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    slug = models.SlugField(
        _("web address (slug)"),
        max_length=60,
        unique=True,
        blank=True,
        help_text=_(
            "Part of the page address. If left empty, the meeting date is used, e.g. 2021-06-23 "
            "(for a second meeting on the same day: 2021-06-23-2)."
        ),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_(
            "For example: Annual meeting of the Kuzbass Methodologists' Business Meetings Club"
        ),
    )
    topic = models.CharField(_("topic"), max_length=500, blank=True)
    date = models.DateField(_("date"), validators=[validate_sane_date])
    number = models.CharField(_("minutes number"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.OFFLINE
    )
    venue = models.ForeignKey(
        Organization,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        null=True,
        blank=True,
    )
    address = models.CharField(_("venue address"), max_length=500, blank=True)
    link = models.URLField(_("link to the stream or recording"), blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    resolved_intro = models.TextField(
        _("introductory phrase of the «resolved» section"),
        default=default_resolved_intro,
        blank=True,
    )
    decisions_intro = models.TextField(
        _("introductory phrase of the decisions section"),
        default=default_decisions_intro,
        blank=True,
    )
    chair = models.ForeignKey(
        Member,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
        null=True,
        blank=True,
    )
    secretary = models.ForeignKey(
        Member,
        verbose_name=_("secretary"),
        on_delete=models.PROTECT,
        related_name="recorded_meetings",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Optimistic locking: a save based on an older version is refused (see kernel.locking).
    version = models.PositiveIntegerField(_("record version"), default=1, editable=False)
    # The lemmas of the title and topic (the heading), the preamble and the address.
    search_lemmas = search_field()

    objects = MeetingQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_lemmas"])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-pk"]
        indexes = [
            # The archive and the resolutions list read newest first: with this index
            # PostgreSQL walks the meetings in order and stops after one page, instead of
            # sorting every resolution of the archive (36 ms at 20,000 items, now 1 ms).
            models.Index(fields=["-date", "-id"], name="meeting_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="meeting_published_has_date",
                violation_error_message=_("Published minutes must have a publication date."),
            ),
            models.CheckConstraint(
                condition=date_in_range("date"),
                name="meeting_date_in_range",
                violation_error_message=DATE_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} — {self.topic or self.title}"

    # Changed only by meetings.services (workflow=True): publishing has one write path.
    PUBLICATION_FIELDS = ("status", "published_at")

    def save(self, *args, workflow: bool = False, **kwargs):
        """Stores what it is given and advances the version; it never publishes. A change
        of the status or the publication date is refused unless meetings.services makes
        it (workflow=True): the admin, a history restore or the shell cannot."""
        if not self.slug and self.date:
            self.slug = self.unique_slug_for(self.date, exclude_pk=self.pk)
        if not self._state.adding:
            if not workflow:
                self._refuse_publication_change()
            self.version += 1
        elif not workflow and self.status != self.Status.DRAFT:
            raise PublicationBypassError()
        self.refresh_search_lemmas()
        super().save(*args, **with_search_column(kwargs, self.SEARCHED_FIELDS))
        self._stored_publication = self._publication()

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.slug])

    SEARCHED_FIELDS = frozenset({"title", "topic", "number", "preamble", "address"})

    def refresh_search_lemmas(self):
        """The search column from the texts (intake.search); save() calls it, and so must
        whatever writes rows around save() (bulk_create in the bench)."""
        self.search_lemmas = search.document(
            f"{self.title} {self.topic}", f"{self.number} {self.preamble} {self.address}"
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_publication = instance._publication()
        return instance

    def _publication(self):
        loaded = self.get_deferred_fields()
        if any(f in loaded for f in self.PUBLICATION_FIELDS):
            return None  # not loaded: read from the database when it matters
        return (self.status, self.published_at)

    def _refuse_publication_change(self):
        if self._publication() is None:
            return  # neither field loaded, so neither was changed
        stored = getattr(self, "_stored_publication", None)
        if stored is None:
            stored = (
                Meeting.objects.filter(pk=self.pk).values_list(*self.PUBLICATION_FIELDS).first()
            )
        if stored is not None and stored != self._publication():
            raise PublicationBypassError()

    def clean(self):
        super().clean()
        if self.slug and not slug_reaches_its_meeting(self.slug):
            reserved = ", ".join(sorted(reserved_slugs()))
            raise ValidationError(
                {
                    "slug": ValidationError(
                        RESERVED_SLUG_MESSAGE,
                        code="reserved_slug",
                        params={"slug": self.slug, "reserved": reserved},
                    )
                }
            )

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @classmethod
    def unique_slug_for(cls, date, *, exclude_pk=None):
        """The ISO date, or the date with -2, -3… when that day already has a meeting."""
        base = date.isoformat()
        taken = set(
            cls.objects.filter(slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("seq. no."), default=1)
    title = models.CharField(_("question"), max_length=500)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # The lemmas of the question (the heading), the speakers and the summary.
    search_lemmas = search_field()

    history = HistoricalRecords(excluded_fields=["search_lemmas"])

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="agenda_item_unique_order",
                violation_error_message=_("The agenda already has an item with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    SEARCHED_FIELDS = frozenset({"title", "speakers", "summary"})

    def save(self, *args, **kwargs):
        self.refresh_search_lemmas()
        super().save(*args, **with_search_column(kwargs, self.SEARCHED_FIELDS))

    def refresh_search_lemmas(self):
        """The search column from the texts (intake.search); save() calls it, and so must
        whatever writes rows around save() (bulk_create in the bench)."""
        self.search_lemmas = search.document(self.title, f"{self.speakers} {self.summary}")


class Attendance(models.Model):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("participant")
        SPEAKER = "speaker", _("speaker")
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        GUEST = "guest", _("guest")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("Club member"),
        on_delete=models.PROTECT,
        related_name="attendances",
        null=True,
        blank=True,
    )
    guest_name = models.CharField(
        _("guest's full name"),
        max_length=300,
        blank=True,
        help_text=_("For attendees who are not members of the Club."),
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="attendances",
        null=True,
        blank=True,
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(guest_name=""),
                name="attendance_member_or_guest",
                violation_error_message=_("Specify a Club member or the guest's full name."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_unique_member",
                violation_error_message=_("This member is already marked as present."),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.member.full_name if self.member_id else self.guest_name

    @property
    def display_organization(self):
        if self.organization_id:
            return self.organization
        return self.member.organization if self.member_id else None


def attachment_path(instance, filename):
    # Non-guessable names with the extension of what the file is; the title keeps the name.
    return stored_name(f"meetings/{instance.meeting_id or 'new'}", instance.file)


class MeetingAttachment(models.Model):
    class Kind(models.TextChoices):
        PRESENTATION = "presentation", _("presentation")
        PHOTO = "photo", _("photo")
        DOCUMENT = "document", _("document")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(_("name"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=attachment_path,
        validators=[validate_attachment],
        help_text=_("PDF, JPEG, PNG, Word, Excel, PowerPoint or OpenDocument; up to 20 MB."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "kind", "pk"]

    def __str__(self):
        return self.title
