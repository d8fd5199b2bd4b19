"""The agreement portfolio as partners and the secretariat use it: the list, search, the
agreement page, the current-version rule, uploads, in-place edits and the overview PDF."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from helpers import HOSPITERING, avtale_facts, blank_pdf, htmx, pdf_text

from avtalar.models import Avtale, Avtaleversjon, gjeldande
from partnarskap.models import Partnar, today
from portal.hooks import collect
from portal.search import search

TILVISING = "delavtale-tilvising-innlegging-og-utskriving-fra-sjukehus"


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def version_data(**overrides) -> dict:
    data = {
        "versjon": "Revidert 2026",
        "godkjent_dato": (today() - timedelta(days=10)).isoformat(),
        "gjeld_fra": (today() - timedelta(days=1)).isoformat(),
        "samandrag": "Ny ordning for epikrisar ved hospitering.",
        "godkjend": "on",
        "dokument": upload("min-eigen-fil.pdf", blank_pdf()),
        "edit_version": Avtale.objects.get(slug=HOSPITERING).edit_version,
    }
    data.update(overrides)
    return data


def make_avtale(slug: str, **fields) -> Avtale:
    fields.setdefault("type", Avtale.Type.SAERAVTALE)
    fields.setdefault("tittel", slug.replace("-", " ").capitalize())
    return Avtale.objects.create(slug=slug, **fields)


# --- The list ---


def test_portfolio_is_grouped_by_kind_with_status_and_version(public, seeded):
    html = public.get(reverse("avtalar:oversikt")).content.decode()
    order = ["Rammeavtale", "Delavtalar <span", "Særavtalar <span", "Andre samarbeidsavtalar"]
    positions = [html.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert 'Delavtalar <span class="hjelp">(19)</span>' in html
    assert "Revidert november 2018, lasta opp mai 2019" in html
    assert "Helse Førde HF og alle kommunane" in html
    assert "Gjeldande" in html


def test_list_query_count_does_not_grow(public, seeded, django_assert_max_num_queries):
    for i in range(25):
        avtale = make_avtale(f"ekstra-{i}", neste_revisjon=today() + timedelta(days=i))
        avtale.partar.add(Partnar.objects.get(slug="kinn"))
        Avtaleversjon.objects.create(avtale=avtale, versjon=f"V{i}", gjeld_fra=date(2020, 1, 1))
    with django_assert_max_num_queries(6):  # 5, and a count for the paging
        response = public.get(reverse("avtalar:oversikt"))
    assert "Ekstra 24" in response.content.decode()
    with django_assert_max_num_queries(5):
        response = public.get(reverse("avtalar:revisjon"))
    assert "Ekstra 24" in response.content.decode()


def test_party_filter_shows_what_applies_to_a_municipality(public, seeded):
    hf, kinn, stryn = (Partnar.objects.get(slug=s) for s in ("helse-forde", "kinn", "stryn"))
    own = make_avtale("saeravtale-kinn", tittel="Særavtale Kinn legevakt")
    own.partar.add(hf, kinn)
    other = make_avtale("saeravtale-stryn", tittel="Særavtale Stryn legevakt")
    other.partar.add(hf, stryn)
    html = public.get(reverse("avtalar:oversikt"), {"partnar": "kinn"}).content.decode()
    assert "Særavtale Kinn legevakt" in html and "Rammeavtale" in html
    assert "Særavtale Stryn legevakt" not in html
    assert "Samarbeidsavtale mellom NAV Vestland" not in html
    html = public.get(
        reverse("avtalar:oversikt"), {"type": "saeravtale", "status": "gjeldande"}
    ).content.decode()
    assert "Særavtale Stryn legevakt" in html and "Delavtale Smittevern" not in html


def test_bad_filter_values_are_ignored_not_errors(public, seeded):
    response = public.get(
        reverse("avtalar:oversikt"), {"type": "x", "partnar": "finst-ikkje", "q": "smittevern"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Delavtale Smittevern" in html and "Delavtale ansvarsavklaring" not in html


def test_drafts_are_for_the_secretariat_only(public, sekretariat, sekretariat_user, seeded):
    make_avtale("utkast-avtale", tittel="Hemmeleg utkast", status=Avtale.Status.UTKAST)
    url = reverse("avtalar:avtale", args=["utkast-avtale"])
    assert "Hemmeleg utkast" not in public.get(reverse("avtalar:oversikt")).content.decode()
    assert public.get(url).status_code == 404
    assert sekretariat.get(url).status_code == 200
    assert not any(t.tittel == "Hemmeleg utkast" for t in search("hemmeleg", AnonymousUser()))
    assert any(t.tittel == "Hemmeleg utkast" for t in search("hemmeleg", sekretariat_user))


# --- Search ---


def test_search_finds_hospitering_without_javascript(public, seeded):
    html = public.get(reverse("avtalar:oversikt"), {"q": "hospitering"}).content.decode()
    assert "Delavtale gjensidig hospiteringsordning" in html
    assert "Delavtale Smittevern" not in html
    assert 'value="hospitering"' in html


def test_search_updates_in_place_with_htmx(public, seeded):
    response = htmx(public, "get", reverse("avtalar:oversikt"), {"q": "smittevern"})
    html = response.content.decode()
    assert "<html" not in html and 'id="resultat"' in html
    assert "Delavtale Smittevern" in html
    assert "1 avtale funne" in response["HX-Trigger"]
    assert "HX-Request" in response["Vary"]


def test_norwegian_full_text_finds_inflections_and_summaries(public, seeded):
    def titles(query):
        html = public.get(reverse("avtalar:oversikt"), {"q": query}).content.decode()
        return html

    assert "Delavtale tilvising, innlegging og utskriving frå sjukehus" in titles("utskrivinga")
    assert "Delavtale om samarbeid om beredskap" in titles("beredskapen")
    # A version summary is searchable as soon as it is saved (the index follows the save).
    smittevern = Avtale.objects.get(slug="delavtale-smittevern")
    Avtaleversjon.objects.create(avtale=smittevern, samandrag="Nye rutinar for isolering.")
    assert "Delavtale Smittevern" in titles("isoleringa")


def test_title_hits_rank_above_summary_hits(seeded):
    from avtalar import search as avtalesok

    smittevern = Avtale.objects.get(slug="delavtale-smittevern")
    Avtaleversjon.objects.create(avtale=smittevern, samandrag="Gjeld også ved beredskap.")
    hits = avtalesok.ranked(Avtale.objects.all(), "beredskap", AnonymousUser())
    first, second = list(hits)[:2]
    beredskap = Avtale.objects.get(slug="delavtale-om-samarbeid-om-beredskap")
    assert (first, second) == (beredskap.pk, smittevern.pk)
    assert 0 < hits[second].rang < hits[first].rang


def test_header_search_gives_agreement_hits_with_excerpts(seeded):
    hits = search("hospitering", AnonymousUser())
    assert hits and hits[0].gruppe == "Avtalar"
    assert hits[0].url == reverse("avtalar:avtale", args=[HOSPITERING])
    assert "<mark>" in hits[0].utdrag


# --- The current-version rule ---


def _row(html: str, version: Avtaleversjon) -> str:
    start = html.index(f'<tr id="versjon-{version.pk}">')
    return html[start : html.index("</tr>", start)]


def test_current_version_is_newest_approved_that_applies_today(public, seeded):
    avtale = make_avtale("regel")
    past = Avtaleversjon.objects.create(
        avtale=avtale, versjon="Gamal", godkjent_dato=date(2020, 1, 1), gjeld_fra=date(2020, 2, 1)
    )
    newer = Avtaleversjon.objects.create(
        avtale=avtale, versjon="Ny", godkjent_dato=date(2023, 1, 1), gjeld_fra=date(2023, 1, 1)
    )
    Avtaleversjon.objects.create(
        avtale=avtale, versjon="Ikkje godkjend", godkjend=False, gjeld_fra=date(2024, 1, 1)
    )
    coming = Avtaleversjon.objects.create(
        avtale=avtale,
        versjon="Framtidig",
        godkjent_dato=today(),
        gjeld_fra=today() + timedelta(days=30),
    )
    assert avtale.gjeldande_versjon() == newer
    assert gjeldande(avtale.versjonar.all(), on=date(2021, 1, 1)) == past
    assert gjeldande(avtale.versjonar.all(), on=coming.gjeld_fra) == coming
    assert gjeldande(avtale.versjonar.all(), on=date(2019, 1, 1)) is None
    html = public.get(avtale.get_absolute_url()).content.decode()
    assert "Gjeldande" in _row(html, newer) and "Kjem" in _row(html, coming)
    assert "Tidlegare" in _row(html, past) and "Gjeldande" not in _row(html, past)
    assert "Framtidig" in html and "Kjem" in html and "Ikkje godkjend" in html


def test_undated_shipped_version_counts_but_ranks_below_dated(seeded):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    shipped = avtale.gjeldande_versjon()
    assert shipped is not None and shipped.dato_tekst == "Lasta opp oktober 2016"
    dated = Avtaleversjon.objects.create(avtale=avtale, gjeld_fra=date(2021, 5, 1))
    assert Avtale.objects.get(pk=avtale.pk).gjeldande_versjon() == dated


# --- The agreement page ---


def test_agreement_page_gives_the_document_in_one_click(public, seeded):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    html = public.get(avtale.get_absolute_url()).content.decode()
    assert "Opne avtalen (PDF)" in html
    assert "2016/10/Delavtale-gjensidig-hospiteringsordning.pdf" in html
    assert reverse("historikk", args=["avtalar", "avtale", avtale.pk]) in html
    assert "Helse Førde HF og alle kommunane" in html


def test_agreement_page_query_count_is_flat(public, seeded, django_assert_max_num_queries):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    for i in range(10):
        Avtaleversjon.objects.create(avtale=avtale, versjon=f"V{i}", gjeld_fra=date(2017, 1, i + 1))
    # Two more than the agreement's own: the meeting saker that concern it, and who signed
    # its current version.
    with django_assert_max_num_queries(8):
        response = public.get(avtale.get_absolute_url())
    assert "V9" in response.content.decode()


def test_special_agreement_links_to_the_agreement_it_elaborates(public, seeded):
    html = public.get(
        reverse("avtalar:avtale", args=["saeravtalar-for-svangerskap-fodsel-og-barselomsorg"])
    ).content.decode()
    assert "Utdjupar" in html and "Delavtale Svangerskaps- fødsels- og barselomsorga" in html


def test_agreement_page_lists_tiltak_that_concern_it(public, seeded):
    from handlingsplan.models import Delmal, Handlingsplan, Innsatsomrade, Tiltak

    plan = Handlingsplan.objects.create(tittel="Plan", fra_ar=2023, til_ar=2024)
    område = Innsatsomrade.objects.create(plan=plan, nummer=1, tittel="Område")
    delmal = Delmal.objects.create(innsatsomrade=område, nummer="1.1")
    tiltak = Tiltak.objects.create(delmal=delmal, tekst="Revidere delavtale om hospitering")
    tiltak.avtalar.add(Avtale.objects.get(slug=HOSPITERING))
    html = public.get(reverse("avtalar:avtale", args=[HOSPITERING])).content.decode()
    assert "Revidere delavtale om hospitering" in html and "delmål 1.1" in html


def test_unknown_agreement_is_404(public, seeded):
    assert public.get(reverse("avtalar:avtale", args=["finst-ikkje"])).status_code == 404


# --- A new version, uploaded in the browser ---


def test_secretariat_uploads_a_version_that_becomes_current(public, sekretariat, seeded, media):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    url = reverse("avtalar:ny_versjon", args=[avtale.slug])
    assert sekretariat.get(url).status_code == 200
    revision = (today() + timedelta(days=700)).isoformat()
    response = sekretariat.post(url, version_data(neste_revisjon=revision))
    assert response.status_code == 302
    html = public.get(avtale.get_absolute_url()).content.decode()
    assert "Revidert 2026" in html and "Lasta opp oktober 2016" in html
    assert "Tidlegare" in html
    version = Avtale.objects.get(pk=avtale.pk).gjeldande_versjon()
    assert version.versjon == "Revidert 2026"
    assert version.dokument.name.startswith(f"avtalar/{today():%Y}/{avtale.slug}-")
    assert version.dokument_url() in html
    document = public.get(version.dokument_url())
    assert document["Content-Type"] == "application/pdf"
    assert f"{avtale.slug}-" in document["Content-Disposition"]
    assert "min-eigen-fil" not in document["Content-Disposition"]
    assert b"".join(document.streaming_content).startswith(b"%PDF-")
    assert Avtale.objects.get(pk=avtale.pk).neste_revisjon.isoformat() == revision


def test_a_future_version_is_shown_as_coming(public, sekretariat, seeded, media):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    later = today() + timedelta(days=40)
    sekretariat.post(
        reverse("avtalar:ny_versjon", args=[avtale.slug]),
        version_data(godkjent_dato=today().isoformat(), gjeld_fra=later.isoformat()),
    )
    assert Avtale.objects.get(pk=avtale.pk).gjeldande_versjon().dato_tekst
    html = public.get(avtale.get_absolute_url()).content.decode()
    assert "Kjem" in html


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("avtale.pdf", b"Dette er berre tekst, ikkje ein PDF."), "ikkje ein PDF"),
        (upload("avtale.pdf", blank_pdf(password="hemmeleg")), "kryptert"),
        (upload("avtale.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntull"), "skadd"),
    ],
    ids=["not-a-pdf", "encrypted", "broken"],
)
def test_bad_uploads_are_refused_and_nothing_stored(sekretariat, seeded, media, file, message):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    response = sekretariat.post(
        reverse("avtalar:ny_versjon", args=[avtale.slug]), version_data(dokument=file)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert avtale.versjonar.count() == 1
    assert not media.exists() or not any(media.rglob("*.pdf"))


def test_upload_over_the_size_limit_is_refused(sekretariat, seeded, media, settings):
    settings.MAX_UPLOAD_MB = 0
    response = sekretariat.post(reverse("avtalar:ny_versjon", args=[HOSPITERING]), version_data())
    assert response.status_code == 422
    assert "Fila er for stor" in response.content.decode()
    assert "Største tillatne storleik er 0 MB" in response.content.decode()


def test_contradicting_dates_are_refused(sekretariat, seeded, media):
    url = reverse("avtalar:ny_versjon", args=[HOSPITERING])
    response = sekretariat.post(
        url,
        version_data(
            godkjent_dato=(today() - timedelta(days=1)).isoformat(),
            gjeld_fra=(today() - timedelta(days=5)).isoformat(),
            neste_revisjon=(today() - timedelta(days=1)).isoformat(),
        ),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "kan ikkje gjelde frå før han vart godkjend" in html
    assert "Neste revisjon kan ikkje vere tilbake i tid" in html
    assert Avtaleversjon.objects.filter(avtale__slug=HOSPITERING).count() == 1


def test_missing_fields_get_nynorsk_messages(sekretariat, seeded):
    response = sekretariat.post(reverse("avtalar:ny_versjon", args=[HOSPITERING]), {})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Vel PDF-fila med avtaleteksten." in html
    assert "Skriv kort kva som er endra." in html


# --- In-place edits of status, revision date and parties ---


def test_edit_facts_in_place(public, sekretariat, seeded):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    url = reverse("avtalar:endre", args=[avtale.slug])
    form = htmx(sekretariat, "get", url).content.decode()
    assert "<html" not in form and 'name="edit_version"' in form
    revision = (today() + timedelta(days=30)).isoformat()
    response = htmx(
        sekretariat,
        "post",
        url,
        avtale_facts(avtale, status="under_revisjon", neste_revisjon=revision),
    )
    assert response.status_code == 200
    assert "Under revisjon" in response.content.decode()
    assert "lagra" in response["HX-Trigger"]
    html = public.get(reverse("avtalar:revisjon")).content.decode()
    assert "Delavtale gjensidig hospiteringsordning" in html and "Snart" in html
    history = public.get(reverse("historikk", args=["avtalar", "avtale", avtale.pk]))
    assert "Under revisjon" in history.content.decode()


def test_stale_edit_is_refused_with_409(sekretariat, seeded):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    url = reverse("avtalar:endre", args=[avtale.slug])
    seen = avtale_facts(avtale)
    # Someone else saves first.
    htmx(sekretariat, "post", url, avtale_facts(avtale, status="under_revisjon"))
    response = htmx(sekretariat, "post", url, {**seen, "status": "oppheva"})
    assert response.status_code == 409
    assert "Nokon andre har lagra ei endring" in response.content.decode()
    assert Avtale.objects.get(pk=avtale.pk).status == "under_revisjon"


def test_invalid_edit_is_422_and_plain_post_redirects(sekretariat, seeded):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    url = reverse("avtalar:endre", args=[avtale.slug])
    response = htmx(sekretariat, "post", url, avtale_facts(avtale, status="tull"))
    assert response.status_code == 422
    response = sekretariat.post(url, avtale_facts(avtale, partar=[]))
    assert response.status_code == 302
    assert Avtale.objects.get(pk=avtale.pk).partar.count() == 0


# --- Overview PDF, revision list, partner page, hooks ---


def test_overview_pdf_lists_the_portfolio(public, seeded):
    avtale = Avtale.objects.get(slug=HOSPITERING)
    avtale.neste_revisjon = date(2031, 3, 1)
    avtale.save()
    response = public.get(reverse("avtalar:oversikt_pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Avtaleoversikt" in text
    assert "Delavtale gjensidig hospiteringsordning" in text
    assert "Revidert november 2018" in text
    assert "1. mars 2031" in text
    assert "Samarbeidsavtale mellom NAV Vestland" in text


def test_revision_list_shows_past_and_coming_six_months(public, seeded):
    for slug, days in (("forfallen", -10), ("snart", 90), ("seinare", 400)):
        make_avtale(slug, tittel=f"Avtale {slug}", neste_revisjon=today() + timedelta(days=days))
    html = public.get(reverse("avtalar:revisjon")).content.decode()
    assert "Avtale forfallen" in html and "Forfallen" in html
    assert "Avtale snart" in html
    assert "Avtale seinare" not in html
    assert html.index("Avtale forfallen") < html.index("Avtale snart")


def test_partner_page_lists_agreements_that_apply(public, seeded):
    html = public.get(reverse("partnarskap:partnar", args=["kinn"])).content.decode()
    assert "Avtalar som gjeld for Kinn kommune" in html
    assert "Rammeavtale" in html and "Delavtale Smittevern" in html
    html = public.get(reverse("partnarskap:partnar", args=["nav-vestland"])).content.decode()
    assert "Samarbeidsavtale mellom NAV Vestland" in html
    assert "Delavtale Smittevern" not in html


def test_followup_and_front_page_hooks(rf, seeded, sekretariat_user):
    late = make_avtale("sein", tittel="Sein avtale", neste_revisjon=today() - timedelta(days=3))
    request = rf.get("/")
    request.user = sekretariat_user
    items = [i for k in collect(lambda app: app.til_oppfolging(request)) for i in k.items]
    assert [i.url for i in items if i.url.startswith("/avtalar/")] == [late.get_absolute_url()]
    sections = {s.tittel: s for s in collect(lambda app: app.framside(request))}
    assert late in sections["Avtalar som skal reviderast"].context["avtalar"]


def test_seed_scale_is_deterministic(seeded):
    from bench.scale.avtalar import add

    add(1)
    made = Avtale.objects.filter(slug__startswith="testavtale-")
    assert made.count() == 30
    counts = {a.versjonar.count() for a in made}
    assert counts <= {3, 4, 5}
    first = [(a.type, a.status, a.neste_revisjon) for a in made.order_by("rekkjefolgje")]
    add(1)  # again: nothing added
    assert made.count() == 30
    assert all(a.partar.exists() for a in made)
    assert first == [(a.type, a.status, a.neste_revisjon) for a in made.order_by("rekkjefolgje")]


def test_a_long_list_comes_in_pages_that_keep_the_filter(
    public, seeded, django_assert_max_num_queries
):
    for i in range(60):
        make_avtale(f"saeravtale-test-{i:02d}", tittel=f"Særavtale om test {i:02d}")
    first = public.get("/avtalar/?type=saeravtale").content.decode()
    total = Avtale.objects.filter(type=Avtale.Type.SAERAVTALE).count()
    assert f"Viser 1–50 av {total}." in first
    assert 'href="?type=saeravtale&amp;side=2"' in first and "Neste side" in first
    with django_assert_max_num_queries(7):
        second = public.get("/avtalar/?type=saeravtale&side=2").content.decode()

    assert "Særavtale om test 59" in second and "Særavtale om test 00" not in second
    assert "Førre side" in second and "Neste side" not in second
    # A page past the end, or not a number, shows the nearest page instead of an error.
    assert (
        "Særavtale om test 59" in public.get("/avtalar/?type=saeravtale&side=99").content.decode()
    )
    assert public.get("/avtalar/?side=tull").status_code == 200


def test_pages_follow_the_groups_with_the_rammeavtale_first(public, seeded):
    for i in range(60):
        make_avtale(f"delavtale-test-{i:02d}", type=Avtale.Type.DELAVTALE, rekkjefolgje=1)
    first = public.get("/avtalar/").content.decode()
    assert first.index("<h2>Rammeavtale") < first.index("<h2>Delavtalar")
    second = public.get("/avtalar/?side=2").content.decode()
    assert "<h2>Rammeavtale" not in second and "<h2>Delavtalar" in second


def test_the_shipped_portfolio_fits_on_one_page(public, seeded):
    html = public.get("/avtalar/").content.decode()
    assert "Neste side" not in html and "(19)" in html  # the delavtalar, counted
