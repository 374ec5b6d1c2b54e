"""Every workbook the portal writes keeps formula-like text as quoted text (OWASP ASVS 1.2.10).

Every text field of every record is made to start with one of =, +, -, @, tab or CR (one
library system keeps plain names beside them); then every workbook is downloaded: each
.xlsx address of the URLconf (found by walking it, so a new one is covered without being
listed) and each admin action that answers with a workbook. Each text cell starting with
one of those characters must be a plain string with the quote prefix, read back by openpyxl
and seen in the raw XML (its style's quotePrefix); a plain text has none, and no cell holds
a formula.
"""

import io
import itertools
import re
import zipfile
from xml.etree import ElementTree

import openpyxl
import pytest
from django.apps import apps
from django.db import models
from django.test import RequestFactory
from simple_history.models import HistoricalChanges

from kernel.xlsx.writer import FORMULA_PREFIXES
from stats.models import Indicator, Report, Value

from .helpers import CLEAN_JUNE, LAST_JUNE, make_municipality, make_organization, make_report
from .urlwalk import make_world, refresh, registered_admins, routes, valid_arguments

pytestmark = pytest.mark.django_db

HOSTILE_STARTS = ("=1+1", "+7", "-x", "@SUM(A1)", "\tx", "\rx")
PORTAL_APPS = ("members", "meetings", "resolutions", "stats", "clubportal")
# Text the portal finds records by: changed, the pages that look for them find nothing.
# An indicator with a formula-like code is added below instead.
IDENTIFIERS = {("stats", "Indicator", "code"), ("stats", "FormTemplate", "code")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# The roles tried for each workbook, the widest first: whoever may download it.
DOWNLOADERS = ("superuser", "centre", "secretary", "operator", "anonymous")


def text_fields(model):
    for f in model._meta.concrete_fields:
        text = isinstance(f, models.CharField | models.TextField) and not f.choices
        if text and (model._meta.app_label, model.__name__, f.name) not in IDENTIFIERS:
            yield f


def portal_models():
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS and not issubclass(model, HistoricalChanges):
            yield model


def make_every_text_formula_like():
    """Prefix every text of every record with one of HOSTILE_STARTS, in turn.

    Written with update(): no save() logic, no history, no validation (the admin would strip
    a leading tab; an import keeps it). A slug can start only with «-», and does.
    """
    starts = itertools.cycle(HOSTILE_STARTS)
    for model in portal_models():
        fields = list(text_fields(model))
        if not fields:
            continue
        for obj in model._default_manager.all():
            changes = {}
            for f in fields:
                original = getattr(obj, f.attname) or ""
                if isinstance(f, models.SlugField):
                    value = f"-x{original}"
                else:
                    value = f"{next(starts)} {original}"
                changes[f.attname] = value[: f.max_length] if f.max_length else value
            model._default_manager.filter(pk=obj.pk).update(**changes)


def add_formula_like_indicator():
    """An accepted figure of an indicator whose code looks like a formula."""
    indicator = Indicator.objects.create(code="@VS.EXTRA", name="Дополнительный", unit="ед.")
    accepted = Report.objects.filter(status=Report.Status.ACCEPTED).first()
    Value.objects.create(report=accepted, indicator=indicator, value=5)


def add_plain_neighbours():
    """Accepted figures of a library system whose names are plain, beside the others.

    A guard lost to a style shared by the rows of a column shows only where guarded and
    plain text meet: every workbook mixes them, and a plain text must carry no quote.
    """
    municipality = make_municipality("Тисульский муниципальный округ")
    organization = make_organization("ЦБС Тисульского округа", municipality=municipality)
    for year, figures in ((2024, LAST_JUNE), (2025, CLEAN_JUNE)):
        make_report(organization, year, 6, figures, status=Report.Status.ACCEPTED)


def shared_strings(archive) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root.iter(f"{MAIN}si")]


def quoted_styles(archive) -> set[int]:
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    cell_xfs = root.find(f"{MAIN}cellXfs")
    return {
        index
        for index, xf in enumerate(cell_xfs.iter(f"{MAIN}xf"))
        if xf.get("quotePrefix") in ("1", "true")
    }


def raw_guarded_cells(content: bytes, where: str) -> list[str]:
    """Formula-like texts as the XML holds them; fails on a formula or a text without the quote."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        strings = shared_strings(archive)
        quoted = quoted_styles(archive)
        sheets = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)]
        for name in sheets:
            root = ElementTree.fromstring(archive.read(name))
            for cell in root.iter(f"{MAIN}c"):
                reference = f"{where} {name} {cell.get('r')}"
                assert cell.find(f"{MAIN}f") is None, f"{reference} holds a formula"
                kind = cell.get("t")
                if kind == "s":
                    text = strings[int(cell.find(f"{MAIN}v").text)]
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
                else:
                    assert kind != "str", f"{reference} is a formula's result"
                    continue
                guarded = int(cell.get("s", "0")) in quoted
                if text[:1] in FORMULA_PREFIXES:
                    assert guarded, f"{reference}: {text!r} without quotePrefix"
                    found.append(text)
                else:
                    assert not guarded, f"{reference}: plain {text!r} with quotePrefix"
    return found


def read_guarded_cells(content: bytes, where: str) -> list[str]:
    """Formula-like texts as openpyxl reads them; fails unless each is quoted text."""
    found = []
    wb = openpyxl.load_workbook(io.BytesIO(content))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                reference = f"{where} {ws.title}!{cell.coordinate}"
                assert cell.data_type != "f", f"{reference} is a formula"
                value = cell.value
                if not isinstance(value, str):
                    continue
                if value[:1] in FORMULA_PREFIXES:
                    assert cell.data_type == "s", f"{reference}: {value!r} is not text"
                    assert cell.quotePrefix, f"{reference}: {value!r} without the quote prefix"
                    found.append(value)
                else:
                    assert not cell.quotePrefix, f"{reference}: plain {value!r} quoted"
    return found


def workbooks_in(response) -> list[bytes]:
    """The workbooks a response holds: itself, or the .xlsx files of a ZIP."""
    content_type = response.get("Content-Type", "")
    if content_type == XLSX:
        return [response.content]
    if content_type == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return [archive.read(n) for n in archive.namelist() if n.endswith(".xlsx")]
    return []


@pytest.fixture
def world(demo):
    world = make_world(demo)
    add_formula_like_indicator()
    make_every_text_formula_like()
    add_plain_neighbours()
    refresh(world)
    return world


def changelist_of(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def check(content: bytes, where: str, seen: list[str]) -> None:
    raw = raw_guarded_cells(content, where)
    read = read_guarded_cells(content, where)
    assert sorted(raw) == sorted(read), where
    assert raw, f"{where}: no formula-like text reached this workbook"
    seen.extend(raw)


def test_every_workbook_keeps_formula_like_text_as_quoted_text(client, world):
    seen: list[str] = []
    unexercised = []
    addresses = [r for r in routes() if r.template.endswith(".xlsx")]
    assert len(addresses) >= 7, "the walk found too few workbook addresses"
    for route in addresses:
        arguments = valid_arguments(route, world)
        assert arguments is not None, f"{route.name}: add its arguments to PORTAL_ARGUMENTS"
        path = route.path(arguments)
        for role in DOWNLOADERS:
            client.logout()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            response = client.get(path)
            if response.status_code == 200 and response["Content-Type"] == XLSX:
                check(response.content, path, seen)
                break
        else:
            unexercised.append(path)
    assert unexercised == [], "no role could download these workbooks"

    # Admin actions, on one record and on all: any that answers with a workbook is checked.
    client.force_login(world.users["superuser"])
    downloads = []
    for model_admin in registered_admins():
        request = RequestFactory().get(changelist_of(model_admin.model))
        request.user = world.users["superuser"]
        model = model_admin.model
        pks = list(model._default_manager.values_list("pk", flat=True))
        if not pks:
            continue
        changelist = changelist_of(model)
        for name in model_admin.get_actions(request):
            if name == "delete_selected":
                continue
            for selected in (pks[:1], pks):
                response = client.post(changelist, {"action": name, "_selected_action": selected})
                for content in workbooks_in(response):
                    check(content, f"admin {changelist} {name}", seen)
                    downloads.append(name)
    assert "download_xlsx" in downloads
    assert {text[:1] for text in seen} == set(FORMULA_PREFIXES)
