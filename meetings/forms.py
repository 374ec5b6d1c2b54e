"""The archive's filter and search form (GET)."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Meeting


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("all"))]
        self.fields["year"].choices = everything + [(y, str(y)) for y in years]
        self.fields["kind"].choices = everything + list(Meeting.Kind.choices)
        self.fields["format"].choices = everything + list(Meeting.Format.choices)
        self.fields["q"].widget.attrs["placeholder"] = _("topic, agenda or decision text")
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "mb-4"
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-5"),
                Column("year", css_class="col-md-2"),
                Column("kind", css_class="col-md-2"),
                Column("format", css_class="col-md-2"),
                # A button, not <input name="">: an empty name is invalid HTML (Nu checker).
                Column(
                    StrictButton(_("Find"), type="submit", css_class="btn-primary mt-md-4"),
                    css_class="col-md-1 d-flex align-items-end",
                ),
            )
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "kind": data.get("kind") or None,
            "format": data.get("format") or None,
            "query": data.get("q") or "",
        }
