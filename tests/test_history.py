"""The shared history page: versions, diffs, who (for logged-in users), restore."""

import pytest
from django.urls import reverse

from partnarskap.models import Person, Utval


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
