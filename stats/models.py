"""Statistics as data: indicators, versioned forms, reporting periods, reports and values."""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from clubportal.validators import (
    DATE_OUT_OF_RANGE,
    LAST_DAY,
    YEAR_OUT_OF_RANGE,
    date_in_range,
    validate_sane_date,
    validate_sane_year,
    year_in_range,
)
from members.models import Organization


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

    def __str__(self):
        return f"{self.code} — {self.name}"


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
                condition=date_in_range("approved_on", null=True),
                name="form_template_approved_on_in_range",
                violation_error_message=DATE_OUT_OF_RANGE,
            ),
        ]

    def __str__(self):
        return f"{self.name}, версия {self.version}"

    @property
    def is_frozen(self) -> bool:
        """An approved version is frozen: a new edition is a new version."""
        return self.status == self.Status.APPROVED


class FormItem(models.Model):
    form = models.ForeignKey(
        FormTemplate, verbose_name=_("form"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    section = models.CharField(_("form section"), max_length=200, blank=True)

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


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for revision")
        ACCEPTED = "accepted", _("accepted")
        LOCKED = "locked", _("closed")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    form = models.ForeignKey(
        FormTemplate, verbose_name=_("form"), on_delete=models.PROTECT, related_name="reports"
    )
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
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    version = models.PositiveIntegerField(_("record version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period__year", "-period__month", "organization__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "form", "period"],
                name="report_unique_per_period",
                violation_error_message=_(
                    "This organisation already has a report on this form for this period."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.form.code} — {self.period}"

    EDITABLE = ("draft", "returned")

    @property
    def is_editable(self) -> bool:
        """Operators write only into drafts and returned reports."""
        return self.status in self.EDITABLE

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

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.from_status} → {self.to_status}"


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
    """Every upload of a report's workbook, landed or rejected, with its errors."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("imported")
        REJECTED = "rejected", _("rejected")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="imports"
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
