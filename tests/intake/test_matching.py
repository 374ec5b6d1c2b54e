"""Matching what the minutes name against the catalogues: an organisation is found however
it is spelt, several that fit are offered, a new one is created once; a member who exists
is offered instead of a duplicate."""

import pytest

from demo.catalogue import intake_catalogue
from intake import match_draft, parse_minutes
from intake.draft import Person
from intake.matching import (
    AMBIGUOUS,
    GROUP,
    MATCHED,
    NEW,
    MemberCatalogue,
    MemberRecord,
    OrgCatalogue,
    OrgRecord,
)
from intake.russian import PersonName


@pytest.fixture(scope="module")
def demo():
    rows = intake_catalogue()
    return OrgCatalogue(rows), {row[1]: row[0] for row in rows}


@pytest.mark.parametrize(
    "written, short_name, how",
    [
        ("Польсаевскую ЦБС", "Полысаевская ЦБС", "similar"),
        ("Полысаевской централизованной библиотечной системой", "Полысаевская ЦБС", "words"),
        ("МИБС г.Новокузнецка", "МИБС г. Новокузнецка", "name"),
        (
            "Муниципальной информационно-библиотечной системы г. Новокузнецка",
            "МИБС г. Новокузнецка",
            "name",
        ),
        ("МБУК «ЦБС» Беловского городского округа", "ЦБС г. Белово", "words"),
        ("ЦБC Беловского ГО", "ЦБС г. Белово", "words"),
        ("ЦБС г.Юрги", "ЦБС г. Юрги", "name"),
        (
            "ЦБС Ленинск-Кузнецкого муниципального округа",
            "ЦБС Ленинск-Кузнецкого муниципального округа",
            "name",
        ),
        (
            "Муниципальное бюджетное учреждение культуры «Централизованная библиотечная "
            "система» Киселевского городского округа",
            "ЦБС Киселевского городского округа",
            "name",
        ),
        ("ГНБК им. В. Д. Фёдорова", "ГНБК им. В.Д. Федорова", "name"),
        ("ГНБК", "ГНБК им. В.Д. Федорова", "words"),
        ("Государственной научной библиотеке Кузбасса", "ГНБК им. В.Д. Федорова", "words"),
    ],
)
def test_an_organisation_is_found_however_the_minutes_spell_it(demo, written, short_name, how):
    catalogue, ids = demo
    found = catalogue.match(written)
    assert (found.status, found.name, found.how) == (MATCHED, short_name, how)
    assert found.id == ids[short_name]


def test_a_department_is_matched_to_its_organisation(demo):
    catalogue, ids = demo
    found = catalogue.match("Научно-методическому отделу ГНБК")
    assert (found.status, found.id, found.how) == (MATCHED, ids["ГНБК им. В.Д. Федорова"], "unit")
    assert found.unit == "Научно-методический отдел"


def test_every_library_system_of_the_region_is_one_group(demo):
    catalogue, ids = demo
    found = catalogue.match("библиотечным системам области")
    assert found.status == GROUP
    assert ids["ГНБК им. В.Д. Федорова"] not in found.candidates
    assert len(found.candidates) == len(ids) - 1 == 34


@pytest.mark.parametrize(
    "written, candidates",
    [
        ("МИБС", ["МИБС г. Кемерово", "МИБС г. Новокузнецка"]),
        ("Беловской ЦБС", ["ЦБС Беловского муниципального округа", "ЦБС г. Белово"]),
        ("Юргинской ЦБС", ["ЦБС Юргинского муниципального округа", "ЦБС г. Юрги"]),
    ],
)
def test_several_that_fit_are_offered_not_guessed(demo, written, candidates):
    catalogue, ids = demo
    found = catalogue.match(written)
    assert found.status == AMBIGUOUS and found.id is None
    assert sorted(found.candidates) == sorted(ids[c] for c in candidates)


@pytest.mark.parametrize(
    "written, nominative",
    [
        ("Московской ЦБС", "Московская ЦБС"),  # one letter from «Мысковская», not the same
        ("Детской библиотеке им. А. Гайдара", "Детская библиотека им. А. Гайдара"),
    ],
)
def test_an_unknown_organisation_is_new_with_its_name_in_the_nominative(demo, written, nominative):
    found = demo[0].match(written)
    assert found.status == NEW
    assert found.mention.nominative == nominative


def test_aliases_are_names_too_one_a_line_or_a_list():
    catalogue = OrgCatalogue(
        [
            (1, "ГНБК им. В.Д. Федорова", "", "КОНБ им. В.Д. Федорова\nОбластная библиотека"),
            OrgRecord(2, "ЦБС г. Юрги", aliases=("Юргинская ЦБС",)),
        ]
    )
    assert catalogue.match("КОНБ им. В.Д.Федорова").id == 1
    assert catalogue.match("Областной библиотеке").id == 1
    assert catalogue.match("Юргинской ЦБС").id == 2


def test_a_new_organisation_named_twice_is_created_once(demo):
    draft = parse_minutes(
        "Заседание Клуба\n23 июня 2021 г.\n\nПостановили:\n"
        "1. Ввести в состав Клуба Иванову Марию Петровну (Северную ЦБС), Петрову Анну "
        "Сергеевну (Северная ЦБС).\n"
        "2. Выразить благодарность коллективу Северной ЦБС за работу."
    )
    matches = match_draft(draft, demo[0])
    created = matches.new_organisations()
    assert [m.mention.nominative for m in created] == ["Северная ЦБС"]
    assert [m.person.name.full_name for m in matches.new_members()] == [
        "Иванова Мария Петровна",
        "Петрова Анна Сергеевна",
    ]


def person(surname, first="", patronymic="", initials=""):
    name = PersonName(surname, first, patronymic, "f", initials)
    return Person(written=name.full_name, name=name)


@pytest.fixture
def members():
    return MemberCatalogue(
        [
            (1, "Девятых", "Ирина", "Анатольевна", 10),
            MemberRecord(2, "Иванова", "Мария", "Петровна", 20),
            MemberRecord(3, "Иванова", "Мария", "Петровна", 30),
            MemberRecord(4, "Фёдорова", "Алёна", "Семёновна", 20),
            MemberRecord(5, "Кентнер", "Наталья", "", 20),
        ]
    )


def test_an_existing_member_is_found_and_not_duplicated(members):
    found = members.match(person("Девятых", "Ирина", "Анатольевна"))
    assert (found.status, found.id, found.name) == (MATCHED, 1, "Девятых Ирина Анатольевна")


def test_yo_does_not_hide_a_member(members):
    assert members.match(person("Федорова", "Алена", "Семеновна")).id == 4


def test_namesakes_are_offered_unless_the_organisation_tells_them_apart(members, demo):
    catalogue = OrgCatalogue([(30, "ЦБС г. Юрги", "")])
    namesake = person("Иванова", "Мария", "Петровна")
    found = members.match(namesake)
    assert (found.status, sorted(found.candidates)) == (AMBIGUOUS, [2, 3])
    told_apart = members.match(namesake, catalogue.match("ЦБС г.Юрги"))
    assert (told_apart.status, told_apart.id) == (MATCHED, 3)


def test_a_record_without_a_patronymic_or_initials_only_is_offered(members):
    found = members.match(person("Кентнер", "Наталья", "Евгеньевна"))
    assert (found.status, found.candidates) == (AMBIGUOUS, (5,))
    found = members.match(person("Девятых", initials="И. А."))
    assert (found.status, found.id) == (MATCHED, 1)


def test_someone_not_in_the_catalogue_is_new(members):
    assert members.match(person("Исаенкова", "Анна", "Владимировна")).status == NEW
