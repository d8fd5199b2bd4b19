"""The partnership's structure, its bodies and the seats in them, as each persona sees them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from helpers import htmx

from partnarskap.models import Medlemskap, Partnar, Person, Utval


def test_structure_page_shows_bodies_in_reporting_order_and_partners(public, seeded):
    html = public.get(reverse("partnarskap:oversikt")).content.decode()
    assert html.index("Partnarskapsmøtet") < html.index("Strategisk samarbeidsutval")
    assert html.index("Strategisk samarbeidsutval") < html.index("Fagleg samarbeidsutval")
    assert "tidlegare Koordineringsrådet" in html
    assert "Årdal kommune" in html and "Helse Førde HF" in html


def test_structure_page_query_count_does_not_grow(public, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        public.get(reverse("partnarskap:oversikt"))


def test_utval_page_shows_mandate_earlier_names_and_rules(public, fsu):
    html = public.get(fsu.get_absolute_url()).content.decode()
    assert "Fagleg samarbeidsutval (FSU)" in html
    assert "Fagrådet" in html
    assert "12 faglege representantar" in html
    assert "Brukarar er representerte" in html
    assert "Lik representasjon frå partnarane" in html


def test_utval_page_query_count_is_flat(public, fsu, django_assert_max_num_queries):
    partner = Partnar.objects.get(slug="kinn")
    for i in range(15):
        person = Person.objects.create(namn=f"Person {i}")
        Medlemskap.objects.create(person=person, utval=fsu, partnar=partner)
    with django_assert_max_num_queries(6):
        response = public.get(fsu.get_absolute_url())
    assert response.content.decode().count("Person ") >= 15


def test_rules_report_balance_brukar_fastlege_and_ending_terms(public, fsu):
    hf, kinn = Partnar.objects.get(slug="helse-forde"), Partnar.objects.get(slug="kinn")
    soon = timezone.localdate() + timedelta(days=60)
    Medlemskap.objects.create(person=Person.objects.create(namn="A"), utval=fsu, partnar=hf)
    Medlemskap.objects.create(person=Person.objects.create(namn="B"), utval=fsu, partnar=kinn)
    Medlemskap.objects.create(
        person=Person.objects.create(namn="Bente Brukar"), utval=fsu, gruppe="brukar", til=soon
    )
    html = public.get(fsu.get_absolute_url()).content.decode()
    assert "Helseføretaket: 1, kommunane: 1" in html
    assert "Går ut snart" in html
    assert "Bente Brukar (" in html


def test_former_members_are_not_shown_as_current(public, fsu):
    old = Person.objects.create(namn="Gamal Medlem")
    Medlemskap.objects.create(person=old, utval=fsu, fra=date(2018, 1, 1), til=date(2020, 1, 1))
    assert "Gamal Medlem" not in public.get(fsu.get_absolute_url()).content.decode()


def test_partner_page_lists_its_seats(public, seeded):
    kinn = Partnar.objects.get(slug="kinn")
    group = Utval.objects.get(slug="arbeidsgruppa-helsefellesskap")
    html = public.get(kinn.get_absolute_url()).content.decode()
    # The working group's seats have no end date, so they still count as held.
    assert "Norunn Stavø" in html and group.namn in html


def test_contact_details_only_for_logged_in_users(public, medlem, fsu):
    person = Person.objects.create(namn="Kari", epost="kari@example.no", telefon="99 99 99 99")
    Medlemskap.objects.create(person=person, utval=fsu)
    assert "kari@example.no" not in public.get(fsu.get_absolute_url()).content.decode()
    assert "kari@example.no" in medlem.get(fsu.get_absolute_url()).content.decode()


def test_unknown_utval_and_partner_are_404(public, seeded):
    assert public.get("/partnarskap/utval/finst-ikkje/").status_code == 404
    assert public.get("/partnarskap/partnar/finst-ikkje/").status_code == 404


# --- Editing seats ---


@pytest.fixture
def seat(fsu):
    person = Person.objects.create(namn="Per Sete")
    return Medlemskap.objects.create(person=person, utval=fsu, fra=date(2024, 1, 1))


def _write_urls(fsu, seat):
    return [
        ("get", reverse("partnarskap:medlemskap_ny", args=[fsu.slug])),
        ("post", reverse("partnarskap:medlemskap_ny", args=[fsu.slug])),
        ("get", reverse("partnarskap:medlemskap_endre", args=[seat.pk])),
        ("post", reverse("partnarskap:medlemskap_endre", args=[seat.pk])),
        ("post", reverse("partnarskap:medlemskap_avslutt", args=[seat.pk])),
        ("get", reverse("partnarskap:medlemskap_rad", args=[seat.pk])),
    ]


@pytest.mark.parametrize("persona", ["public", "medlem", "annan_medlem"])
def test_only_the_secretariat_may_edit_seats(request, persona, fsu, seat):
    client = request.getfixturevalue(persona)
    for method, url in _write_urls(fsu, seat):
        assert getattr(client, method)(url).status_code == 403, (persona, method, url)
        assert htmx(client, method, url).status_code == 403
    seat.refresh_from_db()
    assert seat.til is None


def test_secretariat_sees_edit_controls_others_do_not(sekretariat, medlem, fsu, seat):
    assert "Legg til medlem" in sekretariat.get(fsu.get_absolute_url()).content.decode()
    assert "Legg til medlem" not in medlem.get(fsu.get_absolute_url()).content.decode()


def test_the_new_seat_form_opens_in_place_and_the_page_does_not_list_the_register(sekretariat, fsu):
    Person.objects.bulk_create(Person(namn=f"Registerperson {i}") for i in range(30))
    page = sekretariat.get(fsu.get_absolute_url()).content.decode()
    url = reverse("partnarskap:medlemskap_ny", args=[fsu.slug])
    assert f'href="{url}"' in page and f'data-hx-get="{url}"' in page
    assert "Registerperson" not in page
    opened = htmx(sekretariat, "get", url)
    html = opened.content.decode()
    assert opened.status_code == 200 and 'id="medlemmar"' in html and "<html" not in html
    assert '<h3 data-fokus tabindex="-1">Legg til medlem</h3>' in html
    assert "Registerperson 29" in html
    # Without JavaScript the link leads to the form's own page.
    assert "Registerperson 29" in sekretariat.get(url).content.decode()


def test_add_seat_in_place_with_a_new_person(sekretariat, fsu):
    hf = Partnar.objects.get(slug="helse-forde")
    response = htmx(
        sekretariat,
        "post",
        reverse("partnarskap:medlemskap_ny", args=[fsu.slug]),
        {"ny_person": "Nina Ny", "rolle": "nestleiar", "partnar": hf.pk, "fra": "2025-01-01"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="medlemmar"' in html and "<html" not in html  # the section, not the page
    assert "Nina Ny" in html and "Nestleiar" in html
    assert "Nina Ny er lagd til" in response["HX-Trigger"]
    seat = Medlemskap.objects.get(person__namn="Nina Ny")
    assert seat.history.get().history_user.username == "sigrid"


def test_add_seat_without_javascript_redirects_to_the_utval(sekretariat, fsu):
    person = Person.objects.create(namn="Olav")
    response = sekretariat.post(
        reverse("partnarskap:medlemskap_ny", args=[fsu.slug]),
        {"person": person.pk, "rolle": "medlem"},
    )
    seat = fsu.medlemskap.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == f"{fsu.get_absolute_url()}#medlemskap-{seat.pk}"


def test_a_long_member_list_comes_in_pages_and_a_new_member_is_shown_where_they_are(
    sekretariat, fsu
):
    hf = Partnar.objects.get(slug="helse-forde")
    people = Person.objects.bulk_create(Person(namn=f"Aase Medlem {i:03}") for i in range(120))
    Medlemskap.objects.bulk_create(
        Medlemskap(person=p, utval=fsu, rolle=Medlemskap.Rolle.MEDLEM, partnar=hf) for p in people
    )
    seats = Medlemskap.objects.gjeldande().filter(utval=fsu).count()
    first = sekretariat.get(fsu.get_absolute_url()).content.decode()
    assert first.count('<tr id="medlemskap-') == 50
    assert f"Viser 1–50 av {seats}." in first and 'href="?side=2"' in first
    last = sekretariat.get(fsu.get_absolute_url(), {"side": 3}).content.decode()
    assert last.count('<tr id="medlemskap-') == seats - 100
    # The composition rules count every seat, not the page's.
    assert (
        first.split('aria-label="Krav til representasjon"')[1].split("</ul>")[0]
        == (last.split('aria-label="Krav til representasjon"')[1].split("</ul>")[0])
    )

    url = reverse("partnarskap:medlemskap_ny", args=[fsu.slug])
    added = htmx(sekretariat, "post", url, {"ny_person": "Aase Medlem 999", "rolle": "medlem"})
    html = added.content.decode()
    seat = Medlemskap.objects.get(person__namn="Aase Medlem 999")
    assert added.status_code == 200 and f'<tr id="medlemskap-{seat.pk}"' in html
    assert 'aria-current="page">Side 3</a>' in html
    plain = sekretariat.post(url, {"ny_person": "Aase Medlem 000 B", "rolle": "medlem"})
    seat = Medlemskap.objects.get(person__namn="Aase Medlem 000 B")
    assert plain["Location"] == f"{fsu.get_absolute_url()}#medlemskap-{seat.pk}"


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"rolle": "medlem"}, "person", "Vel ein person, eller skriv namnet på ein ny."),
        (
            {"ny_person": "Kari", "rolle": "medlem", "fra": "2025-05-01", "til": "2025-01-01"},
            "til",
            "Sluttdatoen kan ikkje vere før startdatoen.",
        ),
        (
            {"ny_person": "Kari", "rolle": "medlem", "fra": "2025-02-30"},
            "fra",
            "Oppgje ein gyldig dato",
        ),
        ({"ny_person": "Kari", "rolle": "sjef"}, "rolle", "Velg eit gyldig valg"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_saved(
    sekretariat, fsu, data, field, message
):
    persons, seats = Person.objects.count(), Medlemskap.objects.count()
    for client_call in (
        lambda: htmx(
            sekretariat, "post", reverse("partnarskap:medlemskap_ny", args=[fsu.slug]), data
        ),
        lambda: sekretariat.post(reverse("partnarskap:medlemskap_ny", args=[fsu.slug]), data),
    ):
        response = client_call()
        assert response.status_code == 422
        html = response.content.decode()
        assert f'id="id_medlemskap_ny_{field}_error"' in html
        assert message.lower() in html.lower()
    assert (Person.objects.count(), Medlemskap.objects.count()) == (persons, seats)


def test_same_person_twice_in_the_same_seat_is_refused(sekretariat, fsu, seat):
    response = sekretariat.post(
        reverse("partnarskap:medlemskap_ny", args=[fsu.slug]),
        {"person": seat.person.pk, "rolle": seat.rolle, "fra": "2025-01-01"},
    )
    assert response.status_code == 422
    assert "har alt same rolle i dette utvalet" in response.content.decode()


def test_edit_swaps_the_row_and_records_history(sekretariat, fsu, seat):
    url = reverse("partnarskap:medlemskap_endre", args=[seat.pk])
    form = htmx(sekretariat, "get", url)
    assert form.status_code == 200 and "<form" in form.content.decode()
    assert "<html" not in form.content.decode()
    response = htmx(
        sekretariat,
        "post",
        url,
        {"person": seat.person.pk, "rolle": "leiar", "fra": "2024-01-01", "edit_version": 1},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="medlemskap-{seat.pk}"') and "Leiar" in html
    history = sekretariat.get(reverse("historikk", args=["partnarskap", "medlemskap", seat.pk]))
    page = history.content.decode()
    assert "Rolle" in page and "Medlem" in page and "Leiar" in page and "Sigrid" in page


def test_edit_error_stays_in_the_row(sekretariat, fsu, seat):
    url = reverse("partnarskap:medlemskap_endre", args=[seat.pk])
    response = htmx(
        sekretariat,
        "post",
        url,
        {"person": seat.person.pk, "rolle": "medlem", "fra": "2024-01-01", "til": "2000-01-01"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.strip().startswith("<tr") and "Sluttdatoen kan ikkje vere før startdatoen" in html


def test_end_a_seat(sekretariat, fsu, seat):
    response = htmx(sekretariat, "post", reverse("partnarskap:medlemskap_avslutt", args=[seat.pk]))
    assert response.status_code == 200
    seat.refresh_from_db()
    assert seat.til == timezone.localdate()
    assert seat.history.first().history_change_reason == "Medlemskapet er avslutta"
