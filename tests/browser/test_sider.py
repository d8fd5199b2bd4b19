"""Focus and announcements the page items of issue 16 ask for: a deleted item hands focus
to its neighbour and the deletion is read out; a pack being built is announced once when it
starts and once when it ends."""

import re

from django.urls import reverse
from harness import tab_to
from helpers import tiltak
from playwright.sync_api import expect

from handlingsplan.models import Tiltak


def test_after_a_delete_focus_lands_on_the_neighbour_and_the_deletion_is_announced(
    browser_page,
):
    t = tiltak()
    siblings = list(Tiltak.objects.filter(delmal=t.delmal).order_by("rekkjefolgje", "pk"))
    i = siblings.index(t)
    neighbour = siblings[i + 1] if i + 1 < len(siblings) else siblings[i - 1]
    page = browser_page("sekretariat")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(t.delmal.innsatsomrade.plan.get_absolute_url())
    row = page.locator(f"#tiltak-{t.pk}")
    tab_to(page, row.get_by_role("button", name=re.compile("^Slett")))
    page.keyboard.press("Enter")
    expect(row).to_have_count(0)
    expect(page.locator("#statusmelding")).to_contain_text("Tiltaket er sletta.")
    endre = page.locator(f"#tiltak-{neighbour.pk}").get_by_role("link", name=re.compile("^Endre"))
    expect(endre).to_be_focused()
    assert not Tiltak.objects.filter(pk=t.pk).exists()
    assert not page.funn.feil, page.funn.feil


# Everything the status region says from the moment the page is parsed.
RECORD_ANNOUNCEMENTS = """window.kunngjort = [];
document.addEventListener("DOMContentLoaded", () => {
    const region = document.getElementById("statusmelding");
    new MutationObserver(() => {
        const text = region.textContent.trim();
        if (text) window.kunngjort.push(text);
    }).observe(region, {childList: true, characterData: true, subtree: true});
});"""


def test_a_pack_being_built_is_announced_once_when_it_starts_and_once_when_it_ends(
    browser_page, fsu
):
    """A member opens the meeting while the pack is being built: the status region says so
    once, says nothing on each poll, and says once that the pack is ready."""
    from datetime import date

    from moter import pack
    from moter.models import Mote, Motepakke
    from portal.lagring import store_whole

    page = browser_page("medlem")  # first: the member's seat is part of what the pack holds
    mote = Mote.objects.get(utval=fsu, dato=date(2024, 2, 14))
    path, fingerprint = pack.ferdig_pakke(pack.innhald(mote, Motepakke.Publikum.MEDLEMMAR))
    Motepakke.objects.create(
        mote=mote, publikum=Motepakke.Publikum.MEDLEMMAR, fingeravtrykk=fingerprint
    )
    status_url = reverse("moter:motepakke_status", args=[mote.pk])
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    page.goto(mote.get_absolute_url())
    expect(page.locator("#statusmelding")).to_contain_text("Møtepakka vert laga no")
    for _ in range(2):  # two polls while it is still being built
        with page.expect_response(lambda r: r.url.endswith(status_url)):
            pass
    store_whole(path, b"%PDF-1.4\n%%EOF\n")  # the worker has put the pack in place
    expect(page.locator("#statusmelding")).to_contain_text("Møtepakka er klar")
    expect(page.get_by_role("link", name="Last ned møtepakka (PDF)")).to_be_visible()
    said = page.evaluate("() => window.kunngjort")
    assert said == [
        "Møtepakka vert laga no. Sida seier frå når ho er klar.",
        "Møtepakka er klar. Du kan laste ho ned no.",
    ], said
    assert not page.funn.feil, page.funn.feil
