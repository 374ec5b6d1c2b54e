"""A draft as plain text: what ``import_minutes --dry-run`` prints, what it would create."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from kernel.dates import long_date

from .draft import (
    ADMISSION,
    ANNUAL,
    DECISION,
    DECISIONS,
    EXTRAORDINARY,
    GRATITUDE,
    HYBRID,
    NOTE,
    OFFLINE,
    ONLINE,
    OTHER,
    REGULAR,
    VISITING,
    MinutesDraft,
    OrgMention,
    Person,
)
from .matching import AMBIGUOUS, GROUP, MATCHED, DraftMatches

_WIDTH = 90


def _kind_names() -> dict[str, str]:
    # The same words as the models' choices, so the catalogue holds them once.
    return {
        GRATITUDE: _("gratitude"),
        NOTE: _("note"),
        ADMISSION: _("admission to the Club"),
        DECISION: _("decision to be carried out"),
        OTHER: _("other"),
        ANNUAL: _("annual meeting"),
        REGULAR: _("regular meeting"),
        EXTRAORDINARY: _("extraordinary meeting"),
        VISITING: _("off-site meeting"),
        ONLINE: _("online"),
        OFFLINE: _("in person"),
        HYBRID: _("hybrid"),
    }


def _date(value: datetime.date | None) -> str:
    if value is None:
        return "—"
    return long_date(value)


def _short(text: str, width: int = _WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _organisation(mention: OrgMention | None, matches: DraftMatches | None) -> str:
    if mention is None:
        return _("not given")
    found = matches.organisations.get(mention) if matches else None
    if found is None:
        return mention.written
    if found.status == MATCHED:
        where = f"{found.unit}, {found.name}" if found.unit else found.name
        return _("«%(written)s»: found, %(name)s") % {"written": mention.written, "name": where}
    if found.status == GROUP:
        return _("«%(written)s»: every library system (%(count)s)") % {
            "written": mention.written,
            "count": len(found.candidates),
        }
    if found.status == AMBIGUOUS:
        return _("«%(written)s»: several fit (%(count)s), choose one") % {
            "written": mention.written,
            "count": len(found.candidates),
        }
    return _("«%(written)s»: will be created as «%(name)s»") % {
        "written": mention.written,
        "name": mention.nominative or mention.written,
    }


def _member(person: Person, matches: DraftMatches | None) -> str:
    found = matches.members.get(person) if matches else None
    if found is None:
        return str(person.name)
    if found.status == MATCHED:
        return _("%(name)s: already a member") % {"name": person.name}
    if found.status == AMBIGUOUS:
        return _("%(name)s: %(count)s members of that name, choose one") % {
            "name": person.name,
            "count": len(found.candidates),
        }
    return _("%(name)s: will be created") % {"name": person.name}


def preview(draft: MinutesDraft, matches: DraftMatches | None = None) -> str:
    """The draft as the command prints it: the heading's fields, the agenda, each item with
    its kind and what was read from it, and at the end what was not understood."""
    names = _kind_names()
    heading = draft.heading
    lines = [
        _("Title: %(value)s") % {"value": heading.title or "—"},
        _("Kind: %(kind)s; format: %(format)s")
        % {"kind": names.get(heading.kind, "—"), "format": names.get(heading.format, "—")},
        _("Topic: %(value)s") % {"value": heading.topic or "—"},
        _("Date: %(value)s") % {"value": _date(heading.date)},
        _("Host organisation: %(value)s")
        % {"value": _organisation(heading.venue, matches) if heading.venue else "—"},
    ]
    if heading.number:
        lines.append(_("Minutes no.: %(value)s") % {"value": heading.number})
    if heading.address:
        lines.append(_("Address: %(value)s") % {"value": heading.address})
    if draft.agenda:
        lines.append(
            _("Agenda (from the list):")
            if draft.agenda[0].source == "list"
            else _("Agenda (from the introductory phrase):")
        )
        lines += [f"  {q.number}. {q.title}" for q in draft.agenda]
    lines.append(
        _("Preamble: %(chars)s characters") % {"chars": len(draft.preamble)}
        if draft.preamble
        else _("Preamble: none")
    )
    for section in draft.sections:
        lines.append("")
        title = _("Decisions following the event") if section.kind == DECISIONS else _("Resolved")
        lines.append(f"{title}: {_short(section.intro) or '—'}")
        for item in section.items:
            lines.append(f"  {item.number}. [{names[item.kind]}] {_short(item.text, _WIDTH - 8)}")
            for person in item.admitted:
                lines.append(
                    "       "
                    + _("%(member)s; organisation %(organisation)s")
                    % {
                        "member": _member(person, matches),
                        "organisation": _organisation(person.organisation, matches),
                    }
                )
            for recipient in item.recipients:
                if recipient.person:
                    who = str(recipient.person.name)
                    if recipient.person.position:
                        who += f", {recipient.person.position}"
                    where = recipient.person.organisation
                else:
                    who, where = recipient.position or recipient.written, recipient.organisation
                text = _("thanked: %(who)s") % {"who": who}
                if where:
                    text += "; " + _organisation(where, matches)
                lines.append("       " + text)
            if item.due:
                lines.append(
                    "       "
                    + _("deadline: %(written)s (%(date)s)")
                    % {"written": item.due.written, "date": _date(item.due.date)}
                )
            for organisation in item.responsible:
                lines.append(
                    "       "
                    + _("responsible: %(organisation)s")
                    % {"organisation": _organisation(organisation, matches)}
                )
            for person in item.responsible_people:
                lines.append(
                    "       " + _("responsible: %(organisation)s") % {"organisation": person.name}
                )
            if item.agenda_number:
                lines.append(
                    "       "
                    + _("follows agenda question %(number)s") % {"number": item.agenda_number}
                )
    if draft.closing:
        lines.append("")
        lines += draft.closing
    if matches is not None:
        created = matches.new_organisations()
        members = matches.new_members()
        lines.append("")
        lines.append(
            _("To be created: %(organisations)s organisations, %(members)s members.")
            % {"organisations": len(created), "members": len(members)}
        )
    flags = draft.all_flags()
    if flags:
        lines.append("")
        lines.append(_("To check (%(count)s):") % {"count": len(flags)})
        lines += [f"  - {flag.message}" for flag in flags]
    return "\n".join(lines)
