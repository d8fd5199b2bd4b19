"""The meeting's life: a meeting whose day has passed is held; a referat is approved only in a
later held meeting of the same utval, and that locks the meeting, its agenda and the referat
until the secretariat opens it again with a reason; the secretariat's follow-up list; and
closed papers that ask a visitor to log in rather than pretend not to exist."""

import json
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from helpers import htmx

from bench.testdata import lag_pdf
from moter import syklus
from moter.models import GODKJENT_I_FEIL, Mote, Referat, Sak, Vedlegg


@pytest.fixture
def mote(fsu) -> Mote:
    return Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))


@pytest.fixture
def seinare(fsu) -> Mote:
    """FSU's next meeting in the seeds, long held by now."""
    return Mote.objects.get(utval=fsu, dato=date(2024, 5, 16))


def _today() -> date:
    return timezone.localdate()


def _text(response) -> str:
    return response.content.decode()


def _sak(mote: Mote, nummer: int = 1, **fields) -> Sak:
    fields.setdefault("tittel", f"Testsak {nummer}")
    return Sak.objects.create(
        mote=mote, utval=mote.utval, ar=mote.dato.year, nummer=nummer, rekkjefolgje=nummer, **fields
    )


def _vedlegg(sak: Sak, tittel: str = "Testvedlegg") -> Vedlegg:
    vedlegg = Vedlegg(sak=sak, tittel=tittel, sider=1)
    vedlegg.fil.save("v.pdf", ContentFile(lag_pdf(1, tittel)), save=True)
    return vedlegg


def _approve(client, mote: Mote, i: Mote, **extra):
    """Post the referat form with ``i`` as the meeting that approved it (the agenda's
    vedtak as they are, with their versions)."""
    versions = {f"edit_version_{s.pk}": s.edit_version for s in mote.saker.all()}
    referat = Referat.objects.filter(mote=mote).first()
    versions["edit_version"] = referat.edit_version if referat else 0
    return client.post(
        reverse("moter:referat_endre", args=[mote.pk]),
        {"godkjent_i": i.pk, **versions, **extra},
    )


# --- A meeting whose day has passed is held ---


def test_a_meeting_whose_day_has_passed_shows_as_held_unless_cancelled(public, sekretariat, fsu):
    past = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    assert past.status == Mote.Status.PLANLAGT  # the seeds are not rewritten
    coming = Mote.objects.create(utval=fsu, dato=_today() + timedelta(days=20))
    cancelled = Mote.objects.get(utval=fsu, dato=date(2024, 5, 16))
    sekretariat.post(reverse("moter:mote_avlys", args=[cancelled.pk]))
    today = Mote.objects.create(utval=fsu, dato=_today())

    def status(mote):
        page = _text(public.get(mote.get_absolute_url()))
        return page.split("<dt>Status</dt><dd>")[1].split("</dd>")[0]

    assert "Halde" in status(past)
    assert "Planlagt" in status(coming)
    assert "Avlyst" in status(cancelled)
    assert "Planlagt" in status(today)  # held once the day has passed
    plan = _text(public.get(reverse("moter:ar", args=[2024])))
    assert "Halde" in plan and "Planlagt" not in plan
    assert "Halde" in _text(public.get(reverse("moter:oversikt")))


def test_a_meeting_cannot_be_marked_held_before_its_day(sekretariat, fsu):
    coming = Mote.objects.create(utval=fsu, dato=_today() + timedelta(days=3))
    data = {
        "type": "utvalsmote",
        "utval": fsu.pk,
        "dato": coming.dato.isoformat(),
        "status": "halde",
        "edit_version": coming.edit_version,
    }
    response = sekretariat.post(reverse("moter:mote_endre", args=[coming.pk]), data)
    assert response.status_code == 422
    assert "Møtet kan ikkje vere halde før dagen det startar." in _text(response)
    coming.refresh_from_db()
    assert coming.status == Mote.Status.PLANLAGT


def test_the_front_page_follows_the_real_dates(public, sekretariat, fsu, ssu):
    now = _today()
    Mote.objects.create(utval=fsu, dato=now + timedelta(days=10), stad="Førde")
    Mote.objects.create(utval=ssu, dato=now - timedelta(days=2), stad="Sogndal")
    page = _text(public.get("/"))
    neste, siste = page.split("Neste møte</h2>")[1].split("Siste møte", 1)
    assert "Fagleg samarbeidsutval" in neste and "Strategisk" not in neste
    # Each utval's last held meeting, newest first: SSU two days ago, FSU in 2024.
    siste = siste.split("</ul>")[0]
    assert siste.index("Strategisk samarbeidsutval") < siste.index("Fagleg samarbeidsutval")
    assert "2024" in siste
    assert f'href="/moter/{now.year}/">Møteplan {now.year}' in page
    assert "Til oppfølging: møte og referat" not in page
    assert reverse("moter:oppfolging") in _text(sekretariat.get("/"))


# --- Approved only in a later held meeting of the same utval ---


@pytest.mark.parametrize("kva", ["tidlegare", "anna utval", "ikkje halde", "avlyst", "seg sjølv"])
def test_godkjent_i_must_name_a_later_held_meeting_of_the_same_utval(
    sekretariat, mote, seinare, ssu, kva
):
    other = {
        "tidlegare": lambda: Mote.objects.create(utval=mote.utval, dato=date(2023, 11, 1)),
        "anna utval": lambda: Mote.objects.get(utval=ssu, dato=date(2024, 2, 29)),
        "ikkje halde": lambda: Mote.objects.create(
            utval=mote.utval, dato=_today() + timedelta(days=7)
        ),
        "avlyst": lambda: Mote.objects.create(
            utval=mote.utval, dato=date(2024, 3, 1), status=Mote.Status.AVLYST
        ),
        "seg sjølv": lambda: mote,
    }[kva]()
    url = reverse("moter:referat_endre", args=[mote.pk])
    form = _text(sekretariat.get(url))
    assert f'value="{seinare.pk}"' in form  # the one meeting that may approve it is offered
    assert f'value="{other.pk}"' not in form.split('name="godkjent_i"')[1].split("</select>")[0]

    response = _approve(sekretariat, mote, other)
    assert response.status_code == 422
    assert GODKJENT_I_FEIL in _text(response)
    assert "godkjent_i_error" in _text(response)  # said at the field
    assert not Referat.objects.filter(mote=mote).exists()  # nothing half-saved


def test_a_meeting_marked_held_today_may_approve(sekretariat, mote):
    today = Mote.objects.create(utval=mote.utval, dato=_today())
    assert _approve(sekretariat, mote, today).status_code == 422
    today.status = Mote.Status.HALDE
    today.save()
    assert _approve(sekretariat, mote, today).status_code == 302
    assert Referat.objects.get(mote=mote).godkjent_i == today


# --- Approval locks the meeting, its agenda and its referat ---


@pytest.fixture
def laast(sekretariat, mote, seinare) -> dict:
    """Mote with a sak and an attachment, its referat approved in the next meeting."""
    sak = _sak(mote, 1, tittel="Hospitering")
    _sak(mote, 2, tittel="Eventuelt")
    vedlegg = _vedlegg(sak, "Notat")
    _vedlegg(sak, "Anna notat")
    response = _approve(sekretariat, mote, seinare, merknad="Godkjent utan merknader.")
    assert response.status_code == 302
    return {"mote": mote, "sak": sak, "vedlegg": vedlegg}


def _every_change(laast: dict) -> list[tuple[str, str, dict]]:
    mote, sak, vedlegg = laast["mote"], laast["sak"], laast["vedlegg"]
    upload = SimpleUploadedFile("ny.pdf", lag_pdf(1), content_type="application/pdf")
    return [
        ("post", reverse("moter:sak_ny", args=[mote.pk]), {"tittel": "Ny sak", "type": "vedtak"}),
        (
            "post",
            reverse("moter:sak_endre", args=[sak.pk]),
            {"tittel": "Nytt namn", "type": "vedtak", "nummer": 1, "edit_version": 1},
        ),
        ("post", reverse("moter:sak_flytt", args=[sak.pk]), {"retning": "ned"}),
        (
            "post",
            reverse("moter:mote_endre", args=[mote.pk]),
            {
                "type": "utvalsmote",
                "utval": mote.utval_id,
                "dato": "2024-02-15",
                "status": "planlagt",
                "edit_version": mote.edit_version,
            },
        ),
        ("post", reverse("moter:mote_avlys", args=[mote.pk]), {}),
        ("post", reverse("moter:vedlegg_ny", args=[sak.pk]), {"fil": upload}),
        ("post", reverse("moter:vedlegg_flytt", args=[vedlegg.pk]), {"retning": "ned"}),
        ("post", reverse("moter:vedlegg_slett", args=[vedlegg.pk]), {}),
        (
            "post",
            reverse("moter:referat_endre", args=[mote.pk]),
            {"merknad": "Endra etterpå.", "godkjent_i": mote.referat.godkjent_i_id},
        ),
        ("get", reverse("moter:referat_endre", args=[mote.pk]), {}),
        ("get", reverse("moter:sak_endre", args=[sak.pk]), {}),
        ("get", reverse("moter:mote_endre", args=[mote.pk]), {}),
        ("get", reverse("moter:sak_ny", args=[mote.pk]), {}),
    ]


def _state(mote: Mote) -> list:
    mote.refresh_from_db()
    referat = Referat.objects.get(mote=mote)
    return [
        (mote.dato, mote.status, mote.edit_version),
        (referat.merknad, referat.edit_version),
        list(mote.saker.values_list("pk", "tittel", "rekkjefolgje", "edit_version")),
        list(Vedlegg.objects.filter(sak__mote=mote).values_list("pk", "rekkjefolgje")),
    ]


def test_approval_locks_every_change_with_a_clear_message(sekretariat, laast):
    mote = laast["mote"]
    before = _state(mote)
    for method, url, data in _every_change(laast):
        response = getattr(sekretariat, method)(url, data)
        assert response.status_code == 409, (method, url, response.status_code)
        assert "Referatet frå møtet er godkjent" in _text(response), url
        assert "Opne referatet att" in _text(response), url  # the way out is on the page
    assert _state(mote) == before


def test_approval_locks_htmx_fragments_too(sekretariat, laast):
    mote = laast["mote"]
    before = _state(mote)
    for method, url, data in _every_change(laast):
        response = htmx(sekretariat, method, url, data)
        assert response.status_code == 409, (method, url)
        assert response["HX-Retarget"] == "#laas"
        assert json.loads(response["HX-Trigger"])["portal:melding"] == syklus.LAAST
        assert 'id="laas"' in _text(response) and "Møtet er låst" in _text(response)
    assert _state(mote) == before


def test_a_locked_meeting_page_offers_no_editing_but_the_way_to_reopen(sekretariat, public, laast):
    mote = laast["mote"]
    page = _text(sekretariat.get(mote.get_absolute_url()))
    assert "Møtet er låst" in page
    assert reverse("moter:referat_opne", args=[mote.pk]) in page
    for hidden in ("sak_ny", "referat_endre", "mote_endre", "mote_avlys"):
        assert f'"{reverse(f"moter:{hidden}", args=[mote.pk])}"' not in page, hidden
    sak, vedlegg = laast["sak"], laast["vedlegg"]
    assert f'"{reverse("moter:sak_endre", args=[sak.pk])}"' not in page
    assert f'"{reverse("moter:vedlegg_ny", args=[sak.pk])}"' not in page
    assert f'"{reverse("moter:vedlegg_slett", args=[vedlegg.pk])}"' not in page
    assert f'"{reverse("moter:vedlegg", args=[vedlegg.pk])}"' in page  # still to be read
    public_page = _text(public.get(mote.get_absolute_url()))
    assert "Møtet er låst" in public_page and "Opne referatet att" not in public_page


def test_an_approval_is_announced_once_it_is_committed(
    sekretariat, mote, seinare, monkeypatch, django_capture_on_commit_callbacks
):
    # Where the e-mail branch tells the utval's followers (moter.syklus.referat_godkjent).
    told = []
    monkeypatch.setattr(syklus, "referat_godkjent", told.append)
    url = reverse("moter:referat_endre", args=[mote.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert sekretariat.post(url, {"merknad": "Utkast", "edit_version": 0}).status_code == 302
    assert told == []
    with django_capture_on_commit_callbacks(execute=True):
        assert _approve(sekretariat, mote, seinare).status_code == 302
    assert [r.mote for r in told] == [mote]


def test_history_cannot_restore_a_locked_meetings_papers(sekretariat, mote, seinare):
    sak = _sak(mote, 1, tittel="Første tittel")
    sak.tittel = "Andre tittel"
    sak.save()
    referat = Referat.objects.create(mote=mote, merknad="Utkast")
    referat.godkjent_i = seinare
    referat.save()
    cases = [(sak, sak.history.earliest()), (referat, referat.history.earliest())]
    for record, first in cases:
        name = record._meta.model_name
        url = reverse("gjenopprett", args=["moter", name, record.pk, first.history_id])
        page = sekretariat.post(url, follow=True).content.decode()
        assert "kunne ikkje gjenopprettast" in page and "møtet er låst" in page, name
    assert Sak.objects.get(pk=sak.pk).tittel == "Andre tittel"
    assert Referat.objects.get(pk=referat.pk).godkjent_i == seinare


def test_an_edit_that_started_before_the_approval_is_refused(mote, seinare):
    stale = Mote.objects.get(pk=mote.pk)
    assert not stale.laast  # read before the approval
    Referat.objects.create(mote=mote, godkjent_i=seinare)
    with pytest.raises(syklus.Laast), syklus.open_for_endring(stale):
        pytest.fail("an approved meeting was opened for a change")


# --- Opening the referat again ---


def test_the_secretariat_reopens_with_a_reason_that_history_keeps(
    sekretariat, public, medlem, laast, seinare
):
    mote = laast["mote"]
    url = reverse("moter:referat_opne", args=[mote.pk])
    assert medlem.post(url, {"grunn": "Eg vil endre"}).status_code == 403

    no_reason = sekretariat.post(url, {"grunn": ""})
    assert no_reason.status_code == 422
    assert "Skriv kvifor referatet skal opnast att." in _text(no_reason)
    too_long = sekretariat.post(url, {"grunn": "x" * 200})
    assert too_long.status_code == 422
    assert Referat.objects.get(mote=mote).godkjent_i == seinare  # still locked

    response = sekretariat.post(url, {"grunn": "Retta skrivefeil i vedtaket i sak 1/24"})
    assert response.status_code == 302
    referat = Referat.objects.get(mote=mote)
    assert referat.godkjent_i is None  # to be approved again
    latest = referat.history.latest("history_date")
    assert latest.history_change_reason == "Opna att: Retta skrivefeil i vedtaket i sak 1/24"
    assert latest.history_user.username == "sigrid"

    page = _text(sekretariat.get(mote.get_absolute_url()))
    assert "Referatet vart opna att" in page and "av Sigrid" in page
    assert "Grunn: Retta skrivefeil i vedtaket i sak 1/24" in page
    assert "Møtet er låst" not in page
    public_page = _text(public.get(mote.get_absolute_url()))
    assert "Grunn: Retta skrivefeil" in public_page and "av Sigrid" not in public_page
    history = _text(public.get(reverse("historikk", args=["moter", "referat", referat.pk])))
    assert "Retta skrivefeil i vedtaket" in history

    # Open again: the agenda can change, and approving again locks it again.
    new = sekretariat.post(
        reverse("moter:sak_ny", args=[mote.pk]), {"tittel": "Tilleggssak", "type": "vedtak"}
    )
    assert new.status_code == 302
    assert _approve(sekretariat, mote, seinare).status_code == 302
    again = sekretariat.post(reverse("moter:sak_ny", args=[mote.pk]), {"tittel": "X"})
    assert again.status_code == 409

    # Reopening what is not approved changes nothing and says so.
    sekretariat.post(url, {"grunn": "Første gong"})
    assert sekretariat.post(url, {"grunn": "Andre gong"}, follow=True).status_code == 200
    assert referat.history.filter(history_change_reason="Opna att: Andre gong").count() == 0


# --- Til oppfølging ---


def test_til_oppfolging_lists_held_meetings_without_referat_and_referat_to_approve(
    sekretariat, public, medlem, mote, seinare, fsu
):
    url = reverse("moter:oppfolging")
    assert public.get(url).status_code == 403
    assert medlem.get(url).status_code == 403
    coming = Mote.objects.create(utval=fsu, dato=_today() + timedelta(days=30))
    Referat.objects.create(mote=mote)

    page = _text(sekretariat.get(url))
    utan, ventar = page.split("Referat som ventar på godkjenning")
    assert seinare.get_absolute_url() in utan  # held, no referat
    assert reverse("moter:referat_endre", args=[seinare.pk]) in utan
    assert mote.get_absolute_url() not in utan  # it has one
    assert coming.get_absolute_url() not in page  # not held yet
    assert "Referatet frå Fagleg samarbeidsutval 14. februar 2024" in ventar
    assert "kan godkjennast i" in ventar and seinare.get_absolute_url() in ventar

    assert url in _text(sekretariat.get(reverse("moter:oversikt")))
    assert url not in _text(public.get(reverse("moter:oversikt")))
    front = _text(sekretariat.get("/"))
    assert "Haldne møte utan referat" in front
    assert "Fagleg samarbeidsutval: møtet er halde, men referatet er ikkje ført" in front


def test_til_oppfolging_uses_few_queries(sekretariat, fsu, django_assert_max_num_queries):
    for month in range(1, 12):
        mote = Mote.objects.create(utval=fsu, dato=date(2023, month, 1))
        Referat.objects.create(mote=mote)
    with django_assert_max_num_queries(8):
        assert sekretariat.get(reverse("moter:oppfolging")).status_code == 200


# --- Closed papers: log in, then there ---


def test_a_visitor_following_a_link_to_closed_papers_logs_in_and_gets_there(
    public, medlem_user, annan_medlem, mote
):
    secret = _sak(mote, 1, tittel="Personalsak", offentleg=False, heimel="Offl. § 13")
    attachment = _vedlegg(secret, "Lukka notat")
    url = reverse("moter:vedlegg", args=[attachment.pk])

    response = public.get(url)
    assert response.status_code == 302
    login = f"{reverse('login')}?next={url}"
    assert response["Location"] == login
    page = public.post(
        login, {"username": medlem_user.username, "password": "ikkje-i-bruk-123"}, follow=True
    )
    assert page.redirect_chain[-1][0] == url
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"

    # Logged in but not a member: as if it did not exist. Nothing there: 404 for all.
    assert annan_medlem.get(url).status_code == 404
    assert public.get(reverse("moter:vedlegg", args=[attachment.pk + 1000])).status_code == 404

    # On the meeting page, the exempt sak says why and offers to log in.
    visitor = type(public)()
    meeting = _text(visitor.get(mote.get_absolute_url()))
    assert "Saka er unnateken offentlegheit (Offl. § 13)." in meeting
    assert f"?next={mote.get_absolute_url()}%23sak-{secret.pk}" in meeting


def test_the_members_pack_asks_a_visitor_to_log_in(public, medlem, annan_medlem, mote, seinare):
    seinare.offentlege_papir = False
    seinare.save()
    closed = reverse("moter:motepakke", args=[seinare.pk])
    assert public.get(closed)["Location"] == f"{reverse('login')}?next={closed}"
    assert annan_medlem.get(closed).status_code == 404
    assert medlem.get(closed).status_code == 200
    missing = reverse("moter:motepakke", args=[seinare.pk + 1000])
    assert public.get(missing).status_code == 404

    # The link members are sent: the members' pack, so log in if it holds closed papers...
    members = reverse("moter:motepakke", args=[mote.pk]) + "?utgave=medlemmar"
    assert public.get(members).status_code == 200  # nothing closed: the same as the public's
    _sak(mote, 1, tittel="Personalsak", offentleg=False)
    response = public.get(members)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert annan_medlem.get(members).status_code == 404
    assert "-medlemmar.pdf" in medlem.get(members)["Content-Disposition"]
    # ...while the plain link still gives the public their edition.
    assert public.get(reverse("moter:motepakke", args=[mote.pk])).status_code == 200


def test_heimel_belongs_to_exempt_saker_only(sekretariat, mote):
    url = reverse("moter:sak_ny", args=[mote.pk])
    data = {"tittel": "Open sak", "type": "vedtak", "offentleg": "on", "heimel": "Offl. § 13"}
    response = sekretariat.post(url, data)
    assert response.status_code == 422
    assert "Heimel for unnatak høyrer berre til saker som er unnatekne offentlegheit" in _text(
        response
    )
    assert not mote.saker.exists()
    del data["offentleg"]
    assert sekretariat.post(url, data).status_code == 302
    assert mote.saker.get().heimel == "Offl. § 13"
