"""«Загрузить протокол»: the secretary's intake screen in the admin.

Three steps, nothing saved before the last:
1. she pastes the minutes or uploads a .docx / .txt (``UploadForm``); a document the intake
   cannot read is refused with its Russian reason and the form keeps what she typed;
2. the review screen: the document's text on one side, the recognised draft on the other as
   forms, every field editable, each match marked (found in the catalogue, to be created,
   to check); the document waits in her session, nowhere else;
3. «Создать черновик» turns the confirmed forms into a ``services.MinutesPlan`` and saves it
   with ``services.minutes_save`` (the command's service) in one transaction; «Отменить»
   forgets the document. The draft is never published here.

The choices of organisations and members are read once per page, so the screen costs the
same few queries whatever the number of items.
"""

from __future__ import annotations

import base64
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.forms import formset_factory
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import IntakeRejected, read_text, read_upload
from intake.matching import AMBIGUOUS, MATCHED
from intake.reading import MAX_UPLOAD_BYTES
from meetings.models import AgendaItem, Meeting
from members.models import Member, Organization
from resolutions.models import Resolution

from .services import (
    MinutesPlan,
    PlannedItem,
    PlannedMember,
    minutes_plan,
    minutes_save,
    refuse_members_admitted_before,
)
from .services import minutes_read as read_minutes

SESSION_KEY = "minutes_intake"
# Documents kept in one session at once (one per open review screen); the oldest goes first.
KEPT_DOCUMENTS = 3


def _lines(value: str) -> str:
    """A textarea's value as the model keeps it: browsers send line breaks as CRLF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _model_field(model, name: str, **kwargs):
    """The form field of a model field: its Russian label, length and choices."""
    return model._meta.get_field(name).formfield(**kwargs)


def _too_long_to_paste() -> str:
    return _(
        "The pasted text is too long for minutes. Upload the document as a file (.docx or "
        ".txt) instead."
    )


class UploadForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Word document (.docx) or text file (.txt)"), required=False
    )
    text = forms.CharField(
        label=gettext_lazy("…or the text of the minutes"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "vLargeTextField"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("document") and not (data.get("text") or "").strip():
            raise forms.ValidationError(
                _("Choose the file of the minutes or paste their text."), code="empty"
            )
        return data


class MeetingForm(forms.Form):
    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"] = _model_field(Meeting, "title")
        self.fields["topic"] = _model_field(Meeting, "topic")
        self.fields["date"] = _model_field(Meeting, "date")
        self.fields["number"] = _model_field(Meeting, "number")
        self.fields["kind"] = _model_field(Meeting, "kind")
        self.fields["format"] = _model_field(Meeting, "format")
        self.fields["venue"] = forms.TypedChoiceField(
            label=capfirst(Meeting._meta.get_field("venue").verbose_name),
            choices=[("", "—"), *organizations],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["new_venue"] = forms.CharField(
            label=capfirst(_("or a new organisation")), required=False, max_length=200
        )
        self.fields["address"] = _model_field(Meeting, "address")
        for name in ("preamble", "resolved_intro", "decisions_intro"):
            self.fields[name] = _model_field(Meeting, name, strip=False)
            self.fields[name].widget.attrs.update(rows=3)


class AgendaForm(forms.Form):
    number = forms.IntegerField(label=gettext_lazy("No."), min_value=1)
    title = _model_field(AgendaItem, "title")


class ItemForm(forms.Form):
    """One numbered item of the minutes; its text as written, its derived fields editable."""

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"] = forms.TypedChoiceField(
            label=capfirst(Resolution._meta.get_field("section").verbose_name),
            choices=Resolution.Section.choices,
            coerce=int,
        )
        self.fields["number"] = _model_field(Resolution, "number")
        self.fields["kind"] = _model_field(Resolution, "kind")
        self.fields["text"] = _model_field(Resolution, "text", strip=False)
        self.fields["text"].widget.attrs.update(rows=4)
        self.fields["agenda_number"] = forms.IntegerField(
            label=capfirst(_("agenda question No.")), min_value=1, required=False
        )
        self.fields["due_date"] = _model_field(Resolution, "due_date")
        self.fields["responsible"] = forms.TypedMultipleChoiceField(
            label=capfirst(Resolution._meta.get_field("responsible_organizations").verbose_name),
            choices=organizations,
            coerce=int,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 4}),
        )
        self.fields["to_library_systems"] = _model_field(Resolution, "to_library_systems")
        self.fields["responsible_new"] = forms.CharField(
            label=capfirst(_("new organisations, one per line")),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["responsible_person"] = _model_field(Resolution, "responsible_person")

    def clean_text(self):
        return _lines(self.cleaned_data["text"]).strip()


class PersonForm(forms.Form):
    """A person an item admits: the member of the catalogue she is, or a new member."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, organizations, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = forms.TypedChoiceField(
            label=capfirst(_("member of the Club")),
            choices=[("", _("— a new member —")), *members],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["last_name"] = _model_field(Member, "last_name", required=False)
        self.fields["first_name"] = _model_field(Member, "first_name", required=False)
        self.fields["patronymic"] = _model_field(Member, "patronymic")
        self.fields["position"] = _model_field(Member, "position")
        self.fields["organization"] = forms.TypedChoiceField(
            label=capfirst(Member._meta.get_field("organization").verbose_name),
            choices=[("", "—"), *organizations],
            coerce=int,
            empty_value=None,
            required=False,
        )
        self.fields["new_organization"] = forms.CharField(
            label=capfirst(_("or a new organisation")), required=False, max_length=200
        )

    def clean(self):
        data = super().clean()
        if data.get("member"):
            return data
        if not (data.get("last_name") or "").strip() or not (data.get("first_name") or "").strip():
            raise forms.ValidationError(
                _("A new member needs a surname and a first name (in the nominative)."),
                code="name",
            )
        if not data.get("organization") and not (data.get("new_organization") or "").strip():
            raise forms.ValidationError(
                _("Choose the new member's organisation or enter a new one."), code="organization"
            )
        return data


AgendaFormSet = formset_factory(AgendaForm, extra=0, can_delete=True)
ItemFormSet = formset_factory(ItemForm, extra=0)
PersonFormSet = formset_factory(PersonForm, extra=0)


# --------------------------------------------------------------------- the plan ⇄ the forms


def _initial(plan: MinutesPlan):
    meeting = {
        "title": plan.title,
        "topic": plan.topic,
        "date": plan.date,
        "number": plan.number,
        "kind": plan.kind,
        "format": plan.format,
        "venue": plan.venue_id,
        "new_venue": plan.new_venue,
        "address": plan.address,
        "preamble": plan.preamble,
        "resolved_intro": plan.resolved_intro,
        "decisions_intro": plan.decisions_intro,
    }
    agenda = [{"number": number, "title": title} for number, title in plan.agenda]
    items, people = [], []
    for index, item in enumerate(plan.items):
        items.append(
            {
                "section": item.section,
                "number": item.number,
                "kind": item.kind,
                "text": item.text,
                "agenda_number": item.agenda_number,
                "due_date": item.due_date,
                "responsible": item.responsible_ids,
                "to_library_systems": item.to_library_systems,
                "responsible_new": "\n".join(item.responsible_new),
                "responsible_person": item.responsible_person,
            }
        )
        for person in item.admitted:
            people.append(
                {
                    "item": index,
                    "member": person.member_id,
                    "last_name": person.last_name,
                    "first_name": person.first_name,
                    "patronymic": person.patronymic,
                    "position": person.position,
                    "organization": person.organization_id,
                    "new_organization": person.new_organization,
                }
            )
    return meeting, agenda, items, people


def _confirmed_plan(read: MinutesPlan, meeting, agenda, items, people) -> MinutesPlan:
    """The plan the secretary confirmed: the forms' values over what was read."""
    m = meeting.cleaned_data
    plan = MinutesPlan(
        title=m["title"],
        topic=m["topic"],
        date=m["date"],
        number=m["number"],
        kind=m["kind"],
        format=m["format"],
        venue_id=m["venue"],
        new_venue="" if m["venue"] else m["new_venue"].strip(),
        address=m["address"],
        preamble=_lines(m["preamble"]).strip(),
        resolved_intro=_lines(m["resolved_intro"]).strip(),
        decisions_intro=_lines(m["decisions_intro"]).strip(),
        agenda=sorted(
            (f.cleaned_data["number"], f.cleaned_data["title"])
            for f in agenda.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ),
    )
    for form in items.forms:
        d = form.cleaned_data
        plan.items.append(
            PlannedItem(
                section=d["section"],
                number=d["number"],
                kind=d["kind"],
                text=d["text"],
                agenda_number=d["agenda_number"],
                due_date=d["due_date"],
                to_library_systems=d["to_library_systems"],
                responsible_ids=list(d["responsible"]),
                responsible_new=[n.strip() for n in d["responsible_new"].splitlines() if n.strip()],
                responsible_person=d["responsible_person"],
            )
        )
    for form, written in zip(people.forms, _written_people(read), strict=False):
        d = form.cleaned_data
        if d["item"] >= len(plan.items):
            continue
        plan.items[d["item"]].admitted.append(
            PlannedMember(
                written=written,
                member_id=d["member"],
                last_name=d["last_name"],
                first_name=d["first_name"],
                patronymic=d["patronymic"],
                position=d["position"],
                organization_id=d["organization"],
                new_organization="" if d["organization"] else d["new_organization"].strip(),
            )
        )
    return plan


def _written_people(plan: MinutesPlan) -> list[str]:
    return [person.written for item in plan.items for person in item.admitted]


def _check_consistency(plan: MinutesPlan) -> list[str]:
    """What the forms cannot see one by one: numbers repeated, agenda questions missing."""
    problems = []
    agenda_numbers = [number for number, _title in plan.agenda]
    if len(agenda_numbers) != len(set(agenda_numbers)):
        problems.append(_("Two agenda questions have the same number."))
    seen = set()
    for item in plan.items:
        if (item.section, item.number) in seen:
            problems.append(
                _("Item %(number)d appears twice in the section «%(section)s».")
                % {"number": item.number, "section": Resolution.Section(item.section).label}
            )
        seen.add((item.section, item.number))
        if item.agenda_number and item.agenda_number not in agenda_numbers:
            problems.append(
                _("Item %(number)d refers to agenda question %(question)d, which the agenda lacks.")
                % {"number": item.number, "question": item.agenda_number}
            )
    return problems


# -------------------------------------------------------------------------------- the views


class MinutesIntake:
    """The screens, bound to the meeting admin that offers them."""

    def __init__(self, model_admin):
        self.admin = model_admin

    def _check(self, request):
        if not self.admin.has_add_permission(request):
            raise PermissionDenied

    def _context(self, request, **extra):
        return {
            **self.admin.admin_site.each_context(request),
            "opts": Meeting._meta,
            "app_label": Meeting._meta.app_label,
            "has_view_permission": self.admin.has_view_permission(request),
            **extra,
        }

    def upload(self, request):
        self._check(request)
        refusal = ""
        try:
            form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
        except RequestDataTooBig:
            # Pasted text beyond DATA_UPLOAD_MAX_MEMORY_SIZE: refused before it is parsed.
            form, refusal = UploadForm(), _too_long_to_paste()
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["document"]
            if upload:
                # Never more than the intake reads: it refuses a larger file by its size.
                name, data, pasted = upload.name, upload.read(MAX_UPLOAD_BYTES + 1), None
            else:
                name, data, pasted = "", b"", form.cleaned_data["text"]
            try:
                read_minutes(data, pasted=pasted)
            except IntakeRejected as rejected:
                refusal = str(rejected)
            else:
                token = self._keep(request, name=name, data=data, pasted=pasted)
                return redirect(reverse("admin:meetings_meeting_intake_review", args=[token]))
        return TemplateResponse(
            request,
            "admin/minutes/intake_upload.html",
            self._context(request, title=_("Upload minutes"), form=form, refusal=refusal),
        )

    def review(self, request, token: str):
        self._check(request)
        kept = request.session.get(SESSION_KEY, {}).get(token)
        if kept is None:
            messages.warning(
                request, _("That upload is no longer open (cancelled, saved or expired).")
            )
            return redirect(reverse("admin:meetings_meeting_intake"))
        if request.method == "POST" and "cancel" in request.POST:
            self._forget(request, token)
            messages.info(request, _("The upload of the minutes was cancelled: nothing was saved."))
            return redirect(reverse("admin:meetings_meeting_changelist"))
        data = base64.b64decode(kept["data"])
        try:
            draft, matches = read_minutes(data, pasted=kept["pasted"])
        except IntakeRejected as rejected:  # the same bytes were read before: hardly possible
            self._forget(request, token)
            messages.error(request, str(rejected))
            return redirect(reverse("admin:meetings_meeting_intake"))
        read = minutes_plan(draft, matches)
        organizations = list(
            Organization.objects.order_by("short_name").values_list("pk", "short_name")
        )
        members = [
            (pk, f"{last} {first} {middle}".strip() + (f" — {org}" if org else ""))
            for pk, last, first, middle, org in Member.objects.order_by(
                "last_name", "first_name", "patronymic"
            ).values_list("pk", "last_name", "first_name", "patronymic", "organization__short_name")
        ]
        initial = _initial(read)
        bound = request.method == "POST"
        post = request.POST if bound else None
        meeting = MeetingForm(
            post, prefix="meeting", organizations=organizations, initial=initial[0]
        )
        agenda = AgendaFormSet(post, prefix="agenda", initial=initial[1])
        items = ItemFormSet(
            post,
            prefix="items",
            initial=initial[2],
            form_kwargs={"organizations": organizations},
        )
        people = PersonFormSet(
            post,
            prefix="people",
            initial=initial[3],
            form_kwargs={"organizations": organizations, "members": members},
        )
        problems = []
        if bound and all(f.is_valid() for f in (meeting, agenda, items, people)):
            plan = _confirmed_plan(read, meeting, agenda, items, people)
            problems = _check_consistency(plan)
            if not problems:
                try:
                    refuse_members_admitted_before(plan)
                except ValidationError as refused:
                    problems = list(refused.messages)
            if not problems:
                result = minutes_save(plan=plan, document=data, document_name=kept["name"])
                self._forget(request, token)
                messages.success(
                    request,
                    _(
                        "Draft meeting created: %(items)d items, %(members)d new members, "
                        "%(organizations)d new organisations. Nothing is public until it is "
                        "published."
                    )
                    % {
                        "items": len(result.resolutions),
                        "members": len(result.new_members),
                        "organizations": len(result.new_organizations),
                    },
                )
                return redirect(reverse("admin:meetings_meeting_change", args=[result.meeting.pk]))
        if bound:
            messages.error(request, _("Please correct the errors below; nothing was saved yet."))
        names = dict(organizations)
        return TemplateResponse(
            request,
            "admin/minutes/intake_review.html",
            self._context(
                request,
                title=_("Check the minutes before saving"),
                document_text=(
                    read_text(kept["pasted"], kind="paste")
                    if kept["pasted"] is not None
                    else read_upload(data)
                ).text,
                document_name=kept["name"],
                meeting_form=meeting,
                agenda=agenda,
                rows=_item_rows(read, items, people, names),
                items=items,
                people=people,
                flags=read.flags,
                problems=problems,
            ),
        )

    # The document waits in the secretary's session between the upload and the confirmation.

    def _keep(self, request, *, name: str, data: bytes, pasted: str | None) -> str:
        kept = dict(request.session.get(SESSION_KEY, {}))
        while len(kept) >= KEPT_DOCUMENTS:
            kept.pop(next(iter(kept)))
        token = secrets.token_urlsafe(12)
        kept[token] = {
            "name": name,
            "data": base64.b64encode(data).decode("ascii"),
            "pasted": pasted,
        }
        request.session[SESSION_KEY] = kept
        return token

    def _forget(self, request, token: str) -> None:
        kept = dict(request.session.get(SESSION_KEY, {}))
        kept.pop(token, None)
        request.session[SESSION_KEY] = kept


STATUS_LABELS = {
    MATCHED: gettext_lazy("found in the catalogue"),
    AMBIGUOUS: gettext_lazy("several similar: check"),
}


def _item_rows(read: MinutesPlan, items, people, names: dict[int, str]) -> list[dict]:
    """Each item's form with what the intake made of it, for the template."""
    people_of: dict[int, list] = {}
    persons = [p for item in read.items for p in item.admitted]
    for form, person in zip(people.forms, persons, strict=False):
        index = form.initial.get("item", form["item"].value())
        people_of.setdefault(int(index), []).append(
            {
                "form": form,
                "written": person.written,
                "status": person.status,
                "status_label": STATUS_LABELS.get(person.status, _("a new member of the Club")),
            }
        )
    rows = []
    for index, (form, item) in enumerate(zip(items.forms, read.items, strict=False)):
        rows.append(
            {
                "form": form,
                "section": Resolution.Section(item.section).label,
                "flags": item.flags,
                "due_written": item.due_written,
                "found": [names[i] for i in item.responsible_ids if i in names],
                "new": item.responsible_new,
                "people": people_of.get(index, []),
            }
        )
    return rows
