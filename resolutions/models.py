"""Numbered resolutions of a meeting, the admissions they make and the progress of decisions."""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from intake import search
from kernel.dates import long_date
from kernel.search import search_field, with_search_column
from kernel.uploads import stored_name, validate_attachment
from kernel.validators import DATE_OUT_OF_RANGE, date_in_range, validate_sane_date
from meetings.models import AgendaItem, Meeting
from members.models import Member, Organization

DUPLICATE_NUMBER_MESSAGE = _("This section of the minutes already has an item with this number.")
ALREADY_ADMITTED_MESSAGE = _(
    "%(member)s has already been admitted to the Club: minutes of %(date)s, item %(number)s."
)
DUE_BEFORE_MEETING_MESSAGE = _("The deadline cannot be earlier than the meeting date (%(date)s).")
AGENDA_OF_ANOTHER_MEETING_MESSAGE = _("This question is on the agenda of another meeting.")
PROGRESS_BYPASS_MESSAGE = _(
    "A progress entry that changes the decision's status is saved only through "
    "resolutions.services.progress_entry_save, which moves the decision with it."
)


class ProgressBypassError(Exception):
    """A progress entry with a new status saved past the service: the decision would say
    one status and its progress another."""

    def __init__(self):
        self.message = PROGRESS_BYPASS_MESSAGE
        super().__init__(str(self.message))


# A decision given to every library system of the region names them so, before the others.
LIBRARY_SYSTEMS_NAME = _("Library systems of the region")


@dataclass(frozen=True)
class Responsible:
    """Who answers for a decision: the organisations' short names in their order (the region's
    library systems as a group first), and a person. Written as «A, B, person» where it fits
    one line; false when nobody is named."""

    organizations: tuple[str, ...]
    person: str

    def __bool__(self):
        return bool(self.organizations or self.person)

    def __str__(self):
        return ", ".join([*self.organizations, *([self.person] if self.person else [])])


class ResolutionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(meeting__status=Meeting.Status.PUBLISHED)

    def open_decisions(self):
        """Decisions still to be carried out: adopted or in progress."""
        return self.filter(
            kind=Resolution.Kind.DECISION,
            status__in=[Resolution.Status.ADOPTED, Resolution.Status.IN_PROGRESS],
        )

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open_decisions().filter(due_date__lt=today)


class Resolution(models.Model):
    # Numbers, so that ordering by section puts «постановили» before the decisions.
    class Section(models.IntegerChoices):
        RESOLVED = 1, _("Resolved")
        DECISIONS = 2, _("Decisions following the event")

    class Kind(models.TextChoices):
        GRATITUDE = "gratitude", _("gratitude")
        NOTE = "note", _("note")
        ADMISSION = "admission", _("admission to the Club")
        DECISION = "decision", _("decision to be carried out")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    section = models.PositiveSmallIntegerField(
        _("section"), choices=Section.choices, default=Section.RESOLVED
    )
    number = models.PositiveSmallIntegerField(
        _("no."),
        null=True,
        blank=True,
        help_text=_("If left empty, the next number in the section is used."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    text = models.TextField(_("text"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda question"),
        on_delete=models.SET_NULL,
        related_name="resolutions",
        null=True,
        blank=True,
    )
    admitted_members = models.ManyToManyField(
        Member,
        verbose_name=_("admitted to the Club"),
        through="Admission",
        related_name="+",
        blank=True,
    )
    responsible_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("responsible organisations"),
        related_name="responsible_for",
        blank=True,
    )
    to_library_systems = models.BooleanField(
        _("to every library system of the region"),
        default=False,
        help_text=_(
            "Every CBS and MIBS of the region answers for the decision, without naming them one "
            "by one; the organisations chosen above answer as well."
        ),
    )
    responsible_person = models.CharField(_("responsible person"), max_length=300, blank=True)
    due_date = models.DateField(
        _("deadline"), null=True, blank=True, validators=[validate_sane_date]
    )
    status = models.CharField(
        _("implementation status"), max_length=20, choices=Status.choices, default=Status.ADOPTED
    )
    created_at = models.DateTimeField(pgettext_lazy("resolution", "created"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("resolution", "updated"), auto_now=True)
    version = models.PositiveIntegerField(_("record version"), default=1, editable=False)
    # The lemmas of the text and the responsible person (an item has no heading).
    search_lemmas = search_field()

    objects = ResolutionQuerySet.as_manager()

    history = HistoricalRecords(
        m2m_fields=["responsible_organizations"], excluded_fields=["search_lemmas"]
    )

    class Meta:
        verbose_name = _("minutes item")
        verbose_name_plural = _("minutes items")
        ordering = ["meeting", "section", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "section", "number"],
                name="resolution_unique_number_in_section",
                violation_error_message=DUPLICATE_NUMBER_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="resolution_number_positive",
                violation_error_message=_("Item numbers start at 1."),
            ),
            models.CheckConstraint(
                condition=date_in_range("due_date", null=True),
                name="resolution_due_date_in_range",
                violation_error_message=DATE_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return f"{self.get_section_display()}, п. {self.number}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        if self.number is None:
            self.number = self.next_number(self.meeting_id, self.section)
        if not self._state.adding:
            self.version += 1
        self.refresh_search_lemmas()
        super().save(*args, **with_search_column(kwargs, self.SEARCHED_FIELDS))

    def get_absolute_url(self):
        return reverse("resolutions:detail", args=[self.pk])

    SEARCHED_FIELDS = frozenset({"text", "responsible_person"})

    def refresh_search_lemmas(self):
        """The search column from the texts (intake.search); save() calls it, and so must
        whatever writes rows around save() (bulk_create in the bench)."""
        self.search_lemmas = search.document("", f"{self.text} {self.responsible_person}")

    @cached_property
    def responsible(self) -> Responsible:
        """Who answers for it, as the page, the PDF, the extract and the workbooks name them
        (the organisations through .all(), so that a prefetch serves them)."""
        group = (str(LIBRARY_SYSTEMS_NAME),) if self.to_library_systems else ()
        return Responsible(
            organizations=group + tuple(o.short_name for o in self.responsible_organizations.all()),
            person=self.responsible_person,
        )

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("meeting", "section", "number"):
            return ValidationError(DUPLICATE_NUMBER_MESSAGE, code="unique_together")
        return super().unique_error_message(model_class, unique_check)

    def clean(self):
        super().clean()
        meeting = getattr(self, "_meeting_for_validation", None)
        if meeting is None and self.meeting_id:
            meeting = self.meeting
        if (
            self.agenda_item_id
            and meeting is not None
            and self.agenda_item.meeting_id != meeting.pk
        ):
            raise ValidationError(
                {
                    "agenda_item": ValidationError(
                        AGENDA_OF_ANOTHER_MEETING_MESSAGE, code="agenda_of_another_meeting"
                    )
                }
            )
        if meeting is not None and meeting.date and self.due_date and self.due_date < meeting.date:
            raise ValidationError(
                {
                    "due_date": ValidationError(
                        DUE_BEFORE_MEETING_MESSAGE,
                        code="due_before_meeting",
                        params={"date": long_date(meeting.date)},
                    )
                }
            )

    @staticmethod
    def next_number(meeting_id, section):
        """The number after the last one used in that section of the meeting."""
        if meeting_id is None:
            return 1
        last = Resolution.objects.filter(meeting_id=meeting_id, section=section).aggregate(
            m=Max("number")
        )["m"]
        return (last or 0) + 1

    @property
    def is_open(self):
        return self.kind == self.Kind.DECISION and self.status in (
            self.Status.ADOPTED,
            self.Status.IN_PROGRESS,
        )

    @property
    def is_overdue(self):
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())


class Admission(models.Model):
    """A member admitted to the club by a resolution; a member is admitted only once."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("minutes item"),
        on_delete=models.CASCADE,
        related_name="admissions",
    )
    member = models.OneToOneField(
        Member,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="admission",
        error_messages={
            "unique": _("This member has already been admitted to the Club by another resolution.")
        },
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("admission to the Club")
        verbose_name_plural = _("admission to the Club")
        ordering = ["resolution", "pk"]

    def __str__(self):
        return self.member.full_name


def evidence_path(instance, filename):
    return stored_name("progress", instance.evidence)


class ResolutionProgress(models.Model):
    """What was done on a decision; saved by resolutions.services.progress_entry_save, which
    also moves the decision to the entry's new status."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="progress_entries",
    )
    date = models.DateField(_("date"), default=timezone.localdate, validators=[validate_sane_date])
    text = models.TextField(_("what was done"))
    new_status = models.CharField(
        _("new status"),
        max_length=20,
        choices=Resolution.Status.choices,
        blank=True,
        help_text=_("If set, the decision's status changes to this one."),
    )
    evidence = models.FileField(
        _("supporting file"), upload_to=evidence_path, blank=True, validators=[validate_attachment]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entry author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(pgettext_lazy("resolution", "created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress")
        ordering = ["resolution", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=date_in_range("date"),
                name="resolution_progress_date_in_range",
                violation_error_message=DATE_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y}: {self.text[:60]}"

    def save(self, *args, workflow: bool = False, **kwargs):
        """Refuses a new status set or changed here unless progress_entry_save saves it
        (workflow=True); an entry without one (a note of what was done) saves as it is."""
        if not workflow and self.new_status:
            stored = None
            if not self._state.adding:
                stored = (
                    ResolutionProgress.objects.filter(pk=self.pk)
                    .values_list("new_status", flat=True)
                    .first()
                )
            if stored != self.new_status:
                raise ProgressBypassError()
        super().save(*args, **kwargs)
