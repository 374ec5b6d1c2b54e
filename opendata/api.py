"""The read-only JSON API under /api/: its operations, with the OpenAPI schema and docs page
that django-ninja makes from them.

Everything here is public already: published meetings only (a draft's meeting, agenda and
items answer 404 or are absent), Member.objects.public() with public fields only, accepted
and locked statistics only. Each list is paged (limit ≤ MAX_LIMIT, offset ≤ MAX_OFFSET) and
takes a fixed number of queries whatever its length (tests/opendata pin them). Caching, ETags,
CORS and the rate limit wrap every address in opendata/http.py.
"""

from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.pagination import PaginationBase, paginate
from ninja.renderers import JSONRenderer

from kernel.validators import FIRST_YEAR, LAST_YEAR
from meetings.models import AgendaItem, Meeting
from members.models import Member, Municipality, Organization
from resolutions.models import Admission, Resolution
from resolutions.selectors import published_resolutions, with_listing_relations
from stats import open_data

from . import schemas

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
# Past this no list reaches; a larger offset would only overflow a database integer.
MAX_OFFSET = 1_000_000
QUERY_MAX_LENGTH = 200

# The coded values each filter takes, as enums in the schema.
ResolutionKind = Literal[tuple(Resolution.Kind.values)]
ResolutionStatus = Literal[tuple(Resolution.Status.values)]
MemberStatus = Literal[tuple(Member.Status.values)]
OrganizationKind = Literal[tuple(Organization.Kind.values)]


# Each parameter gets a declaration of its own (pydantic must not share one): a Query in an
# operation's signature, a Field in a schema of parameters.
def Year(declare=Query):  # noqa: N802 (used as a declaration, like Query)
    return declare(None, ge=FIRST_YEAR, le=LAST_YEAR, description="A year, 1990–2100.")


def Month(declare=Query):  # noqa: N802
    return declare(None, ge=1, le=12, description="A month, 1–12.")


def Id(description=None):  # noqa: N802
    return Query(None, ge=1, le=2**31 - 1, description=description)


class Paged(PaginationBase):
    """limit/offset paging with both capped; the answer says the total and where it is."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="At most 500.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="How many items match, on every page.")
        limit: int
        offset: int

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, **params):
        offset, limit = pagination.offset, pagination.limit
        return {
            "items": list(queryset[offset : offset + limit]),
            "count": self._items_count(queryset),
            "limit": limit,
            "offset": offset,
        }


class RussianJSON(JSONRenderer):
    # Cyrillic as itself, not as \u escapes: half the size, and readable in a browser.
    json_dumps_params = {"ensure_ascii": False}


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Ninja's schema, with the one answer made before ninja sees the request: the
        portal refuses a NUL byte in any query (kernel.security.RejectNulMiddleware). Every
        text parameter says so in its pattern, so a client, and schemathesis, knows a NUL is
        not a valid value; the 400 is documented for whoever sends one anyway."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    _without_nul(parameter.get("schema", {}))
                operation["responses"]["400"] = {
                    "description": "A NUL byte in the query: refused, in plain text.",
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                }
        return schema


def _without_nul(schema: dict) -> None:
    """A text parameter's schema (or each text branch of an optional one) refuses NUL."""
    for branch in schema.get("anyOf", []):
        _without_nul(branch)
    if schema.get("type") == "string" and "enum" not in schema and "pattern" not in schema:
        schema["pattern"] = NO_NUL


NO_NUL = "^[^\\u0000]*$"


api = OpenDataAPI(
    renderer=RussianJSON(),
    title="Клуб деловых встреч методистов Кузбасса: открытые данные",
    version="1",
    description=(
        "Read-only open data of the portal: published meetings with their agenda and "
        "decisions, the decisions with filters, the club's members (public fields only), "
        "organisations and municipalities, and the accepted off-site service statistics. "
        "Paged with limit and offset; any site may read it (CORS); a client is limited to "
        "a number of requests a minute. Licence: CC BY 4.0."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs/",
    # The validator badge would fetch an image from elsewhere: the page must work offline.
    docs=Swagger(settings={"validatorUrl": None}),
)

# What any operation may answer besides its data: a refused parameter (422, from ninja's
# validation), too many requests (429, opendata/http.py); a detail also 404.
ERRORS = {422: schemas.Error, 429: schemas.Error}
NOT_FOUND = {404: schemas.Error, **ERRORS}


@api.exception_handler(ValidationError)
def invalid_query(request, exc):
    fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors})
    return api.create_response(
        request,
        {"detail": _("Invalid query parameters: %(fields)s.") % {"fields": ", ".join(fields)}},
        status=422,
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


# --- meetings and their items --------------------------------------------------------------

meetings = Router(tags=["meetings"])


def resolution_relations(queryset):
    """What each item carries: the list's own relations (its meeting without the long texts,
    its organisations) and the members it admits."""
    return with_listing_relations(queryset).prefetch_related(
        Prefetch("admissions", queryset=Admission.objects.select_related("member"))
    )


@meetings.get("/", response={200: list[schemas.MeetingOut], **ERRORS}, summary="Published meetings")
@paginate(Paged)
def meeting_list(request, year: int | None = Year()):
    """Published meetings, newest first."""
    qs = Meeting.objects.published().select_related("venue")
    if year is not None:
        qs = qs.filter(date__year=year)
    return qs.order_by("-date", "-pk")


@meetings.get("/{slug}", response={200: schemas.MeetingDetailOut, **NOT_FOUND}, summary="A meeting")
def meeting_detail(request, slug: str):
    """A published meeting with its agenda and every item of its minutes."""
    meeting = (
        Meeting.objects.published()
        .select_related("venue")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "pk")),
            Prefetch(
                "resolutions",
                queryset=resolution_relations(Resolution.objects.order_by("section", "number")),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if meeting is None:
        raise Http404(_("No published meeting at this address."))
    return meeting


resolutions = Router(tags=["resolutions"])


@resolutions.get(
    "/", response={200: list[schemas.ResolutionOut], **ERRORS}, summary="Decisions and other items"
)
@paginate(Paged)
def resolution_list(
    request,
    kind: ResolutionKind | None = None,
    status: ResolutionStatus | None = None,
    year: int | None = Year(),
    organization: int | None = Id("An organisation's id: the items it answers for."),
    overdue: bool = False,
    q: str = Query("", max_length=QUERY_MAX_LENGTH, description="Words in any form."),
):
    """Items of published minutes, newest meeting first, filtered as /resolutions/ is."""
    org = None
    if organization is not None:
        org = Organization.objects.filter(pk=organization).first()
        if org is None:
            return Resolution.objects.none()
    qs = published_resolutions(
        kind=kind, status=status, year=year, organization=org, overdue=overdue, query=q
    )
    return resolution_relations(qs)


@resolutions.get("/{pk}", response={200: schemas.ResolutionOut, **NOT_FOUND}, summary="An item")
def resolution_detail(request, pk: int = Path(..., ge=1, le=2**31 - 1)):
    item = resolution_relations(Resolution.objects.published()).filter(pk=pk).first()
    if item is None:
        raise Http404(_("No item of published minutes with this number."))
    return item


# --- the club and the region ---------------------------------------------------------------

people = Router(tags=["members and organisations"])


@people.get("/members/", response={200: list[schemas.MemberOut], **ERRORS}, summary="Club members")
@paginate(Paged)
def member_list(
    request,
    organization: int | None = Id(),
    status: MemberStatus | None = None,
):
    """Members the public may know of (admitted by published minutes, or founders), by name.
    Names, positions and organisations only: never an e-mail or a phone."""
    qs = Member.objects.public().select_related("organization").order_by(*Member._meta.ordering)
    if organization is not None:
        qs = qs.filter(organization_id=organization)
    if status:
        qs = qs.filter(status=status)
    return qs.only(
        "last_name",
        "first_name",
        "patronymic",
        "position",
        "status",
        "is_founder",
        "organization__short_name",
    )


@people.get(
    "/organizations/",
    response={200: list[schemas.OrganizationOut], **ERRORS},
    summary="Organisations",
)
@paginate(Paged)
def organization_list(
    request,
    kind: OrganizationKind | None = None,
    municipality: int | None = Id(),
):
    qs = Organization.objects.select_related("municipality").order_by("short_name")
    if kind:
        qs = qs.filter(kind=kind)
    if municipality is not None:
        qs = qs.filter(municipality_id=municipality)
    return qs.defer("aliases")


@people.get(
    "/municipalities/",
    response={200: list[schemas.MunicipalityOut], **ERRORS},
    summary="Municipalities",
)
@paginate(Paged)
def municipality_list(request):
    return Municipality.objects.order_by("name")


# --- statistics ----------------------------------------------------------------------------

statistics = Router(tags=["statistics"])


class FigureFilters(Schema):
    year: int | None = Year(Field)
    month: int | None = Month(Field)
    indicator: str | None = Field(None, max_length=50, description="An indicator's code.")


@statistics.get(
    "/indicators/", response={200: list[schemas.IndicatorOut], **ERRORS}, summary="Indicators"
)
@paginate(Paged)
def indicator_list(request):
    """The indicators that have accepted figures."""
    return open_data.indicators()


@statistics.get(
    "/figures/", response={200: list[schemas.FigureOut], **ERRORS}, summary="Accepted figures"
)
@paginate(Paged)
def figure_list(
    request,
    filters: Query[FigureFilters],
    organization: int | None = Id(),
    municipality: int | None = Id(),
):
    """Every figure of accepted (or locked) reports: by period, organisation and indicator.
    Drafts, returned and submitted reports never appear."""
    return open_data.accepted_figures(
        year=filters.year,
        month=filters.month,
        indicator=filters.indicator,
        organization=organization,
        municipality=municipality,
    )


@statistics.get(
    "/totals/", response={200: list[schemas.TotalOut], **ERRORS}, summary="Region totals"
)
@paginate(Paged)
def total_list(request, filters: Query[FigureFilters]):
    """The region's sum of each indicator in each month, over the accepted reports."""
    return open_data.region_totals(
        year=filters.year, month=filters.month, indicator=filters.indicator
    )


api.add_router("/meetings/", meetings)
api.add_router("/resolutions/", resolutions)
api.add_router("/", people)
api.add_router("/statistics/", statistics)
