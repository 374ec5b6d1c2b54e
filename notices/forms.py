"""The public subscription form: an address and what to follow."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Organization

NOTHING_CHOSEN_MESSAGE = _(
    "Choose what to follow: the new minutes, or an organisation's decisions."
)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={"invalid": _("This is not an e-mail address: check what was typed.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    minutes = forms.BooleanField(
        label=_("New minutes of the Club's meetings, with their decisions"),
        required=False,
        initial=True,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Decisions given to these organisations"),
        help_text=_("A letter comes when published minutes give one of them a decision."),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organizations"]
        field.queryset = Organization.objects.order_by("short_name")
        if organizations is not None:
            # The choices as the view read them: one query for the page, whatever its size.
            field.choices = [(o.pk, o.short_name) for o in organizations]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("minutes") and not cleaned.get("organizations"):
            raise forms.ValidationError(NOTHING_CHOSEN_MESSAGE, code="nothing_chosen")
        return cleaned
