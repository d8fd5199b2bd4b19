"""One edit protocol for every editor the secretariat has (portal/editing.py).

Every editor is tried by two people at once: both open it at the same version, the first
saves, the second is refused with 409 and the same message everywhere (who saved, when,
what they changed), keeps what they typed, and can save it on a second try. The list of
editors is checked against the portal itself, the way the permission matrix collects its
URLs: a page that opens an edit form on a saved record, or an edit form class, that is not
in EDITORS fails the first two tests."""

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import dateformat, timezone, translation
from django.utils.text import capfirst
from helpers import blank_pdf, htmx, rolled_back
from matrix import DENIED, ROUTES
from test_avtalar import upload

from avtalar.models import Avtale, Avtaleversjon, Signering
from handlingsplan.models import Delmal, Tiltak
from moter.models import Mote, Referat, Sak
from partnarskap.models import Arshjulpunkt, Medlemskap, Person, Samansetjingsregel, today
from portal import editing
from portal.access import SEKRETARIAT
from portal.history import norwegian

VERSION = editing.VERSION_FIELD
MESSAGE = "Nokon andre har lagra ei endring medan du redigerte. Endringa di er ikkje lagra."


@dataclass(frozen=True)
class Editor:
    """An editor as the two-session test uses it: its URL name (its kwargs come from the
    permission matrix), the field both people change, how to read it back, and what the
    conflict message must name as changed (the field's name on the record the form
    carries the version of, unless given)."""

    url: str
    felt: str
    lagra: Callable[[dict], str]
    a: str = "Endra av Sigrid"
    b: str = "Endra av Kari"
    endra: str = ""
    fyll: dict = field(default_factory=dict)  # what an empty form needs besides `felt`
    fil: str = ""  # a file field: both upload a PDF
    side: Callable[[dict], str] | None = None  # the page the editor opens in place on
    vist: str = ""  # how the conflict message shows `a`, if not as typed (a date)


def _plan(kw) -> str:
    return reverse("handlingsplan:periode", args=[2023, 2024])


def _mote_side(kw) -> str:
    return Mote.objects.get(pk=kw["pk"]).get_absolute_url()


EDITORS = [
    Editor(
        "handlingsplan:tiltak_endre",
        "kommentar",
        lambda kw: Tiltak.objects.get(pk=kw["pk"]).kommentar,
        side=_plan,
    ),
    Editor(
        "handlingsplan:delmal_endre",
        "tekst",
        lambda kw: Delmal.objects.get(pk=kw["pk"]).tekst,
        side=_plan,
    ),
    Editor(
        "moter:sak_endre",
        "tittel",
        lambda kw: Sak.objects.get(pk=kw["pk"]).tittel,
        side=lambda kw: Sak.objects.get(pk=kw["pk"]).mote.get_absolute_url(),
    ),
    Editor(
        "moter:mote_endre", "stad", lambda kw: Mote.objects.get(pk=kw["pk"]).stad, side=_mote_side
    ),
    # The matrix's meeting has no minutes yet: both open a new one, and the second to save
    # finds it made by the first.
    Editor("moter:referat_endre", "merknad", lambda kw: Referat.objects.get(mote=kw["pk"]).merknad),
    Editor(
        "partnarskap:medlemskap_endre",
        "merknad",
        lambda kw: Medlemskap.objects.get(pk=kw["pk"]).merknad,
        side=lambda kw: Medlemskap.objects.get(pk=kw["pk"]).utval.get_absolute_url(),
    ),
    Editor(
        "partnarskap:person_endre",
        "stilling",
        lambda kw: Person.objects.get(pk=kw["pk"]).stilling,
        side=lambda kw: Person.objects.get(pk=kw["pk"]).get_absolute_url(),
    ),
    Editor(
        "partnarskap:arshjulpunkt_endre",
        "kjelde",
        lambda kw: Arshjulpunkt.objects.get(pk=kw["pk"]).kjelde,
        side=lambda kw: reverse("partnarskap:arshjul"),
    ),
    Editor(
        "avtalar:endre",
        "neste_revisjon",
        lambda kw: str(Avtale.objects.get(slug=kw["slug"]).neste_revisjon),
        a=(today() + timedelta(days=400)).isoformat(),
        b=(today() + timedelta(days=800)).isoformat(),
        side=lambda kw: reverse("avtalar:avtale", args=[kw["slug"]]),
        vist=norwegian(today() + timedelta(days=400)),
    ),
    Editor(
        "partnarskap:samansetjing_endre",
        "kjelde",
        lambda kw: Samansetjingsregel.objects.get(utval__slug=kw["slug"]).kjelde,
    ),
    Editor(
        "avtalar:signering_endre",
        "merknad",
        lambda kw: Signering.objects.get(pk=kw["pk"]).merknad,
    ),
    # A new version changes the agreement: the second to register one is told about the first.
    Editor(
        "avtalar:ny_versjon",
        "versjon",
        lambda kw: Avtaleversjon.objects.filter(avtale__slug=kw["slug"]).latest("pk").versjon,
        endra="Ny versjon registrert",
        fyll={
            "godkjent_dato": (today() - timedelta(days=10)).isoformat(),
            "gjeld_fra": (today() - timedelta(days=1)).isoformat(),
            "samandrag": "Registrert frå to økter.",
        },
        fil="dokument",
    ),
]


class _Forms(HTMLParser):
    """The forms of a page, each as the browser would post it: name -> values."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, list[str]]]] = []  # (action, fields)
        self._form: dict[str, list[str]] | None = None
        self._select: str | None = None
        self._options: list[str] = []
        self._chosen: list[str] = []
        self._textarea: str | None = None
        self._text = ""
        self.feed(html)
        self.close()

    def _add(self, name: str, value: str) -> None:
        self._form.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self._form = {}
            self.forms.append((a.get("action", ""), self._form))
        elif self._form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
                return
            self._add(a["name"], a.get("value", ""))
        elif tag == "select":
            self._select, self._options, self._chosen = a["name"], [], []
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            self._options.append(a.get("value", ""))
            if "selected" in a:
                self._chosen.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = self._chosen or ([] if self._multiple else self._options[:1])
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "form":
            self._form = None


def edit_form(response) -> dict:
    """What the editor's form on a page (it posts to the page, with a version) posts as it
    stands."""
    path = response.wsgi_request.path
    html = response.content.decode()
    forms = [f for action, f in _Forms(html).forms if action == path and VERSION in f]
    assert len(forms) == 1, f"{len(forms)} edit forms on {path}"
    return forms[0]


def _editors_on(response, saved_only=True) -> set[editing.EditForm]:
    """The edit forms a response rendered (for records that exist, unless told)."""
    found = set()
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, editing.EditForm) and (
                value.versioned().pk is not None or not saved_only
            ):
                found.add(value)
    return found


def _subclasses(cls) -> set[type]:
    return {c for sub in cls.__subclasses__() for c in {sub, *_subclasses(sub)}}


@pytest.fixture
def kari(seeded) -> Client:
    """A second person in the secretariat."""
    user = User.objects.create_user("kari", password="ikkje-i-bruk-123", first_name="Kari")
    user.groups.add(Group.objects.get_or_create(name=SEKRETARIAT)[0])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_page_that_edits_a_saved_record_is_in_the_list(data, sekretariat):
    """The secretariat's own pages (those the public may not open), in place and whole:
    any that shows an edit form for a record that exists is an editor."""
    get_resolver().url_patterns  # noqa: B018  (imports every view and form)
    listed = {e.url for e in EDITORS}
    found = set()
    for name, route in sorted(ROUTES.items()):
        if route.expect["GET"]["public"] != DENIED or 200 not in route.expect["GET"]["sekretariat"]:
            continue
        with rolled_back():
            url = reverse(name, kwargs=route.kwargs(data))
            for extra in ({}, {"HTTP_HX_REQUEST": "true"}):
                if _editors_on(sekretariat.get(url, **extra)):
                    found.add(name)
    assert found, "no editor found: the check is not looking"
    missing = found - listed
    assert not missing, f"Add these editors to EDITORS in tests/test_editing.py: {sorted(missing)}"
    assert not listed - set(ROUTES), "EDITORS names URLs that no longer exist"


def test_every_edit_form_is_tried_by_an_editor_in_the_list(data, sekretariat):
    get_resolver().url_patterns  # noqa: B018  (imports every view and form)
    tried = set()
    for editor in EDITORS:
        with rolled_back():
            url = reverse(editor.url, kwargs=ROUTES[editor.url].kwargs(data))
            tried |= {type(form) for form in _editors_on(sekretariat.get(url), saved_only=False)}
    untried = {c.__qualname__ for c in _subclasses(editing.EditForm) - tried}
    assert not untried, f"These edit forms have no editor in EDITORS: {sorted(untried)}"


@pytest.mark.parametrize("hx", [True, False], ids=["i-staden", "heil-side"])
@pytest.mark.parametrize("editor", EDITORS, ids=[e.url for e in EDITORS])
def test_two_people_save_from_the_same_version(data, sekretariat, kari, media, editor, hx):
    extra = {"HTTP_HX_REQUEST": "true"} if hx else {}
    kwargs = ROUTES[editor.url].kwargs(data)
    url = reverse(editor.url, kwargs=kwargs)

    def post(client, form, value):
        payload = {**form, **editor.fyll, editor.felt: value}
        if editor.fil:
            payload[editor.fil] = upload("avtale.pdf", blank_pdf())
        return client.post(url, payload, **extra)

    sigrid_form = edit_form(sekretariat.get(url, **extra))
    kari_form = edit_form(kari.get(url, **extra))
    assert sigrid_form[VERSION] == kari_form[VERSION]

    first = post(sekretariat, sigrid_form, editor.a)
    assert first.status_code in (200, 302), first.content.decode()[:2000]
    second = post(kari, kari_form, editor.b)
    assert second.status_code == 409
    body = second.content.decode()
    assert MESSAGE in body
    record = _editors_on(second).pop().versioned()
    assert f"Lagra av Sigrid {_when(record.history.latest().history_date)}" in body
    if editor.endra:  # what they did, as their save says it
        assert f"({editor.endra})" in body
    else:  # what they changed, and what it says now
        name = capfirst(record._meta.get_field(editor.felt).verbose_name)
        assert f"<dt>{name}</dt><dd>{editor.vist or editor.a}</dd>" in body
    assert editor.lagra(kwargs) == editor.a  # the first save is intact

    # What Kari typed is still in the form, at the version saved now: a second try saves it.
    again = edit_form(second)
    assert again[editor.felt] == [editor.b]
    assert again[VERSION] != kari_form[VERSION]
    assert post(kari, again, editor.b).status_code in (200, 302)
    assert editor.lagra(kwargs) == editor.b


def _when(moment) -> str:
    """A moment as the message gives it: Norwegian date, Oslo time."""
    with translation.override("nn"):
        return dateformat.format(timezone.localtime(moment), r"j. F Y \k\l. H:i")


@pytest.mark.parametrize("editor", [e for e in EDITORS if e.side], ids=lambda e: e.url)
def test_an_open_editor_shares_no_id_with_its_page(data, sekretariat, editor):
    kwargs = ROUTES[editor.url].kwargs(data)
    form = htmx(sekretariat, "get", reverse(editor.url, kwargs=kwargs)).content.decode()
    page = sekretariat.get(editor.side(kwargs)).content.decode()
    ids = _field_ids(form)
    record = _editors_on(sekretariat.get(reverse(editor.url, kwargs=kwargs))).pop().instance
    prefix = f"id_{record._meta.model_name}_{record.pk}_"
    assert ids and all(i.startswith(prefix) for i in ids), ids
    assert not ids & _field_ids(page)


def _field_ids(html: str) -> set[str]:
    return set(re.findall(r'\bid="(id_[^"]+)"', html))


def test_a_change_made_without_a_form_makes_open_forms_stale(sekretariat, kari, seeded):
    """Cancelling a meeting while someone edits it: their save would put the meeting back
    on, so it is refused, and the message says what happened."""
    mote = Mote.objects.filter(utval__slug="fsu").order_by("dato").first()
    url = reverse("moter:mote_endre", args=[mote.pk])
    open_form = edit_form(htmx(kari, "get", url))
    assert htmx(sekretariat, "post", reverse("moter:mote_avlys", args=[mote.pk])).status_code == 200
    response = htmx(kari, "post", url, {**open_form, "stad": "Førde"})
    assert response.status_code == 409
    body = response.content.decode()
    assert MESSAGE in body and "Møtet er avlyst" in body and "<dt>Status</dt>" in body
    mote.refresh_from_db()
    assert mote.status == Mote.Status.AVLYST and mote.stad != "Førde"


def test_a_stale_delete_is_refused_with_the_same_message(sekretariat, kari, seeded):
    tiltak = Tiltak.objects.get(tekst="årshjul")
    seen = tiltak.edit_version
    edit = reverse("handlingsplan:tiltak_endre", args=[tiltak.pk])
    assert (
        htmx(
            sekretariat,
            "post",
            edit,
            {**edit_form(htmx(sekretariat, "get", edit)), "kommentar": "Ny"},
        ).status_code
        == 200
    )
    delete = reverse("handlingsplan:tiltak_slett", args=[tiltak.pk])
    for extra in ({"HTTP_HX_REQUEST": "true"}, {}):
        response = kari.post(delete, {VERSION: seen}, **extra)
        assert response.status_code == 409
        body = response.content.decode()
        assert "Nokon andre har lagra ei endring medan du redigerte. Ingenting er sletta." in body
        assert "Lagra av Sigrid" in body and "<dt>Kommentar</dt>" in body
    assert Tiltak.objects.filter(pk=tiltak.pk).exists()


def test_minutes_do_not_write_over_a_vedtak_changed_on_the_agenda(sekretariat, kari, seeded):
    mote = Mote.objects.filter(utval__slug="fsu").order_by("dato").first()
    sak = Sak.objects.create(mote=mote, utval=mote.utval, ar=mote.dato.year, nummer=1, tittel="X")
    referat = reverse("moter:referat_endre", args=[mote.pk])
    minutes = edit_form(kari.get(referat))  # Kari writes the minutes; the vedtak is empty
    sak_url = reverse("moter:sak_endre", args=[sak.pk])
    sak_form = edit_form(htmx(sekretariat, "get", sak_url))
    saved = htmx(sekretariat, "post", sak_url, {**sak_form, "vedtak": "Vedteke som forslaget."})
    assert saved.status_code == 200
    response = kari.post(referat, {**minutes, "merknad": "Godt møte."})
    assert response.status_code == 409
    body = response.content.decode()
    assert MESSAGE in body and f"i «{sak}»" in body and "Vedteke som forslaget." in body
    sak.refresh_from_db()
    assert sak.vedtak == "Vedteke som forslaget."
    assert not Referat.objects.filter(mote=mote).exists()  # nothing of the minutes either
    # The second try carries the sak's new version; Kari's empty vedtak field is hers to fill.
    again = edit_form(response)
    again[f"vedtak_{sak.pk}"] = ["Vedteke som forslaget."]
    assert kari.post(referat, {**again, "merknad": "Godt møte."}).status_code == 302
    assert Referat.objects.get(mote=mote).merknad == "Godt møte."


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_racing_for_one_version_never_both_win(sekretariat_user, monkeypatch):
    """Two connections at once: the first claims the version and holds its transaction
    open until the second's claim is waiting on the row lock. Then the first commits, and
    the second finds the version gone. (A check before the save would let both through.)"""
    mote = Mote.objects.filter(utval__slug="fsu").order_by("dato").first()
    url = reverse("moter:mote_endre", args=[mote.pk])
    client = Client()
    client.force_login(sekretariat_user)
    form = edit_form(htmx(client, "get", url))
    claimed, go, results = threading.Event(), threading.Event(), {}
    real_claim = editing.claim

    def claim_and_hold(record, seen):
        real_claim(record, seen)
        if threading.current_thread().name == "first":
            claimed.set()
            go.wait()

    monkeypatch.setattr(editing, "claim", claim_and_hold)

    def save(name: str) -> None:
        other = Client()
        other.force_login(sekretariat_user)
        results[name] = htmx(other, "post", url, {**form, "stad": name}).status_code
        connection.close()

    first = threading.Thread(target=save, args=("first",), name="first")
    second = threading.Thread(target=save, args=("second",), name="second")
    first.start()
    claimed.wait()
    second.start()
    for _ in range(600):  # until the second waits for the first's row lock
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
        threading.Event().wait(0.05)
    go.set()
    first.join()
    second.join()
    assert results == {"first": 200, "second": 409}
    mote.refresh_from_db()
    assert mote.stad == "first" and mote.edit_version == int(form[VERSION][0]) + 1
    assert mote.history.filter(edit_version=mote.edit_version).count() == 1
