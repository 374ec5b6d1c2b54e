"""Hostile input on the admin meeting page, and what it becomes in the page, the calendars,
the feed, the PDF and the workbooks.

One part of the hostile-input suite (tests/hostile/__init__.py says what it covers).
"""

import logging
import re
from xml.etree import ElementTree

import pytest
from icalendar import Calendar

from meetings.models import Attendance, Meeting
from resolutions.models import Resolution
from tests.helpers import (
    admit,
    make_agenda_item,
    make_meeting,
    make_member,
    make_municipality,
    make_organization,
    make_resolution,
    normalize,
)
from tests.hostile.common import (
    ADMIN_ERRORS,
    CONTROL,
    CYRILLIC,
    EMOJI,
    FORMULAS,
    LONG,
    MARKUP,
    NUL,
    NUL_MESSAGE,
    PRINTED_CONTROLS,
    SCRIPT,
    assert_escaped,
    assert_nothing_outside,
    change_url,
    errors,
    excel_text,
    fitting,
    limits_of,
    pdf_text,
    post_meeting,
    workbook_texts,
)

pytestmark = pytest.mark.django_db

# Text inputs of the meeting page (the meeting's own, one agenda, attendance and resolution
# row) with their max_length; None: a TextField without a limit.
MEETING_TEXT = {
    "title": 300,
    "topic": 500,
    "number": 30,
    "address": 500,
    "preamble": None,
    "resolved_intro": None,
    "decisions_intro": None,
    "agenda_items-0-title": 500,
    "agenda_items-0-speakers": 500,
    "agenda_items-0-summary": None,
    "attendances-0-guest_name": 300,
    "resolutions-0-text": None,
    "resolutions-0-responsible_person": 300,
}
# What the extract of resolution 0 prints of them.
EXTRACT_TEXT = [
    "title",
    "topic",
    "number",
    "address",
    "resolved_intro",
    "resolutions-0-text",
    "resolutions-0-responsible_person",
]
# What the resolutions export writes of them.
EXPORT_TEXT = ["title", "topic", "resolutions-0-text", "resolutions-0-responsible_person"]


def typed_texts(meeting) -> dict:
    """The stored value of every field of MEETING_TEXT."""
    meeting.refresh_from_db()
    rows = {
        "agenda_items": meeting.agenda_items.get(),
        "attendances": meeting.attendances.get(),
        "resolutions": meeting.resolutions.get(section=Resolution.Section.RESOLVED),
    }
    texts = {}
    for name in MEETING_TEXT:
        prefix, _sep, attr = name.rpartition("-0-")
        texts[name] = getattr(rows[prefix] if prefix else meeting, attr)
    return texts


# Bad values posted together, and how many times each message must appear on the page.
REFUSED_ON_THE_MEETING_PAGE = {
    "overlong": (
        {f: LONG for f, limit in MEETING_TEXT.items() if limit},
        limits_of(MEETING_TEXT),
    ),
    "nul": (dict.fromkeys(MEETING_TEXT, NUL), {NUL_MESSAGE: len(MEETING_TEXT)}),
    "values": (
        {
            "link": "javascript:alert(1)",
            "slug": SCRIPT,
            "date": "31.02.2021",
            "resolutions-0-due_date": "99.99.99999",
            "resolutions-0-number": "9" * 30,
            "agenda_items-0-order": "1e9999",
            "venue": "999999",
            "kind": SCRIPT,
            "resolutions-0-responsible_organizations": ["999999"],
        },
        {
            "Введите правильный URL.": 1,
            "Значение должно состоять только из латинских букв": 1,
            "Введите правильную дату.": 2,
            "меньше либо равно": 1,
            "Введите целое число.": 1,
            "Выберите корректный вариант.": 3,
        },
    ),
    "more-values": (
        {
            "link": "file:///etc/passwd",
            "date": "²³.⁰⁶.２０２１",
            "resolutions-0-number": "-1",
            "lock_version": "²",
        },
        {
            "Введите правильный URL.": 1,
            "Введите правильную дату.": 1,
            "больше либо равно 0": 1,
            "Введите целое число.": 1,
        },
    ),
}


@pytest.mark.parametrize("case", REFUSED_ON_THE_MEETING_PAGE)
def test_bad_input_on_the_meeting_page_gets_a_message_and_saves_nothing(
    secretary_client, meeting, case
):
    changes, messages = REFUSED_ON_THE_MEETING_PAGE[case]
    before, version = typed_texts(meeting), meeting.version
    response = post_meeting(secretary_client, meeting, changes)
    assert response.status_code == 200
    html = response.content.decode()
    assert ADMIN_ERRORS in html
    # Each refused field has its own message: none slipped through.
    assert {m: html.count(m) for m in messages} == messages, errors(html)
    assert typed_texts(meeting) == before
    assert meeting.version == version
    assert_escaped(response)


def hostile_meeting_values(kind: str) -> dict:
    def value(limit):
        if kind == "markup":
            return fitting(MARKUP, limit)
        if kind == "long":
            return LONG if limit is None else "Обычный текст"
        return {"cyrillic": CYRILLIC, "emoji": EMOJI, "control": CONTROL}[kind][:limit]

    return {field: value(limit) for field, limit in MEETING_TEXT.items()}


@pytest.mark.parametrize("kind", ["markup", "cyrillic", "long", "emoji", "control"])
def test_hostile_text_on_the_meeting_page_is_kept_escaped_and_printed_as_text(
    secretary_client, client, meeting, outside, caplog, settings, kind
):
    # 50,000 characters of «long» send the PDF to the background task: rendered at once here.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    values = hostile_meeting_values(kind)
    response = post_meeting(secretary_client, meeting, values)
    assert response.status_code == 302, response.content.decode()[:3000]
    # Kept as typed (the form strips the ends of each value, nothing else).
    assert typed_texts(meeting) == {k: v.strip() for k, v in values.items()}
    resolution = meeting.resolutions.get(section=Resolution.Section.RESOLVED)

    # The admin and the public pages escape it.
    for url in [
        change_url(meeting),
        f"/admin/meetings/meeting/{meeting.pk}/history/",
        "/admin/meetings/meeting/",
    ]:
        assert_escaped(secretary_client.get(url))
    for url in [
        f"/meetings/{meeting.slug}/",
        f"/resolutions/{resolution.pk}/",
        "/resolutions/",
        "/meetings/",
    ]:
        assert_escaped(client.get(url))

    # The PDFs print it as text and fetch nothing but our print files.
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        minutes, reader = pdf_text(client.get(f"/meetings/{meeting.slug}/minutes.pdf"))
        extract, _reader = pdf_text(client.get(f"/resolutions/{resolution.pk}/extract.pdf"))
    assert_nothing_outside(outside)
    assert len(reader.pages) >= 1
    # Every character is in a font (emoji in Symbola): nothing printed as an empty box.
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]

    def printed(text: str) -> str:
        # Control characters are not printed; the joiner inside an emoji sequence is
        # drawn as part of it and not extracted as a character of its own.
        return normalize(PRINTED_CONTROLS.sub("", text).replace("\u200d", ""))

    for field, typed in values.items():
        assert printed(typed) in minutes, field
    for field in EXTRACT_TEXT:
        assert printed(values[field]) in extract, field

    # The workbooks hold it as text, no formula, control characters Excel forbids removed.
    texts = workbook_texts(secretary_client.get(f"/meetings/{meeting.slug}/minutes.xlsx"))
    for field, typed in values.items():
        assert any(excel_text(typed.strip()) in text for text in texts), field
    texts = workbook_texts(client.get("/resolutions/export.xlsx"))
    for field in EXPORT_TEXT:
        assert excel_text(values[field].strip()) in texts, field


@pytest.mark.parametrize("kind", ["markup", "cyrillic", "emoji", "control"])
def test_hostile_text_reaches_the_calendars_and_the_feed_as_text(client, kind):
    values = hostile_meeting_values(kind)
    meeting = make_meeting(
        **{f: values[f].strip() for f in ("title", "topic", "preamble", "address")},
        format=Meeting.Format.OFFLINE,
    )
    summary = f"{meeting.title}: {meeting.topic}"
    for url in [f"/meetings/{meeting.slug}/calendar.ics", "/meetings/calendar.ics"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.count(b"BEGIN:VEVENT") == 1  # no event smuggled in
        (event,) = Calendar.from_ical(response.content).walk("VEVENT")
        # iCalendar has one line break: a CR comes back as LF, harmlessly.
        assert str(event["SUMMARY"]) == re.sub(r"\r\n?", "\n", summary)
        assert str(event["LOCATION"]) == re.sub(r"\r\n?", "\n", meeting.address)

    response = client.get("/meetings/feed/")
    assert response.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    (entry,) = ElementTree.fromstring(response.content).iter(f"{atom}entry")
    # XML cannot hold C0 control characters: the feed drops them, keeps everything else.
    # XML parsers also read a CR as LF.
    expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", summary)
    assert entry.findtext(f"{atom}title") == re.sub(r"\r\n?", "\n", expected)


@pytest.mark.parametrize("text", [EMOJI, CONTROL], ids=["emoji", "control"])
def test_characters_the_font_lacks_are_never_drawn_as_notdef_boxes(client, caplog, text):
    meeting = make_meeting(preamble=text)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf_text(client.get(f"/meetings/{meeting.slug}/minutes.pdf"))
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_formulas_typed_on_the_meeting_page_reach_the_workbooks_as_text(
    secretary_client, client, meeting, formula
):
    response = post_meeting(secretary_client, meeting, dict.fromkeys(MEETING_TEXT, formula))
    assert response.status_code == 302, response.content.decode()[:3000]
    typed = formula.strip()  # the form strips a leading tab or CR
    assert set(typed_texts(meeting).values()) == {typed}
    texts = workbook_texts(secretary_client.get(f"/meetings/{meeting.slug}/minutes.xlsx"))
    assert typed in texts
    assert texts.count(typed) >= 9  # title, number, address, preamble, intros, rows…
    assert typed in workbook_texts(client.get("/resolutions/export.xlsx"))


@pytest.mark.parametrize("formula", FORMULAS, ids=repr)
def test_formulas_stored_by_any_road_reach_the_workbooks_as_text(secretary_client, formula):
    # Written past the forms (an import, the shell): a leading tab or CR is kept too.
    organization = make_organization(formula, municipality=make_municipality(formula))
    member = make_member(formula, first_name=formula, patronymic=formula, organization=organization)
    meeting = make_meeting(
        title=formula,
        topic=formula,
        number=formula[:30],
        address=formula,
        preamble=formula,
        resolved_intro=formula,
        decisions_intro=formula,
        venue=organization,
        chair=member,
        secretary=member,
        format=Meeting.Format.OFFLINE,
    )
    agenda = make_agenda_item(meeting, 1, formula)
    agenda.speakers = agenda.summary = formula
    agenda.save()
    Attendance.objects.create(meeting=meeting, guest_name=formula)
    Attendance.objects.create(meeting=meeting, member=member)
    resolution = make_resolution(
        meeting, 1, kind=Resolution.Kind.ADMISSION, text=formula, responsible_person=formula
    )
    resolution.responsible_organizations.add(organization)
    admit(resolution, member)

    expected = excel_text(formula)
    texts = workbook_texts(secretary_client.get(f"/meetings/{meeting.slug}/minutes.xlsx"))
    assert texts.count(expected) >= 10
    assert member.full_name in texts
    texts = workbook_texts(secretary_client.get("/resolutions/export.xlsx"))
    assert texts.count(expected) >= 4
