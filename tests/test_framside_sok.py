"""The front page and the header search, which gather from every app."""

from datetime import timedelta

import pytest
from django.urls import reverse

from partnarskap.models import Medlemskap, Person, today
from portal.search import utdrag

pytestmark = pytest.mark.django_db


def test_header_search_finds_bodies_and_partners_grouped(public, seeded):
    html = public.get(reverse("sok"), {"q": "Kinn"}).content.decode()
    assert "Partnarar" in html
    assert 'href="/partnarskap/partnar/kinn/"' in html or "Kinn kommune" in html
    assert "treff på «Kinn»" in html


def test_search_without_words_shows_no_results_and_no_error(public, seeded):
    for query in ("", "   ", "\x00\x07", "a" * 5000, "<script>"):
        response = public.get(reverse("sok"), {"q": query})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("<main")[1]


def test_search_says_when_nothing_matches(public, seeded):
    html = public.get(reverse("sok"), {"q": "xyzzyqwerty"}).content.decode()
    assert "Ingen treff på «xyzzyqwerty»" in html


def test_live_search_returns_only_the_results(public, seeded):
    response = public.get(reverse("sok"), {"q": "Kinn"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="treff">') and "<header" not in html


def test_excerpt_marks_inflected_words_and_escapes_html():
    text = "Rutinar for <b>utskriving</b> av pasientar frå sjukehus til kommunen."
    excerpt = utdrag(text, "utskrivinga")
    assert "&lt;b&gt;<mark>utskriving</mark>&lt;/b&gt;" in excerpt
    assert "<b>" not in excerpt


def test_the_secretariat_sees_what_to_follow_up(sekretariat, public, fsu):
    person = Person.objects.create(namn="Kari Slutt")
    Medlemskap.objects.create(person=person, utval=fsu, til=today() + timedelta(days=30))
    html = sekretariat.get(reverse("framside")).content.decode()
    assert "Til oppfølging" in html
    assert "Kari Slutt i FSU" in html or "Kari Slutt i Fagleg samarbeidsutval" in html
    assert "manglar brukarrepresentant" in html
    assert "Til oppfølging" not in public.get(reverse("framside")).content.decode()


def test_a_long_follow_up_list_shows_its_first_items_its_count_and_a_link_to_all(
    sekretariat, seeded
):
    from avtalar.models import Avtale
    from portal.views import OPPFOLGING_GRENSE

    late = list(Avtale.objects.exclude(status=Avtale.Status.OPPHEVA).order_by("tittel"))
    assert len(late) > OPPFOLGING_GRENSE
    Avtale.objects.filter(pk__in=[a.pk for a in late]).update(
        neste_revisjon=today() - timedelta(days=1)
    )
    html = sekretariat.get(reverse("framside")).content.decode()
    section = html[html.index("Avtale som skulle vore revidert") :]
    section = section[: section.index("</ul>") + 200]
    assert f'Avtale som skulle vore revidert <span class="tal">({len(late)})</span>' in html
    assert section.count("revisjonsdatoen") == OPPFOLGING_GRENSE
    assert f'<a href="{reverse("avtalar:revisjon")}">Sjå alle {len(late)}</a>' in section
    # Every one of them is on the page the link leads to.
    revisjon = sekretariat.get(reverse("avtalar:revisjon")).content.decode()
    assert all(a.tittel in revisjon for a in late)


def test_many_seats_ending_are_counted_per_utval_and_few_are_named(sekretariat, fsu, ssu):
    from portal.views import OPPFOLGING_GRENSE

    soon = today() + timedelta(days=30)
    people = Person.objects.bulk_create(
        Person(namn=f"Sluttar {i}") for i in range(OPPFOLGING_GRENSE + 1)
    )
    Medlemskap.objects.bulk_create(
        Medlemskap(person=p, utval=fsu, til=soon + timedelta(days=i)) for i, p in enumerate(people)
    )
    Medlemskap.objects.create(person=people[0], utval=ssu, til=soon + timedelta(days=60))
    html = sekretariat.get(reverse("framside")).content.decode()
    total = Medlemskap.objects.filter(til__gte=today(), til__lte=today() + timedelta(days=183))
    assert (
        f'Medlemskap som går ut innan seks månader <span class="tal">({total.count()})</span>'
        in html
    )
    assert f"{fsu.visingsnamn}: {total.filter(utval=fsu).count()} medlemskap går ut" in html
    assert f"{ssu.visingsnamn}: 1 medlemskap går ut" in html
    assert "Sluttar 3 i" not in html
    # A few are named one by one.
    Medlemskap.objects.filter(person__namn__startswith="Sluttar").exclude(person=people[0]).delete()
    html = sekretariat.get(reverse("framside")).content.decode()
    assert f"Sluttar 0 i {fsu.visingsnamn}" in html


def test_a_short_follow_up_list_is_shown_whole_without_a_link(sekretariat, fsu):
    html = sekretariat.get(reverse("framside")).content.decode()
    assert "manglar brukarrepresentant" in html
    assert (
        "Sjå alle"
        not in html[html.index("Utval utan brukar") : html.index("Utval utan brukar") + 2000]
    )


def test_header_has_one_search_field_on_every_page(public, seeded):
    html = public.get(reverse("partnarskap:oversikt")).content.decode()
    assert html.count('role="search"') == 1 and 'name="q"' in html
