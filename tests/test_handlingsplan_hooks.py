"""What the action plan gives the rest of the portal: search, front page, follow-up, the
partner's page, the link to the hospitering agreement, and synthetic volume."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from avtalar.models import Avtale
from bench.scale.handlingsplan import add as seed_scale
from handlingsplan.hooks import HandlingsplanHooks, kople_hospitering
from handlingsplan.models import Handlingsplan, Tiltak

HEIMESJUKEHUS = "følge opp prosjektet avansert heimesjukehus"


def test_search_finds_tiltak_and_delmal(public, seeded):
    html = public.get(reverse("sok"), {"q": "hospitering"}).content.decode()
    assert "Handlingsplan" in html
    assert "revidere delavtale om" in html and "<mark>hospitering</mark>" in html
    html = public.get(reverse("sok"), {"q": "styringsdata"}).content.decode()
    assert "Delmål 1.2" in html and "<mark>styringsdata</mark>" in html


def test_front_page_shows_the_plan_at_a_glance_and_the_secretariat_what_is_late(
    public, sekretariat, seeded
):
    Tiltak.objects.filter(tekst=HEIMESJUKEHUS).update(
        status="pagar", frist=timezone.localdate() - timedelta(days=3)
    )
    html = public.get("/").content.decode()
    assert "Handlingsplanen 2023–2024" in html
    assert "1 tiltak over fristen" in html and "Pågår: 1" in html
    assert "Akuttmedisinske tenester" in html and "Ingen tiltak i planen" in html
    assert "Til oppfølging" not in html
    html = sekretariat.get("/").content.decode()
    assert "Tiltak over fristen" in html and HEIMESJUKEHUS in html


def test_partner_page_lists_the_tiltak_it_is_ansvarleg_for(public, seeded):
    html = public.get(reverse("partnarskap:partnar", args=["kinn"])).content.decode()
    assert "Tiltak i handlingsplanen" in html
    assert "oppretting av avtaleutval" in html  # «partnarane» together
    assert HEIMESJUKEHUS not in html  # no ansvarleg given in the plan


def test_tiltak_22_points_at_the_hospitering_agreement_after_seeding(public, seeded):
    tiltak = Tiltak.objects.get(tekst="revidere delavtale om hospitering")
    avtale = Avtale.objects.get(tittel="Delavtale gjensidig hospiteringsordning")
    assert list(tiltak.avtalar.all()) == [avtale]
    record = tiltak.history.get()  # still the one 'created' entry, now with the link
    assert record.history_type == "+" and [r.avtale for r in record.avtalar.all()] == [avtale]
    HandlingsplanHooks().after_seed({})  # seeding again changes nothing
    kople_hospitering()
    assert tiltak.avtalar.count() == 1 and tiltak.history.count() == 1
    html = public.get("/handlingsplan/").content.decode()
    assert f'Avtale: <a href="{avtale.get_absolute_url()}">' in html


def test_scale_seed_is_deterministic_with_status_history(public, seeded):
    seed_scale(2)
    plan = Handlingsplan.objects.get(tittel__startswith="Testplan")
    tiltak = Tiltak.objects.filter(delmal__innsatsomrade__plan=plan)
    assert tiltak.count() == 2 * 32
    first = sorted(tiltak.values_list("tekst", "status", "frist", "versjon"))
    changed = tiltak.filter(versjon__gt=1).first()
    assert changed.history.count() == changed.versjon
    assert changed.framdrift.exists()
    html = public.get(plan.get_absolute_url(), {"dato": "2025-02-01"}).content.decode()
    assert "Testtiltak 64" in html
    assert html.count("Ikkje oppgitt</span>") == 64  # before any status change
    seed_scale(2)  # added once
    assert Handlingsplan.objects.filter(tittel__startswith="Testplan").count() == 1
    plan.delete()
    seed_scale(2)
    again = Tiltak.objects.filter(delmal__innsatsomrade__plan__tittel__startswith="Testplan")
    assert sorted(again.values_list("tekst", "status", "frist", "versjon")) == first
