"""What each answer of the API holds: pydantic schemas, which are the OpenAPI schema too.

Public fields only, named in English as the models are, with the Russian label beside every
coded value (kind, status). A member is her name, position and organisation: never an e-mail
or a phone (the schema has no field for them, so no answer can carry them).
"""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from kernel.links import absolute_url


class Error(Schema):
    detail: str = Field(description="What went wrong, in Russian.")


class MunicipalityOut(Schema):
    id: int
    name: str


class OrganizationRef(Schema):
    id: int
    short_name: str


class OrganizationOut(Schema):
    id: int
    short_name: str
    full_name: str
    kind: str = Field(description="cbs, mibs, regional or other.")
    kind_label: str
    is_library_system: bool = Field(description="A CBS or MIBS: reports statistics.")
    municipality: MunicipalityOut | None
    parent_id: int | None = Field(description="For a branch: its CBS or MIBS.")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_full_name(obj) -> str:
        return obj.display_full_name


class MemberOut(Schema):
    id: int
    full_name: str
    last_name: str
    first_name: str
    patronymic: str
    position: str
    organization: OrganizationRef
    status: str = Field(description="active or left.")
    status_label: str
    is_founder: bool
    url: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute_url(obj.get_absolute_url())


class MemberRef(Schema):
    id: int
    full_name: str


class MeetingRef(Schema):
    slug: str
    date: datetime.date
    title: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute_url(obj.get_absolute_url())


class ResolutionOut(Schema):
    id: int
    meeting: MeetingRef
    section: int = Field(description="1: «постановили», 2: decisions following the event.")
    section_label: str
    number: int | None
    kind: str = Field(description="gratitude, note, admission, decision or other.")
    kind_label: str
    text: str
    status: str = Field(description="adopted, in_progress, done or cancelled.")
    status_label: str
    due_date: datetime.date | None
    is_overdue: bool
    to_library_systems: bool = Field(description="Every CBS and MIBS of the region answers.")
    responsible_organizations: list[OrganizationRef]
    responsible_person: str
    admitted_members: list[MemberRef]
    url: str

    @staticmethod
    def resolve_section_label(obj) -> str:
        return str(obj.get_section_display())

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_responsible_organizations(obj) -> list:
        return list(obj.responsible_organizations.all())

    @staticmethod
    def resolve_admitted_members(obj) -> list:
        return [admission.member for admission in obj.admissions.all()]

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute_url(obj.get_absolute_url())


class AgendaItemOut(Schema):
    order: int
    title: str
    speakers: str
    summary: str


class MeetingOut(Schema):
    slug: str
    date: datetime.date
    title: str
    topic: str
    number: str
    kind: str
    kind_label: str
    format: str
    format_label: str
    venue: OrganizationRef | None
    address: str
    link: str
    published_at: datetime.datetime | None
    url: str
    minutes_pdf: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_format_label(obj) -> str:
        return str(obj.get_format_display())

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute_url(obj.get_absolute_url())

    @staticmethod
    def resolve_minutes_pdf(obj) -> str:
        return absolute_url(f"{obj.get_absolute_url()}minutes.pdf")


class MeetingDetailOut(MeetingOut):
    preamble: str
    agenda: list[AgendaItemOut]
    resolutions: list[ResolutionOut]

    @staticmethod
    def resolve_agenda(obj) -> list:
        return list(obj.agenda_items.all())

    @staticmethod
    def resolve_resolutions(obj) -> list:
        return list(obj.resolutions.all())


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    kind: str = Field(description="flow (summed over months) or stock (a month's own count).")


class FigureOut(Schema):
    year: int
    month: int
    organization_id: int
    organization: str
    municipality_id: int | None
    municipality: str | None
    indicator_code: str
    indicator_name: str
    unit: str
    value: int


class TotalOut(Schema):
    year: int
    month: int
    indicator_code: str
    indicator_name: str
    unit: str
    total: int = Field(description="The sum over the organisations with accepted reports.")
    organizations: int = Field(description="How many organisations' reports make the total.")
