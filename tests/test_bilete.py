"""The partnership's living picture (issue 18): composition rules and seats, signing of
agreements, a municipality's own page, links both ways, and what changed since an utval
last met."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from helpers import HOSPITERING, blank_pdf, body, htmx, pdf_text, tiltak, tiltak_form

from avtalar.models import Avtale, Signering
from moter.models import Mote, Referat, Sak
from partnarskap.models import Medlemskap, Partnar, Person, Samansetjingsregel, Utval, today


def _seat(utval, namn, partnar=None, gruppe="", rolle=Medlemskap.Rolle.MEDLEM, **dates):
    return Medlemskap.objects.create(
        person=Person.objects.create(namn=namn),
        utval=utval,
        partnar=Partnar.objects.get(slug=partnar) if partnar else None,
        gruppe=gruppe,
        rolle=rolle,
        **dates,
    )


def _text(response) -> str:
    return " ".join(response.content.decode().split())


# --- Composition rules and seats ---


def _rad(kind: str, *cells: str) -> str:
    """A row of the composition table: its kind, then each cell's value (labels aside)."""
    tds = r"</td>\s?".join(rf"<td[^>]*>{re.escape(c)}" for c in cells)
    return rf'<th scope="row">{re.escape(kind)}</th>{tds}'


def test_the_shipped_rules_are_the_seeds_and_nothing_more(ssu, fsu):
    rule = ssu.samansetjingsregel
    assert (rule.helseforetak, rule.kommunar, rule.brukarar) == (6, 6, 2)
    assert rule.fastlegar is None and rule.totalt is None and rule.vara is None
    assert fsu.samansetjingsregel.totalt == 12
    assert fsu.samansetjingsregel.helseforetak is None  # "equal", not "6 and 6"
    seeded = set(Samansetjingsregel.objects.values_list("utval__slug", flat=True))
    assert "avtaleutvalet" not in seeded and "partnarskapsmotet" not in seeded


def test_utval_page_shows_filled_and_vacant_seats_against_the_rule(public, ssu):
    _seat(ssu, "Hanne HF", "helse-forde")
    _seat(ssu, "Kari Kinn", "kinn")
    _seat(ssu, "Bjørn Brukar", "brukarorganisasjonane", Medlemskap.Gruppe.BRUKAR)
    page = _text(public.get(ssu.get_absolute_url()))
    assert "Plassar etter samansetjingsregelen" in page
    # Helseføretaket: 6 in the rule, 1 filled, 5 vacant; brukarar: 2, 1, 1.
    assert re.search(
        r'<th scope="row">Helseføretaket</th><td[^>]*>6</td>\s?<td[^>]*>1</td>\s?<td[^>]*>5', page
    )
    assert re.search(
        r'<th scope="row">Brukarar</th><td[^>]*>2</td>\s?<td[^>]*>1</td>\s?<td[^>]*>1', page
    )
    fastlegar = (
        r'<th scope="row">Fastlegar</th><td[^>]*>Ikkje fastsett</td>\s?<td[^>]*>0</td>\s?<td[^>]*>–'
    )
    assert re.search(fastlegar, page)
    assert "Helseføretaket: 1, kommunane: 1." in page


def test_an_utval_with_nobody_in_it_is_not_balanced(public, seeded):
    utval = Utval.objects.get(slug="avtaleutvalet")
    assert not utval.medlemskap.gjeldande().exists()
    page = _text(public.get(utval.get_absolute_url()))
    assert "Ingen samansetjingsregel er registrert" in page
    assert (
        '<span class="merke merke--varsel">Nei</span> Balanse mellom helseføretaket og kommunane'
        in page
    )


def test_terms_ending_soon_and_terms_longer_than_four_years_are_named(public, fsu):
    now = today()
    _seat(fsu, "Snart Ute", "kinn", fra=now - timedelta(days=300), til=now + timedelta(days=60))
    _seat(
        fsu,
        "Lang Tid",
        "helse-forde",
        fra=now - timedelta(days=1000),
        til=now.replace(year=now.year + 3),
    )
    _seat(fsu, "Fire År", "stryn", fra=now, til=now.replace(year=now.year + 4))
    page = _text(public.get(fsu.get_absolute_url()))
    assert "1</span> funksjonstider går ut innan seks månader" in page and "Snart Ute (" in page
    assert "1</span> funksjonstider er lengre enn fire år" in page and "Lang Tid (" in page
    assert "Fire År (" not in page  # exactly four years is what the report recommends


def test_the_secretariat_enters_a_rule_where_the_seeds_are_silent(sekretariat, public, medlem):
    utval = Utval.objects.get(slug="avtaleutvalet")
    url = reverse("partnarskap:samansetjing_endre", args=[utval.slug])
    assert public.get(url).status_code == 403 and medlem.get(url).status_code == 403
    bad = sekretariat.post(url, {"helseforetak": 4, "kommunar": 4, "totalt": 6, "edit_version": 0})
    assert bad.status_code == 422
    assert "Plassane for kvar gruppe er fleire enn plassane i alt." in bad.content.decode()
    assert not Samansetjingsregel.objects.filter(utval=utval).exists()
    saved = sekretariat.post(url, {"helseforetak": 3, "kommunar": 3, "kjelde": "Vedtak i SSU"})
    assert saved.status_code == 302
    page = _text(public.get(utval.get_absolute_url()))
    assert "Kjelde: Vedtak i SSU" in page
    assert re.search(
        r'<th scope="row">Kommunane</th><td[^>]*>3</td>\s?<td[^>]*>0</td>\s?<td[^>]*>3', page
    )


# --- Signing ---


def _hospitering():
    return Avtale.objects.get(slug=HOSPITERING)


def _sign(avtale, slug, dato=None, **kwargs):
    return Signering.objects.create(
        versjon=avtale.gjeldande_versjon(),
        partnar=Partnar.objects.get(slug=slug),
        dato=dato or today() - timedelta(days=3),
        **kwargs,
    )


def test_the_shipped_data_records_no_signing_and_the_overview_says_so(public, seeded):
    assert not Signering.objects.exists()
    page = _text(public.get(reverse("avtalar:signering")))
    assert "Ingen signeringar er registrerte enno." in page
    assert reverse("avtalar:signering") in public.get(reverse("avtalar:oversikt")).content.decode()
    # 17 municipalities and Helse Førde as columns; the rammeavtale not signed by any of them.
    assert page.count('<th scope="col"><a href="/partnarskap/partnar/') == 18


def test_agreement_page_shows_who_signed_its_current_version(public, sekretariat):
    avtale = _hospitering()
    page = _text(public.get(avtale.get_absolute_url()))
    assert "0 av 18 partar har signert" in page
    url = reverse("avtalar:signering_ny", args=[avtale.slug, avtale.gjeldande_versjon().pk])
    kinn = Partnar.objects.get(slug="kinn")
    document = SimpleUploadedFile("signert.pdf", blank_pdf(), content_type="application/pdf")
    response = sekretariat.post(
        url, {"partnar": kinn.pk, "dato": today().isoformat(), "dokument": document}
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    signing = Signering.objects.get(partnar=kinn)
    assert signing.dokument.name.endswith(f"{avtale.slug}-kinn-signert.pdf")
    page = _text(public.get(avtale.get_absolute_url()))
    assert "1 av 18 partar har signert" in page
    assert f"Signert</span> {today().day}." in page
    served = public.get(signing.dokument_url())
    assert served.status_code == 200 and body(served).startswith(b"%PDF")
    # The same party again for the same version is not offered, and is refused.
    again = sekretariat.post(url, {"partnar": kinn.pk, "dato": today().isoformat()})
    assert again.status_code == 422
    assert Signering.objects.filter(partnar=kinn).count() == 1


def test_a_signing_in_the_future_or_without_a_date_is_refused(sekretariat):
    avtale = _hospitering()
    url = reverse("avtalar:signering_ny", args=[avtale.slug, avtale.gjeldande_versjon().pk])
    stryn = Partnar.objects.get(slug="stryn").pk
    future = sekretariat.post(
        url, {"partnar": stryn, "dato": (today() + timedelta(days=2)).isoformat()}
    )
    assert future.status_code == 422
    assert "Signeringsdatoen kan ikkje vere fram i tid." in future.content.decode()
    empty = sekretariat.post(url, {"partnar": stryn, "dato": ""})
    assert "Skriv kva dato parten signerte." in empty.content.decode()
    not_pdf = SimpleUploadedFile("x.pdf", b"hello", content_type="application/pdf")
    bad = sekretariat.post(
        url, {"partnar": stryn, "dato": today().isoformat(), "dokument": not_pdf}
    )
    assert bad.status_code == 422 and "Fila er ikkje ein PDF." in bad.content.decode()
    assert not Signering.objects.exists()


def test_overview_and_exports_show_signed_not_signed_and_not_a_party(public, seeded):
    avtale = _hospitering()
    _sign(avtale, "kinn", dato=today().replace(day=1))
    saer = Avtale.objects.filter(type=Avtale.Type.SAERAVTALE).first()
    page = _text(public.get(reverse("avtalar:signering")))
    assert today().replace(day=1).strftime("%d.%m.%Y") in page
    assert "Ikkje part" in page and "Ikkje signert" in page

    rows = list(
        csv.reader(
            io.StringIO(
                body(public.get(reverse("avtalar:signering_eksport", args=["csv"]))).decode(
                    "utf-8-sig"
                )
            ),
            delimiter=";",
        )
    )
    header = rows[0]
    by_title = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_title[avtale.tittel]["Kinn kommune"] == today().replace(day=1).isoformat()
    assert by_title[avtale.tittel]["Stryn kommune"] == "Ikkje signert"
    assert by_title[saer.tittel]["Stryn kommune"] == "Ikkje part"
    assert by_title[saer.tittel]["Helse Førde HF"] == "Ingen gjeldande versjon"

    from openpyxl import load_workbook

    xlsx = public.get(reverse("avtalar:signering_eksport", args=["xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(body(xlsx))).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Avtale", "Type", "Gjeldande versjon"]
    row = next(r for r in values if r[0] == avtale.tittel)
    assert row[values[0].index("Kinn kommune")].date() == today().replace(day=1)


def test_draft_agreements_never_reach_the_overview_or_exports(public, sekretariat):
    avtale = _hospitering()
    Avtale.objects.filter(pk=avtale.pk).update(status=Avtale.Status.UTKAST)
    for url in (reverse("avtalar:signering"), reverse("avtalar:signering_eksport", args=["csv"])):
        assert avtale.tittel not in body(public.get(url)).decode("utf-8-sig")
        assert avtale.tittel in body(sekretariat.get(url)).decode("utf-8-sig")
    signing = _sign(avtale, "kinn")
    assert (
        public.get(reverse("historikk", args=["avtalar", "signering", signing.pk])).status_code
        == 404
    )


def test_til_oppfolging_lists_versions_not_signed_by_every_party_weeks_after_approval(
    sekretariat, settings
):
    avtale = _hospitering()
    version = avtale.gjeldande_versjon()
    weeks = settings.SIGNERING_OPPFOLGING_VEKER
    version.godkjent_dato = today() - timedelta(weeks=weeks, days=1)
    version.save()
    page = _text(sekretariat.get(reverse("avtalar:signering")))
    assert f'{avtale.tittel}</a> <span class="hjelp">– skulle vore signert innan' in page
    follow_up = _text(sekretariat.get(reverse("framside")))
    assert f"{avtale.tittel}: manglar signering frå" in follow_up
    # Not yet due: not listed.
    version.godkjent_dato = today() - timedelta(weeks=weeks - 1)
    version.save()
    assert f"{avtale.tittel}: manglar signering frå" not in _text(
        sekretariat.get(reverse("framside"))
    )


def test_an_agreement_page_names_its_parties_once(public, seeded):
    nav = Avtale.objects.get(tittel__startswith="Samarbeidsavtale mellom NAV Vestland")
    page = _text(public.get(nav.get_absolute_url()))
    facts = page[page.index('id="fakta"') : page.index("Neste revisjon")]
    for party in nav.partar.all():
        assert facts.count(party.namn) == 1, party.namn
    rammeavtale = _text(public.get(reverse("avtalar:avtale", args=["rammeavtale"])))
    assert "Helse Førde HF og alle kommunane" in rammeavtale


# --- My municipality ---


def test_a_municipality_page_has_its_seats_agreements_tiltak_meetings_and_saker(public, fsu):
    kinn = Partnar.objects.get(slug="kinn")
    _seat(fsu, "Kari Kinn", "kinn", til=today() + timedelta(days=400))
    mote = Mote.objects.create(utval=fsu, dato=today() + timedelta(days=20), stad="Florø")
    Mote.objects.create(utval=fsu, dato=today() + timedelta(days=30), status=Mote.Status.AVLYST)
    tagged = Sak.objects.create(
        mote=mote, utval=fsu, ar=mote.dato.year, nummer=91, tittel="Om Kinn"
    )
    tagged.partnarar.add(kinn)
    closed = Sak.objects.create(
        mote=mote, utval=fsu, ar=mote.dato.year, nummer=92, tittel="Lukka om Kinn", offentleg=False
    )
    closed.partnarar.add(kinn)
    _sign(_hospitering(), "kinn")
    t = tiltak()
    t.ansvarleg_partnarar.add(kinn)

    page = _text(public.get(kinn.get_absolute_url()))
    assert "Kari Kinn" in page and "Fagleg samarbeidsutval" in page
    assert f"{_hospitering().tittel}</a>" in page and "Signert" in page and "Ikkje signert" in page
    assert t.tekst in page and "frist:" in page
    assert "Komande møte" in page and "Florø" in page
    assert page.count('href="/moter/mote/') >= 1
    assert "Sak 91/" in page and "Om Kinn" in page
    assert "Lukka om Kinn" not in page  # not public: never on the public page
    feed = public.get(reverse("moter:kalender_partnar", args=["kinn"]))
    assert feed.status_code == 200 and b"BEGIN:VEVENT" in feed.content
    assert "Florø" in feed.content.decode() and f"/moter/mote/{mote.pk}/" in feed.content.decode()
    # A partner with no seats: an empty feed, no meetings.
    solund = public.get(reverse("moter:kalender_partnar", args=["solund"]))
    assert b"BEGIN:VEVENT" not in solund.content


def test_saker_through_a_tiltak_or_an_agreement_concern_the_partner(public, fsu):
    mote = Mote.objects.filter(utval=fsu).order_by("-dato").first()
    mote.dato = today() - timedelta(days=10)
    mote.save()
    via_avtale = Sak.objects.create(
        mote=mote, utval=fsu, ar=mote.dato.year, nummer=81, tittel="Hospitering no"
    )
    via_avtale.avtalar.add(_hospitering())
    page = _text(public.get(reverse("partnarskap:partnar", args=["stryn"])))
    assert "Hospitering no" in page
    # A partner that is not a party to it (KS) is not concerned.
    assert "Hospitering no" not in _text(public.get(reverse("partnarskap:partnar", args=["ks"])))


# --- Links both ways ---


def test_a_tiltak_lists_its_saker_and_a_vedtak_links_to_its_referat(public, fsu):
    mote = Mote.objects.filter(utval=fsu).order_by("dato").first()
    sak = Sak.objects.create(
        mote=mote,
        utval=fsu,
        ar=mote.dato.year,
        nummer=77,
        tittel="Heimesjukehus",
        vedtak="Vedteke.",
    )
    t = tiltak()
    sak.tiltak.add(t)
    page = _text(public.get(t.get_absolute_url()))
    assert "Sak 77/" in page and "Heimesjukehus" in page and "Vedtak" in page
    assert f"{mote.get_absolute_url()}#referat" not in page  # no referat yet
    Referat.objects.create(mote=mote)
    page = _text(public.get(t.get_absolute_url()))
    assert f"{mote.get_absolute_url()}#referat" in page
    meeting = _text(public.get(mote.get_absolute_url()))
    assert "Vedtaket er ført i" in meeting and f'href="{t.get_absolute_url()}"' in meeting


# --- What changed since the last meeting ---


def _held(utval, days_ago=30):
    return Mote.objects.create(utval=utval, dato=today() - timedelta(days=days_ago))


def test_changes_since_the_last_held_meeting_are_grouped_dated_and_linked(public, sekretariat, fsu):
    _held(fsu, 30)
    Mote.objects.create(utval=fsu, dato=today() - timedelta(days=5), status=Mote.Status.AVLYST)
    url = reverse("moter:endringar", args=[fsu.slug])
    page = _text(public.get(url))
    assert "Ingen endringar i handlingsplanen eller avtalane sidan førre møte." in page  # seeds

    t = tiltak()
    edit = reverse("handlingsplan:tiltak_endre", args=[t.pk])
    assert htmx(sekretariat, "post", edit, tiltak_form(t, status="fullfort")).status_code == 200
    avtale = _hospitering()
    avtale.neste_revisjon = today() + timedelta(days=100)
    avtale.save()
    page = _text(public.get(url))
    assert "Avslutta og fullførte tiltak (1)" in page and "ikkje oppgitt → fullført" in page
    assert "Endra revisjonsdato (1)" in page
    entry = t.history.latest()
    assert f'/historikk/handlingsplan/tiltak/{t.pk}/#versjon-{entry.history_id}"' in page
    history = public.get(f"/historikk/handlingsplan/tiltak/{t.pk}/").content.decode()
    assert f'id="versjon-{entry.history_id}"' in history
    assert url in public.get(fsu.get_absolute_url()).content.decode()


def test_changes_to_a_draft_agreement_are_not_told_to_the_public(public, sekretariat, fsu):
    _held(fsu)
    avtale = _hospitering()
    avtale.status = Avtale.Status.UTKAST
    avtale.save()
    url = reverse("moter:endringar", args=[fsu.slug])
    assert avtale.tittel not in public.get(url).content.decode()
    assert avtale.tittel in sekretariat.get(url).content.decode()


def test_the_pack_holds_the_changes_as_they_stood_when_it_was_built(sekretariat, fsu):
    _held(fsu, 30)
    mote = Mote.objects.create(utval=fsu, dato=today() + timedelta(days=7))
    t = tiltak()
    edit = reverse("handlingsplan:tiltak_endre", args=[t.pk])
    htmx(sekretariat, "post", edit, tiltak_form(t, status="pagar"))
    pack_url = reverse("moter:motepakke", args=[mote.pk])
    assert "Endringar sidan førre møte" not in pdf_text(body(sekretariat.get(pack_url)))

    Mote.objects.filter(pk=mote.pk).update(endringar_i_pakke=True)
    text = pdf_text(body(sekretariat.get(pack_url)))
    assert "Endringar sidan førre møte" in text and "Endra status på tiltak" in text
    # A later change does not rewrite the pack already built: it is frozen.
    other = tiltak("årshjul")
    htmx(
        sekretariat,
        "post",
        reverse("handlingsplan:tiltak_endre", args=[other.pk]),
        tiltak_form(other, status="utsett"),
    )
    again = pdf_text(body(sekretariat.get(pack_url)))
    assert again == text


def test_the_secretariat_puts_the_changes_in_the_pack_from_the_meeting_editor(sekretariat, fsu):
    mote = Mote.objects.filter(utval=fsu).order_by("dato").first()
    page = sekretariat.get(reverse("moter:mote_endre", args=[mote.pk])).content.decode()
    assert 'name="endringar_i_pakke"' in page


# --- Query counts: flat however many rows ---


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_a_municipality_page_and_the_signing_overview_query_flat(public, fsu):
    kinn = Partnar.objects.get(slug="kinn")
    mote = Mote.objects.create(utval=fsu, dato=today() + timedelta(days=20))
    _seat(fsu, "Kari Kinn", "kinn")

    def more(n):
        for i in range(n):
            sak = Sak.objects.create(
                mote=mote, utval=fsu, ar=mote.dato.year, nummer=100 + i + n * 10, tittel=f"S{i}"
            )
            sak.partnarar.add(kinn)
            sak.avtalar.add(_hospitering())

    partner_page = kinn.get_absolute_url()
    overview = reverse("avtalar:signering")
    more(1)
    _sign(_hospitering(), "kinn")
    before = (_queries(public, partner_page), _queries(public, overview))
    more(5)
    _sign(_hospitering(), "stryn")
    _sign(_hospitering(), "helse-forde")
    assert (_queries(public, partner_page), _queries(public, overview)) == before


def test_a_signing_made_by_someone_else_meanwhile_is_a_conflict_not_a_crash(sekretariat_user):
    from avtalar.forms import SigneringForm
    from portal import editing

    version = _hospitering().gjeldande_versjon()
    kinn = Partnar.objects.get(slug="kinn")
    form = SigneringForm(
        {"partnar": kinn.pk, "dato": today().isoformat()},
        instance=Signering(versjon=version),
        versjon=version,
    )
    assert form.is_valid()
    first = _sign(_hospitering(), "kinn")  # saved by someone else after the form was checked
    with pytest.raises(editing.Conflict):
        editing.save_once(form, user=sekretariat_user, versjon=version, partnar=kinn)
    assert list(Signering.objects.filter(partnar=kinn)) == [first]
    assert form.konflikt is not None
