"""Meetings: the møteplan, agendas, numbering, ordering, uploads, access, calendar feeds and
minutes, as the public, members and the secretariat meet them."""

import json
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from helpers import blank_pdf, body, htmx, pdf_pages, pdf_text
from icalendar import Calendar

from bench.testdata import lag_pdf
from moter.models import Deltaking, Mote, Referat, Sak, Vedlegg
from partnarskap.models import Person


@pytest.fixture
def mote(fsu) -> Mote:
    return Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))


def _sak(mote: Mote, nummer: int, **fields) -> Sak:
    fields.setdefault("tittel", f"Testsak {nummer}")
    fields.setdefault("rekkjefolgje", nummer)
    return Sak.objects.create(
        mote=mote, utval=mote.utval, ar=mote.dato.year, nummer=nummer, **fields
    )


def _vedlegg(sak: Sak, sider: int = 1, tekst: str = "Testvedlegg") -> Vedlegg:
    vedlegg = Vedlegg(sak=sak, tittel=tekst, sider=sider)
    vedlegg.fil.save("v.pdf", ContentFile(lag_pdf(sider, tekst)), save=True)
    return vedlegg


def _text(response) -> str:
    return response.content.decode()


# --- The møteplan as seed 004 gives it ---


def test_the_plan_for_2024_is_the_seeds_table(public, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = _text(public.get(reverse("moter:ar", args=[2024])))
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    rows = table.split("<tr>")[1:]
    assert len(rows) == 4
    # Host per term, FSU then SSU then Partnarskapsmøtet, as the seed lists them.
    assert "Kommunane" in rows[0] and "14. februar" in rows[0] and "29. februar" in rows[0]
    assert "Helse Førde" in rows[1]
    assert rows[1].index("16. mai") < rows[1].index("30. mai") < rows[1].index("23. mai")
    assert "Kommunane" in rows[2] and "5. september" in rows[2] and "3. oktober" in rows[2]
    assert "Helse Førde" in rows[3] and "7. november" in rows[3] and "5. desember" in rows[3]
    assert "Erfaringskonferanse innan psykisk helse og rusarbeid" in page
    assert "12.–13. juni 2024" in page
    assert "Thon Partner Jølster Hotell, Skei i Jølster" in page


def test_a_meeting_without_time_or_place_says_so(public, mote):
    page = _text(public.get(mote.get_absolute_url()))
    assert "onsdag 14. februar 2024" in page
    assert page.count("Ikkje fastsett") == 2  # time and place; the host is Kommunane
    assert "Kommunane" in page


def test_meeting_page_queries_do_not_grow_with_the_agenda(
    medlem, mote, django_assert_max_num_queries
):
    _vedlegg(_sak(mote, 1))
    with django_assert_max_num_queries(20) as few:
        medlem.get(mote.get_absolute_url())
    for n in range(2, 8):
        _vedlegg(_sak(mote, n))
        _vedlegg(Sak.objects.get(mote=mote, nummer=n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = _text(medlem.get(mote.get_absolute_url()))
    assert "Sak 7/24 Testsak 7" in page


def test_the_year_list_and_front_list_use_few_queries(
    public, seeded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert public.get(reverse("moter:oversikt")).status_code == 200
    with django_assert_max_num_queries(4):
        pdf = public.get(reverse("moter:moteplan_pdf", args=[2024]))
    pages = pdf_pages(pdf.content)
    assert len(pages) == 1
    assert "14. februar" in pages[0]


# --- Building the agenda ---


def test_the_new_sak_form_opens_in_place_and_the_page_does_not_list_the_portfolio(
    sekretariat, mote
):
    from avtalar.models import Avtale

    url = reverse("moter:sak_ny", args=[mote.pk])
    page = sekretariat.get(mote.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page and f'data-hx-get="{url}"' in page
    assert 'name="avtalar"' not in page
    opened = htmx(sekretariat, "get", url)
    html = opened.content.decode()
    assert opened.status_code == 200 and 'id="sakliste"' in html and "<html" not in html
    assert '<h3 data-fokus tabindex="-1">Legg til sak</h3>' in html
    assert Avtale.objects.order_by("tittel").last().tittel in html
    refused = htmx(sekretariat, "post", url, {"type": "vedtak"})
    assert refused.status_code == 422 and 'aria-invalid="true"' in refused.content.decode()
    assert 'data-fokus tabindex="-1">Legg til sak' not in refused.content.decode()


def test_saker_are_numbered_per_utval_and_year(sekretariat, mote, ssu):
    url = reverse("moter:sak_ny", args=[mote.pk])
    sekretariat.post(url, {"tittel": "Hospitering", "type": "vedtak"})
    sekretariat.post(url, {"tittel": "Utskriving", "type": "drofting"})
    assert [s.saksnummer for s in mote.saker.all()] == ["1/24", "2/24"]
    page = _text(sekretariat.get(mote.get_absolute_url()))
    assert "Sak 2/24 Utskriving" in page

    # Another utval counts from 1 in the same year.
    ssu_mote = Mote.objects.get(utval=ssu, dato=date(2024, 2, 29))
    sekretariat.post(
        reverse("moter:sak_ny", args=[ssu_mote.pk]), {"tittel": "Ny", "type": "vedtak"}
    )
    assert ssu_mote.saker.get().saksnummer == "1/24"

    # A number used twice in a year is refused at the field, and nothing is stored.
    later = Mote.objects.get(utval=mote.utval, dato=date(2024, 5, 16))
    response = htmx(
        sekretariat,
        "post",
        reverse("moter:sak_ny", args=[later.pk]),
        {"nummer": 2, "tittel": "Dobbel", "type": "vedtak"},
    )
    assert response.status_code == 422
    assert "Saksnummeret 2/24 er alt brukt i 2024." in _text(response)
    assert not later.saker.exists()
    # With the number left out the next free one is given, in the later meeting too.
    sekretariat.post(
        reverse("moter:sak_ny", args=[later.pk]), {"tittel": "Neste", "type": "vedtak"}
    )
    assert later.saker.get().saksnummer == "3/24"


def test_reordering_moves_the_sak_but_keeps_its_number(sekretariat, mote):
    for n in (1, 2, 3):
        _sak(mote, n)
    third = mote.saker.get(nummer=3)
    response = htmx(
        sekretariat, "post", reverse("moter:sak_flytt", args=[third.pk]), {"retning": "opp"}
    )
    assert response.status_code == 200
    assert "Sak 3/24 er flytta opp." in response["HX-Trigger"]
    page = _text(response)
    assert page.index("Sak 1/24") < page.index("Sak 3/24") < page.index("Sak 2/24")

    # Without JavaScript: a plain form post and a redirect back to the sak.
    response = sekretariat.post(reverse("moter:sak_flytt", args=[third.pk]), {"retning": "opp"})
    assert response.status_code == 302
    assert [s.saksnummer for s in mote.saker.order_by("rekkjefolgje")] == ["3/24", "1/24", "2/24"]
    # Top stays top, and the user is told so.
    response = htmx(
        sekretariat, "post", reverse("moter:sak_flytt", args=[third.pk]), {"retning": "opp"}
    )
    assert json.loads(response["HX-Trigger"])["portal:melding"] == "Sak 3/24 står alt først."
    assert mote.saker.order_by("rekkjefolgje").first() == third
    assert third.history.first().history_change_reason == "Flytta i saklista"


def test_editing_a_sak_in_place_and_a_stale_edit(sekretariat, mote):
    sak = _sak(mote, 1)
    url = reverse("moter:sak_endre", args=[sak.pk])
    form = htmx(sekretariat, "get", url)
    assert 'name="edit_version"' in _text(form)
    data = {"nummer": 1, "tittel": "Testsak 1", "type": "vedtak", "edit_version": 1}
    ok = htmx(sekretariat, "post", url, {**data, "saksframlegg": "Bakgrunn for saka."})
    assert ok.status_code == 200 and "Bakgrunn for saka." in _text(ok)
    stale = htmx(sekretariat, "post", url, {**data, "saksframlegg": "Gamal tekst."})
    assert stale.status_code == 409
    assert "Nokon andre har lagra ei endring" in _text(stale)
    assert "Bakgrunn for saka." in _text(stale)  # what the other person saved
    assert "Gamal tekst." in _text(stale)  # and what this person wrote, for a second try
    sak.refresh_from_db()
    assert sak.saksframlegg == "Bakgrunn for saka."


def test_members_of_other_utval_and_the_public_cannot_edit(public, annan_medlem, medlem, mote):
    for client in (public, annan_medlem, medlem):
        response = client.post(reverse("moter:sak_ny", args=[mote.pk]), {"tittel": "X"})
        assert response.status_code == 403
    assert not mote.saker.exists()


# --- Uploads ---


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Dette er ikkje ein PDF", "Fila er ikkje ein PDF."),
        (b"%PDF-1.7\n1 0 obj garbage", "PDF-fila er skadd og kan ikkje lesast."),
        ("encrypted", "PDF-fila er kryptert eller passordverna."),
        ("huge", "Fila er for stor. Største tillatne storleik er 1 MB."),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    sekretariat, mote, media, settings, content, message
):
    settings.MAX_UPLOAD_MB = 1
    if content == "encrypted":
        content = blank_pdf(password="hemmeleg")
    elif content == "huge":
        content = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10)
    sak = _sak(mote, 1)
    upload = SimpleUploadedFile("vedlegg.pdf", content, content_type="application/pdf")
    response = htmx(
        sekretariat, "post", reverse("moter:vedlegg_ny", args=[sak.pk]), {"fil": upload}
    )
    assert response.status_code == 422
    assert message in _text(response)
    assert not Vedlegg.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_a_good_upload_is_stored_in_order(sekretariat, mote, public):
    sak = _sak(mote, 1)
    url = reverse("moter:vedlegg_ny", args=[sak.pk])
    for name in ("Notat.pdf", "Rapport.pdf"):
        upload = SimpleUploadedFile(name, lag_pdf(3, name), content_type="application/pdf")
        response = htmx(sekretariat, "post", url, {"fil": upload})
        assert response.status_code == 200
    assert [(v.tittel, v.sider) for v in sak.vedlegg.all()] == [("Notat", 3), ("Rapport", 3)]
    page = _text(public.get(mote.get_absolute_url()))
    assert page.index("Notat") < page.index("Rapport")
    assert "(PDF, 3 sider)" in page
    download = public.get(reverse("moter:vedlegg", args=[sak.vedlegg.first().pk]))
    assert download.status_code == 200
    assert body(download).startswith(b"%PDF-")


# --- Non-public papers ---


def test_non_public_saker_are_for_members_and_the_secretariat_only(
    public, annan_medlem, medlem, sekretariat, mote
):
    open_sak = _sak(mote, 1, tittel="Open sak")
    secret = _sak(mote, 2, tittel="Personalsak om ein tilsett", offentleg=False)
    attachment = _vedlegg(secret)
    for client, refused in ((public, 302), (annan_medlem, 404)):  # 302: to the login page
        page = _text(client.get(mote.get_absolute_url()))
        assert "Open sak" in page
        assert "Personalsak" not in page
        assert "Saka er unnateken offentlegheit." in page
        assert client.get(reverse("moter:vedlegg", args=[attachment.pk])).status_code == refused
        feed = _text(client.get(reverse("moter:kalender_utval", args=["fsu"])))
        assert "Open sak" in feed and "Personalsak" not in feed
    for client in (medlem, sekretariat):
        assert "Personalsak om ein tilsett" in _text(client.get(mote.get_absolute_url()))
        assert client.get(reverse("moter:vedlegg", args=[attachment.pk])).status_code == 200
    assert open_sak.pk


def test_a_meeting_with_closed_papers_hides_its_agenda(public, annan_medlem, medlem, mote):
    mote.offentlege_papir = False
    mote.save()
    _sak(mote, 1, tittel="Budsjett")
    for client, refused in ((public, 302), (annan_medlem, 404)):  # 302: to the login page
        assert "Budsjett" not in _text(client.get(mote.get_absolute_url()))
        assert client.get(reverse("moter:motepakke", args=[mote.pk])).status_code == refused
    assert "Budsjett" in _text(medlem.get(mote.get_absolute_url()))
    assert medlem.get(reverse("moter:motepakke", args=[mote.pk])).status_code == 200


# --- Planning the year, and the calendar feed ---


def _events(client, url) -> dict:
    cal = Calendar.from_ical(client.get(url).content)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_calendar_feed_updates_moved_and_cancelled_meetings(
    public, sekretariat, mote, ssu, django_assert_max_num_queries
):
    for n in range(1, 6):
        _sak(mote, n)
    with django_assert_max_num_queries(3):
        events = _events(public, reverse("moter:kalender"))
    assert len(events) == 10
    fsu_events = _events(public, reverse("moter:kalender_utval", args=["fsu"]))
    assert len(fsu_events) == 4
    uid = mote.kalender_uid
    event = fsu_events[uid]
    assert event.decoded("DTSTART") == date(2024, 2, 14)  # all day: the plan gives no time
    assert int(event["SEQUENCE"]) == 0

    # The secretariat moves the meeting and gives it a time and place.
    data = {
        "type": "utvalsmote",
        "utval": mote.utval_id,
        "dato": "2024-02-15",
        "start": "10:00",
        "slutt": "15:00",
        "stad": "Testrommet",
        "vertskap": "kommunane",
        "runde": 1,
        "status": "planlagt",
        "offentlege_papir": "on",
        "edit_version": mote.edit_version,
    }
    response = htmx(sekretariat, "post", reverse("moter:mote_endre", args=[mote.pk]), data)
    assert response.status_code == 200
    event = _events(public, reverse("moter:kalender_utval", args=["fsu"]))[uid]
    assert int(event["SEQUENCE"]) == 1
    # 10:00 in Oslo, written in UTC, which every calendar converts right.
    assert event.decoded("DTSTART").isoformat() == "2024-02-15T09:00:00+00:00"
    assert str(event["LOCATION"]) == "Testrommet"

    sekretariat.post(reverse("moter:mote_avlys", args=[mote.pk]))
    event = _events(public, reverse("moter:kalender_utval", args=["fsu"]))[uid]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 2
    # A cancelled meeting keeps its page and says it was cancelled.
    assert "Møtet er avlyst." in _text(public.get(mote.get_absolute_url()))
    # The SSU feed never had it.
    assert uid not in _events(public, reverse("moter:kalender_utval", args=[ssu.slug]))


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"start": "15:00", "slutt": "10:00"}, "Møtet kan ikkje slutte før det startar."),
        ({"dato": "2024-02-30"}, "Oppgje ein gyldig dato."),
        ({"til_dato": "2024-01-01"}, "Sluttdatoen kan ikkje vere før startdatoen."),
    ],
)
def test_bad_meeting_input_is_refused_at_the_field(sekretariat, fsu, change, field_error):
    data = {"type": "utvalsmote", "utval": fsu.pk, "dato": "2025-03-05", "status": "planlagt"}
    response = sekretariat.post(reverse("moter:mote_ny"), {**data, **change})
    assert response.status_code == 422
    assert field_error in _text(response)
    assert not Mote.objects.filter(dato__year=2025).exists()


def test_the_secretariat_plans_a_new_meeting(sekretariat, public, fsu):
    data = {"type": "utvalsmote", "utval": fsu.pk, "dato": "2025-03-05", "status": "planlagt"}
    response = sekretariat.post(reverse("moter:mote_ny"), data)
    assert response.status_code == 302
    mote = Mote.objects.get(dato=date(2025, 3, 5))
    assert mote.history.count() == 1
    assert "5. mars" in _text(public.get(reverse("moter:ar", args=[2025])))


# --- Minutes ---


def test_minutes_record_attendance_and_vedtak_and_are_approved_later(sekretariat, public, mote):
    sak = _sak(mote, 1, tittel="Hospitering")
    anne = Person.objects.create(namn="Anne Testmedlem")
    berit = Person.objects.create(namn="Berit Testvara")
    for person, rolle in ((anne, "medlem"), (berit, "vara")):
        mote.utval.medlemskap.create(person=person, rolle=rolle)
    later = Mote.objects.get(utval=mote.utval, dato=date(2024, 5, 16))
    url = reverse("moter:referat_endre", args=[mote.pk])
    form = _text(sekretariat.get(url))
    assert "Anne Testmedlem" in form and "Berit Testvara" in form

    bad = sekretariat.post(url, {f"status_{berit.pk}": "vara"})
    assert bad.status_code == 422
    assert "Vel kven vedkomande møtte som vara for." in _text(bad)

    response = sekretariat.post(
        url,
        {
            f"status_{anne.pk}": "fraverande",
            f"status_{berit.pk}": "vara",
            f"vara_for_{berit.pk}": anne.pk,
            f"vedtak_{sak.pk}": "FSU vedtok å prøve ut hospitering.",
            f"edit_version_{sak.pk}": sak.edit_version,
            "godkjent_i": later.pk,
        },
    )
    assert response.status_code == 302
    referat = Referat.objects.get(mote=mote)
    assert referat.deltaking.get(person=berit).vara_for == anne
    assert Deltaking.objects.count() == 2
    sak.refresh_from_db()
    assert sak.vedtak == "FSU vedtok å prøve ut hospitering."
    page = _text(public.get(mote.get_absolute_url()))
    assert "Berit Testvara: møtte som vara for Anne Testmedlem" in page
    assert "Godkjent" in page
    text = pdf_text(public.get(reverse("moter:referat_pdf", args=[mote.pk])).content)
    assert "FSU vedtok å prøve ut hospitering." in text
    assert "Møtte som vara for Anne Testmedlem" in text


# --- What meetings give the rest of the portal ---


def test_search_finds_a_vedtak_years_later_but_never_closed_papers(
    public, annan_medlem, medlem, mote
):
    _sak(mote, 1, tittel="Hospitering", vedtak="Hospitering mellom nivåa blir prøvd ut i 2024.")
    _sak(mote, 2, tittel="Lukka hospiteringssak", offentleg=False, vedtak="Hospitering: lukka.")
    url = reverse("sok") + "?q=kva vedtok FSU om hospitering?"
    for client in (public, annan_medlem):
        page = _text(client.get(url))
        assert "Sak 1/24 Hospitering" in page
        assert "Lukka" not in page
    assert "Lukka hospiteringssak" in _text(medlem.get(url))


def test_front_page_shows_next_meetings_and_the_members_own(public, medlem, fsu, ssu):
    soon = date.today().replace(day=1)
    for utval in (fsu, ssu):
        Mote.objects.create(utval=utval, dato=soon.replace(year=soon.year + 1), runde=1)
    page = _text(public.get("/"))
    assert "Neste møte" in page and "Fagleg samarbeidsutval" in page
    assert "Dine neste møte" not in page
    mine = _text(medlem.get("/")).split("Dine neste møte")[1].split("</div>")[0]
    assert "Fagleg samarbeidsutval" in mine and "møtepakka (PDF)" in mine
    assert "Strategisk" not in mine


def test_the_secretariat_is_told_what_to_follow_up(sekretariat, public, mote):
    Mote.objects.create(utval=mote.utval, dato=date.today() + timedelta(days=10))
    Referat.objects.create(mote=mote)
    page = _text(sekretariat.get("/"))
    assert "Møte utan innkalling og møtepakke" in page
    assert "Referatet frå Fagleg samarbeidsutval er ikkje godkjent" in page
    assert "Referatet frå" not in _text(public.get("/"))


def test_arshjul_gets_the_years_meetings(seeded):
    from moter.hooks import MoterHooks

    meetings = MoterHooks().arshjul_moter(2024)
    assert len(meetings) == 10
    first = min(meetings, key=lambda m: m.dato)
    assert first.dato == date(2024, 2, 14)
    assert first.utval_id == Mote.objects.get(dato=first.dato).utval_id
    assert first.url == Mote.objects.get(dato=first.dato).get_absolute_url()


def test_seed_scale_adds_synthetic_meetings_once_and_the_same_every_time(seeded, settings):
    from bench.scale.moter import add

    add(1)
    made = list(
        Sak.objects.filter(tittel__startswith="Testsak").values_list("tittel", "mote__dato")
    )
    assert made and all(d.year == 2023 for _, d in made)
    assert Vedlegg.objects.filter(sak__tittel__startswith="Testsak").count() == len(made)
    add(1)
    assert Sak.objects.filter(tittel__startswith="Testsak").count() == len(made)
    Mote.objects.filter(tittel__startswith="Testmøte").delete()
    add(1)
    again = list(
        Sak.objects.filter(tittel__startswith="Testsak").values_list("tittel", "mote__dato")
    )
    assert again == made


def test_a_sak_shows_the_agreements_and_tiltak_it_concerns(sekretariat, public, mote):
    from avtalar.models import Avtale

    avtale = Avtale.objects.create(type="delavtale", tittel="Testavtale om hospitering", slug="t")
    response = sekretariat.post(
        reverse("moter:sak_ny", args=[mote.pk]),
        {"tittel": "Revisjon", "type": "vedtak", "offentleg": "on", "avtalar": [avtale.pk]},
    )
    assert response.status_code == 302
    assert avtale.saker.get().tittel == "Revisjon"
    page = _text(public.get(mote.get_absolute_url()))
    assert f'Gjeld <a href="{avtale.get_absolute_url()}">Testavtale om hospitering</a>' in page
    # And the agreement's page lists the sak.
    assert "Sak 1/24 Revisjon" in _text(public.get(avtale.get_absolute_url()))


def test_attachments_can_be_reordered_and_the_pack_follows(sekretariat, medlem, mote):
    sak = _sak(mote, 1)
    first, second = _vedlegg(sak, tekst="FORSTE"), _vedlegg(sak, tekst="ANDRE")
    first.rekkjefolgje, second.rekkjefolgje = 1, 2
    first.save()
    second.save()
    response = htmx(
        sekretariat, "post", reverse("moter:vedlegg_flytt", args=[second.pk]), {"retning": "opp"}
    )
    assert response.status_code == 200
    assert (
        json.loads(response["HX-Trigger"])["portal:melding"] == "Vedlegget «ANDRE» er flytta opp."
    )
    page = _text(response)
    assert page.index("ANDRE") < page.index("FORSTE")
    text = pdf_pages(body(medlem.get(reverse("moter:motepakke", args=[mote.pk]))))
    andre = next(i for i, t in enumerate(text) if "ANDRE side 1" in t)
    forste = next(i for i, t in enumerate(text) if "FORSTE side 1" in t)
    assert andre + 1 == forste


def test_a_sak_number_is_fixed_once_the_agenda_is_sent(sekretariat, mote):
    sak = _sak(mote, 4)
    url = reverse("moter:sak_endre", args=[sak.pk])
    data = {"nummer": 9, "tittel": "Testsak 4", "type": "vedtak", "edit_version": 1}
    sekretariat.post(url, data)
    sak.refresh_from_db()
    assert sak.saksnummer == "9/24"  # still only planned: the number may be corrected
    mote.status = Mote.Status.INNKALLA
    mote.save()
    assert "kan ikkje endrast etter at innkallinga er send" in _text(sekretariat.get(url))
    sekretariat.post(url, {**data, "nummer": 5, "edit_version": 2, "tittel": "Nytt namn"})
    sak.refresh_from_db()
    assert (sak.saksnummer, sak.tittel) == ("9/24", "Nytt namn")


def test_an_agreement_page_lists_its_saker_in_flat_queries(
    public, mote, django_assert_max_num_queries
):
    from avtalar.models import Avtale

    avtale = Avtale.objects.create(type="delavtale", tittel="Testavtale", slug="testavtale")
    _sak(mote, 1).avtalar.add(avtale)
    with django_assert_max_num_queries(12) as one:
        public.get(avtale.get_absolute_url())
    for n in range(2, 7):
        _sak(mote, n).avtalar.add(avtale)
    _sak(mote, 7, offentleg=False, tittel="Lukka").avtalar.add(avtale)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = _text(public.get(avtale.get_absolute_url()))
    assert "Sak 6/24 Testsak 6" in page and "Lukka" not in page
