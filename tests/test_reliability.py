"""When the database is away, people get a clear page, not a crash."""

from unittest import mock

from django.db import OperationalError


def test_database_outage_answers_a_nynorsk_503(public, seeded, caplog):
    with mock.patch(
        "partnarskap.views.Utval.objects.prefetch_related",
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
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(sekretariat_user)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("server closed the connection"),
    ):
        response = client.get("/partnarskap/")
    assert response.status_code == 503
    assert "mellombels utilgjengeleg" in response.content.decode()
