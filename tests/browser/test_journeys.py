"""Users' journeys end to end in the browser. Add a journey per capability as it lands."""

import re

from django.utils import timezone
from helpers import HOSPITERING, blank_pdf, pdf_pages, pdf_reader, pdf_text, run_tasks
from playwright.sync_api import expect

from partnarskap.models import Utval, today


def test_partner_finds_their_municipality(browser_page):
    page = browser_page("public")
    page.goto("/")
    page.get_by_role("navigation", name="Hovudmeny").get_by_role("link", name="Partnarskap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Korleis helsefellesskapet er organisert"
    )
    page.get_by_role("link", name="Kinn kommune", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kinn kommune")
    expect(page.get_by_role("navigation", name="Brødsmular")).to_contain_text("Partnarskap")
    assert page.url.endswith("/partnarskap/partnar/kinn/")


def test_secretariat_logs_in_through_the_form(browser_page, sekretariat_user):
    page = browser_page("public")
    page.goto("/partnarskap/")
    page.get_by_role("link", name="Logg inn").click()
    page.get_by_label("Brukarnamn").fill("sigrid")
    page.get_by_label("Passord").fill("ikkje-i-bruk-123")
    page.get_by_role("button", name="Logg inn").click()
    # Back where they came from, as the secretariat.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Korleis helsefellesskapet er organisert"
    )
    expect(page.locator(".konto")).to_contain_text("Sigrid (sekretariatet)")
    assert not page.funn.feil, page.funn.feil


def test_partner_searches_for_an_agreement_and_opens_its_current_document(browser_page):
    """The secretariat uploads a new version; a partner finds the agreement through the
    header search and opens the document, which is now the current one."""
    pdf = blank_pdf(width=595, height=842, title="Testversjon av hospiteringsavtalen")
    page = browser_page("sekretariat")
    page.goto(f"/avtalar/{HOSPITERING}/ny-versjon/")
    page.get_by_label(re.compile("^Dokument")).set_input_files(
        files=[{"name": "hospitering.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_label(re.compile("^Versjon")).fill("Testversjon 2026")
    page.get_by_label(re.compile("^Godkjend dato")).fill(today().isoformat())
    page.get_by_label(re.compile("^Gjeld frå")).fill(today().isoformat())
    page.get_by_label(re.compile("^Kva som er endra")).fill("Testendring frå nettlesartesten.")
    page.locator("main form").get_by_role("button").last.click()
    expect(page.locator(".meldingar")).to_contain_text("er no gjeldande")

    partner = browser_page("public")
    partner.goto("/")
    search = partner.get_by_role("search").first.get_by_role("searchbox")
    search.fill("hospitering")
    search.press("Enter")
    expect(partner.get_by_role("heading", level=1)).to_have_text("Søk")
    partner.get_by_role("main").get_by_role(
        "link", name=re.compile("hospitering", re.I)
    ).first.click()
    expect(partner.locator("section.gjeldande")).to_contain_text("Testversjon 2026")
    link = partner.get_by_role("link", name="Opne avtalen (PDF)")
    response = partner.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert pdf_reader(response.body()).metadata.title == ("Testversjon av hospiteringsavtalen")


def test_secretariat_adds_a_sak_with_an_attachment_and_a_member_downloads_the_pack(browser_page):
    """The secretariat adds a sak with a three-page PDF to FSU's first meeting; a member of
    FSU downloads the pack, where the sakliste names the page the sak starts on and the
    attachment's pages follow it."""
    from bench.testdata import lag_pdf
    from moter.models import Mote, Sak, Vedlegg

    mote = Mote.objects.filter(utval__slug="fsu").order_by("dato")[0]
    page = browser_page("sekretariat")
    page.goto(f"/moter/mote/{mote.pk}/sak/ny/")
    page.get_by_label(re.compile("^Tittel")).fill("Testsak frå nettlesaren")
    page.locator("main form").get_by_role("button").last.click()
    sak = Sak.objects.get(tittel="Testsak frå nettlesaren")
    page.goto(f"/moter/sak/{sak.pk}/")
    page.get_by_label(re.compile("^Tittel")).last.fill("Testvedlegg på tre sider")
    page.get_by_label(re.compile("^Fil|^PDF|^Dokument")).last.set_input_files(
        files=[{"name": "vedlegg.pdf", "mimeType": "application/pdf", "buffer": lag_pdf(3)}]
    )
    page.get_by_role("button", name=re.compile("Legg ved|Last opp")).last.click()
    expect(page.locator("main")).to_contain_text("Testvedlegg på tre sider")
    assert Vedlegg.objects.filter(sak=sak).count() == 1

    member = browser_page("medlem")
    member.goto(mote.get_absolute_url())
    link = member.get_by_role("link", name="Last ned møtepakka (PDF)")
    response = member.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    texts = pdf_pages(response.body())
    listed = re.search(r"Testsak frå nettlesaren\D*(\d+)", "\n".join(texts[:3]))
    start = int(listed.group(1))
    assert "Testsak frå nettlesaren" in texts[start - 1]
    assert [f"Testvedlegg side {n}" in texts[start + n - 1] for n in (1, 2, 3)] == [True] * 3


def test_secretariat_edits_a_tiltak_in_place_and_sees_it_in_the_history(browser_page):
    from django.urls import reverse

    from handlingsplan.models import Tiltak

    tiltak = Tiltak.objects.get(tekst="følge opp prosjektet avansert heimesjukehus")
    page = browser_page("sekretariat")
    page.goto(reverse("handlingsplan:periode", args=[2023, 2024]))
    row = page.locator(f"#tiltak-{tiltak.pk}")
    row.get_by_role("link", name="Endre").click()
    form = page.locator(f"#tiltak-{tiltak.pk} form")
    form.get_by_label("Status").select_option(label="Pågår")
    form.get_by_label("Framdrift").fill("Testnotat: prosjektet er i gang.")
    form.get_by_role("button", name="Lagre").click()
    expect(page.locator(f"#tiltak-{tiltak.pk}")).to_contain_text("Pågår")
    expect(page.locator("#statusmelding")).not_to_be_empty()
    page.goto(reverse("historikk", args=["handlingsplan", "tiltak", tiltak.pk]))
    expect(page.get_by_role("main")).to_contain_text("Pågår")


def test_secretariat_gives_a_person_an_address_and_an_account_and_they_log_in(
    browser_page, settings, mailoutbox
):
    """The secretariat adds an e-mail address to a member's page and gives them an
    account; the member follows the link in the e-mail, chooses a password and is logged
    in, and can log in with it later."""
    from pages import first_seat

    settings.SITE_URL = "https://portal.example.no"
    person = first_seat().person
    page = browser_page("sekretariat")
    page.goto("/partnarskap/personar/")
    page.get_by_role("link", name=person.namn).click()
    page.locator("#personfakta").get_by_role("link", name="Endre").click()
    form = page.locator("#personfakta form")
    form.get_by_label("E-post").fill("medlem.test@example.no")
    form.get_by_role("button", name="Lagre").click()
    expect(page.locator("#personfakta")).to_contain_text("medlem.test@example.no")
    page.get_by_role("button", name="Gje konto og send invitasjon").click()
    expect(page.locator("#statusmelding")).to_contain_text("Invitasjon er send")
    expect(page.locator("#konto")).to_contain_text("har ikkje valt passord enno")

    (message,) = mailoutbox
    assert message.to == ["medlem.test@example.no"]
    link = re.search(r"https://portal\.example\.no(/passord/vel/\S+)", message.body).group(1)
    member = browser_page("public")
    member.goto(link)
    expect(member.get_by_role("heading", level=1)).to_have_text("Vel passord")
    member.get_by_label("Nytt passord").fill("Fjordar-og-fjell-2024")
    member.get_by_label("Skriv passordet ein gong til").fill("Fjordar-og-fjell-2024")
    member.get_by_role("button", name="Lagre passordet").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Passordet er lagra")
    expect(member.locator(".konto")).to_contain_text(person.namn)

    member.locator(".konto").get_by_role("button", name="Logg ut").click()
    member.goto("/logg-inn/")
    member.get_by_label("Brukarnamn").fill("medlem.test@example.no")
    member.get_by_label("Passord").fill("Fjordar-og-fjell-2024")
    member.get_by_role("button", name="Logg inn").click()
    expect(member.locator(".konto")).to_contain_text(person.namn)
    assert not page.funn.feil and not member.funn.feil, page.funn.feil + member.funn.feil


def test_the_meeting_cycle_from_an_address_to_a_locked_referat(
    browser_page, live_server, settings, smtp
):
    """Issue 15's "done when", in the browser only, through a real SMTP server: the
    secretariat gives FSU a new member, with an address and an account; the member chooses
    a password from the e-mail. The secretariat writes the referat of FSU's last meeting
    (held in 2024) and calls today's meeting, with an exempt sak; the member gets one
    meeting request, follows its pack link while logged out, logs in and gets the members'
    pack. Today's meeting is held, so it can approve the last meeting's referat, which is
    then locked: an editor opened before the approval is refused."""
    from moter.models import Mote

    settings.SITE_URL = live_server.url  # the links in the e-mails lead to this portal
    namn = "Testmedlem Nettlesar"
    address = "testmedlem@example.no"
    passord = "Fjordar-og-fjell-2024"
    fsu = Utval.objects.get(slug="fsu")
    forrige = Mote.objects.filter(utval=fsu).order_by("-dato").first()  # held in 2024

    # The secretariat gives FSU a member, with an address and an account.
    page = browser_page("sekretariat")
    page.goto(fsu.get_absolute_url())
    page.locator("#medlemmar").get_by_role("link", name="Legg til medlem").click()
    seat_form = page.locator("#medlemmar form")
    seat_form.get_by_label("Eller ny person (namn)").fill(namn)
    seat_form.get_by_role("button", name="Legg til").click()
    page.locator("#medlemmar").get_by_role("link", name=namn, exact=True).click()
    page.locator("#personfakta").get_by_role("link", name="Endre").click()
    form = page.locator("#personfakta form")
    form.get_by_label("E-post").fill(address)
    form.get_by_role("button", name="Lagre").click()
    expect(page.locator("#personfakta")).to_contain_text(address)
    page.get_by_role("button", name="Gje konto og send invitasjon").click()
    expect(page.locator("#statusmelding")).to_contain_text("Invitasjon er send")

    (invitation,) = smtp.til(address)
    text = invitation.get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(live_server.url)}(/passord/vel/\S+)", text).group(1)
    member = browser_page("public")
    member.goto(link)
    member.get_by_label("Nytt passord").fill(passord)
    member.get_by_label("Skriv passordet ein gong til").fill(passord)
    member.get_by_role("button", name="Lagre passordet").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Passordet er lagra")
    member.locator(".konto").get_by_role("button", name="Logg ut").click()

    # The referat of FSU's last meeting is written; no held meeting can approve it yet.
    page.goto(forrige.get_absolute_url())
    expect(page.locator("#motefakta")).to_contain_text("Halde")
    page.get_by_role("link", name="Før referat: oppmøte og vedtak").click()
    expect(page.get_by_label(re.compile("^Godkjent i")).locator("option")).to_have_count(1)
    page.get_by_label(re.compile("^Merknader")).fill("Testreferat frå nettlesaren.")
    page.get_by_role("button", name="Lagre referatet").click()
    expect(page.locator("#referat")).to_contain_text("Ikkje godkjent enno")

    # Today's meeting, with a sak exempt from public access, is called.
    page.goto("/moter/")
    page.get_by_text("Legg til møte", exact=True).click()
    page.get_by_label(re.compile("^Utval")).select_option(label=fsu.namn)
    page.get_by_label(re.compile("^Dato")).fill(timezone.localdate().isoformat())
    page.get_by_label(re.compile("^Stad")).fill("Førde")
    page.get_by_role("button", name="Legg til møtet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(fsu.namn)
    mote = Mote.objects.get(utval=fsu, dato=timezone.localdate())
    page.locator("#sakliste").get_by_role("link", name="Legg til sak").click()
    sak_form = page.locator("#sakliste form.ny-sak")
    sak_form.get_by_label(re.compile("^Tittel")).fill("Testsak unnateken offentlegheit")
    sak_form.get_by_label(re.compile("^Offentleg")).uncheck()
    sak_form.get_by_label(re.compile("^Heimel")).fill("Offl. § 13")
    sak_form.get_by_role("button", name="Legg til sak").click()
    expect(page.locator("#sakliste")).to_contain_text("Testsak unnateken offentlegheit")
    page.get_by_role("button", name="Send innkalling").click()
    expect(page.locator(".meldingar")).to_contain_text("vert send til 1 mottakar")

    assert run_tasks() >= 1
    assert [rcpt for rcpt, _ in smtp.meldingar] == [[address], [address]]
    message = smtp.til(address)[1]
    assert message["Subject"].startswith("Innkalling:")
    (alternative,) = [p for p in message.walk() if p.get_content_type() == "multipart/alternative"]
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    calendar = alternative.get_payload(2)
    assert calendar.get_param("method") == "REQUEST"
    ics = calendar.get_content().replace("\r\n ", "")  # unfolded
    assert "METHOD:REQUEST" in ics
    (attendee,) = [line for line in ics.splitlines() if line.startswith("ATTENDEE")]
    assert attendee.endswith(f"mailto:{address}") and namn in attendee

    # The member follows the pack link while logged out and logs in on the way.
    text = message.get_body(("plain",)).get_content()
    pack_link = re.search(rf"{re.escape(live_server.url)}(\S+motepakke\.pdf\S*)", text).group(1)
    member.goto(pack_link)
    expect(member.get_by_role("heading", level=1)).to_have_text("Logg inn")
    member.get_by_label("Brukarnamn").fill(address)
    member.get_by_label("Passord").fill(passord)
    with member.expect_response(lambda r: "motepakke.pdf" in r.url) as served:
        member.get_by_role("button", name="Logg inn").click()
    response = served.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert "-medlemmar.pdf" in response.headers["content-disposition"]
    # Chromium hands the document to its viewer; the same request again gives its bytes.
    pdf = member.request.get(response.url).body()
    title = pdf_reader(pdf).metadata.title
    assert title.startswith("Møtepakke for medlemmane") and fsu.namn in title
    assert "Testsak unnateken offentlegheit" in pdf_text(pdf)
    assert "Unnateke offentlegheit" in pdf_pages(pdf)[0]  # on the cover

    # After today's meeting its referat is written, so it is held, and it approves the
    # referat of the last meeting; an editor of that meeting opened before is refused.
    page.goto(mote.get_absolute_url())
    page.get_by_role("link", name="Før referat: oppmøte og vedtak").click()
    page.get_by_label(f"Oppmøte: {namn}").select_option(label="Til stades")
    page.get_by_role("button", name="Lagre referatet").click()
    expect(page.locator("#motefakta")).to_contain_text("Halde")

    editor = browser_page("sekretariat")
    editor.goto(forrige.get_absolute_url())
    editor.get_by_role("link", name="Endre eller flytt møtet").click()
    expect(editor.locator("#motefakta form")).to_be_visible()

    page.goto(forrige.get_absolute_url())
    page.get_by_role("link", name="Endre eller godkjenn referatet").click()
    page.get_by_label(re.compile("^Godkjent i")).select_option(label=str(mote))
    page.get_by_role("button", name="Lagre referatet").click()
    expect(page.locator("#laas")).to_contain_text("Møtet er låst")
    expect(page.locator("#referat")).to_contain_text(f"Godkjent i {mote}")
    expect(page.get_by_role("link", name="Endre eller godkjenn referatet")).to_have_count(0)

    editor.locator("#motefakta form").get_by_label(re.compile("^Stad")).fill("Ein annan stad")
    editor.locator("#motefakta form").get_by_role("button", name="Lagre").click()
    expect(editor.locator("#laas")).to_contain_text("kan ikkje endrast")
    forrige.refresh_from_db()
    assert forrige.stad != "Ein annan stad"
    assert not page.funn.feil and not member.funn.feil and not editor.funn.feil
