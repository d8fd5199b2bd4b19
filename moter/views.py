from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.validators import slug_re
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from moter import arkiv, arkivuttrekk, innkalling, kalender, pack, syklus, varsel
from moter.access import (
    get_mote_for_user,
    get_sak_for_user,
    get_vedlegg_for_user,
    moter_visible_to,
    pakke_for,
    pakke_publikum_for,
    papers_visible,
    sakliste_for,
)
from moter.endringar import endringar_sidan
from moter.forms import (
    DeltakingForm,
    MoteForm,
    OpneReferatForm,
    ReferatForm,
    SakForm,
    VedleggForm,
    VedtakForm,
)
from moter.models import (
    Arkivuttrekk,
    Folging,
    Leveranse,
    Mote,
    Motepakke,
    Referat,
    Sak,
    Utsending,
    Vedlegg,
)
from moter.tasks import start_arkivuttrekk, start_bygging
from partnarskap.access import get_partnar_for_user, get_utval_for_user, utval_visible_to
from partnarskap.models import Medlemskap, Person, Utval
from portal import editing, export, ordering, pdf
from portal.access import is_sekretariat, require_sekretariat
from portal.htmx import HtmxHttpRequest, hx_trigger_message
from portal.links import absolute_url


def _today() -> date:
    return timezone.localdate()


def refuses_when_locked(view: Callable) -> Callable:
    """A change to a meeting whose referat is approved (moter.syklus) is answered 409 with
    why: a page of its own, or for htmx the meeting page's lock notice (#laas)."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except syklus.Laast as laast:
            return _laast(request, laast.mote)

    return wrapper


def _laast(request: HtmxHttpRequest, mote: Mote) -> HttpResponse:
    context = {"mote": mote, "laast": True, "opne_skjema": OpneReferatForm()}
    if request.htmx:
        response = render(request, "moter/mote.html#laas", context, status=409)
        response["HX-Retarget"] = "#laas"
        response["HX-Reswap"] = "outerHTML"
        return hx_trigger_message(response, syklus.LAAST)
    return render(request, "moter/laast.html", context, status=409)


# --- Reading ---


@require_safe
def oversikt(request: HttpRequest) -> HttpResponse:
    today = _today()
    moter = moter_visible_to(request.user).select_related("utval")
    komande = list(moter.filter(dato__gte=today)[:30])
    siste = list(moter.filter(dato__lt=today).order_by("-dato")[:5])
    ar = sorted({d.year for d in moter.dates("dato", "year")} | {today.year}, reverse=True)
    return render(
        request,
        "moter/oversikt.html",
        {"komande": komande, "siste": siste, "ar": ar, "skjema": _ny_mote_form(request)},
    )


@require_safe
@require_sekretariat
def oppfolging(request: HttpRequest) -> HttpResponse:
    """Til oppfølging: held meetings without a referat, and referat waiting for approval."""
    return render(
        request, "moter/oppfolging.html", syklus.til_oppfolging(moter_visible_to(request.user))
    )


def _ny_mote_form(request, form=None):
    if form is None and is_sekretariat(request.user):
        form = MoteForm(initial={"dato": _today()})
    return form


def moteplan(year: int, user) -> dict:
    """The year's plan as seed 004 shows it: one row per møterunde with its host, one column
    per utval (in order of its first meeting that year), and the conferences beside."""
    moter = list(
        moter_visible_to(user)
        .filter(dato__year=year)
        .select_related("utval")
        .order_by("dato", "start")
    )
    utval: list[Utval] = []
    for m in moter:
        if m.utval is not None and m.utval not in utval:
            utval.append(m.utval)
    rader: dict = defaultdict(lambda: {"vertskap": set(), "celler": defaultdict(list)})
    utan_runde = []
    konferansar = []
    for m in moter:
        if not m.utval_id:
            konferansar.append(m)
        elif m.runde is None:
            utan_runde.append(m)
        else:
            row = rader[m.runde]
            if m.vertskap:
                row["vertskap"].add(m.get_vertskap_display())
            row["celler"][m.utval_id].append(m)
    tabell = [
        {
            "runde": runde,
            "vertskap": " / ".join(sorted(rader[runde]["vertskap"])),
            "celler": [rader[runde]["celler"].get(u.pk, []) for u in utval],
        }
        for runde in sorted(rader)
    ]
    return {
        "ar": year,
        "moter": moter,
        "utval": utval,
        "tabell": tabell,
        "utan_runde": utan_runde,
        "konferansar": konferansar,
    }


def _year(ar: int) -> int:
    if not 1900 <= ar <= 2999:
        raise Http404
    return ar


@require_safe
def arsplan(request: HttpRequest, ar: int) -> HttpResponse:
    context = moteplan(_year(ar), request.user)
    context["skjema"] = _ny_mote_form(request)
    return render(request, "moter/ar.html", context)


EKSPORT_KOLONNAR = [
    export.Column("Dato", 12),
    export.Column("Til dato", 12),
    export.Column("Startar", 9),
    export.Column("Sluttar", 9),
    export.Column("Møte", 34),
    export.Column("Type", 20),
    export.Column("Stad", 30),
    export.Column("Arrangør/møtestad", 18),
    export.Column("Møterunde", 11),
    export.Column("Status", 12),
    export.Column("Adresse", 40),
]


@require_safe
def eksport(request: HttpRequest, ar: int, fmt: str) -> HttpResponse:
    """The year's meetings, one row each in date order."""
    table = export.Table(f"Møte {ar}", f"moter-{ar}", EKSPORT_KOLONNAR)
    for m in moteplan(_year(ar), request.user)["moter"]:
        table.add(
            [
                m.dato,
                m.til_dato,
                m.start,
                m.slutt,
                m.namn,
                m.get_type_display(),
                m.stad,
                m.get_vertskap_display(),
                m.runde,
                m.get_status_display(),
                absolute_url(m.get_absolute_url()),
            ]
        )
    return export.response(request, table, fmt)


@require_safe
def moteplan_pdf(request: HttpRequest, ar: int) -> HttpResponseBase:
    document = pdf.from_template("moter/pdf/moteplan.html", moteplan(_year(ar), request.user))
    return pdf.response(request, document, f"moteplan-{ar}.pdf")


def _mote_context(request: HttpRequest, mote: Mote, **extra) -> dict:
    saker, skjulte = sakliste_for(mote, request.user)
    sekretariat = is_sekretariat(request.user)
    referat = getattr(mote, "referat", None)
    context = {
        "mote": mote,
        "saker": saker,
        "skjulte": skjulte,
        "ser_papir": papers_visible(request.user, mote),
        "referat": referat,
        "deltaking": list(referat.deltaking.select_related("person", "vara_for"))
        if referat
        else [],
        "opning": syklus.opningar(referat).select_related("history_user").first()
        if referat
        else None,
        "pakke": _pakke_status(request, mote),
        "godkjenner": list(mote.godkjende_referat.select_related("mote", "mote__utval")),
    }
    if sekretariat:
        utsendingar = _utsendingar(mote)
        context["utsendingar"] = utsendingar
        context["innkalling_sendt"] = any(u.type in Utsending.KALENDER for u in utsendingar)
    if sekretariat and mote.laast:
        context["opne_skjema"] = OpneReferatForm()
    elif sekretariat:
        # The form for a new sak is shown when asked for (``sak_ny``): its choices of
        # agreements and tiltak list the whole portfolio and plan.
        context["kan_leggje_til_sak"] = bool(mote.utval_id)
        for sak in saker:
            _med_vedleggskjema(sak)
    context.update(extra)
    return context


def _utsendingar(mote: Mote) -> list[Utsending]:
    """The meeting's e-mail, newest first, each with its deliveries counted by status."""
    sendings = list(mote.utsendingar.select_related("sendt_av").prefetch_related("leveransar"))
    for sending in sendings:
        deliveries = list(sending.leveransar.all())
        sending.tal = {
            status: sum(d.status == status for d in deliveries) for status in Leveranse.Status
        }
        sending.feila = any(d.status == Leveranse.Status.FEILA for d in deliveries)
    return sendings


def _med_vedleggskjema(sak: Sak, form: VedleggForm | None = None) -> Sak:
    """Each sak carries its own upload form."""
    sak.vedlegg_skjema = form or VedleggForm(instance=Vedlegg(sak=sak))
    return sak


def _sak_svar(
    request: HttpRequest, sak: Sak, form=None, status: int = 200, **extra
) -> HttpResponse:
    context = {"sak": _med_vedleggskjema(sak, form), "mote": sak.mote, "ser_papir": True, **extra}
    return render(request, "moter/mote.html#sak", context, status=status)


@require_safe
def mote_detalj(request: HttpRequest, pk: int) -> HttpResponse:
    mote = get_mote_for_user(request, pk, saker=True)
    return render(request, "moter/mote.html", _mote_context(request, mote))


@require_safe
def vedlegg_fil(request: HttpRequest, pk: int) -> FileResponse:
    vedlegg = get_vedlegg_for_user(request, pk)
    try:
        handle = vedlegg.fil.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vedlegg-{vedlegg.pk}.pdf"'
    response["Cache-Control"] = "private, no-cache"
    return response


# --- The meeting pack ---


def _pakke_status(request: HttpRequest, mote: Mote) -> dict:
    """What the meeting page says about the pack: ready, being built, or to be made."""
    publikum = pakke_publikum_for(request.user, mote)
    if publikum is None:
        return {"tilgjengeleg": False}
    # The page has the saker, in agenda order with their attachments (get_mote_for_user).
    data = pack.innhald(mote, publikum, saker=mote.saker.all())
    path, fingerprint = pack.ferdig_pakke(data)
    status = {"tilgjengeleg": True, "ferdig": pack.finst(path), "publikum": publikum}
    if not status["ferdig"]:
        row = Motepakke.objects.filter(mote=mote, publikum=publikum).first()
        if row and row.fingeravtrykk == fingerprint:
            status["bygging"] = row
        status["stor"] = data.sidetal_estimat > settings.MOTEPAKKE_SYNC_MAX_PAGES
    return status


@require_safe
def motepakke(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The pack in the edition the user may read; ``?utgave=medlemmar`` (the link members
    are sent) asks for the members' pack, so a member who is not logged in logs in first."""
    mote = get_mote_for_user(request, pk)
    publikum = pakke_for(request, mote, medlemmar=request.GET.get("utgave") == "medlemmar")
    data = pack.innhald(mote, publikum)
    path, fingerprint = pack.ferdig_pakke(data)
    if not pack.finst(path):
        if data.sidetal_estimat > settings.MOTEPAKKE_SYNC_MAX_PAGES:
            start_bygging(mote, publikum, fingerprint)
            return redirect(f"{mote.get_absolute_url()}#motepakke")
        path = pack.bygg(data)
    return pdf.response(request, pack.opne(path), data.filnamn, etag=f'"{fingerprint[:32]}"')


@require_safe
def motepakke_status(request: HttpRequest, pk: int) -> HttpResponse:
    mote = get_mote_for_user(request, pk)
    return render(
        request,
        "moter/mote.html#pakke",
        {"mote": mote, "pakke": _pakke_status(request, mote), "poll": True},
    )


# --- Calendar feeds ---


def _feed(request: HttpRequest, moter, namn: str, slug: str) -> HttpResponse:
    moter = list(moter.select_related("utval").prefetch_related("saker"))
    base = absolute_url("")

    def saker_for(mote: Mote):
        return sakliste_for(mote, request.user)[0]

    body = kalender.kalender(moter, namn, base, saker_for)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}.ics"'
    return response


@require_safe
def kalender_alle(request: HttpRequest) -> HttpResponse:
    moter = moter_visible_to(request.user)
    return _feed(request, moter, "Sogn og Fjordane helsefellesskap: møte", "moter")


@require_safe
def kalender_utval(request: HttpRequest, slug: str) -> HttpResponse:
    utval = get_utval_for_user(request, slug)
    moter = moter_visible_to(request.user).filter(utval=utval)
    return _feed(request, moter, f"Møte i {utval.namn}", utval.slug)


@require_safe
def kalender_partnar(request: HttpRequest, slug: str) -> HttpResponse:
    """The meetings of every utval the partner has a seat in today."""
    partnar = get_partnar_for_user(request, slug)
    utval_ids = Medlemskap.objects.gjeldande().filter(partnar=partnar).values("utval_id")
    moter = moter_visible_to(request.user).filter(utval_id__in=utval_ids)
    return _feed(request, moter, f"Møte for {partnar.namn}", f"partnar-{partnar.slug}")


# --- What changed since the utval last met ---


@require_safe
def endringar(request: HttpRequest, slug: str) -> HttpResponse:
    utval = get_utval_for_user(request, slug)
    return render(
        request,
        "moter/endringar.html",
        {"endringar": endringar_sidan(utval, user=request.user), "utval": utval},
    )


# --- Planning the year (secretariat) ---


@require_http_methods(["GET", "POST"])
@require_sekretariat
def mote_ny(request: HttpRequest) -> HttpResponse:
    form = MoteForm(request.POST or None, initial={"dato": _today()})
    if request.method == "POST" and form.is_valid():
        mote: Mote = editing.save(form, user=request.user)
        messages.success(request, "Møtet er lagt til.")
        return redirect(mote)
    status = 422 if request.method == "POST" else 200
    return render(request, "moter/mote_skjema.html", {"skjema": form, "mote": None}, status=status)


@require_http_methods(["GET", "POST"])
@require_sekretariat
@refuses_when_locked
def mote_endre(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    mote = get_mote_for_user(request, pk)
    syklus.sjekk(mote)
    form = MoteForm(request.POST or None, instance=mote)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with syklus.open_for_endring(mote):
                    mote = editing.save(form, user=request.user)
            except editing.Conflict:
                # The form keeps the user's values; the page shows what is saved now.
                status, mote = 409, get_mote_for_user(request, pk)
            else:
                varsel.pakke_kanskje_endra(mote)
                if request.htmx:
                    response = render(request, "moter/mote.html#motefakta", {"mote": mote})
                    return hx_trigger_message(response, "Møtet er lagra.")
                messages.success(request, "Møtet er lagra.")
                return redirect(mote)
        else:
            status = 422
    template = "moter/mote.html#motefakta-skjema" if request.htmx else "moter/mote_skjema.html"
    return render(request, template, {"skjema": form, "mote": mote}, status=status)


@require_safe
@require_sekretariat
def mote_fakta(request: HttpRequest, pk: int) -> HttpResponse:
    """The facts block again (cancel an edit)."""
    return render(request, "moter/mote.html#motefakta", {"mote": get_mote_for_user(request, pk)})


@require_http_methods(["GET", "POST"])
@require_sekretariat
@refuses_when_locked
def mote_avlys(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    mote = get_mote_for_user(request, pk)
    if request.method == "GET":  # without JavaScript, "Avlys møtet" asks here first
        syklus.sjekk(mote)
        if mote.avlyst:
            messages.info(request, "Møtet er alt avlyst.")
            return redirect(mote)
        return render(request, "moter/avlys.html", {"mote": mote})
    with syklus.open_for_endring(mote), editing.locked(mote):
        if not mote.avlyst:
            mote.status = Mote.Status.AVLYST
            mote.sekvens += 1
            editing.save_next_version(mote, "Møtet er avlyst")
    if request.htmx:
        response = render(request, "moter/mote.html#motefakta", {"mote": mote})
        return hx_trigger_message(response, "Møtet er avlyst.")
    messages.success(request, "Møtet er avlyst.")
    return redirect(mote)


@require_POST
@require_sekretariat
def innkalling_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the innkalling (or, after the first, an update) by e-mail to those called."""
    mote = get_mote_for_user(request, pk)
    try:
        utsending = innkalling.send(mote, absolute_url(""), request.user)
    except innkalling.IngenMottakarar:
        messages.error(
            request, "Ingen av dei som er kalla inn, har e-postadresse. Ingenting er sendt."
        )
    else:
        count = utsending.leveransar.count()
        noun = "mottakar" if count == 1 else "mottakarar"
        messages.success(
            request,
            f"{utsending.get_type_display()} vert send til {count} {noun}, "
            "ei melding til kvar. Kvitteringane kjem under.",
        )
    return redirect(f"{mote.get_absolute_url()}#innkalling")


# --- Following an utval ---


@require_POST
@login_required
def folg(request: HttpRequest, slug: str) -> HttpResponse:
    """Follow the utval (``folg=1``) or stop following it (``folg=0``)."""
    utval = get_utval_for_user(request, slug)
    if request.POST.get("folg") == "0":
        Folging.objects.filter(brukar_id=request.user.pk, utval=utval).delete()
        messages.success(request, f"Du følgjer ikkje lenger {utval.namn}.")
    elif not varsel.adresse(request.user):
        messages.error(
            request, "Kontoen din har inga e-postadresse. Be sekretariatet leggje ho inn."
        )
    else:
        Folging.objects.get_or_create(brukar_id=request.user.pk, utval=utval)
        messages.success(request, f"Du følgjer no {utval.namn}.")
    return redirect(f"{utval.get_absolute_url()}#folg")


@csrf_exempt  # the signed link is the key; mail programs post it without a form (RFC 8058)
@require_http_methods(["GET", "POST"])
def avmeld(request: HttpRequest, token: str) -> HttpResponse:
    """Stop following from the link in a notice, without logging in: GET asks, POST does."""
    ids = varsel.fra_token(token)
    if ids is None:
        raise Http404
    brukar_id, utval_id = ids
    utval = utval_visible_to(request.user).filter(pk=utval_id).first()
    if utval is None:
        raise Http404
    if request.method == "POST":
        Folging.objects.filter(brukar_id=brukar_id, utval=utval).delete()
    return render(
        request, "moter/avmeld.html", {"utval": utval, "avmeldt": request.method == "POST"}
    )


# --- Building the agenda (secretariat) ---


def _sakliste(request: HttpRequest, mote_pk: int, status: int = 200, **extra) -> HttpResponse:
    mote = get_mote_for_user(request, mote_pk, saker=True)
    return render(
        request, "moter/mote.html#sakliste", _mote_context(request, mote, **extra), status=status
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
@refuses_when_locked
def sak_ny(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    mote = get_mote_for_user(request, pk)
    if not mote.utval_id:
        raise Http404
    syklus.sjekk(mote)
    form = SakForm(request.POST or None, mote=mote)
    if request.method == "POST" and form.is_valid():
        with syklus.open_for_endring(mote):
            sak: Sak = editing.save(form, user=request.user)
        varsel.pakke_kanskje_endra(mote)
        if request.htmx:
            response = _sakliste(request, mote.pk, ny_sak=sak.pk)  # focus goes to the new sak
            return hx_trigger_message(response, f"Sak {sak.saksnummer} er lagd til.")
        messages.success(request, f"Sak {sak.saksnummer} er lagd til.")
        return redirect(sak)
    status = 422 if request.method == "POST" else 200
    if request.htmx:  # opened in place (GET), or refused with the user's input
        return _sakliste(
            request, mote.pk, status=status, sak_skjema=form, opna=request.method == "GET"
        )
    return render(request, "moter/sak_skjema.html", {"skjema": form, "mote": mote}, status=status)


@require_http_methods(["GET", "POST"])
@require_sekretariat
@refuses_when_locked
def sak_endre(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    sak = get_sak_for_user(request, pk)
    syklus.sjekk(sak.mote)
    form = SakForm(request.POST or None, instance=sak, mote=sak.mote)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with syklus.open_for_endring(sak.mote):
                    sak = editing.save(form, user=request.user)
            except editing.Conflict:
                # The form keeps the user's values; the page shows what is saved now.
                status, sak = 409, get_sak_for_user(request, pk)
            else:
                varsel.pakke_kanskje_endra(sak.mote)
                if request.htmx:
                    response = _sak_svar(request, sak)
                    return hx_trigger_message(response, f"Sak {sak.saksnummer} er lagra.")
                messages.success(request, f"Sak {sak.saksnummer} er lagra.")
                return redirect(sak)
        else:
            status = 422
    template = "moter/mote.html#sak-skjema" if request.htmx else "moter/sak_skjema.html"
    return render(request, template, {"skjema": form, "mote": sak.mote, "sak": sak}, status=status)


@require_safe
@require_sekretariat
def sak_vis(request: HttpRequest, pk: int) -> HttpResponse:
    return _sak_svar(request, get_sak_for_user(request, pk))


@require_POST
@require_sekretariat
@refuses_when_locked
def sak_flytt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move a sak one place up or down the agenda. Its number stays: people quote it."""
    sak = get_sak_for_user(request, pk)
    varsel.pakke_kanskje_endra(sak.mote)  # checked later: a move that did not happen is no change
    with syklus.open_for_endring(sak.mote):
        return _flytt_sak(request, sak)


def _flytt_sak(request: HtmxHttpRequest, sak: Sak) -> HttpResponse:
    return ordering.move(
        request,
        sak,
        sak.mote.saker.order_by("rekkjefolgje", "nummer"),
        label=f"Sak {sak.saksnummer}",
        fragment=lambda retning: _sakliste(
            request, sak.mote_id, flytta_sak=sak.pk, retning=retning
        ),
        back_to=f"{sak.mote.get_absolute_url()}#sak-{sak.pk}",
        reason="Flytta i saklista",
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
@refuses_when_locked
def vedlegg_ny(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    sak = get_sak_for_user(request, pk)
    syklus.sjekk(sak.mote)
    form = VedleggForm(request.POST or None, request.FILES or None, instance=Vedlegg(sak=sak))
    if request.method == "POST" and form.is_valid():
        vedlegg = form.save(commit=False)
        vedlegg.sak = sak
        vedlegg.tittel = form.cleaned_data["tittel"]
        with syklus.open_for_endring(sak.mote):
            top = sak.vedlegg.order_by("-rekkjefolgje").values_list("rekkjefolgje", flat=True)
            vedlegg.rekkjefolgje = (top.first() or 0) + 1
            vedlegg.save()
            arkiv.start(vedlegg)  # the archival copy, made once by the worker
            varsel.pakke_kanskje_endra(sak.mote)
        if request.htmx:
            response = _sak_svar(request, sak, lasta_opp=vedlegg.pk)  # focus on the new one
            return hx_trigger_message(response, f"Vedlegget «{vedlegg.tittel}» er lasta opp.")
        messages.success(request, f"Vedlegget «{vedlegg.tittel}» er lasta opp.")
        return redirect(sak)
    status = 422 if request.method == "POST" else 200
    if request.htmx and request.method == "POST":
        return _sak_svar(request, sak, form, status=status)
    return render(request, "moter/vedlegg_skjema.html", {"skjema": form, "sak": sak}, status=status)


@require_POST
@require_sekretariat
@refuses_when_locked
def vedlegg_flytt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Move an attachment one place up or down; the pack merges them in this order."""
    vedlegg = get_vedlegg_for_user(request, pk)
    with syklus.open_for_endring(vedlegg.sak.mote):
        return _flytt_vedlegg(request, vedlegg)


def _flytt_vedlegg(request: HtmxHttpRequest, vedlegg: Vedlegg) -> HttpResponse:
    sak = vedlegg.sak
    varsel.pakke_kanskje_endra(sak.mote)
    return ordering.move(
        request,
        vedlegg,
        sak.vedlegg.order_by("rekkjefolgje", "pk"),
        label=f"Vedlegget «{vedlegg.tittel}»",
        # Focus stays on the attachment's move button (the other one at the end of the list).
        fragment=lambda retning: _sak_svar(
            request, get_sak_for_user(request, sak.pk), flytta_vedlegg=vedlegg.pk, retning=retning
        ),
        back_to=sak.get_absolute_url(),
        reason="Flytta blant vedlegga",
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
@refuses_when_locked
def vedlegg_slett(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    vedlegg = get_vedlegg_for_user(request, pk)
    sak = vedlegg.sak
    if request.method == "GET":  # without JavaScript, "Fjern" asks here first
        syklus.sjekk(sak.mote)
        return render(request, "moter/vedlegg_fjern.html", {"vedlegg": vedlegg, "sak": sak})
    title = vedlegg.tittel
    with syklus.open_for_endring(sak.mote):
        vedlegg.delete()  # the file stays on disk, so history can restore the row
        varsel.pakke_kanskje_endra(sak.mote)
    if request.htmx:
        return hx_trigger_message(_sak_svar(request, sak), f"Vedlegget «{title}» er fjerna.")
    messages.success(request, f"Vedlegget «{title}» er fjerna.")
    return redirect(sak)


# --- Minutes ---


def _deltakarar(mote: Mote) -> list[Person]:
    if not mote.utval_id:
        return []
    seats = Medlemskap.objects.gjeldande(mote.dato).filter(utval_id=mote.utval_id)
    people = {s.person for s in seats.select_related("person")}
    referat = getattr(mote, "referat", None)
    if referat and referat.pk:
        people |= {d.person for d in referat.deltaking.select_related("person")}
    return sorted(people, key=lambda p: p.namn)


@require_http_methods(["GET", "POST"])
@require_sekretariat
@refuses_when_locked
def referat_endre(request: HttpRequest, pk: int) -> HttpResponse:
    mote = get_mote_for_user(request, pk, saker=True)
    syklus.sjekk(mote)
    referat = getattr(mote, "referat", None) or Referat(mote=mote)
    existing = {d.person_id: d for d in referat.deltaking.all()} if referat.pk else {}
    data = request.POST or None
    referat_form = ReferatForm(data, instance=referat)
    deltaking_form = DeltakingForm(data, personar=_deltakarar(mote), eksisterande=existing)
    saker = list(mote.saker.all())
    vedtak_form = VedtakForm(data, saker=saker)
    forms_ok = all(f.is_valid() for f in (referat_form, deltaking_form, vedtak_form))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and forms_ok:

        def write() -> Referat:
            # The meeting's row lock lets one save of its minutes through at a time, so
            # minutes made by someone else in the meantime are a conflict, not a crash.
            with editing.locked(mote):
                if referat.pk is None and (made := Referat.objects.filter(mote=mote).first()):
                    raise editing.Conflict(made, 0)
                syklus.sjekk_lagra(mote)  # approved in the meantime
                saved = referat_form.save()
                deltaking_form.save(saved)
                vedtak_form.save()
                varsel.pakke_kanskje_endra(mote)  # the pack prints the vedtak
                if saved.godkjent_i_id:  # approved now: it was open, or this was refused
                    # The notice is queued in this transaction: no approval, no notice.
                    syklus.referat_godkjent(saved)
                if (
                    mote.status in (Mote.Status.PLANLAGT, Mote.Status.INNKALLA)
                    and mote.dato <= _today()
                ):
                    mote.status = Mote.Status.HALDE
                    mote.sekvens += 1
                    editing.save_next_version(mote, "Referatet er ført")
            return saved

        try:
            editing.save(referat_form, write, user=request.user)
        except editing.Conflict as conflict:
            status = 409
            vedtak_form.second_try(conflict)  # its saker carry versions of their own
        else:
            messages.success(request, "Referatet er lagra.")
            return redirect(f"{mote.get_absolute_url()}#referat")
    return render(
        request,
        "moter/referat_skjema.html",
        {
            "mote": mote,
            "skjema": referat_form,
            "deltaking_skjema": deltaking_form,
            "vedtak_skjema": vedtak_form,
        },
        status=status,
    )


@require_POST
@require_sekretariat
def referat_opne(request: HttpRequest, pk: int) -> HttpResponse:
    """Open an approved referat again, with a reason history keeps; it and the agenda can
    then be changed, and the referat must be approved again."""
    mote = get_mote_for_user(request, pk)
    referat = getattr(mote, "referat", None)
    if referat is None:
        raise Http404
    form = OpneReferatForm(request.POST)
    if not form.is_valid():
        context = {"mote": mote, "skjema": form}
        return render(request, "moter/referat_opne.html", context, status=422)
    try:
        syklus.opne_referat(referat, form.cleaned_data["grunn"])
    except syklus.IkkjeGodkjent:
        messages.info(request, "Referatet er ikkje godkjent, så det er alt ope for endring.")
    else:
        messages.success(
            request, "Referatet er opna att. Det må godkjennast på nytt i eit møte som er halde."
        )
    return redirect(f"{mote.get_absolute_url()}#referat")


@require_safe
def referat_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    mote = get_mote_for_user(request, pk, saker=True)
    referat = getattr(mote, "referat", None)
    if referat is None:
        raise Http404
    document = arkivuttrekk.referat_pdf(referat, *sakliste_for(mote, request.user))
    return pdf.response(request, document, f"referat-{mote.dato:%Y-%m-%d}.pdf")


# --- Archive export ---


def _uttrekk_rader(request: HttpRequest) -> list[dict]:
    done = {(u.utval_id, u.ar): u for u in Arkivuttrekk.objects.all()}
    rows = []
    for utval in Utval.objects.order_by("namn"):
        for ar in arkivuttrekk.ar_med_moter(utval.pk):
            rows.append({"utval": utval, "ar": ar, "uttrekk": done.get((utval.pk, ar))})
    return rows


@require_http_methods(["GET", "POST"])
@require_sekretariat
def arkiv_uttrekk(request: HtmxHttpRequest) -> HttpResponse:
    """The secretariat's archive exports: start one per utval and year, follow its progress
    and download the zip."""
    status = 200
    if request.method == "POST":
        slug = request.POST.get("utval", "")
        utval = Utval.objects.filter(slug=slug).first() if slug_re.match(slug) else None
        ar = request.POST.get("ar", "")
        if utval and ar.isdigit() and int(ar) in arkivuttrekk.ar_med_moter(utval.pk):
            start_arkivuttrekk(utval, int(ar))
            if not request.htmx:
                return redirect("moter:arkiv_uttrekk")
        else:
            status = 422  # a form this page did not make: nothing is started
    rows = _uttrekk_rader(request)
    busy = any(r["uttrekk"] and r["uttrekk"].status in ("ventar", "byggjer") for r in rows)
    template = "moter/arkiv.html#uttrekk" if request.htmx else "moter/arkiv.html"
    return render(request, template, {"rader": rows, "byggjer": busy}, status=status)


@require_safe
@require_sekretariat
def arkiv_uttrekk_fil(request: HttpRequest, pk: int) -> HttpResponseBase:
    uttrekk = Arkivuttrekk.objects.filter(pk=pk, status=Arkivuttrekk.Status.FERDIG).first()
    if uttrekk is None or not uttrekk.fil:
        raise Http404
    name = arkivuttrekk.uttrekk_namn(uttrekk.fil)
    if not default_storage.exists(name):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{uttrekk.fil}"'
    response["Cache-Control"] = "private, no-cache"
    return response
