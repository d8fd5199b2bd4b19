"""People in the register: the list, a page per person, adding and editing them, ending all
their seats, and their accounts (an invitation to choose a password, a forgotten password,
deactivation), as each persona sees it."""

import re
import smtplib
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from helpers import htmx

from partnarskap import kontoar
from partnarskap.models import Medlemskap, Partnar, Person, Utval, today

SITE = "https://portal.example.no"
PASSORD = "Fjordar-og-fjell-2024"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def kari(fsu) -> Person:
    """A member of FSU with contact details and no account."""
    person = Person.objects.create(
        namn="Kari Kommune",
        stilling="Kommunalsjef",
        partnar=Partnar.objects.get(slug="kinn"),
        epost="kari@kinn.kommune.no",
        telefon="57 75 20 00",
    )
    Medlemskap.objects.create(person=person, utval=fsu, fra=date(2024, 1, 1))
    return person


def _page(client, person) -> str:
    return client.get(person.get_absolute_url()).content.decode()


def _link(message) -> str:
    (link,) = re.findall(r"https?://\S+/passord/vel/\S+", message.body)
    return link


def _can_log_in(username: str, password: str) -> bool:
    data = {"username": username, "password": password}
    return Client().post(reverse("login"), data).status_code == 302


def _set_password(link: str, password: str = PASSORD) -> Client:
    """Follow the link from the e-mail and choose a password, in a browser of one's own."""
    browser = Client()
    path = link.removeprefix(SITE)
    form = browser.get(path, follow=True)
    assert "Vel passord" in form.content.decode()
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )
    assert "Passordet er lagra" in done.content.decode()
    return browser


# --- The list and the page ---


def test_the_list_shows_people_and_their_seats_and_contact_details_to_logged_in_users(
    public, medlem, sekretariat, kari
):
    url = reverse("partnarskap:personar")
    html = public.get(url).content.decode()
    assert "Kari Kommune" in html and "Kommunalsjef" in html and "Kinn kommune" in html
    assert "FSU (medlem)" in html
    assert "kari@kinn.kommune.no" not in html and "57 75 20 00" not in html
    html = medlem.get(url).content.decode()
    assert "kari@kinn.kommune.no" in html and "57 75 20 00" in html
    assert "Legg til person" not in html
    assert "Legg til person" in sekretariat.get(url).content.decode()


def test_the_list_query_count_is_flat(sekretariat, fsu, django_assert_max_num_queries):
    kinn = Partnar.objects.get(slug="kinn")
    for i in range(20):
        person = Person.objects.create(namn=f"Person {i}", partnar=kinn, epost=f"p{i}@example.no")
        Medlemskap.objects.create(person=person, utval=fsu)
    with django_assert_max_num_queries(8):
        response = sekretariat.get(reverse("partnarskap:personar"))
    assert response.content.decode().count("Kinn kommune") >= 20


def test_a_persons_page_shows_facts_seats_and_history(public, medlem, kari, ssu):
    Medlemskap.objects.create(person=kari, utval=ssu, fra=date(2020, 1, 1), til=date(2022, 12, 31))
    html = _page(public, kari)
    assert "<h1" in html and "Kari Kommune" in html
    assert "Kommunalsjef" in html and "Kinn kommune" in html
    assert "Fagleg samarbeidsutval" in html  # a seat now
    assert "Tidlegare medlemskap" in html and "31. desember 2022" in html
    history = reverse("historikk", args=["partnarskap", "person", kari.pk])
    assert history not in html  # it holds contact details: logged-in users only
    assert "kari@kinn.kommune.no" not in html and "Logg inn</a> for å sjå e-post" in html
    assert "Konto" not in html and "Endre" not in html
    html = _page(medlem, kari)
    assert "kari@kinn.kommune.no" in html and "57 75 20 00" in html and history in html
    assert "Gje konto" not in html


def test_the_utval_page_links_to_each_members_page(public, kari, fsu):
    assert kari.get_absolute_url() in public.get(fsu.get_absolute_url()).content.decode()


def test_the_partner_page_lists_the_people_who_work_there(public, kari):
    html = public.get(kari.partnar.get_absolute_url()).content.decode()
    assert "Personar som arbeider her" in html and kari.get_absolute_url() in html
    assert 'Kari Kommune</a> <span class="hjelp">(Kommunalsjef)</span>' in html


# --- Adding and editing ---


def test_the_secretariat_adds_a_person(sekretariat, seeded):
    response = sekretariat.post(
        reverse("partnarskap:person_ny"),
        {
            "namn": "Ola Nordmann",
            "stilling": "Kommuneoverlege",
            "partnar": Partnar.objects.get(slug="stryn").pk,
            "epost": " ola@stryn.kommune.no ",
            "telefon": "+47 57 87 47 00",
        },
        follow=True,
    )
    person = Person.objects.get(namn="Ola Nordmann")
    assert response.redirect_chain[-1][0] == person.get_absolute_url()
    html = response.content.decode()
    assert "Ola Nordmann er lagd til." in html and "Stryn kommune" in html
    assert person.epost == "ola@stryn.kommune.no" and person.telefon == "+47 57 87 47 00"
    assert person.history.count() == 1


@pytest.mark.parametrize(
    ("felt", "verdi", "melding"),
    [
        ("epost", "ola@", "Skriv ei gyldig e-postadresse, til dømes namn@kommune.no."),
        (
            "epost",
            "KARI@Kinn.Kommune.no",
            "Ein annan person eller konto har alt denne e-postadressa.",
        ),
        ("telefon", "ring meg", "Skriv eit telefonnummer med siffer"),
        ("telefon", "12", "Skriv eit telefonnummer med siffer"),
        ("namn", "", "Skriv namnet på personen."),
        ("namn", "Ola\nNordmann", "Skriv dette på éi linje"),
    ],
)
def test_bad_input_is_told_at_the_field_and_nothing_is_saved(
    sekretariat, kari, felt, verdi, melding
):
    before = Person.objects.count()
    data = {"namn": "Ola Nordmann", "epost": "ola@stryn.kommune.no", felt: verdi}
    response = sekretariat.post(reverse("partnarskap:person_ny"), data)
    assert response.status_code == 422
    html = response.content.decode()
    field = html[html.index(f'id="id_person_ny_{felt}_error"') :]
    assert melding in field[: field.index("</ul>")]
    assert Person.objects.count() == before


def test_an_address_another_account_goes_by_is_refused(sekretariat, kari, sekretariat_user):
    sekretariat_user.email = "sigrid@helse-forde.no"
    sekretariat_user.save()
    url = reverse("partnarskap:person_endre", args=[kari.pk])
    form = {"namn": kari.namn, "epost": "Sigrid@helse-forde.no", "edit_version": 1}
    response = htmx(sekretariat, "post", url, form)
    assert response.status_code == 422
    assert "Ein annan person eller konto har alt denne e-postadressa." in response.content.decode()
    kari.refresh_from_db()
    assert kari.epost == "kari@kinn.kommune.no"


def test_the_secretariat_edits_a_person_in_place(sekretariat, kari):
    url = reverse("partnarskap:person_endre", args=[kari.pk])
    form = htmx(sekretariat, "get", url).content.decode()
    assert f'id="id_person_{kari.pk}_epost"' in form and "<h1" not in form
    response = htmx(
        sekretariat,
        "post",
        url,
        {
            "namn": "Kari Nordmann",
            "stilling": "Kommunedirektør",
            "partnar": kari.partnar_id,
            "epost": "kari@kinn.kommune.no",
            "telefon": "99 88 77 66",
            "edit_version": kari.edit_version,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kommunedirektør" in html and "99 88 77 66" in html
    assert 'id="personnamn" data-hx-swap-oob="true">Kari Nordmann<' in html  # the heading
    assert "Kari Nordmann er lagra." in response["HX-Trigger"]
    kari.refresh_from_db()
    assert kari.stilling == "Kommunedirektør" and kari.history.count() == 2
    # Cancel: the facts block again
    fakta = htmx(sekretariat, "get", reverse("partnarskap:person_fakta", args=[kari.pk]))
    assert "Kommunedirektør" in fakta.content.decode()


def test_editing_without_javascript_is_a_page_of_its_own(sekretariat, kari):
    url = reverse("partnarskap:person_endre", args=[kari.pk])
    assert "<h1>Endre Kari Kommune</h1>" in sekretariat.get(url).content.decode()
    data = {"namn": "Kari Kommune", "stilling": "Rådgjevar", "edit_version": kari.edit_version}
    response = sekretariat.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == kari.get_absolute_url()
    assert "Rådgjevar" in response.content.decode()


# --- Ending all seats ---


def test_ending_all_seats_asks_first_then_ends_those_not_ended(sekretariat, kari, ssu):
    old = Medlemskap.objects.create(
        person=kari, utval=ssu, fra=date(2020, 1, 1), til=date(2022, 12, 31)
    )
    later = Medlemskap.objects.create(
        person=kari, utval=Utval.objects.get(slug="avtaleutvalet"), til=today() + timedelta(300)
    )
    url = reverse("partnarskap:person_avslutt", args=[kari.pk])
    page = _page(sekretariat, kari)
    assert url in page and "Avslutte alle medlemskapa" not in page
    ask = sekretariat.get(url).content.decode()  # the page without JavaScript
    assert "Avslutte alle medlemskapa til Kari Kommune?" in ask and "2 medlemskap vert" in ask
    ask = htmx(sekretariat, "get", url).content.decode()  # in place
    assert "Avslutte alle medlemskapa til Kari Kommune?" in ask and "<h1" not in ask
    assert not Medlemskap.objects.filter(person=kari, til=today()).exists()

    response = htmx(sekretariat, "post", url)
    assert "2 medlemskap for Kari Kommune er avslutta i dag." in response["HX-Trigger"]
    assert "Kari Kommune har ingen medlemskap no." in response.content.decode()
    assert Medlemskap.objects.filter(person=kari, til=today()).count() == 2
    old.refresh_from_db()
    assert old.til == date(2022, 12, 31)  # what had ended stays as it was
    later.refresh_from_db()
    assert later.history.latest().history_change_reason == (
        "Alle medlemskapa til personen er avslutta"
    )
    again = sekretariat.post(url, follow=True).content.decode()
    assert "Kari Kommune hadde ingen medlemskap att å avslutte." in again


# --- Accounts ---


def test_an_invitation_gives_an_account_and_a_link_to_choose_a_password(sekretariat, kari):
    page = _page(sekretariat, kari)
    assert "Kari Kommune har ingen konto i portalen." in page and "Gje konto" in page
    response = sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]), follow=True)
    assert "Invitasjon er send til kari@kinn.kommune.no." in response.content.decode()
    assert "har ikkje valt passord enno" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["kari@kinn.kommune.no"]
    assert "Brukarnamnet ditt er: kari@kinn.kommune.no" in message.body
    assert _link(message).startswith(f"{SITE}/passord/vel/")
    kari.refresh_from_db()
    user = kari.brukar
    assert user.username == "kari@kinn.kommune.no" and user.first_name == "Kari Kommune"
    assert not user.has_usable_password()
    assert kari.history.latest().history_change_reason == "Konto gjeven, invitasjon send"

    browser = _set_password(_link(message))
    assert "Kari Kommune" in browser.get("/").content.decode()  # logged in
    # FSU's member now, by the seat: the contact details of others show.
    assert _can_log_in("kari@kinn.kommune.no", PASSORD)
    # The link works once.
    used = Client().get(_link(message).removeprefix(SITE), follow=True).content.decode()
    assert "Lenkja verkar ikkje" in used
    assert "Har konto som" in _page(sekretariat, kari)


def test_choosing_a_password_says_what_is_wrong_in_nynorsk(sekretariat, kari):
    sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]))
    browser = Client()
    form = browser.get(_link(mail.outbox[0]).removeprefix(SITE), follow=True)
    url = form.redirect_chain[-1][0]
    html = browser.post(url, {"new_password1": PASSORD, "new_password2": "noko anna"})
    assert "Dei to passorda er ikkje like." in html.content.decode()
    html = browser.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "Dette passordet innehalder berre tal." in html.content.decode()
    assert not User.objects.get(username="kari@kinn.kommune.no").has_usable_password()


def test_an_invitation_needs_an_address_of_its_own(sekretariat, kari, fsu):
    utan = Person.objects.create(namn="Per Utan")
    url = reverse("partnarskap:person_konto", args=[utan.pk])
    response = htmx(sekretariat, "post", url)
    assert response.status_code == 422
    assert "Per Utan har inga e-postadresse." in response.content.decode()
    User.objects.create_user("kari@kinn.kommune.no")  # an account not linked to Kari
    response = sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]), follow=True)
    assert "Det finst alt ein konto med e-postadressa kari@kinn.kommune.no" in (
        response.content.decode()
    )
    assert not mail.outbox
    kari.refresh_from_db()
    assert kari.brukar is None


def test_a_forgotten_password_is_chosen_again_from_the_login_page(public, kari):
    user = User.objects.create_user("kari@kinn.kommune.no", "kari@kinn.kommune.no", "gamalt-1")
    kari.brukar = user
    kari.save()
    login = public.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login and "Gløymt passordet?" in login
    response = public.post(
        reverse("password_reset"), {"email": "Kari@Kinn.kommune.no"}, follow=True
    )
    assert "Sjå e-posten din" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["kari@kinn.kommune.no"]
    assert message.subject == "Nytt passord i portalen til Sogn og Fjordane helsefellesskap"
    _set_password(_link(message), "Eit-nytt-passord-99")
    assert _can_log_in("kari@kinn.kommune.no", "Eit-nytt-passord-99")


def test_a_forgotten_password_tells_nobody_which_addresses_have_accounts(public, seeded):
    response = public.post(reverse("password_reset"), {"email": "ingen@example.no"}, follow=True)
    assert "Sjå e-posten din" in response.content.decode()
    assert not mail.outbox
    response = public.post(reverse("password_reset"), {"email": "ikkje ei adresse"})
    assert "Skriv ei gyldig e-postadresse" in response.content.decode()


def test_an_account_is_deactivated_when_the_person_has_left_every_seat(sekretariat, kari):
    sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]))
    link = _link(mail.outbox[0])
    url = reverse("partnarskap:person_konto_deaktiver", args=[kari.pk])
    page = _page(sekretariat, kari)
    assert "Kontoen kan deaktiverast når alle medlemskapa er avslutta." in page
    assert url not in page
    response = htmx(sekretariat, "post", url)
    assert response.status_code == 422
    assert "Kari Kommune har framleis medlemskap." in response.content.decode()

    sekretariat.post(reverse("partnarskap:person_avslutt", args=[kari.pk]))
    Medlemskap.objects.filter(person=kari).update(til=today() - timedelta(days=1))
    assert url in _page(sekretariat, kari)
    ask = sekretariat.get(url).content.decode()
    assert "Deaktivere kontoen til Kari Kommune?" in ask
    done = sekretariat.post(url, follow=True).content.decode()
    assert "Kontoen til Kari Kommune er deaktivert." in done
    assert "Opne kontoen att og send invitasjon" in done
    kari.refresh_from_db()
    assert not kari.brukar.is_active
    assert kari.history.latest().history_change_reason == "Konto deaktivert"
    # The link sent before no longer works, and a forgotten password sends nothing.
    assert (
        "Lenkja verkar ikkje" in Client().get(link.removeprefix(SITE), follow=True).content.decode()
    )
    Client().post(reverse("password_reset"), {"email": kari.epost})
    assert len(mail.outbox) == 1

    # A new invitation opens it again.
    sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]))
    kari.brukar.refresh_from_db()
    assert kari.brukar.is_active and len(mail.outbox) == 2


def test_the_secretariat_cannot_deactivate_its_own_account(sekretariat, sekretariat_user):
    person = Person.objects.create(
        namn="Sigrid", epost="sigrid@example.no", brukar=sekretariat_user
    )
    url = reverse("partnarskap:person_konto_deaktiver", args=[person.pk])
    response = sekretariat.post(url, follow=True)
    assert "Du kan ikkje deaktivere din eigen konto." in response.content.decode()
    sekretariat_user.refresh_from_db()
    assert sekretariat_user.is_active


def test_a_new_address_moves_the_account_with_it(sekretariat, kari):
    sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]))
    kari.refresh_from_db()
    url = reverse("partnarskap:person_endre", args=[kari.pk])
    data = {"namn": kari.namn, "epost": "kari.kommune@kinn.no", "edit_version": kari.edit_version}
    assert sekretariat.post(url, data).status_code == 302
    user = User.objects.get(pk=kari.brukar_id)
    assert user.email == "kari.kommune@kinn.no" and user.username == "kari.kommune@kinn.no"


def test_an_invitation_while_someone_edits_the_person_keeps_the_account(sekretariat, kari):
    """Giving an account is a new version of the person: a form opened before it is stale,
    and saving it again does not unlink the account."""
    url = reverse("partnarskap:person_endre", args=[kari.pk])
    seen = kari.edit_version
    sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]))
    data = {"namn": kari.namn, "epost": kari.epost, "stilling": "Ny", "edit_version": seen}
    response = sekretariat.post(url, data)
    assert response.status_code == 409
    assert "Konto gjeven, invitasjon send" in response.content.decode()
    kari.refresh_from_db()
    assert kari.brukar is not None


def test_others_may_not_manage_people_or_accounts(medlem, kari):
    for name in ("person_konto", "person_avslutt", "person_konto_deaktiver"):
        assert medlem.post(reverse(f"partnarskap:{name}", args=[kari.pk])).status_code == 403
    assert not mail.outbox
    kari.refresh_from_db()
    assert kari.brukar is None


def test_a_mail_server_that_is_down_is_told_not_a_server_error(sekretariat, kari, monkeypatch):
    def down(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(kontoar, "send_mail", down)
    response = sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]), follow=True)
    html = response.content.decode()
    assert "e-posten med invitasjonen kunne ikkje sendast" in html
    assert "Send invitasjonen på nytt" in html  # the account waits for it
    response = Client().post(reverse("password_reset"), {"email": kari.epost}, follow=True)
    assert "Sjå e-posten din" in response.content.decode()  # says nothing of the account


def test_a_deactivated_account_is_logged_out(sekretariat, kari):
    sekretariat.post(reverse("partnarskap:person_konto", args=[kari.pk]))
    browser = _set_password(_link(mail.outbox[0]))
    assert "Logg ut" in browser.get("/").content.decode()
    sekretariat.post(reverse("partnarskap:person_avslutt", args=[kari.pk]))
    Medlemskap.objects.filter(person=kari).update(til=today() - timedelta(days=1))
    sekretariat.post(reverse("partnarskap:person_konto_deaktiver", args=[kari.pk]))
    assert "Logg ut" not in browser.get("/").content.decode()
    assert not _can_log_in("kari@kinn.kommune.no", PASSORD)
