"""The public resolutions list's filter and search form (GET)."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organization

from .models import Resolution


class ResolutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    organization = forms.ModelChoiceField(
        label=_("Organisation"), required=False, queryset=Organization.objects.none()
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["kind"].choices = everything + list(Resolution.Kind.choices)
        self.fields["status"].choices = everything + list(Resolution.Status.choices)
        self.fields["year"].choices = everything + [(y, str(y)) for y in years]
        self.fields["organization"].queryset = Organization.objects.order_by("short_name")
        self.fields["organization"].empty_label = _("all")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("q", css_class="col-md-6"), Column("organization", css_class="col-md-6")),
            Row(
                Column("kind", css_class="col-md-3"),
                Column("status", css_class="col-md-3"),
                Column("year", css_class="col-md-2"),
                Column("overdue", css_class="col-md-2 pt-md-4"),
                Column(
                    StrictButton(_("Find"), type="submit", css_class="btn-primary"),
                    css_class="col-md-2 d-flex align-items-end mb-3",
                ),
            ),
        )

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or None,
            "status": data.get("status") or None,
            "year": data.get("year"),
            "organization": data.get("organization"),
            "overdue": bool(data.get("overdue")),
            "query": data.get("q") or "",
        }
