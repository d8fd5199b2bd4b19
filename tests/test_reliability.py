"""When the database is away, people get a clear page, not a crash."""

from unittest import mock

import pytest
from django.db import OperationalError
from helpers import logged_in


def test_database_outage_answers_a_nynorsk_503(public, seeded, caplog):
    with mock.patch(
        "partnarskap.access.Utval.objects.all",
        side_effect=OperationalError("connection refused"),
    ):
        response = public.get("/partnarskap/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Portalen er mellombels utilgjengeleg" in response.content.decode()
    assert any("Database unavailable" in r.message for r in caplog.records)


def test_health_endpoint_reports_an_outage(public, db):
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("down")):
        response = public.get("/helse/")
    assert response.status_code == 503


def test_outage_inside_a_middleware_also_answers_503(seeded, sekretariat_user):
    client = logged_in(sekretariat_user, raise_request_exception=False)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("server closed the connection"),
    ):
        response = client.get("/partnarskap/")
    assert response.status_code == 503
    assert "mellombels utilgjengeleg" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_many_people_saving_one_tiltak_lose_no_update(seeded, sekretariat_user):
    """Eight people each save the same tiltak five times, each time from the version they
    last loaded. A save based on the current version wins; every other is told it lost,
    and the history holds exactly the winners, in order."""
    import threading

    from django.db import connection
    from django.urls import reverse
    from helpers import tiltak, tiltak_form

    from handlingsplan.models import Tiltak

    t = tiltak()
    url = reverse("handlingsplan:tiltak_endre", args=[t.pk])
    start_version = t.edit_version
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def person(n: int) -> None:
        client = logged_in(sekretariat_user)
        barrier.wait()
        for round_ in range(5):
            seen = Tiltak.objects.get(pk=t.pk)
            text = f"Lagring {n}.{round_}"
            response = client.post(url, tiltak_form(seen, kommentar=text), HTTP_HX_REQUEST="true")
            with lock:
                outcomes.append((response.status_code, text, response.content.decode()))
        connection.close()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    won = [text for status, text, _ in outcomes if status == 200]
    lost = [body for status, _, body in outcomes if status == 409]
    assert len(won) + len(lost) == 40, {status for status, _, _ in outcomes}
    assert won and all("Endringa di er ikkje lagra" in body for body in lost)
    t.refresh_from_db()
    assert t.edit_version == start_version + len(won)
    saved = list(
        t.history.filter(history_type="~")
        .order_by("history_date")
        .values_list("kommentar", flat=True)
    )
    assert sorted(saved) == sorted(won)
    assert t.kommentar == saved[-1]
