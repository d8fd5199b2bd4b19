"""The move buttons (saker on an agenda, a sak's attachments, delmål, tiltak) all behave
alike: one place per press, the same words read out, and a bad request moves nothing."""

import json
from datetime import date

import pytest
from django.urls import reverse
from helpers import htmx

from handlingsplan.models import Delmal, Tiltak
from moter.models import Mote, Sak, Vedlegg


@pytest.fixture
def lists(fsu):
    """Two of each kind that has move buttons, the first of each given back, with their
    positions as the seeds or an import may leave them: equal, or with gaps."""
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    saker = [
        Sak.objects.create(
            mote=mote, utval=fsu, ar=2024, nummer=n, tittel=f"Testsak {n}", rekkjefolgje=5
        )
        for n in (1, 2)
    ]
    vedlegg = [
        Vedlegg.objects.create(sak=saker[0], tittel=f"Testvedlegg {n}", rekkjefolgje=10 * n)
        for n in (1, 2)
    ]
    delmal = Delmal.objects.filter(innsatsomrade__plan__fra_ar=2023).order_by(
        "innsatsomrade__nummer", "rekkjefolgje", "nummer"
    )[0]
    tiltak = delmal.tiltak.order_by("rekkjefolgje", "pk")[0]
    return {
        "moter:sak_flytt": (saker[0], f"Sak {saker[0].saksnummer}"),
        "moter:vedlegg_flytt": (vedlegg[0], "Vedlegget «Testvedlegg 1»"),
        "handlingsplan:delmal_flytt": (delmal, f"Delmål {delmal.nummer}"),
        "handlingsplan:tiltak_flytt": (tiltak, "Tiltaket"),
    }


def _siblings(item):
    if isinstance(item, Sak):
        return item.mote.saker.order_by("rekkjefolgje", "nummer")
    if isinstance(item, Vedlegg):
        return item.sak.vedlegg.order_by("rekkjefolgje", "pk")
    if isinstance(item, Delmal):
        return item.innsatsomrade.delmal.order_by("rekkjefolgje", "nummer", "pk")
    return item.delmal.tiltak.order_by("rekkjefolgje", "pk")


URLS = ["moter:sak_flytt", "moter:vedlegg_flytt", "handlingsplan:delmal_flytt",
        "handlingsplan:tiltak_flytt"]  # fmt: skip


@pytest.mark.parametrize("name", URLS)
def test_a_move_goes_one_place_and_says_so_the_same_way(sekretariat, lists, name, media):
    item, namn = lists[name]
    url = reverse(name, args=[item.pk])
    before = list(_siblings(item))
    assert before[0] == item

    response = htmx(sekretariat, "post", url, {"retning": "opp"})
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"])["portal:melding"] == f"{namn} står alt først."
    assert list(_siblings(item)) == before

    response = htmx(sekretariat, "post", url, {"retning": "ned"})
    assert json.loads(response["HX-Trigger"])["portal:melding"] == f"{namn} er flytta ned."
    after = list(_siblings(item))
    assert after == [before[1], item, *before[2:]]
    assert [s.rekkjefolgje for s in _siblings(item)] == list(range(1, len(after) + 1))


@pytest.mark.parametrize("name", URLS)
def test_an_unknown_direction_moves_nothing(sekretariat, lists, name, media):
    item, _ = lists[name]
    url = reverse(name, args=[item.pk])
    before = list(_siblings(item))
    plain = sekretariat.post(url, {"retning": "sidelengs"})
    assert plain.status_code == 422
    assert "Ukjend retning" in plain.content.decode()
    response = htmx(sekretariat, "post", url, {"retning": "sidelengs"})
    assert response.status_code == 422
    assert "Ukjend retning" in json.loads(response["HX-Trigger"])["portal:melding"]
    assert list(_siblings(item)) == before


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_without_javascript_a_move_goes_back_to_the_list(sekretariat, lists, media):
    tiltak, _ = lists["handlingsplan:tiltak_flytt"]
    response = sekretariat.post(
        reverse("handlingsplan:tiltak_flytt", args=[tiltak.pk]), {"retning": "ned"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#tiltak-{tiltak.pk}")
    assert Tiltak.objects.get(pk=tiltak.pk).rekkjefolgje == 2
