from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from avtalar import search, signering
from avtalar.access import (
    avtalar_for_lists,
    avtalar_visible_to,
    get_avtale_for_user,
    get_avtaleversjon_for_user,
    get_signering_for_user,
    partar_per_avtale,
    signeringar_visible_to,
)
from avtalar.forms import AvtaleFaktaForm, FilterForm, NyVersjonForm, SigneringForm
from avtalar.models import Avtale, Avtaleversjon, Signering
from partnarskap.models import Partnar, today
from portal import editing, export, pdf
from portal.access import require_sekretariat
from portal.history import history_url
from portal.htmx import HtmxHttpRequest, hx_trigger_message
from portal.links import absolute_url
from portal.search import suggestions
from portal.sider import sideinndeling

REVISJON_FRAMOVER = timedelta(days=183)  # "within the next six months"

TYPE_OVERSKRIFT: dict[str, str] = {
    Avtale.Type.RAMMEAVTALE: "Rammeavtale",
    Avtale.Type.DELAVTALE: "Delavtalar",
    Avtale.Type.SAERAVTALE: "Særavtalar",
    Avtale.Type.SAMARBEIDSAVTALE: "Andre samarbeidsavtalar",
}


def alle_kommunar() -> frozenset[int]:
    return frozenset(
        Partnar.objects.filter(type=Partnar.Type.KOMMUNE, avslutta__isnull=True).values_list(
            "pk", flat=True
        )
    )


def partar_tekst(parties: list[tuple[int, str]], kommunar: frozenset[int]) -> str:
    """The parties, (key, name) each, in a line: "Helse Førde HF og alle kommunane" rather
    than 18 names."""
    if kommunar and kommunar <= {pk for pk, _ in parties}:
        others = [namn for pk, namn in parties if pk not in kommunar]
        return " og ".join([", ".join(others), "alle kommunane"]) if others else "Alle kommunane"
    return ", ".join(namn for _, namn in parties)


def _with_facts(avtalar, kommunar: frozenset[int]) -> list[Avtale]:
    on = today()
    result = list(avtalar)
    partar = partar_per_avtale([avtale.pk for avtale in result])
    for avtale in result:
        avtale.gjeldande = avtale.gjeldande_versjon(on)
        avtale.kjem = avtale.komande_versjonar(on)
        avtale.partar_kort = partar_tekst(partar.get(avtale.pk, []), kommunar)
    return result


def grupper(avtalar: list[Avtale]) -> list[tuple[str, list[Avtale]]]:
    by_type: dict[str, list[Avtale]] = {}
    for avtale in avtalar:
        by_type.setdefault(avtale.type, []).append(avtale)
    return [(TYPE_OVERSKRIFT[t], by_type[t]) for t in Avtale.Type.values if t in by_type]


# --- Pages ---


# Agreements per page in the list: today's whole portfolio (26) fits on one.
PER_SIDE = 50
# The kinds in the order the list shows them (the rammeavtale first), not alphabetical, so
# that pages follow the groups.
TYPE_REKKJEFOLGJE = Case(
    *[When(type=kind, then=Value(i)) for i, kind in enumerate(Avtale.Type.values)],
    output_field=IntegerField(),
)


def _filtrert(request: HttpRequest):
    """The list's filter form, and the agreements the user may see that pass its filters
    (all but the search words, which rank)."""
    form = FilterForm(request.GET)
    form.is_valid()  # a value that is not valid is dropped; the others still filter
    data = form.cleaned_data
    qs = avtalar_for_lists(request.user, partar=False)
    if data.get("type"):
        qs = qs.filter(type=data["type"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("partnar"):
        qs = qs.filter(partar=data["partnar"])
    return form, qs, (data.get("q") or "").strip()


@require_safe
def oversikt(request: HtmxHttpRequest) -> HttpResponse:
    form, qs, query = _filtrert(request)
    data = form.cleaned_data
    treff: dict = {}
    if query:
        # Ranked by the search index: page through the ranked keys, then fetch that page.
        treff = search.ranked(qs, query, request.user)
        side = sideinndeling(request, list(treff), PER_SIDE)
        on_page = {a.pk: a for a in qs.filter(pk__in=side.object_list)}
        shown: Iterable[Avtale] = [on_page[pk] for pk in side.object_list]
    else:
        side = sideinndeling(
            request, qs.order_by(TYPE_REKKJEFOLGJE, "rekkjefolgje", "tittel"), PER_SIDE
        )
        shown = side.object_list
    avtalar = _with_facts(shown, alle_kommunar())
    for avtale in avtalar:
        avtale.treff = treff.get(avtale.pk)
    forslag = []
    if query and not treff:
        forslag = suggestions(query, request.user, kinds=search.KINDS)
    context = {
        "filter": form,
        "q": query,
        "avtalar": avtalar,
        "side": side,
        "grupper": [] if query else grupper(avtalar),
        "filtrert": any(data.values()),
        "forslag": forslag,
    }
    if request.htmx and not request.htmx.boosted:
        response = render(request, "avtalar/oversikt.html#resultat", context)
        count = side.paginator.count
        noun = "avtale" if count == 1 else "avtalar"
        return hx_trigger_message(response, f"{count} {noun} funne.")
    return render(request, "avtalar/oversikt.html", context)


@require_safe
def oversikt_pdf(request: HttpRequest) -> HttpResponseBase:
    avtalar = _with_facts(avtalar_for_lists(request.user, partar=False), alle_kommunar())
    document = pdf.from_template(
        "avtalar/oversikt_pdf.html",
        {"grupper": grupper(avtalar), "dato": today(), "tal": len(avtalar)},
        stylesheets=("avtalar/oversikt_pdf.css",),
    )
    return pdf.response(request, document, f"avtaleoversikt-{today():%Y-%m-%d}.pdf")


EKSPORT_KOLONNAR = [
    export.Column("Nummer", 10),
    export.Column("Tittel", 50),
    export.Column("Type", 22),
    export.Column("Status", 16),
    export.Column("Partar", 40),
    export.Column("Tema", 40),
    export.Column("Godkjend av", 24),
    export.Column("Gjeldande versjon", 20),
    export.Column("Godkjend dato", 14),
    export.Column("Gjeld frå", 14),
    export.Column("Neste revisjon", 14),
    export.Column("Adresse", 40),
]


@require_safe
def eksport(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list as it is filtered (search words rank it), one row per agreement with its
    current version."""
    _, qs, query = _filtrert(request)
    qs = qs.select_related("godkjent_av")
    if query:
        ranked = list(search.ranked(qs, query, request.user))
        by_pk = {a.pk: a for a in qs.filter(pk__in=ranked)}
        avtalar = [by_pk[pk] for pk in ranked]
    else:
        avtalar = list(qs.order_by(TYPE_REKKJEFOLGJE, "rekkjefolgje", "tittel"))
    table = export.Table("Avtalar", f"avtalar-{today():%Y-%m-%d}", EKSPORT_KOLONNAR)
    for a in _with_facts(avtalar, alle_kommunar()):
        v = a.gjeldande
        table.add(
            [
                a.nummer,
                a.tittel,
                a.get_type_display(),
                a.get_status_display(),
                a.partar_kort,
                a.tema,
                a.godkjent_av.namn if a.godkjent_av else "",
                (v.versjon or "Utan namn") if v else "",
                v.godkjent_dato if v else None,
                (v.gjeld_fra or v.dato_tekst) if v else None,
                a.neste_revisjon,
                absolute_url(a.get_absolute_url()),
            ]
        )
    return export.response(request, table, fmt)


@require_safe
def revisjon(request: HttpRequest) -> HttpResponse:
    on = today()
    qs = avtalar_for_lists(request.user, partar=False).exclude(status=Avtale.Status.OPPHEVA)
    due = _with_facts(
        qs.filter(neste_revisjon__lte=on + REVISJON_FRAMOVER).order_by("neste_revisjon", "tittel"),
        alle_kommunar(),
    )
    undated = qs.filter(neste_revisjon__isnull=True).count()
    return render(
        request,
        "avtalar/revisjon.html",
        {"avtalar": due, "utan_dato": undated, "grense": on + REVISJON_FRAMOVER, "idag": on},
    )


def _tiltak_som_viser_til(avtale: Avtale) -> list:
    return list(
        avtale.tiltak.select_related("delmal__innsatsomrade__plan").order_by(
            "delmal__innsatsomrade__plan__fra_ar", "delmal__rekkjefolgje", "rekkjefolgje"
        )
    )


def _saker(avtale: Avtale, user) -> list:
    """The meeting items that concern the agreement, only those ``user`` may see (a sak can
    be unnateken offentlegheit)."""
    from moter.access import saker_visible_to

    saker = saker_visible_to(user).filter(avtalar=avtale).select_related("mote__referat")
    return list(saker.order_by("-mote__dato", "-nummer"))


def _avtale_context(request: HttpRequest, avtale: Avtale, form=None) -> dict:
    on = today()
    versions = sorted(
        avtale.versjonar.all(),
        key=lambda v: (v.gjeld_fra or v.godkjent_dato or date.min, v.pk),
        reverse=True,
    )
    current = avtale.gjeldande_versjon(on)
    for v in versions:
        v.er_gjeldande = v == current
        v.kjem = v.godkjend and v.gjeld_fra is not None and v.gjeld_fra > on
    partar = list(avtale.partar.all())
    kommunar = alle_kommunar()
    cells = signering.partar_status(avtale, on) if current else []
    return {
        "avtale": avtale,
        "gjeldande": current,
        "versjonar": versions,
        "partar": partar,
        # One line for the many-party agreements ("Helse Førde HF og alle kommunane"); an
        # agreement with a few parties lists them, each once.
        "partar_kort": partar_tekst([(p.pk, p.namn) for p in partar], kommunar)
        if kommunar and kommunar <= {p.pk for p in partar}
        else "",
        "signering": cells,
        "signerte": sum(1 for c in cells if c.signering),
        "tiltak": _tiltak_som_viser_til(avtale),
        "saker": _saker(avtale, request.user),
        "utdjupar": getattr(avtale, "synleg_utdjupar", None),
        "historikk": history_url(avtale),
        "skjema": form,
    }


@require_safe
def avtale_detalj(request: HttpRequest, slug: str) -> HttpResponse:
    avtale = get_avtale_for_user(request, slug)
    return render(request, "avtalar/avtale.html", _avtale_context(request, avtale))


def _pdf_file(stored, filename: str) -> FileResponse:
    """An uploaded PDF, sandboxed, under a name the portal chose."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, content_type="application/pdf", filename=filename, as_attachment=False
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def dokument(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An uploaded document, served as a PDF under a name built from the agreement."""
    version = get_avtaleversjon_for_user(request, slug, pk)
    return _pdf_file(version.dokument, version.filnamn())


# --- Signing ---


@require_safe
def signering_oversikt(request: HttpRequest) -> HttpResponse:
    on = today()
    visible = avtalar_visible_to(request.user)
    columns, rows = signering.oversikt(visible, on)
    return render(
        request,
        "avtalar/signering.html",
        {
            "kolonnar": columns,
            "rader": rows,
            "har_signeringar": signeringar_visible_to(request.user).exists(),
            "oppfolging": signering.til_oppfolging(signering.seint_signerte(visible, on)),
            "veker": settings.SIGNERING_OPPFOLGING_VEKER,
        },
    )


@require_safe
def signering_eksport(request: HttpRequest, format: str) -> HttpResponse:
    columns, rows = signering.oversikt(avtalar_visible_to(request.user))
    name = f"signering-{today():%Y-%m-%d}.{format}"
    if format == "csv":
        response = HttpResponse(
            signering.som_csv(columns, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            signering.som_xlsx(columns, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-cache"
    return response


@require_safe
def signering_dokument(request: HttpRequest, pk: int) -> FileResponse:
    signing = get_signering_for_user(request, pk)
    return _pdf_file(signing.dokument, (signing.dokument.name or "").rsplit("/", 1)[-1])


def _signering(request: HttpRequest, signing: Signering) -> HttpResponse:
    """The signing form, new or saved: a party signed by someone else in the meantime is a
    conflict, like any other save from a stale form."""
    version = signing.versjon
    form = SigneringForm(
        request.POST or None, request.FILES or None, instance=signing, versjon=version
    )
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                party = form.cleaned_data["partnar"]
                editing.save_once(form, user=request.user, versjon=version, partnar=party)
            except editing.Conflict:
                status = 409
            else:
                messages.success(request, f"Signeringa til {signing.partnar} er lagra.")
                return redirect(f"{version.avtale.get_absolute_url()}#signering")
    return render(
        request,
        "avtalar/signering_skjema.html",
        {"avtale": version.avtale, "versjon": version, "skjema": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def signering_ny(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    version = get_avtaleversjon_for_user(request, slug, pk)
    return _signering(request, Signering(versjon=version))


@require_http_methods(["GET", "POST"])
@require_sekretariat
def signering_endre(request: HttpRequest, pk: int) -> HttpResponse:
    return _signering(request, get_signering_for_user(request, pk))


# --- The secretariat's edits ---


@require_http_methods(["GET", "POST"])
@require_sekretariat
def ny_versjon(request: HttpRequest, slug: str) -> HttpResponse:
    avtale = get_avtale_for_user(request, slug)
    status = 200
    if request.method == "POST":
        form = NyVersjonForm(request.POST, request.FILES, avtale=avtale)
        if form.is_valid():
            try:
                version: Avtaleversjon = editing.save(form, user=request.user)
            except editing.Conflict:
                status, avtale = 409, get_avtale_for_user(request, slug)
            else:
                if version.gjeld_fra and version.gjeld_fra > today():  # the form requires it
                    when = f"vert gjeldande {version.gjeld_fra:%d.%m.%Y}"
                else:
                    when = "er no gjeldande"
                messages.success(request, f"Den nye versjonen er lagra og {when}.")
                return redirect(avtale)
        else:
            status = 422
    else:
        form = NyVersjonForm(avtale=avtale)
    return render(
        request, "avtalar/ny_versjon.html", {"avtale": avtale, "skjema": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def endre(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    avtale = get_avtale_for_user(request, slug)
    form = AvtaleFaktaForm(request.POST or None, instance=avtale)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                editing.save(form, user=request.user)
            except editing.Conflict:
                status = 409  # the form keeps the user's values
            else:
                if not request.htmx:
                    messages.success(request, "Endringane er lagra.")
                    return redirect(avtale)
                avtale = get_avtale_for_user(request, slug)
                response = render(
                    request, "avtalar/avtale.html#fakta", _avtale_context(request, avtale)
                )
                return hx_trigger_message(response, "Endringane er lagra.")
        else:
            status = 422
        avtale = get_avtale_for_user(request, slug)  # not the form's copy, with the user's values
    template = "avtalar/avtale.html#fakta-skjema" if request.htmx else "avtalar/avtale_endre.html"
    return render(request, template, _avtale_context(request, avtale, form), status=status)
