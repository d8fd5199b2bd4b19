"""The shared history page: versions, diffs, who (for logged-in users), restore."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from helpers import htmx, tiltak, tiltak_form

from avtalar.models import Avtale
from handlingsplan.models import Tiltak
from partnarskap.models import Partnar, Person, Utval


@pytest.fixture
def edited_fsu(fsu, sekretariat_user):
    fsu._history_user = sekretariat_user
    fsu.mandat = fsu.mandat.replace("fagleg", "FAGLEG", 1) + " Nytt avsnitt."
    fsu.moter_per_ar = 6
    fsu.save()
    return fsu


def _url(obj):
    return reverse("historikk", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def test_history_shows_versions_with_a_field_diff(public, edited_fsu):
    html = public.get(_url(edited_fsu)).content.decode()
    assert "Oppretta" in html and "Endra" in html
    assert "Møte i året" in html and "<td>4</td><td>6</td>" in html
    assert "<ins>" in html and "Nytt avsnitt." in html


def test_public_does_not_see_who_changed_it(public, medlem, edited_fsu):
    assert "Sigrid" not in public.get(_url(edited_fsu)).content.decode()
    assert "Sigrid" in medlem.get(_url(edited_fsu)).content.decode()


def test_person_history_is_for_logged_in_users_only(public, medlem, seeded):
    person = Person.objects.create(namn="Kari", epost="kari@example.no")
    assert public.get(_url(person)).status_code == 302
    assert "kari@example.no" in medlem.get(_url(person)).content.decode()


def test_restore_an_earlier_version(sekretariat, edited_fsu):
    first = edited_fsu.history.earliest()
    response = sekretariat.post(
        reverse("gjenopprett", args=["partnarskap", "utval", edited_fsu.pk, first.history_id])
    )
    assert response.status_code == 302
    edited_fsu.refresh_from_db()
    assert edited_fsu.moter_per_ar == 4
    latest = edited_fsu.history.first()
    assert latest.history_change_reason.startswith("Gjenoppretta versjonen frå")
    assert latest.history_user.username == "sigrid"


@pytest.mark.parametrize("persona", ["public", "medlem"])
def test_only_the_secretariat_may_restore(request, persona, edited_fsu):
    client = request.getfixturevalue(persona)
    first = edited_fsu.history.earliest()
    url = reverse("gjenopprett", args=["partnarskap", "utval", edited_fsu.pk, first.history_id])
    assert client.post(url).status_code == 403
    assert client.get(url).status_code in (403, 405)
    edited_fsu.refresh_from_db()
    assert edited_fsu.moter_per_ar == 6


def test_restore_that_would_break_a_unique_name_is_refused_with_a_message(sekretariat, fsu):
    first = fsu.history.earliest()
    fsu.namn = "Nytt namn"
    fsu.save()
    Utval.objects.create(namn="Fagleg samarbeidsutval", slug="kopi", type="samarbeidsutval")
    response = sekretariat.post(
        reverse("gjenopprett", args=["partnarskap", "utval", fsu.pk, first.history_id]),
        follow=True,
    )
    assert "kunne ikkje gjenopprettast" in response.content.decode()
    fsu.refresh_from_db()
    assert fsu.namn == "Nytt namn"


def test_history_of_unknown_model_or_object_is_404(public, seeded):
    assert public.get("/historikk/auth/user/1/").status_code == 404
    assert public.get("/historikk/partnarskap/utval/9999/").status_code == 404
    assert public.get("/historikk/partnarskap/finst/1/").status_code == 404


# --- Restoring asks first, brings everything back, and is one entry in history ---


def _tiltak_with_new_ansvarleg(sekretariat, ssu):
    from helpers import tiltak as _tiltak
    from helpers import tiltak_form as _form

    tiltak = _tiltak()
    before = sorted(u.namn for u in tiltak.ansvarleg_utval.all())
    partnar = Partnar.objects.get(slug="kinn")
    response = sekretariat.post(
        reverse("handlingsplan:tiltak_endre", args=[tiltak.pk]),
        _form(
            tiltak,
            ansvarleg_utval=[ssu.pk],
            ansvarleg_partnarar=[partnar.pk],
            avtalar=[Avtale.objects.get(slug="rammeavtale").pk],
            kommentar="Endra ansvar.",
        ),
    )
    assert response.status_code == 302
    return tiltak, before


def test_restoring_asks_first_and_shows_what_will_change(sekretariat, ssu):
    tiltak, before = _tiltak_with_new_ansvarleg(sekretariat, ssu)
    first = tiltak.history.earliest()
    url = reverse("gjenopprett", args=["handlingsplan", "tiltak", tiltak.pk, first.history_id])
    page = sekretariat.get(_url(tiltak)).content.decode()
    assert f'href="{url}"' in page  # the history page links to the question, not a restore

    response = sekretariat.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gjenopprett versjonen frå" in html
    rows = {row.split("</th>")[0] for row in html.split('<tr><th scope="row">')[1:]}
    assert rows >= {"Ansvarlege utval", "Ansvarlege partnarar", "Avtalar"}
    assert "Strategisk samarbeidsutval" in html and "Endra ansvar." in html
    assert f'<form method="post" action="{url}"' in html
    tiltak.refresh_from_db()
    assert [u.namn for u in tiltak.ansvarleg_utval.all()] == ["Strategisk samarbeidsutval"]
    assert tiltak.history.count() == 2  # asking changed nothing


def test_restoring_brings_back_the_relations_in_one_history_entry(sekretariat, ssu):
    tiltak, before = _tiltak_with_new_ansvarleg(sekretariat, ssu)
    first = tiltak.history.earliest()
    url = reverse("gjenopprett", args=["handlingsplan", "tiltak", tiltak.pk, first.history_id])
    response = sekretariat.post(url, follow=True)
    assert "er gjenoppretta" in response.content.decode()
    tiltak.refresh_from_db()
    assert sorted(u.namn for u in tiltak.ansvarleg_utval.all()) == before
    assert sorted(tiltak.ansvarleg_partnarar.values_list("pk", flat=True)) == sorted(
        first.ansvarleg_partnarar.values_list("partnar", flat=True)
    )
    assert not tiltak.avtalar.exists() and tiltak.kommentar == first.kommentar
    assert tiltak.history.count() == 3  # created, edited, restored: one entry for the restore
    latest = tiltak.history.first()
    assert latest.history_change_reason.startswith("Gjenoppretta versjonen frå")
    assert latest.history_user.username == "sigrid"
    assert sorted(latest.ansvarleg_utval.values_list("utval__namn", flat=True)) == before
    # ... and the history page shows the restore as a change of the relations.
    html = sekretariat.get(_url(tiltak)).content.decode()
    assert html.count("Gjenoppretta versjonen frå") == 1


def test_restoring_a_sak_brings_back_its_agreements_and_tiltak(sekretariat, fsu):
    from moter.models import Mote, Sak

    mote = Mote.objects.filter(utval=fsu).first()
    avtale = Avtale.objects.get(slug="rammeavtale")
    sak = Sak.objects.create(mote=mote, utval=fsu, ar=mote.dato.year, nummer=1, tittel="Sak")
    sak.avtalar.set([avtale])
    sak.tiltak.set([Tiltak.objects.first()])
    linked = sak.history.first()
    sak.avtalar.clear()
    sak.tiltak.clear()
    url = reverse("gjenopprett", args=["moter", "sak", sak.pk, linked.history_id])
    assert "Rammeavtale" in sekretariat.get(url).content.decode()
    sekretariat.post(url)
    assert list(sak.avtalar.all()) == [avtale]
    assert list(sak.tiltak.all()) == [Tiltak.objects.first()]


def test_the_restore_note_gives_the_version_in_norwegian_time(sekretariat, edited_fsu):
    first = edited_fsu.history.earliest()
    # 09:15 UTC in February is 10:15 in Oslo.
    type(first).objects.filter(pk=first.pk).update(
        history_date=datetime(2024, 2, 14, 9, 15, tzinfo=UTC)
    )
    url = reverse("gjenopprett", args=["partnarskap", "utval", edited_fsu.pk, first.history_id])
    assert "Gjenopprett versjonen frå 14. februar 2024 kl. 10:15" in (
        sekretariat.get(url).content.decode()
    )
    sekretariat.post(url)
    note = edited_fsu.history.first().history_change_reason
    assert note == "Gjenoppretta versjonen frå 14. februar 2024 kl. 10:15"
    html = sekretariat.get(_url(edited_fsu)).content.decode()
    assert "14. februar 2024 kl. 10:15" in html  # the version's own heading, same time


def test_a_long_history_comes_in_pages_each_change_told_against_the_one_before(
    sekretariat, fsu, sekretariat_user, django_assert_max_num_queries
):
    fsu._history_user = sekretariat_user
    for n in range(5, 65):  # 60 saves after the one that made it: 61 versions
        fsu.moter_per_ar = n
        fsu.save()
    url = _url(fsu)
    with django_assert_max_num_queries(12):
        first = sekretariat.get(url).content.decode()
    assert "Viser 1–50 av 61." in first and 'rel="next"' in first
    assert first.count('class="historikk__versjon"') == 50
    assert "<td>63</td><td>64</td>" in first  # the newest change
    # The newest version is what the record holds: nothing to restore there, but below it.
    newest = fsu.history.first().history_id
    restore = "/gjenopprett/"
    assert reverse("gjenopprett", args=["partnarskap", "utval", fsu.pk, newest]) not in first
    assert first.count(restore) == 49

    last = sekretariat.get(url, {"side": 2}).content.decode()
    assert "Viser 51–61 av 61." in last and 'rel="prev"' in last
    assert last.count('class="historikk__versjon"') == 11
    # The oldest change on this page is told against the version on the page before.
    assert "<td>13</td><td>14</td>" in last and "<td>4</td><td>5</td>" in last
    assert "Oppretta" in last and last.count(restore) == 11
    assert "Historikk: Fagleg samarbeidsutval" in last


def test_changed_relations_are_told_without_a_query_per_version(
    sekretariat, seeded, django_assert_max_num_queries
):
    t = tiltak()
    edit = reverse("handlingsplan:tiltak_endre", args=[t.pk])
    fsu, ssu = Utval.objects.get(slug="fsu"), Utval.objects.get(slug="ssu")
    for version, utval in enumerate([[ssu], [fsu, ssu], [fsu], []] * 3, start=1):
        form = tiltak_form(t, edit_version=version, ansvarleg_utval=[u.pk for u in utval])
        assert htmx(sekretariat, "post", edit, form).status_code == 200
    # Not one query per version: each set of utval the history names is read once.
    with django_assert_max_num_queries(14):
        html = sekretariat.get(_url(t)).content.decode()
    rows = html.split('<th scope="row">Ansvarlege utval</th>')[1:]
    told = [row.split("</tr>")[0] for row in rows]
    assert len(told) == 12  # every save changed them
    assert "<td>Fagleg samarbeidsutval</td><td>–</td>" in told[0]  # the newest: FSU, then none
    both = "Fagleg samarbeidsutval, Strategisk samarbeidsutval"
    assert f"<td>Strategisk samarbeidsutval</td><td>{both}</td>" in told[-2]
