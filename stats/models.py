"""Statistics as data: indicators, versioned forms, reporting periods, reports and values."""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kernel.validators import (
    DATE_OUT_OF_RANGE,
    LAST_DAY,
    YEAR_OUT_OF_RANGE,
    date_in_range,
    validate_sane_date,
    validate_sane_year,
    year_in_range,
)
from members.models import Organization
from resolutions.models import Resolution

from .checks import DEFAULT_MAX_FIGURE, DEFAULT_THRESHOLDS, FIGURE_CEILING, Thresholds


class FrozenFormError(Exception):
    """A change to an approved version of a form: a new edition is a new version."""

    def __init__(self, message=None):
        self.message = message or _(
            "An approved version of a form cannot be changed: copy it as a new version."
        )
        super().__init__(str(self.message))


class WorkflowBypassError(Exception):
    """A report's status, period, organisation or form changed outside stats/services.py."""

    def __init__(self, fields):
        self.fields = list(fields)
        self.message = _(
            "A report's status, period, organisation and form change only through the "
            "statistics workflow (the review pages), which records every step."
        )
        super().__init__(f"{self.message} ({', '.join(self.fields)})")


def first_of_month(day: datetime.date | None) -> datetime.date | None:
    return day.replace(day=1) if day else None


def month_genitive(day: datetime.date) -> str:
    """«января 2019 г.»: the month as «с …» needs it."""
    return _("%(month)s %(year)s") % {
        "month": formats.date_format(day, "E").lower(),
        "year": day.year,
    }


def month_nominative(day: datetime.date) -> str:
    """«июнь 2026 г.»: the month as «по …» needs it."""
    return _("%(month)s %(year)s") % {
        "month": formats.date_format(day, "F").lower(),
        "year": day.year,
    }


class Indicator(models.Model):
    class Kind(models.TextChoices):
        FLOW = "flow", _("flow (for the year: sum of the months)")
        STOCK = "stock", _("stock (for the year: the last month)")

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit of measurement"), max_length=50, default="ед.")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FLOW)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of indicator («of which»)"),
        on_delete=models.PROTECT,
        related_name="parts",
        null=True,
        blank=True,
    )
    nk6_reference = models.CharField(_("reference to form 6-NK"), max_length=200, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces indicator"),
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["code"]

    # What an approved form shows and counts by: unchanged once a form is approved with it.
    FROZEN_FIELDS = ("code", "name", "unit", "kind", "parent")

    def __str__(self):
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            attnames = [Indicator._meta.get_field(f).attname for f in self.FROZEN_FIELDS]
            stored = Indicator.objects.filter(pk=self.pk).values(*attnames).first()
            changed = stored and any(getattr(self, f) != stored[f] for f in attnames)
            if changed and self.items.filter(form__status=FormTemplate.Status.APPROVED).exists():
                raise FrozenFormError(
                    _(
                        "The indicator is on an approved version of a form: its code, name, "
                        "unit, kind and whole stay as approved."
                    )
                )
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The name read alone, a part with its whole: «Число мероприятий вне стационара,
        из них под открытым небом» (select the parent with it)."""
        if self.parent_id is None:
            return self.name
        return f"{self.parent.name}, {self.name}"


class FormTemplateQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=FormTemplate.Status.APPROVED)

    def applying_to(self, year: int, month: int):
        """Approved versions whose period holds the month (one per form code)."""
        day = datetime.date(year, month, 1)
        return (
            self.approved()
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        )


class FormTemplate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("form template status", "draft")
        APPROVED = "approved", _("approved")

    code = models.CharField(_("form code"), max_length=50)
    name = models.CharField(_("name"), max_length=300)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    approved_on = models.DateField(
        _("approval date"), null=True, blank=True, validators=[validate_sane_date]
    )
    approved_by = models.ForeignKey(
        "resolutions.Resolution",
        verbose_name=_("approved by resolution"),
        on_delete=models.PROTECT,
        related_name="approved_forms",
        null=True,
        blank=True,
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), through="FormItem", related_name="forms"
    )
    valid_from = models.DateField(
        _("applies from (month)"),
        null=True,
        blank=True,
        help_text=_(
            "The first month reported on this version (any day of it). Required to approve "
            "a version after the first; the first version applies from the start of the series."
        ),
    )
    valid_to = models.DateField(
        _("applies until (month)"),
        null=True,
        blank=True,
        help_text=_(
            "The last month reported on this version; empty: until the next version. "
            "Approving the next version ends an open period at the month before it."
        ),
    )
    max_value = models.PositiveBigIntegerField(
        _("largest figure"),
        default=DEFAULT_MAX_FIGURE,
        validators=[MinValueValidator(1), MaxValueValidator(FIGURE_CEILING)],
        help_text=_("A figure above this is refused as a typing error, on the web and in Excel."),
    )

    objects = FormTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="form_template_unique_version",
                violation_error_message=_("This version of the form already exists."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_on__isnull=False),
                name="form_template_approved_has_date",
                violation_error_message=_("An approved form must have an approval date."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(valid_from__isnull=False) | Q(version=1),
                name="form_template_approved_has_start",
                violation_error_message=_(
                    "An approved version must say from which month it applies."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="form_template_period_in_order",
                violation_error_message=_(
                    "The last month of the version cannot be before its first month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(max_value__gte=1, max_value__lte=FIGURE_CEILING),
                name="form_template_max_value_range",
                violation_error_message=_("The largest figure is a whole number from 1 to 10^15."),
            ),
            models.CheckConstraint(
                condition=date_in_range("approved_on", null=True),
                name="form_template_approved_on_in_range",
                violation_error_message=DATE_OUT_OF_RANGE,
            ),
        ]

    # What approval freezes; valid_to changes only when the next version is approved.
    FROZEN_FIELDS = (
        "code",
        "name",
        "version",
        "status",
        "approved_on",
        "approved_by_id",
        "valid_from",
        "valid_to",
        "max_value",
    )

    _stored: dict = {}

    def __str__(self):
        return _("%(name)s, version %(version)s") % {"name": self.name, "version": self.version}

    def save(self, *args, workflow: bool = False, **kwargs):
        """Refuses changes to an approved version unless made by stats/services.py."""
        self.valid_from = first_of_month(self.valid_from)
        self.valid_to = first_of_month(self.valid_to)
        if not self._state.adding and not workflow:
            stored = FormTemplate.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
            if stored and stored["status"] == self.Status.APPROVED:
                if any(getattr(self, name) != stored[name] for name in self.FROZEN_FIELDS):
                    raise FrozenFormError()
            elif stored and self.status != stored["status"]:
                # Approval checks the whole form: stats.services.form_approve does it.
                raise FrozenFormError(
                    _("A version of a form is approved only by its approval page.")
                )
        super().save(*args, **kwargs)
        self._stored = {name: getattr(self, name) for name in self.FROZEN_FIELDS}

    def delete(self, *args, **kwargs):
        if FormTemplate.objects.filter(pk=self.pk, status=self.Status.APPROVED).exists():
            raise FrozenFormError(_("An approved version of a form cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        """An approved version is frozen: a new edition is a new version.

        Judged by the stored status: a form posted with «approved» and refused is still a
        draft, and its rows stay editable.
        """
        return self._stored.get("status", self.status if self.pk else None) == (
            self.Status.APPROVED
        )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored = {
            name: getattr(instance, name) for name in cls.FROZEN_FIELDS if name in field_names
        }
        return instance

    def applies_to(self, year: int, month: int) -> bool:
        day = datetime.date(year, month, 1)
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def period_display(self) -> str:
        """«с июля 2026 г.», «с января 2019 г. по июнь 2026 г.», «по июнь 2026 г.»."""
        start, end = self.valid_from, self.valid_to
        if start and end:
            return _("from %(start)s to %(end)s") % {
                "start": month_genitive(start),
                "end": month_nominative(end),
            }
        if start:
            return _("from %(start)s") % {"start": month_genitive(start)}
        if end:
            return _("up to %(end)s") % {"end": month_nominative(end)}
        return _("every month")


class FormItem(models.Model):
    form = models.ForeignKey(
        FormTemplate, verbose_name=_("form"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    section = models.CharField(_("form section"), max_length=200, blank=True)
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("A report cannot be submitted while this line is empty (zero is a value)."),
    )

    class Meta:
        verbose_name = _("form row")
        verbose_name_plural = _("form rows")
        ordering = ["form", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "indicator"],
                name="form_item_unique_indicator",
                violation_error_message=_("This indicator is already in the form."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.indicator}"

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_if_frozen(self):
        if FormTemplate.objects.filter(
            pk=self.form_id, status=FormTemplate.Status.APPROVED
        ).exists():
            raise FrozenFormError()


class CheckSettingsQuerySet(models.QuerySet):
    def thresholds_for(self, form) -> Thresholds:
        """The form version's thresholds; the defaults where the centre set none."""
        settings_row = self.filter(form_id=form.pk).first()
        return settings_row.thresholds() if settings_row else DEFAULT_THRESHOLDS


class CheckSettings(models.Model):
    """The thresholds of the soft checks for one version of a form, as the centre tunes
    them: copied with the version, frozen with its rows once it is approved."""

    form = models.OneToOneField(
        FormTemplate,
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="check_settings",
    )
    jump_percent = models.PositiveSmallIntegerField(
        _("jump: change against last year above, %"),
        default=DEFAULT_THRESHOLDS.jump_percent,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    jump_min_difference = models.PositiveIntegerField(
        _("jump: and by at least (units)"),
        default=DEFAULT_THRESHOLDS.jump_min_difference,
        help_text=_("A smaller change is no jump, whatever its share: 2 → 4 is +100 %."),
    )
    jump_on_stocks = models.BooleanField(
        _("jump: check stocks too"), default=DEFAULT_THRESHOLDS.jump_on_stocks
    )
    same_above = models.PositiveIntegerField(
        _("same as last year: only for figures above"),
        default=DEFAULT_THRESHOLDS.same_above,
        help_text=_(
            "A small count is often the same two years running (4 events in June); 0 checks "
            "every figure that is not zero."
        ),
    )
    same_on_stocks = models.BooleanField(
        _("same as last year: check stocks too"),
        default=DEFAULT_THRESHOLDS.same_on_stocks,
        help_text=_("A stock (the number of service points) is meant to stay as it was."),
    )
    zero_on_stocks = models.BooleanField(
        _("dropped to zero or appeared from nothing: check stocks too"),
        default=DEFAULT_THRESHOLDS.zero_on_stocks,
    )
    attendance_min = models.PositiveIntegerField(
        _("visits per event: at least"), default=DEFAULT_THRESHOLDS.attendance_min
    )
    attendance_max = models.PositiveIntegerField(
        _("visits per event: at most"),
        default=DEFAULT_THRESHOLDS.attendance_max,
        help_text=_("For all off-site events and for the outdoor ones."),
    )

    objects = CheckSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("check thresholds")
        verbose_name_plural = _("check thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_min__lte=F("attendance_max")),
                name="check_settings_attendance_in_order",
                violation_error_message=_(
                    "The least number of visits per event cannot be above the greatest."
                ),
            ),
            models.CheckConstraint(
                condition=Q(jump_percent__gte=1),
                name="check_settings_jump_percent_positive",
                violation_error_message=_("The share of a jump is at least 1 %."),
            ),
        ]

    def __str__(self):
        return gettext("Check thresholds of %(form)s") % {"form": self.form}

    # The fields that are thresholds: all but the form, named as in checks.Thresholds.
    THRESHOLD_FIELDS = tuple(Thresholds.__dataclass_fields__)

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def thresholds(self) -> Thresholds:
        return Thresholds(**{name: getattr(self, name) for name in self.THRESHOLD_FIELDS})

    def _refuse_if_frozen(self):
        if FormTemplate.objects.filter(
            pk=self.form_id, status=FormTemplate.Status.APPROVED
        ).exists():
            raise FrozenFormError()


class ReportingPeriod(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_sane_year])
    month = models.PositiveSmallIntegerField(_("month"))
    due_date = models.DateField(
        _("due date"), null=True, blank=True, validators=[validate_sane_date]
    )

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"],
                name="reporting_period_unique",
                violation_error_message=_("This reporting period already exists."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="reporting_period_month_range",
                violation_error_message=_("The month is a number from 1 to 12."),
            ),
            models.CheckConstraint(
                condition=year_in_range("year"),
                name="reporting_period_year_in_range",
                violation_error_message=YEAR_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=date_in_range("due_date", null=True),
                name="reporting_period_due_date_in_range",
                violation_error_message=DATE_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return f"{self.month:02d}.{self.year}"

    @staticmethod
    def default_due_date(year: int, month: int) -> datetime.date:
        """Monthly reports are due on the 5th of the following month."""
        last_day = datetime.date(year, month, calendar.monthrange(year, month)[1])
        # December of the last year allowed is due on its last day, inside the range.
        return min(last_day + datetime.timedelta(days=5), LAST_DAY)

    SUMMER_MONTHS = (6, 7, 8)

    @property
    def is_summer(self) -> bool:
        return self.month in self.SUMMER_MONTHS

    @property
    def first_day(self):
        import datetime

        return datetime.date(self.year, self.month, 1)


class ReportQuerySet(models.QuerySet):
    def counted(self):
        """Reports whose figures count: accepted, or accepted and then closed."""
        return self.filter(status__in=Report.COUNTED)

    def editable(self):
        """Reports the library can still write figures into: drafts and returned ones."""
        return self.filter(status__in=Report.EDITABLE)

    def handed_in(self):
        """Reports the library has handed in: submitted, accepted or closed."""
        return self.filter(status__in=Report.HANDED_IN)

    def bulk_create(self, objs, *args, **kwargs):
        # form_code copies the form's code (the one-report-per-month constraint needs it
        # in the table); bulk paths skip save(), so it is filled here as well.
        objs = list(objs)
        form_field = Report._meta.get_field("form")
        for obj in objs:
            if not obj.form_code and form_field.is_cached(obj):
                obj.form_code = obj.form.code
        missing = [obj for obj in objs if not obj.form_code]
        if missing:
            codes = dict(
                FormTemplate.objects.filter(pk__in={obj.form_id for obj in missing}).values_list(
                    "pk", "code"
                )
            )
            for obj in missing:
                obj.form_code = codes.get(obj.form_id, "")
        return super().bulk_create(objs, *args, **kwargs)


class EntrySource(models.TextChoices):
    """How figures entered by the centre for a library reached it."""

    PHONE = "phone", _("by phone")
    PAPER = "paper", _("on paper")
    EMAIL = "email", _("by e-mail")
    OTHER = "other", _("in another way")


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for revision")
        ACCEPTED = "accepted", _("accepted")
        LOCKED = "locked", _("closed")
        # Set aside when a second report of the same organisation and month was found
        # (migration 0006); it never counts, and another report of the month does.
        SUPERSEDED = "superseded", _("set aside as a duplicate")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    form = models.ForeignKey(
        FormTemplate, verbose_name=_("form"), on_delete=models.PROTECT, related_name="reports"
    )
    # The form's code, whatever its version: at most one report per organisation, form
    # code and month (the database enforces it below).
    form_code = models.CharField(_("form code"), max_length=50, editable=False)
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    comment = models.TextField(_("centre's comment"), blank=True)
    # Figures the library gave by phone or on paper, typed in by the centre: the report says
    # so to both sides, and its submission step is logged as the centre's for the library.
    entered_by_centre = models.BooleanField(
        _("entered by the centre for the library"), default=False
    )
    entry_source = models.CharField(
        _("how the centre received the figures"),
        max_length=20,
        choices=EntrySource.choices,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    version = models.PositiveIntegerField(_("record version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period__year", "-period__month", "organization__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "form_code", "period"],
                condition=~Q(status="superseded"),
                name="report_one_per_organization_month",
                violation_error_message=_(
                    "This organisation already has a report on this form for this month."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(form_code=""),
                name="report_has_form_code",
                violation_error_message=_("A report must name the code of its form."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.form.code} — {self.period}"

    def save(self, *args, workflow: bool = False, **kwargs):
        """Refuses a change of status, period, organisation or form unless stats/services.py
        makes it (workflow=True): the admin, a history «revert» or the shell cannot."""
        if self._state.adding:
            if self.form_id and not self.form_code:
                self.form_code = self.form.code
        elif not workflow:
            fields = kwargs.get("update_fields")
            guarded = [
                f
                for f in self.WORKFLOW_FIELDS
                if fields is None or f in fields or f.removesuffix("_id") in fields
            ]
            if guarded:
                stored = Report.objects.filter(pk=self.pk).values(*guarded).first() or {}
                changed = [f for f in guarded if f in stored and stored[f] != getattr(self, f)]
                if changed:
                    raise WorkflowBypassError(changed)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Only a draft is deleted: a report handed in keeps its figures and its steps."""
        if Report.objects.filter(pk=self.pk).exclude(status=self.Status.DRAFT).exists():
            raise WorkflowBypassError(["status"])
        return super().delete(*args, **kwargs)

    # The status groups, named once; ReportQuerySet filters by them, everything else reads
    # them from here. Written to: a draft or a returned report, the only ones figures go in.
    EDITABLE = (Status.DRAFT, Status.RETURNED)
    # Counted in the statistics: accepted, or accepted and then closed; only these can be
    # reopened.
    COUNTED = (Status.ACCEPTED, Status.LOCKED)
    # Handed in by the library: submitted and not returned (waiting, accepted or closed).
    HANDED_IN = (Status.SUBMITTED, *COUNTED)
    # Changed only by stats/services.py, which logs a ReportTransition for each step.
    WORKFLOW_FIELDS = ("status", "organization_id", "form_id", "form_code", "period_id")

    @property
    def is_editable(self) -> bool:
        """Operators write only into drafts and returned reports."""
        return self.status in self.EDITABLE

    @property
    def is_counted(self) -> bool:
        return self.status in self.COUNTED

    @property
    def is_handed_in(self) -> bool:
        return self.status in self.HANDED_IN

    @property
    def is_overdue(self) -> bool:
        due = self.period.due_date
        return bool(due and self.status in self.EDITABLE and due < timezone.localdate())


class Value(models.Model):
    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.BigIntegerField(_("value"), null=True, blank=True)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("The operator's explanation of the warnings on this value."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["report", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"],
                name="value_unique_indicator",
                violation_error_message=_("The report already has a value for this indicator."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="value_non_negative",
                violation_error_message=_("The value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=FIGURE_CEILING),
                name="value_below_ceiling",
                violation_error_message=_("The number is too large."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} = {self.value}"


class ReportTransition(models.Model):
    """One step of a report's status ladder: who moved it, when, and why."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from status"), max_length=20, choices=Report.Status.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=Report.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    on_behalf = models.BooleanField(_("by the centre for the library"), default=False)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class CheckResult(models.Model):
    """A finding of the checks on a report's values, recomputed on every save."""

    class Severity(models.TextChoices):
        HARD = "hard", _("error")
        SOFT = "soft", _("warning")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="check_results"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("check"), max_length=50)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        ordering = ["report", "severity", "indicator__code", "code"]

    def __str__(self):
        return f"{self.indicator.code}: {self.message}"


class ImportLog(models.Model):
    """Every upload of a workbook, landed or rejected, with its errors: a report's template
    names its report; a bulk file a row per report it landed in, or, refused, none."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("imported")
        REJECTED = "rejected", _("rejected")

    report = models.ForeignKey(
        Report,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="imports",
        null=True,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    values_count = models.PositiveIntegerField(_("values imported"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.filename} ({self.get_outcome_display()})"


# Resolutions whose text says nothing a figure could follow.
UNTARGETED_KINDS = (Resolution.Kind.GRATITUDE, Resolution.Kind.ADMISSION)
TARGET_OF_UNTARGETED_KIND_MESSAGE = _(
    "A gratitude or an admission moves no figures: link indicators to a decision or a note."
)


class DecisionTarget(models.Model):
    """An indicator a resolution of the minutes aims to move («…продолжить работу… под
    открытым небом» → outdoor events and their attendance): its page shows the figure's
    summers before the resolution and since. Kept here, above resolutions, which know no
    statistics."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("minutes item"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="decision_targets",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator the decision aims to move")
        verbose_name_plural = _("indicators the decision aims to move")
        ordering = ["resolution", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "indicator"],
                name="decision_target_unique_indicator",
                violation_error_message=_("This indicator is already linked to the item."),
            ),
        ]

    def __str__(self):
        return self.indicator.code

    def clean(self):
        super().clean()
        resolution = getattr(self, "resolution", None)
        if resolution is not None and resolution.kind in UNTARGETED_KINDS:
            raise ValidationError(TARGET_OF_UNTARGETED_KIND_MESSAGE)


class DecisionTargetSystem(models.Model):
    """A library system whose own figures a resolution's page shows beside the region's."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("minutes item"),
        on_delete=models.CASCADE,
        related_name="target_systems",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("library system"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("library system whose figures the decision follows")
        verbose_name_plural = _("library systems whose figures the decision follows")
        ordering = ["resolution", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "organization"],
                name="decision_target_system_unique",
                violation_error_message=_("This library system is already named for the item."),
            ),
        ]

    def __str__(self):
        return self.organization.short_name
