"""Every page type the portal has, with the states to check it in.

Append a `Side` for each new page type (and each in-place editor as a `Tilstand`): the
accessibility test and the HTML check pick it up. A URL that needs the data is a function,
called after the data is seeded."""

from django.conf import settings
from django.urls import reverse
from harness import Radredigering, Side, Tilstand
from helpers import HOSPITERING, tiltak
from playwright.sync_api import Page, expect

from partnarskap.models import Arshjulpunkt, Medlemskap, Person, Utval


def _fsu() -> str:
    return reverse("partnarskap:utval", args=["fsu"])


# The shipped data has seats only in the working group of 2020-2021 (now ended).
MED_MEDLEMMAR = "arbeidsgruppa-helsefellesskap"


def _arbeidsgruppa() -> str:
    return reverse("partnarskap:utval", args=[MED_MEDLEMMAR])


def first_seat() -> Medlemskap:
    return Medlemskap.objects.filter(utval__slug=MED_MEDLEMMAR).order_by("pk").first()


def _historikk_fsu() -> str:
    return reverse("historikk", args=["partnarskap", "utval", Utval.objects.get(slug="fsu").pk])


def _gjenopprett_fsu() -> str:
    fsu = Utval.objects.get(slug="fsu")
    first = fsu.history.earliest().history_id
    return reverse("gjenopprett", args=["partnarskap", "utval", fsu.pk, first])


def _endre_seat() -> str:
    return reverse("partnarskap:medlemskap_endre", args=[first_seat().pk])


def open_row_editor(page: Page) -> None:
    page.locator("#medlemmar tbody tr").first.get_by_role("link", name="Endre").click()
    expect(page.locator("#medlemmar tbody form.skjema--rad")).to_be_visible()


def add_member_without_a_person(page: Page) -> None:
    page.locator("#medlemmar").get_by_role("link", name="Legg til medlem").click()
    form = page.locator("#medlemmar form[data-hx-post]").last
    form.get_by_role("button", name="Legg til").click()
    expect(page.locator("#medlemmar .felt--feil").first).to_be_visible()


def save_row_without_a_person(page: Page) -> None:
    open_row_editor(page)
    row_form = page.locator("#medlemmar tbody form.skjema--rad")
    row_form.get_by_label("Person").select_option("")
    row_form.get_by_role("button", name="Lagre").click()
    expect(row_form.locator(".felt--feil").first).to_be_visible()


def _try_a_wrong_password(page: Page) -> None:
    page.get_by_label("Brukarnamn").fill("ingen")
    page.get_by_label("Passord").fill("feil-passord")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state()


def wrong_password(page: Page) -> None:
    _try_a_wrong_password(page)
    # The message is tied to both fields and read out through the status region.
    expect(page.get_by_label("Passord")).to_have_attribute("aria-describedby", "innlogging-feil")
    expect(page.locator("#statusmelding")).to_contain_text("passordet er feil")


def too_many_wrong_passwords(page: Page) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        if page.get_by_label("Brukarnamn").count() == 0:
            break
        _try_a_wrong_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Innlogginga er mellombels sperra")


def submit_without_a_person(page: Page) -> None:
    """The page without JavaScript: a plain POST that comes back with errors (422)."""
    page.get_by_label("Person", exact=True).select_option("")
    page.locator("main form").get_by_role("button").click()
    expect(page.locator(".felt--feil").first).to_be_visible()


def _first_arshjulpunkt_endre() -> str:
    return reverse(
        "partnarskap:arshjulpunkt_endre", args=[Arshjulpunkt.objects.order_by("pk")[0].pk]
    )


def open_arshjul_row_editor(page: Page) -> None:
    page.locator("#arshjulpunkt tbody tr").first.get_by_role("link", name="Endre").click()
    expect(page.locator("#arshjulpunkt tbody td[colspan] form")).to_be_visible()


def add_arshjulpunkt_without_a_title(page: Page) -> None:
    page.locator("#arshjulpunkt > form").get_by_role("button", name="Legg til").click()
    expect(page.locator("#arshjulpunkt > form .felt--feil").first).to_be_visible()


def search_as_you_type(page: Page) -> None:
    page.get_by_role("main").get_by_role("searchbox").fill("helse")
    expect(page.locator("#treff")).to_contain_text("treff på «helse»")


def _mote_pk() -> int:
    from moter.models import Mote

    return Mote.objects.filter(utval__slug="fsu").order_by("dato")[0].pk


def _mote() -> str:
    return reverse("moter:mote", args=[_mote_pk()])


def _mote_med_utsending() -> str:
    """The first FSU meeting with an innkalling sent: one delivered, one waiting for another
    try, one failed (the log the secretariat reads on the meeting's page)."""
    from datetime import timedelta

    from django.utils import timezone

    from moter.models import Leveranse, Mote, Utsending

    mote = Mote.objects.get(pk=_mote_pk())
    if not mote.utsendingar.exists():
        sending = Utsending.objects.create(
            mote=mote, type=Utsending.Type.INNKALLING, emne="Innkalling", kalenderversjon=0
        )
        now = timezone.now()
        for name, status, feil in (
            ("Kari Kommune", Leveranse.Status.SENDT, ""),
            ("Per Sjukehus", Leveranse.Status.VENTAR, "450 4.2.1 Mailbox busy"),
            ("Ola Utan", Leveranse.Status.FEILA, "550 5.1.1 No such user"),
        ):
            Leveranse.objects.create(
                utsending=sending,
                namn=name,
                epost=f"{name.split()[0].lower()}@example.no",
                status=status,
                forsok=1,
                feil=feil,
                levert=now if status == Leveranse.Status.SENDT else None,
                neste_forsok=now + timedelta(minutes=5) if feil.startswith("4") else None,
            )
    return mote.get_absolute_url()


def _avmeld() -> str:
    from moter import varsel

    fsu = Utval.objects.get(slug="fsu")
    return reverse("moter:avmeld", args=[varsel.avmeld_token(1, fsu.pk)])


def agenda():
    """FSU's second meeting with two saker, the first with two attachments: the agenda the
    keyboard tests and the meeting page's editing states work on. Made when first asked for
    (the data is seeded anew for every test; files go to the test's own MEDIA_ROOT)."""
    from django.core.files.base import ContentFile

    from bench.testdata import lag_pdf
    from moter.models import Mote, Sak, Vedlegg

    mote = Mote.objects.filter(utval__slug="fsu").order_by("dato")[1]
    if not mote.saker.exists():
        for n in (1, 2):
            Sak.objects.create(
                mote=mote,
                utval=mote.utval,
                ar=mote.dato.year,
                nummer=mote.neste_saksnummer(),
                tittel=f"Testsak {n} for tastaturet",
                rekkjefolgje=n,
            )
        pdf = lag_pdf(1)
        for n in (1, 2):
            Vedlegg.objects.create(
                sak=first_sak(mote),
                tittel=f"Testvedlegg {n}",
                fil=ContentFile(pdf, name=f"testvedlegg-{n}.pdf"),
                sider=1,
                rekkjefolgje=n,
            )
    return mote


def first_sak(mote=None):
    return (mote or agenda()).saker.order_by("rekkjefolgje", "nummer").first()


def _agenda() -> str:
    return agenda().get_absolute_url()


def _sak(page: Page):
    return page.locator(f"#sak-{first_sak().pk}")


def open_sak_editor(page: Page) -> None:
    _sak(page).get_by_role("link", name="Endre").click()
    expect(_sak(page).locator("form [data-avbryt]")).to_be_visible()


def upload_without_a_file(page: Page) -> None:
    _sak(page).get_by_role("button", name="Last opp").click()
    expect(_sak(page).locator(".felt--feil").first).to_be_visible()


def add_sak_without_a_title(page: Page) -> None:
    page.locator("#sakliste").get_by_role("link", name="Legg til sak").click()
    page.locator("#sakliste form.ny-sak").get_by_role("button", name="Legg til sak").click()
    expect(page.locator("#sakliste form.ny-sak .felt--feil").first).to_be_visible()


def open_meeting_editor(page: Page) -> None:
    page.get_by_role("link", name="Endre eller flytt møtet").click()
    # The editor itself: the facts block has a form of its own (cancel the meeting) before.
    expect(page.locator("#motefakta form:has([data-avbryt])")).to_be_visible()


def locked_meeting():
    """SSU's first meeting, its referat approved in the next: locked."""
    from moter.models import Mote, Referat

    first, second = Mote.objects.filter(utval__slug="ssu").order_by("dato")[:2]
    Referat.objects.update_or_create(mote=first, defaults={"godkjent_i": second})
    return first


def reopen_without_a_reason(page: Page) -> None:
    page.locator("#laas").get_by_role("button", name="Opne referatet att").click()
    expect(page.locator(".felt--feil").first).to_be_visible()


def save_meeting_someone_else_saved(page: Page) -> None:
    """The meeting editor's save refused: someone else saved the meeting first (409)."""
    from moter.models import Mote
    from portal import editing

    editor = page.locator("#motefakta form:has([data-avbryt])")
    if not editor.count():
        open_meeting_editor(page)
    mote = Mote.objects.get(pk=_mote_pk())
    with editing.locked(mote):
        mote.stad = "Eit anna møterom"
        editing.save_next_version(mote)
    editor.get_by_role("button", name="Lagre").click()
    conflict = page.locator("#motefakta .konflikt")
    expect(conflict).to_be_visible()
    expect(conflict).to_be_focused()


def _avtale() -> str:
    return reverse("avtalar:avtale", args=[HOSPITERING])


def _hospitering_versjon() -> int:
    from avtalar.models import Avtale

    return Avtale.objects.get(slug=HOSPITERING).gjeldande_versjon().pk


def filter_agreements(page: Page) -> None:
    page.get_by_label("Søk i avtalane").fill("hospitering")
    expect(page.locator("#resultat h2").first).to_contain_text("«hospitering»")


def open_agreement_editor(page: Page) -> None:
    page.get_by_role("link", name="Endre status, revisjonsdato og partar").click()
    expect(page.locator("#fakta form:has([data-avbryt])")).to_be_visible()


def submit_new_version_empty(page: Page) -> None:
    page.locator("main form").get_by_role("button").last.click()
    expect(page.locator(".feilmelding").first).to_be_visible()


def _tiltak_pk() -> int:
    return tiltak().pk


def _delmal():
    """The delmål the keyboard test edits, by the key noted when its page was opened (the
    test changes its number)."""
    from handlingsplan.models import Delmal

    return Delmal.objects.get(pk=_DELMAL_PK[0])


_DELMAL_PK: list[int] = [0]


def _plan_for_delmal() -> str:
    _DELMAL_PK[0] = _delmal_pk()
    return _plan_2023()


def _delmal_pk() -> int:
    from handlingsplan.models import Delmal

    return Delmal.objects.get(nummer="3.4", innsatsomrade__plan__fra_ar=2023).pk


def open_tiltak_editor(page: Page) -> None:
    row = page.locator(f"#tiltak-{_TILTAK_PK[0]}")
    row.get_by_role("link", name="Endre").click()
    expect(page.locator(f"#tiltak-{_TILTAK_PK[0]} td[colspan] form")).to_be_visible()


_TILTAK_PK: list[int] = [0]  # set when the plan page's URL is made (after seeding)


def _plan_2023() -> str:
    _TILTAK_PK[0] = _tiltak_pk()
    return reverse("handlingsplan:periode", args=[2023, 2024])


def _person() -> Person:
    """A person of the shipped data with a seat and no e-mail address."""
    return first_seat().person


def _person_side() -> str:
    return _person().get_absolute_url()


def open_person_editor(page: Page) -> None:
    page.locator("#personfakta").get_by_role("link", name="Endre").click()
    expect(page.locator("#personfakta form:has([data-avbryt])")).to_be_visible()


def save_person_with_a_bad_address(page: Page) -> None:
    form = page.locator("#personfakta form:has([data-avbryt])")
    if not form.count():
        open_person_editor(page)
    form.get_by_label("E-post").fill("ikkje-ei-adresse")
    form.get_by_role("button", name="Lagre").click()
    expect(form.locator(".felt--feil").first).to_be_visible()


def ask_to_end_all_seats(page: Page) -> None:
    page.locator("#medlemskap").get_by_role("link", name="Avslutt alle medlemskapa").click()
    expect(page.locator("#medlemskap form.stadfest")).to_be_visible()


def invite_without_an_address(page: Page) -> None:
    page.locator("#konto").get_by_role("button", name="Gje konto og send invitasjon").click()
    expect(page.locator("#konto [role=alert]")).to_be_visible()


def _person_med_konto() -> Person:
    """A person with an account and no seats: their account may be deactivated."""
    from django.contrib.auth.models import User

    person, _ = Person.objects.get_or_create(namn="Testperson med konto")
    if person.brukar is None:
        person.epost = "testperson@example.no"
        person.brukar = User.objects.create_user(
            "testperson@example.no", "testperson@example.no", "Testpassord-for-kontoen"
        )
        person.save()
    return person


def ask_to_deactivate(page: Page) -> None:
    page.locator("#konto").get_by_role("link", name="Deaktiver kontoen").click()
    expect(page.locator("#konto form.stadfest")).to_be_visible()


def _passordlenkje() -> str:
    """A valid link to choose a password, as an invitation sends it (path only)."""
    from django.conf import settings

    from partnarskap import kontoar

    return kontoar.passordlenkje(_person_med_konto().brukar).removeprefix(settings.SITE_URL)


def choose_two_different_passwords(page: Page) -> None:
    page.get_by_label("Nytt passord").fill("Fjordar-og-fjell-2024")
    page.get_by_label("Skriv passordet ein gong til").fill("noko anna")
    page.get_by_role("button", name="Lagre passordet").click()
    expect(page.locator(".felt--feil").first).to_be_visible()


def ask_for_a_link_without_an_address(page: Page) -> None:
    page.get_by_label("E-postadressa di").fill("ikkje ei adresse")
    page.get_by_role("button", name="Send lenkje").click()
    expect(page.locator(".felt--feil").first).to_be_visible()


PAGES: list[Side] = [
    Side("framside", "/"),
    Side("framside som sekretariat", "/", "sekretariat"),
    Side("partnarskap", "/partnarskap/"),
    Side("utval", _fsu),
    Side("utval som medlem", _fsu, "medlem"),
    Side("utval som sekretariat", _fsu, "sekretariat"),
    Side("utval med medlemmar", _arbeidsgruppa),
    Side(
        "utval med medlemmar som sekretariat",
        _arbeidsgruppa,
        "sekretariat",
        (
            Tilstand("radredigering open", open_row_editor),
            Tilstand("nytt medlem med feil", add_member_without_a_person),
            Tilstand("radredigering med feil", save_row_without_a_person),
        ),
    ),
    Side("partnar", lambda: reverse("partnarskap:partnar", args=["kinn"])),
    Side(
        "samansetjingsregel",
        lambda: reverse("partnarskap:samansetjing_endre", args=["fsu"]),
        "sekretariat",
    ),
    Side("endringar sidan førre møte", lambda: reverse("moter:endringar", args=["fsu"])),
    Side(
        "partnar som sekretariat",
        lambda: reverse("partnarskap:partnar", args=["helse-forde"]),
        "sekretariat",
    ),
    Side("historikk", _historikk_fsu),
    Side("historikk som sekretariat", _historikk_fsu, "sekretariat"),
    Side("gjenopprett ein versjon", _gjenopprett_fsu, "sekretariat"),
    Side(
        "nytt medlem utan JavaScript-sida",
        lambda: reverse("partnarskap:medlemskap_ny", args=["fsu"]),
        "sekretariat",
        (Tilstand("med feil", submit_without_a_person),),
    ),
    Side(
        "endre medlemskap utan JavaScript-sida",
        _endre_seat,
        "sekretariat",
        (Tilstand("med feil", submit_without_a_person),),
    ),
    Side(
        "logg inn",
        "/logg-inn/",
        tilstandar=(
            Tilstand("feil passord", wrong_password),
            Tilstand("sperra etter for mange forsøk", too_many_wrong_passwords),
        ),
    ),
    Side("personar", lambda: reverse("partnarskap:personar")),
    Side("personar som sekretariat", lambda: reverse("partnarskap:personar"), "sekretariat"),
    Side("person", _person_side),
    Side("person som medlem", _person_side, "medlem"),
    Side(
        "person som sekretariat",
        _person_side,
        "sekretariat",
        (
            Tilstand("redigering open", open_person_editor),
            Tilstand("redigering med feil", save_person_with_a_bad_address),
            Tilstand("avslutt alle medlemskapa spør", ask_to_end_all_seats),
            Tilstand("konto utan e-postadresse", invite_without_an_address),
        ),
    ),
    Side(
        "person med konto som sekretariat",
        lambda: _person_med_konto().get_absolute_url(),
        "sekretariat",
        (Tilstand("deaktiver kontoen spør", ask_to_deactivate),),
    ),
    Side("ny person", lambda: reverse("partnarskap:person_ny"), "sekretariat"),
    Side(
        "endre person utan JavaScript-sida",
        lambda: reverse("partnarskap:person_endre", args=[_person().pk]),
        "sekretariat",
    ),
    Side(
        "avslutt alle medlemskapa utan JavaScript-sida",
        lambda: reverse("partnarskap:person_avslutt", args=[_person().pk]),
        "sekretariat",
    ),
    Side(
        "deaktiver kontoen utan JavaScript-sida",
        lambda: reverse("partnarskap:person_konto_deaktiver", args=[_person_med_konto().pk]),
        "sekretariat",
    ),
    Side(
        "gløymt passord",
        lambda: reverse("password_reset"),
        tilstandar=(Tilstand("med feil", ask_for_a_link_without_an_address),),
    ),
    Side("passordlenkje send", lambda: reverse("password_reset_done")),
    Side(
        "vel passord",
        _passordlenkje,
        tilstandar=(Tilstand("med feil", choose_two_different_passwords),),
    ),
    Side(
        "passordlenkje som ikkje verkar",
        lambda: reverse("password_reset_confirm", args=["MQ", "ugyldig-lenkje"]),
    ),
    Side("passord lagra", lambda: reverse("password_reset_complete")),
    Side("tilgjengelegheit", "/tilgjengelegheit/"),
    Side("handlingsplan", lambda: reverse("handlingsplan:plan")),
    Side("handlingsplan 2023–2024", _plan_2023),
    Side(
        "handlingsplan 2023–2024 som sekretariat",
        _plan_2023,
        "sekretariat",
        (Tilstand("tiltak redigering open", open_tiltak_editor),),
    ),
    Side("strategi", lambda: reverse("handlingsplan:strategi_gjeldande")),
    Side("tiltak", lambda: reverse("handlingsplan:tiltak", args=[_tiltak_pk()])),
    Side("delmål", lambda: reverse("handlingsplan:delmal", args=[_delmal_pk()])),
    Side(
        "endre tiltak utan JavaScript-sida",
        lambda: reverse("handlingsplan:tiltak_endre", args=[_tiltak_pk()]),
        "sekretariat",
    ),
    Side(
        "endre delmål utan JavaScript-sida",
        lambda: reverse("handlingsplan:delmal_endre", args=[_delmal_pk()]),
        "sekretariat",
    ),
    Side(
        "nytt tiltak utan JavaScript-sida",
        lambda: reverse("handlingsplan:tiltak_ny", args=[_delmal_pk()]),
        "sekretariat",
    ),
    Side(
        "slett tiltak utan JavaScript-sida",
        lambda: reverse("handlingsplan:tiltak_slett", args=[_tiltak_pk()]),
        "sekretariat",
    ),
    Side(
        "avtalar",
        lambda: reverse("avtalar:oversikt"),
        tilstandar=(Tilstand("filtrert medan ein skriv", filter_agreements),),
    ),
    Side("avtalar som sekretariat", lambda: reverse("avtalar:oversikt"), "sekretariat"),
    Side("avtalar filtrert utan JavaScript", lambda: reverse("avtalar:oversikt") + "?q=utskriving"),
    Side("avtalar til revisjon", lambda: reverse("avtalar:revisjon")),
    Side(
        "avtalar til revisjon som sekretariat", lambda: reverse("avtalar:revisjon"), "sekretariat"
    ),
    Side("signering", lambda: reverse("avtalar:signering")),
    Side("signering som sekretariat", lambda: reverse("avtalar:signering"), "sekretariat"),
    Side(
        "ny signering",
        lambda: reverse("avtalar:signering_ny", args=[HOSPITERING, _hospitering_versjon()]),
        "sekretariat",
    ),
    Side("avtale", _avtale),
    Side("avtale som medlem", _avtale, "medlem"),
    Side(
        "avtale som sekretariat",
        _avtale,
        "sekretariat",
        (Tilstand("redigering open", open_agreement_editor),),
    ),
    Side("rammeavtalen", lambda: reverse("avtalar:avtale", args=["rammeavtale"])),
    Side(
        "endre avtale utan JavaScript-sida",
        lambda: reverse("avtalar:endre", args=[HOSPITERING]),
        "sekretariat",
    ),
    Side(
        "ny avtaleversjon",
        lambda: reverse("avtalar:ny_versjon", args=[HOSPITERING]),
        "sekretariat",
        (Tilstand("med feil", submit_new_version_empty),),
    ),
    Side("søk", "/sok/", tilstandar=(Tilstand("treff medan ein skriv", search_as_you_type),)),
    Side("søk med treff", "/sok/?q=kinn"),
    Side("søk utan treff", "/sok/?q=qwertyuiop"),
    Side("søk med «Meinte du»", "/sok/?q=hospitring"),
    Side("søk som sekretariat", "/sok/?q=utval", "sekretariat"),
    Side("årshjul", lambda: reverse("partnarskap:arshjul")),
    Side(
        "årshjul som sekretariat",
        lambda: reverse("partnarskap:arshjul"),
        "sekretariat",
        (
            Tilstand("radredigering open", open_arshjul_row_editor),
            Tilstand("nytt punkt med feil", add_arshjulpunkt_without_a_title),
        ),
    ),
    Side(
        "nytt årshjulpunkt utan JavaScript-sida",
        lambda: reverse("partnarskap:arshjulpunkt_ny"),
        "sekretariat",
    ),
    Side("endre årshjulpunkt utan JavaScript-sida", _first_arshjulpunkt_endre, "sekretariat"),
    Side("ingen tilgang", _endre_seat, status=403),
    Side("fann ikkje sida", "/finst-ikkje/", status=404),
    Side("møte", lambda: reverse("moter:oversikt")),
    Side("møteplan 2024", lambda: reverse("moter:ar", args=[2024])),
    Side("møteplan 2024 som sekretariat", lambda: reverse("moter:ar", args=[2024]), "sekretariat"),
    Side("eit møte", _mote),
    Side("eit møte som medlem", _mote, "medlem"),
    Side(
        "eit møte som sekretariat",
        _mote,
        "sekretariat",
        (
            Tilstand("møteredigering open", open_meeting_editor),
            Tilstand("møteredigering med konflikt", save_meeting_someone_else_saved),
        ),
    ),
    Side("eit møte med utsendingar som sekretariat", _mote_med_utsending, "sekretariat"),
    Side("slutt å følgje eit utval", _avmeld),
    Side("eit møte med saker", _agenda),
    Side(
        "eit møte med saker som sekretariat",
        _agenda,
        "sekretariat",
        (
            Tilstand("vedlegg utan fil", upload_without_a_file),
            Tilstand("ny sak med feil", add_sak_without_a_title),
            Tilstand("sakredigering open", open_sak_editor),
        ),
    ),
    Side("nytt møte", lambda: reverse("moter:mote_ny"), "sekretariat"),
    Side("ny sak", lambda: reverse("moter:sak_ny", args=[_mote_pk()]), "sekretariat"),
    Side("arkivuttrekk", lambda: reverse("moter:arkiv_uttrekk"), "sekretariat"),
    Side(
        "endre sak utan JavaScript-sida",
        lambda: reverse("moter:sak_endre", args=[first_sak().pk]),
        "sekretariat",
    ),
    Side("referat", lambda: reverse("moter:referat_endre", args=[_mote_pk()]), "sekretariat"),
    # Last: they approve a referat, which locks SSU's first meeting for the rest of the walk.
    Side("til oppfølging", lambda: reverse("moter:oppfolging"), "sekretariat"),
    Side(
        "eit låst møte som sekretariat",
        lambda: locked_meeting().get_absolute_url(),
        "sekretariat",
        (Tilstand("opne att utan grunn", reopen_without_a_reason),),
    ),
    Side("eit låst møte", lambda: locked_meeting().get_absolute_url()),
    Side(
        "endring i eit låst møte",
        lambda: reverse("moter:sak_ny", args=[locked_meeting().pk]),
        "sekretariat",
        status=409,
    ),
]


def _arshjulpunkt() -> Arshjulpunkt:
    return Arshjulpunkt.objects.order_by("pk")[0]


def _hospitering():
    from avtalar.models import Avtale

    return Avtale.objects.get(slug=HOSPITERING)


def _mote_stad() -> str:
    from moter.models import Mote

    return Mote.objects.get(pk=_mote_pk()).stad


# What is edited in place: the keyboard test opens, saves and cancels each with keys alone.
EDITABLE_ROWS: list[Radredigering] = [
    Radredigering(
        "medlemskap",
        url=_arbeidsgruppa,
        rad=lambda: f"#medlemskap-{first_seat().pk}",
        felt="Merknad",
        melding="Medlemskapet er lagra.",
        lagra=lambda: Medlemskap.objects.get(pk=first_seat().pk).merknad,
    ),
    Radredigering(
        "person",
        url=_person_side,
        rad=lambda: "#personfakta",
        felt="Stilling",
        melding="er lagra.",
        lagra=lambda: Person.objects.get(pk=_person().pk).stilling,
    ),
    Radredigering(
        "årshjulpunkt",
        url=lambda: reverse("partnarskap:arshjul"),
        rad=lambda: f"#arshjulpunkt-{_arshjulpunkt().pk}",
        felt="Kjelde",
        melding="er lagra.",
        lagra=lambda: _arshjulpunkt().kjelde,
    ),
    Radredigering(
        "tiltak",
        url=_plan_2023,
        rad=lambda: f"#tiltak-{_tiltak_pk()}",
        felt="Anna ansvarleg",
        melding="Tiltaket er lagra.",
        lagra=lambda: tiltak().ansvarleg_anna,
    ),
    Radredigering(
        "delmål",
        url=_plan_for_delmal,
        # The delmål's own row: the tiltak rows under it have "Endre" links of their own.
        rad=lambda: f"#delmal-{_delmal_pk()} > tr.delmal-rad",
        felt="Nummer",
        melding="Delmålet er lagra.",
        lagra=lambda: _delmal().nummer,
        tastar="3.40",
    ),
    Radredigering(
        "avtalefakta",
        url=_avtale,
        rad=lambda: "#fakta",
        felt="Neste revisjon",
        melding="Endringane er lagra.",
        lagra=lambda: str(_hospitering().neste_revisjon),
        # A date field takes its parts as digits, in the browser locale's order: the same
        # day and month reads the same in any order.
        tastar="03032031",
        verdi="2031-03-03",
    ),
    Radredigering(
        "sak",
        url=_agenda,
        rad=lambda: f"#sak-{first_sak().pk}",
        felt="Tittel",
        melding="er lagra.",
        lagra=lambda: first_sak().tittel,
    ),
    Radredigering(
        "møtefakta",
        url=_mote,
        rad=lambda: "#motefakta",
        felt="Stad",
        melding="Møtet er lagra.",
        lagra=_mote_stad,
    ),
]

# Names key the collected HTML and the reports: keep them unique.
assert len({s.namn for s in PAGES}) == len(PAGES), "two pages in PAGES share a name"
assert len({r.namn for r in EDITABLE_ROWS}) == len(EDITABLE_ROWS)
