"""The page cache for visitors who are not logged in: a second visit costs one query, a
browser that has the page gets a 304, and every committed write shows at once. htmx
fragments and forms with a CSRF token are never cached for the public; logged-in users
have a cache of their own (tests/test_sidebuffer_innlogga.py)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from helpers import HOSPITERING, avtale_facts, htmx, tiltak, tiltak_form

from avtalar.models import Avtale
from moter.models import Mote, Sak
from portal.sidebuffer import stempel


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.SIDEBUFFER = True
    from django.core.cache import caches

    caches[settings.SIDEBUFFER_CACHE].clear()


def test_a_second_anonymous_visit_costs_one_query(public, seeded, django_assert_num_queries):
    first = public.get("/avtalar/")
    with django_assert_num_queries(1):  # the data stamp
        second = public.get("/avtalar/")
    assert second.status_code == 200
    assert second.content == first.content
    assert "Delavtale gjensidig hospiteringsordning" in second.content.decode()
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_browser_that_has_the_page_gets_304(public, seeded):
    page = public.get("/avtalar/")
    assert page["Cache-Control"] == "no-cache"
    again = public.get("/avtalar/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = public.get("/avtalar/", HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])
    assert since.status_code == 304
    other = public.get("/avtalar/?q=hospitering", HTTP_IF_NONE_MATCH=page["ETag"])
    assert other.status_code == 200


def test_an_edit_by_the_secretariat_shows_to_the_public_at_once(
    public, sekretariat, seeded, django_capture_on_commit_callbacks
):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    before = public.get(avtale.get_absolute_url())
    assert "Under revisjon" not in before.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = htmx(
            sekretariat,
            "post",
            reverse("avtalar:endre", args=[avtale.slug]),
            avtale_facts(avtale, status="under_revisjon"),
        )
    assert response.status_code == 200
    after = public.get(avtale.get_absolute_url())
    assert "Under revisjon" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    # A browser revalidating its old copy gets the new page, not a 304.
    assert (
        public.get(avtale.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    )


def test_a_save_of_many_rows_changes_the_stamp_once(
    public, sekretariat, seeded, django_capture_on_commit_callbacks
):
    """A tiltak saved in place writes the record twice, its relations and its history: the
    page cache needs one new stamp for that, not one UPDATE and commit per row."""
    t = tiltak()
    before = public.get(t.delmal.innsatsomrade.plan.get_absolute_url())
    assert "Ny kommentar til tiltaket" not in before.content.decode()
    stamp = stempel()[0]
    with django_capture_on_commit_callbacks() as callbacks:
        response = htmx(
            sekretariat,
            "post",
            reverse("handlingsplan:tiltak_endre", args=[t.pk]),
            tiltak_form(t, kommentar="Ny kommentar til tiltaket"),
        )
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    stamps = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "portal_dataversjon"')]
    assert len(stamps) == 1, stamps
    assert stempel()[0] != stamp
    after = public.get(t.delmal.innsatsomrade.plan.get_absolute_url())
    assert "Ny kommentar til tiltaket" in after.content.decode()


def test_a_write_outside_a_request_shows_too(public, seeded, django_capture_on_commit_callbacks):
    """Commands, background tasks and the admin write through the models, not the views."""
    assert "Ny tittel frå ein kommando" not in public.get("/avtalar/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        avtale = Avtale.objects.get(slug=HOSPITERING)
        avtale.tittel = "Ny tittel frå ein kommando"
        avtale.save()
    assert "Ny tittel frå ein kommando" in public.get("/avtalar/").content.decode()


def test_a_new_day_renders_the_page_again(public, seeded, monkeypatch):
    """The front page shows what is coming up, so it changes at midnight without a write."""
    public.get("/")
    assert _queries(public, "/") == 1
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    assert _queries(public, "/") > 1
    assert _queries(public, "/") == 1


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_logged_in_users_page_is_never_served_to_the_public(public, sekretariat, seeded):
    anonymous = public.get("/avtalar/").content.decode()
    assert "Logg inn" in anonymous
    mine = sekretariat.get("/avtalar/").content.decode()
    assert "Logg ut" in mine and "Sigrid" in mine
    # ... and what they saw is not served to the public.
    assert "Sigrid" not in public.get("/avtalar/").content.decode()


def test_closed_papers_seen_by_a_member_never_reach_the_public(public, medlem, fsu):
    mote = Mote.objects.create(utval=fsu, dato=timezone.localdate(), offentlege_papir=True)
    Sak.objects.create(
        mote=mote, utval=fsu, ar=mote.dato.year, nummer=1, tittel="Lukka personalsak",
        offentleg=False,
    )  # fmt: skip
    assert "Lukka personalsak" in medlem.get(mote.get_absolute_url()).content.decode()
    assert "Lukka personalsak" not in public.get(mote.get_absolute_url()).content.decode()


def test_htmx_fragments_and_forms_are_not_cached(public, seeded, django_assert_max_num_queries):
    htmx(public, "get", "/avtalar/?q=hospitering")
    with django_assert_max_num_queries(10) as queries:
        fragment = htmx(public, "get", "/avtalar/?q=hospitering")
    assert len(queries) > 1 and "<html" not in fragment.content.decode()

    login = public.get(reverse("login"))
    assert "csrfmiddlewaretoken" in login.content.decode()
    assert "Cache-Control" not in login or "no-cache" in login["Cache-Control"]
    assert "ETag" not in login  # a page with a CSRF token is personal


def test_a_database_outage_still_answers_the_nynorsk_503(public, seeded):
    from unittest import mock

    from django.db import OperationalError

    down = OperationalError("connection refused")
    with (
        mock.patch("portal.sidebuffer.stempel", side_effect=down),
        mock.patch("partnarskap.access.Utval.objects.all", side_effect=down),
    ):
        response = public.get("/partnarskap/")
    assert response.status_code == 503
    assert "Portalen er mellombels utilgjengeleg" in response.content.decode()
