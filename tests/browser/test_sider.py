"""Focus and announcements the page items of issue 16 ask for, with the keyboard alone:
a deleted item hands focus to its neighbour and the deletion is read out."""

import re

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
