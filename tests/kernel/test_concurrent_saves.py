"""Saves that race, as two people pressing «Сохранить» at once: one wins, the others are
told, nobody gets a 500 and no change is lost.

Real commits from threads, each with its own connection as each gunicorn worker has: on
PostgreSQL and on a SQLite file (the embedded default), through the `concurrent_db` fixture.
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from kernel import roles
from stats.models import Report
from tests.formscrape import form_data
from tests.helpers import (
    CLEAN_JUNE,
    LAST_JUNE,
    make_meeting,
    make_operator,
    make_organization,
    make_report,
    make_resolution,
    make_user,
    stored_values,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RACERS = 4
CONFLICT = "Ваши изменения не сохранены"
STALE_REPORT = "Пока вы редактировали отчёт"


def race(requests):
    """Start the requests at the same moment, each in a thread of its own; their responses,
    or the exception a view raised (the test client re-raises what would be a 500)."""
    barrier = threading.Barrier(len(requests))
    outcomes = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait()
            outcomes[index] = request()
        except Exception as error:  # what would be a 500 is the finding
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def admin_meeting():
    return make_meeting(), "meeting_form", "topic"


def admin_resolution():
    return make_resolution(make_meeting(), 1), "resolution_form", "text"


@pytest.mark.parametrize("record", [admin_meeting, admin_resolution], ids=["meeting", "resolution"])
def test_concurrent_admin_saves_one_wins_the_others_see_the_conflict(concurrent_db, record):
    obj, form_id, field = record()
    version = obj.version
    posts = []
    for n in range(RACERS):
        client = Client()
        client.force_login(make_user(f"secretary-{n}", group=roles.SECRETARY))
        # Every secretary opened the same version of the record.
        data = form_data(client.get(change_url(obj)).content.decode(), form_id)
        data[field] = f"Правка секретаря № {n}"
        posts.append(lambda client=client, data=data: client.post(change_url(obj), data))

    outcomes = race(posts)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert sorted(o.status_code for o in outcomes) == [200] * (RACERS - 1) + [302]
    for outcome in outcomes:
        if outcome.status_code == 200:
            assert CONFLICT in outcome.content.decode()
    winner = next(n for n, o in enumerate(outcomes) if o.status_code == 302)
    obj.refresh_from_db()
    assert getattr(obj, field) == f"Правка секретаря № {winner}"
    assert obj.version == version + 1


def test_concurrent_saves_of_one_report_one_wins_the_others_are_told(concurrent_db):
    cbs = make_organization("ЦБС Юргинского округа")
    make_report(cbs, 2024, 6, LAST_JUNE, status=Report.Status.ACCEPTED)
    june = make_report(cbs, 2025, 6, CLEAN_JUNE)
    version = june.version
    url = f"/stats/reports/{june.pk}/"
    posts = []
    for n in range(RACERS):
        client = Client()
        client.force_login(make_operator(cbs, f"operator-{n}"))
        data = form_data(client.get(url).content.decode(), "report-form")
        data.update({"VS.LOANS": str(1901 + n), "save_draft": "1"})
        posts.append(lambda client=client, data=data: client.post(url, data))

    outcomes = race(posts)

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert sorted(o.status_code for o in outcomes) == [200] * (RACERS - 1) + [302]
    for outcome in outcomes:
        if outcome.status_code == 200:
            assert STALE_REPORT in outcome.content.decode()
    winner = next(n for n, o in enumerate(outcomes) if o.status_code == 302)
    assert stored_values(june)["VS.LOANS"] == 1901 + winner
    june.refresh_from_db()
    assert june.version == version + 1
