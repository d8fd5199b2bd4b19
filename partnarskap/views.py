from collections import defaultdict

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnarskap.access import (
    arshjulpunkt_visible_to,
    get_arshjulpunkt_for_user,
    get_medlemskap_for_user,
    get_partnar_for_user,
    get_utval_for_user,
    partnarar_visible_to,
    utval_visible_to,
)
from partnarskap.arshjul import FORSTE_AR, SISTE_AR, bygg_arshjul
from partnarskap.forms import ArshjulpunktForm, MedlemskapForm
from partnarskap.models import Arshjulpunkt, Medlemskap, Utval, today
from partnarskap.rules import representation
from portal import editing, pdf
from portal.access import is_sekretariat, require_sekretariat
from portal.hooks import collect
from portal.htmx import hx_trigger_message

RIKTIG_ROLLEREKKJE = [r.value for r in Medlemskap.Rolle]


@require_safe
def oversikt(request: HttpRequest) -> HttpResponse:
    utval = list(utval_visible_to(request.user).prefetch_related("tidlegare_namn"))
    children = defaultdict(list)
    for u in utval:
        children[u.rapporterer_til_id].append(u)
    partnarar = partnarar_visible_to(request.user).filter(avslutta__isnull=True)
    return render(
        request,
        "partnarskap/oversikt.html",
        {
            "tre": children,
            "toppnivaa": children[None],
            "partnarar": partnarar,
        },
    )


def _seats(utval: Utval):
    qs = utval.medlemskap.select_related("person", "partnar")
    return qs if not utval.aktiv else qs.gjeldande()


def _sorted(seats):
    return sorted(seats, key=lambda m: (RIKTIG_ROLLEREKKJE.index(m.rolle), m.person.namn))


def _utval_context(request: HttpRequest, utval: Utval, form=None) -> dict:
    seats = _sorted(_seats(utval))
    if form is None and is_sekretariat(request.user):
        form = MedlemskapForm(utval=utval)
    return {
        "utval": utval,
        "medlemskap": seats,
        "reglar": representation(utval, seats),
        "skjema": form,
    }


@require_safe
def utval_detalj(request: HttpRequest, slug: str) -> HttpResponse:
    utval = get_utval_for_user(request, slug)
    return render(request, "partnarskap/utval.html", _utval_context(request, utval))


@require_safe
def partnar_detalj(request: HttpRequest, slug: str) -> HttpResponse:
    partnar = get_partnar_for_user(request, slug)
    seats = (
        partnar.medlemskap.gjeldande()
        .select_related("person", "utval")
        .order_by("utval__rekkjefolgje", "person__namn")
    )
    return render(
        request,
        "partnarskap/partnar.html",
        {
            "partnar": partnar,
            "medlemskap": seats,
            "forgjengarar": partnar.forgjengarar.all(),
            # What other apps say concerns the partner (agreements, tiltak).
            "seksjonar": collect(lambda app: app.partnar_seksjonar(partnar)),
        },
    )


# --- Editing seats in place (secretariat) ---


def _row(request: HttpRequest, seat: Medlemskap, status: int = 200) -> HttpResponse:
    return render(
        request,
        "partnarskap/utval.html#medlemsrad",
        {"m": seat, "utval": seat.utval},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def medlemskap_ny(request: HttpRequest, slug: str) -> HttpResponse:
    utval = get_utval_for_user(request, slug)
    form = MedlemskapForm(request.POST or None, utval=utval)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        seat = editing.save(form, user=request.user)
        if not request.htmx:
            messages.success(request, f"{seat.person} er lagd til i {utval}.")
            return redirect(utval)
        form = None  # a fresh form for the next seat
    status = 422 if request.method == "POST" and not saved else 200
    if request.htmx:
        context = _utval_context(request, utval, form)
        response = render(request, "partnarskap/utval.html#medlemmar", context, status=status)
        if saved:
            hx_trigger_message(response, f"{seat.person} er lagd til i {utval}.")
        return response
    return render(
        request, "partnarskap/medlemskap_ny.html", {"utval": utval, "skjema": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def medlemskap_endre(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_medlemskap_for_user(request, pk)
    form = MedlemskapForm(request.POST or None, instance=seat, utval=seat.utval)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                seat = editing.save(form, user=request.user)
            except editing.Conflict:
                # The form keeps the user's values; the page shows what is saved now.
                status, seat = 409, get_medlemskap_for_user(request, pk)
            else:
                if request.htmx:
                    return hx_trigger_message(_row(request, seat), "Medlemskapet er lagra.")
                messages.success(request, "Medlemskapet er lagra.")
                return redirect(seat.utval)
        else:
            status = 422
    template = "partnarskap/medlemskap_endre.html"
    if request.htmx:
        template = "partnarskap/utval.html#endre-rad"
    return render(
        request, template, {"m": seat, "utval": seat.utval, "skjema": form}, status=status
    )


@require_safe
@require_sekretariat
def medlemskap_rad(request: HttpRequest, pk: int) -> HttpResponse:
    """The plain row again (cancel an edit)."""
    return _row(request, get_medlemskap_for_user(request, pk))


@require_POST
@require_sekretariat
def medlemskap_avslutt(request: HttpRequest, pk: int) -> HttpResponse:
    seat = get_medlemskap_for_user(request, pk)
    with editing.locked(seat):
        if seat.til is None or seat.til > today():
            seat.til = today()
            if seat.fra and seat.fra > seat.til:
                seat.fra = seat.til
            editing.save_next_version(seat, "Medlemskapet er avslutta")
    if request.htmx:
        return hx_trigger_message(
            _row(request, seat), f"Medlemskapet til {seat.person} er avslutta."
        )
    messages.success(request, f"Medlemskapet til {seat.person} er avslutta.")
    return redirect(seat.utval)


# --- The årshjul ---


def _punkt_context(request: HttpRequest, form=None) -> dict:
    if form is None and is_sekretariat(request.user):
        form = ArshjulpunktForm()
    punkt = arshjulpunkt_visible_to(request.user).select_related("utval")
    return {"punkt": punkt, "skjema": form}


def _arshjul_context(request: HttpRequest, year: int) -> dict:
    return {"arshjul": bygg_arshjul(year), "i_ar": today().year, **_punkt_context(request)}


def _check_year(ar: int) -> int:
    if not FORSTE_AR <= ar <= SISTE_AR:
        raise Http404("Årshjulet finst berre for åra 2000–2100.")
    return ar


@require_safe
def arshjul(request: HttpRequest, ar: int | None = None) -> HttpResponse:
    year = _check_year(ar) if ar is not None else today().year
    return render(request, "partnarskap/arshjul.html", _arshjul_context(request, year))


@require_safe
def arshjul_pdf(request: HttpRequest, ar: int) -> HttpResponseBase:
    document = pdf.from_template(
        "partnarskap/arshjul_pdf.html",
        {"arshjul": bygg_arshjul(_check_year(ar))},
        stylesheets=("partnarskap/arshjul_pdf.css",),
    )
    return pdf.response(request, document, f"arshjul-{ar}.pdf")


def _punktrad(request: HttpRequest, punkt: Arshjulpunkt, status: int = 200) -> HttpResponse:
    return render(request, "partnarskap/arshjul.html#punktrad", {"p": punkt}, status=status)


@require_http_methods(["GET", "POST"])
@require_sekretariat
def arshjulpunkt_ny(request: HttpRequest) -> HttpResponse:
    form = ArshjulpunktForm(request.POST or None)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        punkt = editing.save(form, user=request.user)
        if not request.htmx:
            messages.success(request, f"«{punkt}» er lagt til i årshjulet.")
            return redirect("partnarskap:arshjul")
        form = None  # a fresh form for the next item
    status = 422 if request.method == "POST" and not saved else 200
    if request.htmx:
        # The whole section: the list gains the row, and the wheel above is not touched.
        context = _punkt_context(request, form)
        response = render(request, "partnarskap/arshjul.html#punktliste", context, status=status)
        if saved:
            hx_trigger_message(response, f"«{punkt}» er lagt til i årshjulet.")
        return response
    return render(request, "partnarskap/arshjulpunkt_skjema.html", {"skjema": form}, status=status)


@require_http_methods(["GET", "POST"])
@require_sekretariat
def arshjulpunkt_endre(request: HttpRequest, pk: int) -> HttpResponse:
    punkt = get_arshjulpunkt_for_user(request, pk)
    form = ArshjulpunktForm(request.POST or None, instance=punkt)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                punkt = editing.save(form, user=request.user)
            except editing.Conflict:
                # The form keeps the user's values; the page shows what is saved now.
                status, punkt = 409, get_arshjulpunkt_for_user(request, pk)
            else:
                if request.htmx:
                    return hx_trigger_message(_punktrad(request, punkt), f"«{punkt}» er lagra.")
                messages.success(request, f"«{punkt}» er lagra.")
                return redirect("partnarskap:arshjul")
        else:
            status = 422
    template = "partnarskap/arshjul.html#endre-punktrad" if request.htmx else None
    return render(
        request,
        template or "partnarskap/arshjulpunkt_skjema.html",
        {"p": punkt, "skjema": form},
        status=status,
    )


@require_safe
@require_sekretariat
def arshjulpunkt_rad(request: HttpRequest, pk: int) -> HttpResponse:
    """The plain row again (cancel an edit)."""
    return _punktrad(request, get_arshjulpunkt_for_user(request, pk))


@require_POST
@require_sekretariat
def arshjulpunkt_deaktiver(request: HttpRequest, pk: int) -> HttpResponse:
    punkt = get_arshjulpunkt_for_user(request, pk)
    with editing.locked(punkt):
        if punkt.aktiv:
            punkt.aktiv = False
            editing.save_next_version(punkt, "Teke ut av årshjulet")
    text = f"«{punkt}» er teke ut av årshjulet."
    if request.htmx:
        return hx_trigger_message(_punktrad(request, punkt), text)
    messages.success(request, text)
    return redirect("partnarskap:arshjul")
