"""The page cache for logged-in users: one whole page per data state and audience (the
secretariat, the members of a set of utval, anyone else logged in), with each reader's
name and CSRF token put back in. Every committed edit shows at once to every audience, and
nothing crosses from one audience or one user to another."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from helpers import HOSPITERING, avtale_facts, htmx, logged_in

from avtalar.models import Avtale
from moter.models import Mote, Sak
from portal.access import SEKRETARIAT


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.SIDEBUFFER = True
    caches[settings.SIDEBUFFER_CACHE].clear()
    caches["default"].clear()


def _get(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page))


def test_a_second_visit_by_the_secretariat_is_served_from_the_cache(sekretariat, seeded):
    url = Avtale.objects.get(slug=HOSPITERING).get_absolute_url()
    first, rendered = _get(sekretariat, url)
    second, served = _get(sekretariat, url)
    assert served < rendered and served <= 3  # the user, the data stamp, at most the session
    assert "Sigrid" in second and "(sekretariatet)" in second
    assert reverse("avtalar:endre", args=[HOSPITERING]) in second  # the editor's controls
    # The same page, but a token of its own: a page's tokens are masked anew each time.
    assert _tokens(second) and _tokens(second) != _tokens(first)


def test_names_and_csrf_tokens_never_cross_users(sekretariat, sekretariat_user, seeded):
    other_user = User.objects.create_user("knut", password="ikkje-i-bruk-123", first_name="Knut")
    other_user.groups.add(Group.objects.get(name=SEKRETARIAT))
    other = logged_in(other_user)
    url = Avtale.objects.get(slug=HOSPITERING).get_absolute_url()
    mine, _ = _get(sekretariat, url)
    theirs, served = _get(other, url)
    assert served <= 4  # from the cache (their audience is looked up once)
    assert "Knut" in theirs and "Sigrid" not in theirs
    assert "Sigrid" in mine and "Knut" not in mine
    secret = other.cookies[settings.CSRF_COOKIE_NAME].value
    tokens = _tokens(theirs) | set(re.findall(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', theirs))
    assert tokens and all(_unmask_cipher_token(t) == secret for t in tokens)
    assert not (tokens & (_tokens(mine)))
    # A token on the cached page works for its reader: the edit goes through.
    avtale = Avtale.objects.get(slug=HOSPITERING)
    other.handler.enforce_csrf_checks = True
    response = other.post(
        reverse("avtalar:endre", args=[HOSPITERING]),
        {**avtale_facts(avtale), "csrfmiddlewaretoken": tokens.pop()},
    )
    assert response.status_code in (200, 302)


def test_an_fsu_member_never_sees_the_secretariats_controls(sekretariat, medlem, seeded):
    url = Avtale.objects.get(slug=HOSPITERING).get_absolute_url()
    editor = reverse("avtalar:endre", args=[HOSPITERING])
    assert editor in _get(sekretariat, url)[0]
    page, _ = _get(medlem, url)
    assert editor not in page and "(sekretariatet)" not in page and "mari" in page
    assert editor in _get(sekretariat, url)[0]


def test_a_member_of_another_utval_never_gets_closed_papers(medlem, annan_medlem, fsu):
    mote = Mote.objects.create(utval=fsu, dato=timezone.localdate(), offentlege_papir=True)
    Sak.objects.create(
        mote=mote, utval=fsu, ar=mote.dato.year, nummer=1, tittel="Lukka personalsak",
        offentleg=False,
    )  # fmt: skip
    assert "Lukka personalsak" in _get(medlem, mote.get_absolute_url())[0]
    assert "Lukka personalsak" not in _get(annan_medlem, mote.get_absolute_url())[0]
    assert "Lukka personalsak" in _get(medlem, mote.get_absolute_url())[0]


def test_an_edit_by_the_secretariat_shows_at_once_to_every_audience(
    public, medlem, annan_medlem, sekretariat, seeded, django_capture_on_commit_callbacks
):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    readers = (public, medlem, annan_medlem, sekretariat)
    for reader in readers:
        assert "Under revisjon" not in _get(reader, avtale.get_absolute_url())[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = htmx(
            sekretariat,
            "post",
            reverse("avtalar:endre", args=[avtale.slug]),
            avtale_facts(avtale, status="under_revisjon"),
        )
    assert response.status_code == 200
    for reader in readers:
        assert "Under revisjon" in _get(reader, avtale.get_absolute_url())[0]


def test_a_new_seat_changes_what_the_member_sees_at_once(
    annan_medlem, annan_medlem_user, fsu, django_capture_on_commit_callbacks
):
    from partnarskap.models import Medlemskap

    mote = Mote.objects.create(utval=fsu, dato=timezone.localdate(), offentlege_papir=True)
    Sak.objects.create(
        mote=mote, utval=fsu, ar=mote.dato.year, nummer=1, tittel="Lukka personalsak",
        offentleg=False,
    )  # fmt: skip
    assert "Lukka personalsak" not in _get(annan_medlem, mote.get_absolute_url())[0]
    with django_capture_on_commit_callbacks(execute=True):
        Medlemskap.objects.create(person=annan_medlem_user.person, utval=fsu)
    assert "Lukka personalsak" in _get(annan_medlem, mote.get_absolute_url())[0]


def test_a_message_after_a_save_is_shown_not_cached(sekretariat, seeded):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage

    url = reverse("avtalar:oversikt")
    _get(sekretariat, url)
    storage = CookieStorage(None)
    storage.add(constants.SUCCESS, "Avtala er lagra.")
    encoded = storage._encode([*storage._queued_messages])
    sekretariat.cookies["messages"] = encoded
    page, _ = _get(sekretariat, url)
    assert "Avtala er lagra." in page
    assert "Avtala er lagra." not in _get(sekretariat, url)[0]


def test_htmx_fragments_for_logged_in_users_are_rendered_every_time(sekretariat, seeded):
    htmx(sekretariat, "get", "/avtalar/?q=hospitering")
    with CaptureQueriesContext(connection) as queries:
        fragment = htmx(sekretariat, "get", "/avtalar/?q=hospitering")
    assert len(queries) > 3 and "<html" not in fragment.content.decode()


def test_cache_url_chooses_the_backend():
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings import _cache

    assert _cache("redis://127.0.0.1:6379/2", "sider", 10)["BACKEND"].startswith("django_redis")
    assert _cache("locmem://", "sider", 10)["OPTIONS"] == {"MAX_ENTRIES": 10}
    with pytest.raises(ImproperlyConfigured):
        _cache("memcached://127.0.0.1", "sider", 10)


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_pages_and_sessions_are_shared_through_redis(settings, sekretariat, medlem, seeded):
    """As with several servers: what one renders into Redis, the next serves, per audience."""
    from portal.settings import _cache

    settings.CACHES = {
        "default": _cache("redis://127.0.0.1:6379/4", "test-default", 0),
        settings.SIDEBUFFER_CACHE: _cache("redis://127.0.0.1:6379/4", "test-sider", 0),
    }
    caches["default"].clear()
    caches[settings.SIDEBUFFER_CACHE].clear()
    url = Avtale.objects.get(slug=HOSPITERING).get_absolute_url()
    editor = reverse("avtalar:endre", args=[HOSPITERING])
    first, rendered = _get(sekretariat, url)
    second, served = _get(sekretariat, url)
    assert served < rendered and editor in second
    assert editor not in _get(medlem, url)[0]
    caches[settings.SIDEBUFFER_CACHE].clear()


def test_the_header_is_the_only_place_a_template_shows_the_user():
    """What the page cache puts back per reader (portal/sidebuffer.py): a template that
    showed the user anywhere else would show one reader's name to their whole audience."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    shown = [
        f"{path.relative_to(root)}:{number}"
        for path in root.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"(?<![.\w])(request\.)?user\.(?!is_authenticated\b)", line)
        and 'class="konto__namn"' not in line
    ]
    assert not shown, f"Per-user text outside the header: {shown}"
