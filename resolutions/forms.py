"""Admin forms of resolutions: picking admitted members and numbering items in a section."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from intake.russian import ACCUSATIVE, find_people
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

    def save_admissions(self) -> str:
        """After the resolution is saved: its admitted members, through the one service.
        Returns the warning of ``admission_mismatch`` ("" when the text and the list agree)."""
        if self.instance.pk is not None and "admitted" in self.cleaned_data:
            members = list(self.cleaned_data["admitted"])
            admissions_set(resolution=self.instance, members=members)
            if self.instance.kind == Resolution.Kind.ADMISSION:
                return admission_mismatch(self.instance, members)
        return ""


def _name_key(surname: str, first: str) -> tuple[str, str]:
    fold = lambda s: s.casefold().replace("ё", "е").strip(" .")  # noqa: E731
    return fold(surname), fold(first)[:1]


def admission_mismatch(resolution: Resolution, members) -> str:
    """The item's text names the people it admits in the accusative («Девятых Ирину
    Анатольевну»); the secretary picks the same people from the members' list. A warning
    when the two disagree, naming who is in one and not the other ("" when they agree or
    the text names nobody)."""
    named = {}
    for found in find_people(resolution.text, ACCUSATIVE):
        name = found.name
        named.setdefault(_name_key(name.surname, name.first_name or name.initials), name.full_name)
    if not named:
        return ""
    chosen = {_name_key(m.last_name, m.first_name): m.full_name for m in members}
    missing = [full for key, full in named.items() if key not in chosen]
    extra = [full for key, full in chosen.items() if key not in named]
    if not missing and not extra:
        return ""
    parts = []
    if missing:
        parts.append(
            _("the text names %(names)s, who is not among the admitted members")
            % {"names": ", ".join(missing)}
        )
    if extra:
        parts.append(
            _("%(names)s is admitted but not named in the text") % {"names": ", ".join(extra)}
        )
    return _("Item %(number)s of the minutes of %(date)s: %(problems)s. Check the list.") % {
        "number": resolution.number,
        "date": long_date(resolution.meeting.date),
        "problems": "; ".join(parts),
    }


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
