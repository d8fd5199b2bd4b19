"""Fixtures shared by every test: the seeded test database, the personas (the public, a
member of another utval, a member of the utval under test (FSU), and the secretariat), and
the Hypothesis profiles. Helpers (not fixtures) are in tests/helpers.py."""

import os
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from helpers import Postkasse, TableSnapshot, logged_in
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from partnarskap.models import Medlemskap, Partnar, Person, Utval
from portal.access import SEKRETARIAT
from portal.management.commands.seed import seed_fixtures

SEEDED = TableSnapshot()

# Hypothesis profiles, chosen by HYPOTHESIS_PROFILE ("dev" unless set; .ci/run sets "ci").
# max_examples is the number of random examples per route in the fuzz test
# (tests/test_fuzz.py), on top of the values it tries in every field at once. Both are
# derandomized: the same examples every run, so a failure comes back when run again.
hypothesis_settings.register_profile(
    "dev",
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# CI tries one random example per route on top of the fixed ones: the suite must fit its
# minutes on a small machine, and a developer's run (dev) tries ten.
hypothesis_settings.register_profile(
    "ci", parent=hypothesis_settings.get_profile("dev"), max_examples=1
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Templates are wrapped at 120 characters (make lint), so a phrase may break across lines
# of the HTML. A reader sees any run of white space as one space, and so do the tests;
# a textarea's value is left as it is.
_LINE_BREAK = re.compile(rb"\s*\n\s*")
_TEXTAREA = re.compile(rb"(<textarea.*?</textarea>)", re.S)


def _as_read(html: bytes) -> bytes:
    parts = _TEXTAREA.split(html)
    return b"".join(p if i % 2 else _LINE_BREAK.sub(b" ", p) for i, p in enumerate(parts))


@pytest.fixture(autouse=True)
def _pages_read_as_a_reader_sees_them(monkeypatch):
    request = Client.request

    def read(self, **kwargs):
        response = request(self, **kwargs)
        if not response.streaming and response.get("Content-Type", "").startswith("text/html"):
            response.content = _as_read(response.content)
        return response

    monkeypatch.setattr(Client, "request", read)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing takes a second per account on a small machine; tests make several.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads, attachments and built packs go to the test's own folder, never to media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # A test's writes are rolled back, never committed, so they would not invalidate cached
    # pages; tests/test_sidebuffer.py turns the cache on and commits its writes.
    settings.SIDEBUFFER = False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Each test database (one per xdist worker) gets the shipped data once; every test
    then runs in a transaction that is rolled back, so it starts from the seeds."""
    with django_db_blocker.unblock():
        seed_fixtures()
        SEEDED.take()


@pytest.fixture
def seeded(db):
    """The shipped data. It is there already, except after a transactional test (live
    server, threads), which empties the database when it ends: then it is put back as it
    was seeded, row for row (seeding again through the ORM takes seconds each time)."""
    if not Utval.objects.exists():
        SEEDED.restore()


@pytest.fixture
def fsu(seeded) -> Utval:
    return Utval.objects.get(slug="fsu")


@pytest.fixture
def ssu(seeded) -> Utval:
    return Utval.objects.get(slug="ssu")


def _person_with_seat(username: str, utval: Utval) -> User:
    user = User.objects.create_user(username, password="ikkje-i-bruk-123")
    person = Person.objects.create(
        namn=username.capitalize(), brukar=user, epost=f"{username}@example.no"
    )
    Medlemskap.objects.create(
        person=person,
        utval=utval,
        rolle=Medlemskap.Rolle.MEDLEM,
        partnar=Partnar.objects.get(slug="helse-forde"),
    )
    return user


@pytest.fixture
def public() -> Client:
    return Client()


@pytest.fixture
def sekretariat_user(seeded) -> User:
    user = User.objects.create_user("sigrid", password="ikkje-i-bruk-123", first_name="Sigrid")
    user.groups.add(Group.objects.get_or_create(name=SEKRETARIAT)[0])
    return user


@pytest.fixture
def sekretariat(sekretariat_user) -> Client:
    return logged_in(sekretariat_user)


@pytest.fixture
def medlem_user(fsu) -> User:
    """A member of FSU."""
    return _person_with_seat("mari", fsu)


@pytest.fixture
def medlem(medlem_user) -> Client:
    return logged_in(medlem_user)


@pytest.fixture
def annan_medlem_user(ssu) -> User:
    """A member of SSU, not of FSU."""
    return _person_with_seat("ola", ssu)


@pytest.fixture
def annan_medlem(annan_medlem_user) -> Client:
    return logged_in(annan_medlem_user)


@pytest.fixture
def data(fsu):
    """What the permission matrix and the fuzz test build URLs from."""
    seat = Medlemskap.objects.create(person=Person.objects.create(namn="Sete"), utval=fsu)
    return {"utval": fsu, "seat": seat}


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that the portal sends through (Postkasse says what it
    received and how it answers)."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    postkasse = Postkasse()
    controller = Controller(postkasse, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield postkasse
    finally:
        controller.stop()
