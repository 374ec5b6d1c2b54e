"""Forms of the statistics pages: an operator's report, opening a month, the centre's decisions."""

import datetime

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Fieldset, Layout, LayoutObject, Row, Submit
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.forms.boundfield import BoundField
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape, format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Municipality, Organization

from .checks import parse_whole_number
from .collection import SHOW_CHOICES
from .models import EntrySource, FormTemplate
from .services import COMMENT_REQUIRED, REASON_REQUIRED

# How many years back the year selects go: the series (and the demo data) start in 2019,
# and late corrections for earlier years still reach the centre.
YEARS_BACK = 10
EXPLAIN_PREFIX = "explain_"
FUTURE_MONTH = _("A report can be opened only for the current or a past month.")


class Button(Submit):
    """A submit button in the Bootstrap style given, not always the primary one."""

    field_classes = "btn"


def month_choices():
    return [(number, name) for number, name in MONTHS.items()]


def explain_field(code: str) -> str:
    return f"{EXPLAIN_PREFIX}{code}"


def findings_id(code: str) -> str:
    return f"findings_{code}"


def versions_hint(versions) -> str:
    """«Версия 1 — с января 2019 г. по июнь 2026 г.; версия 2 — с июля 2026 г.»"""
    return "; ".join(
        gettext("version %(version)s — %(applies)s")
        % {"version": form.version, "applies": form.period_display}
        for form in versions
    )


class NewReportForm(forms.Form):
    """Open (or find) the report of the operator's organisation for one month.

    She chooses the form and the month, never the version: the one that applies to the
    month is used (stats.services.report_open).
    """

    form = forms.ChoiceField(label=_("Form"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=month_choices)

    def __init__(self, *args, today: datetime.date | None = None, versions=None, **kwargs):
        self.today = today or timezone.localdate()
        # A month is usually reported early in the next one: offer the last month.
        previous = self.today.replace(day=1) - datetime.timedelta(days=1)
        kwargs.setdefault("initial", {"year": previous.year, "month": previous.month})
        super().__init__(*args, **kwargs)
        if versions is None:
            versions = FormTemplate.objects.approved()
        versions = sorted(versions, key=lambda v: (v.code, v.version))
        names = {form.code: form.name for form in versions}  # the newest version's name
        self.fields["form"].choices = list(names.items())
        if len(versions) > len(names):
            self.fields["form"].help_text = _(
                "The version of the form is the one that applies to the month: %(versions)s."
            ) % {"versions": versions_hint(versions)}
        self.fields["year"].choices = [
            (year, str(year)) for year in range(self.today.year, self.today.year - YEARS_BACK, -1)
        ]
        self.helper = FormHelper()
        self.helper.form_id = "new-report"
        self.helper.form_action = reverse("stats:report_new")
        self.helper.layout = Layout(
            Row(
                Column("form", css_class="col-md-5"),
                Column("year", css_class="col-md-2"),
                Column("month", css_class="col-md-3"),
                Column(
                    Submit("open", _("Open the report"), css_class="mb-3"),
                    css_class="col-md-2 d-flex align-items-end",
                ),
            )
        )

    def clean(self):
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        if year and month and (year, month) > (self.today.year, self.today.month):
            self.add_error("month", FUTURE_MONTH)
        return data


class DescribedBoundField(BoundField):
    """Points the input at the findings shown under it as well as at its hint and error."""

    @property
    def aria_describedby(self):
        ids = [super().aria_describedby or "", getattr(self.field, "extra_describedby", "")]
        return " ".join(i for i in ids if i)


class WholeNumberField(forms.Field):
    """A figure typed as text, read by the same rule as the Excel import, up to `limit`
    (the form's own bound)."""

    def __init__(self, *, limit: int | None = None, **kwargs):
        self.limit = limit
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        number, error = parse_whole_number(value, limit=self.limit)
        if error:
            raise forms.ValidationError(str(error), code=error.kind)
        return number

    def get_bound_field(self, form, field_name):
        return DescribedBoundField(form, self, field_name)


class ExplanationField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Explanation"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        return DescribedBoundField(form, self, field_name)


class Section(Fieldset):
    """A form section. Its heading is data (the centre names it), so it is escaped, never
    rendered as a template as crispy's Fieldset does with its legend."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        context.update({"fieldset": self, "legend": escape(self.legend), "fields": fields})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


class Findings(LayoutObject):
    """The errors and warnings of the last save, under the figure they concern."""

    def __init__(self, code):
        self.code = code

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        findings = form.findings.get(self.code, [])
        if not findings:
            return ""
        return render_to_string(
            "stats/entry/_findings.html",
            {
                "findings_id": findings_id(self.code),
                "findings": findings,
                "needs_explanation": self.code in form.unexplained,
                "indent": self.code in form.parts,
            },
        )


def value_label(item):
    indicator = item.indicator
    if indicator.parent_id:
        # «из них …» repeats under several wholes: a screen reader hears which one.
        return format_html(
            '{}, {} <span class="visually-hidden">({})</span>',
            indicator.name,
            indicator.unit,
            indicator.parent.name,
        )
    return f"{indicator.name}, {indicator.unit}"


def last_year_hint(value) -> str:
    if value is None:
        return gettext("last year: no figure")
    return gettext("last year: %(value)s") % {"value": value}


class ReportForm(forms.Form):
    """The figures of one report, a field per form line, grouped by the form's sections.

    findings (code → list of check results) and explained (codes whose values carry an
    explanation) come from the last save; an explanation box is shown under every
    figure with a warning or an explanation, so nothing typed is ever dropped.
    """

    SAVE = "save_draft"
    SUBMIT = "save_submit"
    SUBMIT_LABEL = _("Save and submit")

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, items, last_year, findings=None, explained=(), limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.findings = findings or {}
        self.parts = {item.indicator.code for item in items if item.indicator.parent_id}
        self.unexplained = {
            code
            for code, found in self.findings.items()
            if code not in explained and any(not f.is_hard for f in found)
        }
        codes = [item.indicator.code for item in items]
        posted = {code for code in codes if self.is_bound and explain_field(code) in self.data}
        soft = {code for code, found in self.findings.items() if any(not f.is_hard for f in found)}
        self.explain_codes = [c for c in codes if c in soft or c in explained or c in posted]

        for item in items:
            code = item.indicator.code
            field = WholeNumberField(
                label=value_label(item),
                help_text=last_year_hint(last_year.get(code)),
                limit=limit,
            )
            found = self.findings.get(code)
            if found:
                field.extra_describedby = findings_id(code)
                if any(f.is_hard for f in found):
                    field.widget.attrs.update({"class": "is-invalid", "aria-invalid": "true"})
                else:
                    field.widget.attrs["class"] = "border-warning"
            self.fields[code] = field
        for code in self.explain_codes:
            field = ExplanationField()
            if code in self.findings:
                field.extra_describedby = findings_id(code)
            self.fields[explain_field(code)] = field
        self.helper = self._helper()

    def _helper(self):
        helper = FormHelper(self)
        helper.form_id = "report-form"
        helper.form_class = "form-horizontal"
        helper.label_class = "col-md-7"
        helper.field_class = "col-md-5"
        sections, current, heading = [], [], None
        for item in self.items:
            if item.section != heading and current:
                sections.append(Section(heading or "", *current, css_class="mb-4"))
                current = []
            heading = item.section
            current.append(self._line(item.indicator.code))
        if current:
            sections.append(Section(heading or "", *current, css_class="mb-4"))
        helper.layout = Layout(
            "version",
            *self.head_fields(),
            *sections,
            Div(
                Button(self.SAVE, _("Save draft"), css_class="btn-outline-primary"),
                Submit(self.SUBMIT, self.SUBMIT_LABEL),
                css_class="d-flex flex-wrap gap-2",
            ),
        )
        return helper

    def head_fields(self) -> list:
        """Fields shown above the figures (none here; the centre's entry adds its own)."""
        return []

    def _line(self, code):
        indent = "ps-4 border-start" if code in self.parts else None
        parts = [Field(code, wrapper_class=indent), Findings(code)]
        if code in self.explain_codes:
            parts.append(Field(explain_field(code), wrapper_class=indent))
        return Div(*parts, css_class="report-line")

    @property
    def submitting(self) -> bool:
        return self.is_bound and self.SUBMIT in self.data

    def figures(self) -> dict[str, int | None]:
        return {
            item.indicator.code: self.cleaned_data.get(item.indicator.code) for item in self.items
        }

    def explanations(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(explain_field(code), "") for code in self.explain_codes}


class CentreReportForm(ReportForm):
    """The report's figures as the centre types them in for the library: it says how it
    received them, and may note from whom (the note goes into the report's history)."""

    SUBMIT_LABEL = _("Save and submit for the library")

    entry_source = forms.ChoiceField(
        label=_("The centre received the figures"),
        choices=[("", "—"), *EntrySource.choices],
        error_messages={"required": _("Say how the library gave the centre its figures.")},
    )
    entry_note = forms.CharField(
        label=_("Note for the report's history"),
        required=False,
        max_length=500,
        help_text=_("Who gave the figures and when, say: «dictated by M. P. Ivanova, 6 July»."),
    )

    def head_fields(self) -> list:
        return [
            Fieldset(
                gettext("Entered by the centre for the library"),
                Row(
                    Column("entry_source", css_class="col-md-4"),
                    Column("entry_note", css_class="col-md-8"),
                ),
                css_class="mb-4",
            )
        ]


class EntryStartForm(forms.Form):
    """Which library system and month the centre enters figures for (its board links here)."""

    organization = forms.ModelChoiceField(
        label=_("Library system"),
        queryset=Organization.objects.library_systems().order_by("short_name"),
    )
    form = forms.ChoiceField(label=_("Form"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=month_choices)

    def __init__(self, *args, form_codes=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["form"].choices = list(form_codes)
        self.fields["year"].choices = [
            (year, str(year)) for year in range(self.today.year, self.today.year - YEARS_BACK, -1)
        ]
        self.helper = FormHelper()
        self.helper.form_id = "entry-start"
        self.helper.form_action = reverse("stats:review_enter_start")
        self.helper.layout = Layout(
            Row(
                Column("organization", css_class="col-md-4"),
                Column("form", css_class="col-md-3"),
                Column("year", css_class="col-md-2"),
                Column("month", css_class="col-md-3"),
            ),
            Submit("open", _("Open the report to enter its figures")),
        )

    def clean(self):
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        if year and month and (year, month) > (self.today.year, self.today.month):
            self.add_error("month", FUTURE_MONTH)
        return data


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the library"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": COMMENT_REQUIRED},
        help_text=_("What must be corrected; the operator sees it on her list of reports."),
    )

    def __init__(self, *args, action_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "return-form"
        self.helper.form_action = action_url
        self.helper.add_input(
            Button("return", _("Return for correction"), css_class="btn-outline-danger")
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_REQUIRED},
    )

    def __init__(self, *args, action_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "reopen-form"
        self.helper.form_action = action_url
        self.helper.add_input(Button("reopen", _("Reopen"), css_class="btn-outline-danger"))


class BoardFilterForm(forms.Form):
    """Which year, form, municipality and months the centre's board shows (GET)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    form = forms.ChoiceField(label=_("Form"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label=_("all"),
    )
    show = forms.ChoiceField(label=_("Reports"), choices=SHOW_CHOICES, required=False)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=lambda: [("", gettext("any")), *month_choices()],
    )

    def __init__(self, *args, form_codes=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["year"].choices = [
            (year, str(year)) for year in range(today.year, today.year - YEARS_BACK, -1)
        ]
        self.fields["form"].choices = list(form_codes)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_id = "board-filter"
        self.helper.layout = Layout(
            Row(
                Column("year", css_class="col-md-2"),
                Column("form", css_class="col-md-4"),
                Column("municipality", css_class="col-md-6"),
            ),
            Row(
                Column("show", css_class="col-md-4"),
                Column("month", css_class="col-md-3"),
                Column(
                    StrictButton(
                        _("Show"),
                        type="submit",
                        css_class="btn-primary mb-3",
                        css_id="board-filter-submit",
                    ),
                    css_class="col-md-2 d-flex align-items-end",
                ),
            ),
        )


class OperatorAccountForm(forms.Form):
    """A new library operator's account: who she is, her organisation, how she gets in."""

    SEND_LINK = "link"
    SET_PASSWORD = "password"

    organization = forms.ModelChoiceField(
        label=_("Library system"),
        queryset=Organization.objects.library_systems().order_by("short_name"),
    )
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(
        label=_("First name and patronymic"), max_length=150, required=False
    )
    username = forms.CharField(
        label=_("Login"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only, as «yurga-stat»."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    how = forms.ChoiceField(
        label=_("How she gets in"),
        widget=forms.RadioSelect,
        choices=[
            (SEND_LINK, _("Send her a link to set her own password, by e-mail")),
            (SET_PASSWORD, _("Set a password now and tell it to her")),
        ],
        initial=SEND_LINK,
    )
    password1 = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, mail_available: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.mail_available = mail_available
        if not mail_available:
            self.fields["how"].initial = self.SET_PASSWORD
            self.fields["how"].help_text = _(
                "The portal cannot send letters (no mail server is set up): set a password."
            )
        self.helper = FormHelper()
        self.helper.form_id = "operator-account"
        self.helper.layout = Layout(
            Row(
                Column("organization", css_class="col-md-6"),
                Column("username", css_class="col-md-6"),
            ),
            Row(
                Column("last_name", css_class="col-md-4"),
                Column("first_name", css_class="col-md-4"),
                Column("email", css_class="col-md-4"),
            ),
            "how",
            Row(
                Column("password1", css_class="col-md-6"),
                Column("password2", css_class="col-md-6"),
            ),
            Submit("create", _("Create the account")),
        )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login is taken: choose another."))
        return username

    def clean(self):
        data = super().clean()
        how = data.get("how")
        if how == self.SEND_LINK:
            if not self.mail_available:
                self.add_error(
                    "how",
                    _("The portal cannot send letters (no mail server is set up): set a password."),
                )
            elif not data.get("email"):
                self.add_error("email", _("Give her e-mail: the link goes there."))
        elif how == self.SET_PASSWORD:
            password, again = data.get("password1"), data.get("password2")
            if not password:
                self.add_error("password1", _("Enter the password."))
            elif password != again:
                self.add_error("password2", _("The two passwords differ."))
            else:
                user = get_user_model()(
                    username=data.get("username", ""),
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                    email=data.get("email", ""),
                )
                try:
                    password_validation.validate_password(password, user)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return data

    @property
    def password(self) -> str | None:
        if self.cleaned_data.get("how") == self.SET_PASSWORD:
            return self.cleaned_data["password1"]
        return None
