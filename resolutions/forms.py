"""Admin forms of resolutions: picking admitted members and numbering items in a section."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from kernel.dates import long_date
from kernel.formsets import ConstraintMessagesFormSetMixin
from kernel.locking import OptimisticLockFormMixin
from members.models import Member

from .models import ALREADY_ADMITTED_MESSAGE, Admission, Resolution
from .services import admissions_set

ADMISSION_NEEDS_KIND_MESSAGE = _(
    "Members can be admitted only by an item of the kind «admission to the club»."
)


def admitted_members_field(admin_site):
    """An autocomplete of members with the «+» that creates a member in a pop-up."""
    model_field = Resolution._meta.get_field("admitted_members")
    widget = AutocompleteSelectMultiple(model_field, admin_site)
    widget = RelatedFieldWidgetWrapper(
        widget,
        model_field.remote_field,
        admin_site,
        can_add_related=True,
        can_change_related=False,
        can_delete_related=False,
        can_view_related=False,
    )
    return forms.ModelMultipleChoiceField(
        queryset=Member.objects.select_related("organization"),
        required=False,
        widget=widget,
        label=_("admitted members"),
        help_text=_("Start typing a surname; «+» adds a new member with her organisation."),
    )


class ResolutionAdminForm(OptimisticLockFormMixin, forms.ModelForm):
    """A resolution with its admitted members, kept as Admission rows (one per member)."""

    class Meta:
        model = Resolution
        fields = [
            "meeting",
            "section",
            "number",
            "kind",
            "text",
            "agenda_item",
            "responsible_organizations",
            "to_library_systems",
            "responsible_person",
            "due_date",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "admitted" in self.fields and self.instance.pk:
            self.fields["admitted"].initial = [a.member for a in self.instance.admissions.all()]

    def clean(self):
        cleaned = super().clean()
        members = cleaned.get("admitted") or []
        if members and cleaned.get("kind") != Resolution.Kind.ADMISSION:
            self.add_error("admitted", ADMISSION_NEEDS_KIND_MESSAGE)
        already = (
            Admission.objects.filter(member__in=members)
            .exclude(resolution_id=self.instance.pk)
            .select_related("member", "resolution__meeting")
        )
        for admission in already:
            self.add_error("admitted", already_admitted_error(admission))
        return cleaned

    def save_admissions(self) -> None:
        """After the resolution is saved: its admitted members, through the one service."""
        if self.instance.pk is not None and "admitted" in self.cleaned_data:
            admissions_set(resolution=self.instance, members=self.cleaned_data["admitted"])


def already_admitted_error(admission):
    return forms.ValidationError(
        ALREADY_ADMITTED_MESSAGE,
        code="already_admitted",
        params={
            "member": admission.member.full_name,
            "date": long_date(admission.resolution.meeting.date),
            "number": admission.resolution.number,
        },
    )


class ResolutionInlineFormSet(ConstraintMessagesFormSetMixin, BaseInlineFormSet):
    """Validates items against the meeting being edited and numbers the blank ones; two items
    of one number in a section are both told so in the catalogue's words."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # The meeting may be new and unsaved: validate due dates against what was typed.
        form.instance._meeting_for_validation = self.instance
        return form

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        live = [
            f
            for f in self.forms
            if f.has_changed() or f.instance.pk
            if not (self.can_delete and self._should_delete_form(f))
        ]
        used = {}
        for form in live:
            number = form.cleaned_data.get("number")
            if number:
                used.setdefault(form.cleaned_data.get("section"), set()).add(number)
        for form in live:
            if not form.cleaned_data.get("number"):
                section = form.cleaned_data.get("section")
                taken = used.setdefault(section, set())
                number = max(taken, default=0) + 1
                taken.add(number)
                form.instance.number = number
                form.cleaned_data["number"] = number


def resolution_form_for(admin_site):
    """ResolutionAdminForm with the admitted-members field bound to this admin site."""
    return type(
        "ResolutionAdminFormForSite",
        (ResolutionAdminForm,),
        {"admitted": admitted_members_field(admin_site)},
    )
