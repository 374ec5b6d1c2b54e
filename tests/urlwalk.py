"""Every URL pattern of the portal, found by walking the URLconf, and valid arguments for each.

The walk is exhaustive by construction: a new pattern is found without being listed here.
A pattern with parameters needs valid values to be requested at all; the admin's are derived
from its ModelAdmin (an object of its model, that object's history), the portal's own are
listed in PORTAL_ARGUMENTS by URL name. A pattern that has neither is reported by
`unwalkable()`, so a test fails until its arguments are added.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib import admin
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from kernel import roles
from meetings.models import Meeting, MeetingAttachment
from members.models import OperatorAccount
from notices import tokens
from resolutions.models import Resolution, ResolutionProgress
from stats import services
from stats.models import ImportLog, Report

from .helpers import CLEAN_JUNE, LAST_JUNE, make_meeting, make_report, make_resolution, make_user

ROLES = ("anonymous", "operator", "secretary", "centre", "superuser")
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern with the patterns that include it: "meetings/%(slug)s/minutes.pdf"."""

    template: str  # a %-format string of the whole path, without the leading slash
    params: tuple[str, ...]
    name: str  # "meetings:detail"; an unnamed pattern is named by its template
    callback: Callable
    owner: ModelAdmin | AdminSite | None = field(compare=False)

    def path(self, values: dict[str, str]) -> str:
        """The path with these (already percent-encoded) values in its parameters."""
        return "/" + self.template % values

    @property
    def model_admin(self) -> ModelAdmin | None:
        return self.owner if isinstance(self.owner, ModelAdmin) else None


def routes() -> list[Route]:
    """Every URL pattern the root URLconf serves, the admin's included."""
    return list(_walk(get_resolver(), "", [], ""))


def _walk(resolver: URLResolver, prefix: str, params: list[str], namespace: str) -> Iterator[Route]:
    for pattern in resolver.url_patterns:
        template, names = _template(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern, prefix + template, params + names, inner)
        elif isinstance(pattern, URLPattern):
            full = prefix + template
            yield Route(
                template=full,
                params=tuple(params + names),
                name=namespace + (pattern.name or f"<{full}>"),
                callback=pattern.callback,
                owner=_owner(pattern.callback),
            )


def _template(pattern) -> tuple[str, list[str]]:
    if isinstance(pattern, RoutePattern):
        route = str(pattern._route).replace("%", "%%")
        names = [m["name"] for m in _CONVERTER.finditer(route)]
        return _CONVERTER.sub(lambda m: f"%({m['name']})s", route), names
    if isinstance(pattern, RegexPattern):
        # Django's own reading of a regex for reverse(): the first way to write it.
        template, names = normalize(str(pattern._regex))[0]
        return template, list(names)
    raise TypeError(f"Unknown URL pattern type: {pattern!r}")


def _owner(callback) -> ModelAdmin | AdminSite | None:
    """The ModelAdmin (or AdminSite) whose view this is, through the admin's wrappers."""
    seen = callback
    for _ in range(10):
        owner = getattr(seen, "model_admin", None) or getattr(seen, "__self__", None)
        if isinstance(owner, ModelAdmin | AdminSite):
            return owner
        seen = getattr(seen, "__wrapped__", None)
        if seen is None:
            return None
    return None


# --- The records the walk requests ----------------------------------------------------


def make_world(meeting) -> SimpleNamespace:
    """Beside the demo minutes (`meeting`): one record of every kind the pages show.

    An attachment, a progress entry, a user of each role, the operator's own report (a
    draft) and a submitted one, accepted figures for the summers of 2024 and 2025 (the
    dashboard and its files), an import log.
    """
    decision = meeting.resolutions.filter(kind=Resolution.Kind.DECISION).first()
    attachment = MeetingAttachment(meeting=meeting, title="Презентация", kind="presentation")
    attachment.file.save("slides.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    attachment.save()
    progress = ResolutionProgress.objects.create(
        resolution=decision, date=datetime.date(2021, 9, 1), text="Проведено совещание."
    )
    organization = meeting.venue or decision.responsible_organizations.first()
    organizations = list(type(organization).objects.exclude(pk=organization.pk)[:2])
    users = {
        "anonymous": None,
        "operator": make_user("walk-operator", group=roles.LIBRARY_OPERATOR, staff=False),
        "secretary": make_user("walk-secretary", group=roles.SECRETARY),
        "centre": make_user("walk-centre", group=roles.CENTRE_METHODIST),
        "superuser": make_user("walk-root", superuser=True),
    }
    OperatorAccount.objects.create(user=users["operator"], organization=organization)
    for other in organizations:
        for year, figures in ((2024, LAST_JUNE), (2025, CLEAN_JUNE)):
            make_report(other, year, 6, figures, status=Report.Status.ACCEPTED)
    own = make_report(organization, 2025, 6, CLEAN_JUNE)
    submitted = make_report(organizations[0], 2025, 7, CLEAN_JUNE)
    services.report_submit(report=submitted, user=users["superuser"])
    submitted.refresh_from_db()
    ImportLog.objects.create(report=own, filename="june.xlsx", outcome="rejected")
    draft = make_meeting(datetime.date(2022, 5, 18), status=Meeting.Status.DRAFT)
    make_resolution(draft, 1, text="Продолжить работу.")
    return SimpleNamespace(
        meeting=meeting,
        decision=decision,
        attachment=attachment,
        progress=progress,
        member=meeting.resolutions.filter(kind=Resolution.Kind.ADMISSION)
        .first()
        .admitted_members.first(),
        users=users,
        own_report=own,
        submitted_report=submitted,
        summer=2025,
        draft=draft,
    )


def refresh(world: SimpleNamespace) -> None:
    """Read the world's records again, after something changed them in the database."""
    for value in vars(world).values():
        if isinstance(value, Model):
            value.refresh_from_db()


def _reset_token(world) -> dict[str, str]:
    from django.contrib.auth.tokens import default_token_generator

    user = world.users["operator"]
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


# Valid arguments of the portal's own patterns with parameters, by URL name.
PORTAL_ARGUMENTS: dict[str, Callable[[SimpleNamespace], dict[str, object]]] = {
    "meetings:detail": lambda w: {"slug": w.meeting.slug},
    "meetings:minutes_pdf": lambda w: {"slug": w.meeting.slug},
    "meetings:minutes_xlsx": lambda w: {"slug": w.meeting.slug},
    "meetings:minutes_docx": lambda w: {"slug": w.meeting.slug},
    "meetings:calendar_one": lambda w: {"slug": w.meeting.slug},
    "meetings:attachment": lambda w: {"slug": w.meeting.slug, "pk": w.attachment.pk},
    "resolutions:detail": lambda w: {"pk": w.decision.pk},
    "resolutions:extract_pdf": lambda w: {"pk": w.decision.pk},
    "resolutions:extract_docx": lambda w: {"pk": w.decision.pk},
    "resolutions:evidence": lambda w: {"pk": w.decision.pk, "entry_pk": w.progress.pk},
    "members:detail": lambda w: {"pk": w.member.pk},
    "members:certificate_pdf": lambda w: {"pk": w.member.pk},
    "members:certificate_docx": lambda w: {"pk": w.member.pk},
    "annual:year": lambda w: {"year": w.meeting.date.year},
    "annual:pdf": lambda w: {"year": w.meeting.date.year},
    "annual:docx": lambda w: {"year": w.meeting.date.year},
    "annual:xlsx": lambda w: {"year": w.meeting.date.year},
    "stats:summer_pdf": lambda w: {"year": w.summer},
    "stats:summer_xlsx": lambda w: {"year": w.summer},
    "stats:export_summary": lambda w: {"year": w.summer},
    "stats:accepted_csv": lambda w: {"year": w.summer},
    "stats:accepted_json": lambda w: {"year": w.summer},
    "api:meeting_detail": lambda w: {"slug": w.meeting.slug},
    "api:resolution_detail": lambda w: {"pk": w.decision.pk},
    # Any other address under /api/ answers the API's JSON 404.
    "<api/%(rest)s>": lambda w: {"rest": "no-such-list/"},
    "stats:report_edit": lambda w: {"pk": w.own_report.pk},
    "stats:report_submit": lambda w: {"pk": w.own_report.pk},
    "stats:report_template": lambda w: {"pk": w.own_report.pk},
    "stats:report_import": lambda w: {"pk": w.own_report.pk},
    "stats:report_withdraw": lambda w: {"pk": w.own_report.pk},
    "stats:report_pdf": lambda w: {"pk": w.own_report.pk},
    "stats:review_enter": lambda w: {"pk": w.own_report.pk},
    # POST only (it sends a letter): the walk's GETs are refused with 405.
    "stats:operator_letter": lambda w: {"pk": w.users["operator"].operator_account.pk},
    "stats:review_report": lambda w: {"pk": w.submitted_report.pk},
    "stats:review_template": lambda w: {"pk": w.submitted_report.pk},
    # «return» without a comment shows the form again: the walk changes no report.
    "stats:review_action": lambda w: {"pk": w.submitted_report.pk, "action": "return"},
    "password_reset_confirm": _reset_token,
    # Signed links of the letters; GET only shows what the link would do.
    "notices:confirm": lambda w: {
        "token": tokens.confirmation_token(email="walk@example.ru", minutes=True, organizations=[])
    },
    "notices:unsubscribe": lambda w: {
        "token": tokens.unsubscribe_token(SimpleNamespace(pk=1, email="walk@example.ru"))
    },
    "admin:view_on_site": lambda w: {
        "content_type_id": ContentType.objects.get_for_model(w.meeting).pk,
        "object_id": w.meeting.pk,
    },
    "admin:app_list": lambda w: {"app_label": "meetings"},
    # GET shows the page only; approving and copying are POSTs, which the walk never sends.
    "admin:stats_formtemplate_approve": lambda w: {"pk": w.own_report.form_id},
    "admin:stats_formtemplate_copy": lambda w: {"pk": w.own_report.form_id},
    # An upload no session holds: the review screen sends the secretary back to the upload.
    "admin:meetings_meeting_intake_review": lambda w: {"token": "no-upload-here"},
}
# The admin's last pattern catches every address no other one does.
CATCH_ALL = {"url": "meetings/no-such-page/"}
# The admin's object pages name their parameter so (simple_history's by position).
OBJECT_PARAMS = ("object_id", "id", "_0")
HISTORY_PARAM = "_1"


def valid_arguments(route: Route, world: SimpleNamespace) -> dict[str, str] | None:
    """Values for the route's parameters that name real records; None when unknown."""
    if not route.params:
        return {}
    if route.name in PORTAL_ARGUMENTS:
        values = PORTAL_ARGUMENTS[route.name](world)
    elif set(route.params) == set(CATCH_ALL):
        values = CATCH_ALL
    elif route.model_admin is not None and set(route.params) <= {*OBJECT_PARAMS, HISTORY_PARAM}:
        values = _admin_object(route.model_admin, route.params)
    else:
        return None
    return {name: str(value) for name, value in values.items()}


def _admin_object(model_admin: ModelAdmin, params) -> dict[str, object]:
    model = model_admin.model
    # The newest record: the walk's own, lighter than the demo minutes to render again.
    obj = model._default_manager.order_by("-pk").first()
    # A model with no record here still has its pages walked: a missing object's answer.
    pk = obj.pk if obj is not None else 1
    values = {name: pk for name in params if name in OBJECT_PARAMS}
    if HISTORY_PARAM in params:
        history = getattr(obj, "history", None) if obj is not None else None
        record = history.order_by("-history_id").first() if history is not None else None
        values[HISTORY_PARAM] = record.history_id if record is not None else 1
    return values


def unwalkable(world: SimpleNamespace) -> list[str]:
    """The patterns with parameters that no valid value is known for."""
    return [r.name for r in routes() if valid_arguments(r, world) is None]


def registered_admins() -> list[ModelAdmin]:
    return list(admin.site._registry.values())
