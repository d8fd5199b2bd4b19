from collections import defaultdict

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnarskap import kontoar
from partnarskap.access import (
    arshjulpunkt_visible_to,
    get_arshjulpunkt_for_user,
    get_medlemskap_for_user,
    get_partnar_for_user,
    get_person_for_user,
    get_utval_for_user,
    medlemskap_visible_to,
    partnarar_visible_to,
    personar_visible_to,
    utval_visible_to,
)
from partnarskap.arshjul import FORSTE_AR, SISTE_AR, bygg_arshjul
from partnarskap.forms import (
    ArshjulpunktForm,
    MedlemskapForm,
    PersonForm,
    SamansetjingsregelForm,
)
from partnarskap.models import Arshjulpunkt, Medlemskap, Person, Samansetjingsregel, Utval, today
from partnarskap.rules import representation, samansetjing
from portal import editing, pdf
from portal.access import is_sekretariat, require_sekretariat
from portal.hooks import collect
from portal.htmx import HtmxHttpRequest, hx_trigger_message
from portal.sider import sideinndeling

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


def _regel(utval: Utval) -> Samansetjingsregel | None:
    try:
        return utval.samansetjingsregel
    except Samansetjingsregel.DoesNotExist:
        return None


# Seats on a page of the utval's member list: today's largest utval has about twenty, so
# paging only starts where a list would make the page grow with the register.
SETE_PER_SIDE = 50


def _side_med(seats: list[Medlemskap], seat: Medlemskap | None) -> int | None:
    """The page of the member list that shows ``seat``."""
    place = next((i for i, m in enumerate(seats) if seat and m.pk == seat.pk), None)
    return None if place is None else place // SETE_PER_SIDE + 1


def _utval_context(
    request: HttpRequest, utval: Utval, form=None, vis: Medlemskap | None = None
) -> dict:
    """The utval page, with the page of its member list that the request asks for, or the
    one that shows ``vis``. The composition rules count every seat. The secretariat's form
    for a new seat is shown when ``form`` is given; otherwise a link opens it: its choice of
    person lists everyone in the register, which would make the page grow with it."""
    seats = _sorted(_seats(utval))
    regel = _regel(utval)
    side = sideinndeling(request, seats, SETE_PER_SIDE, _side_med(seats, vis))
    return {
        "utval": utval,
        "medlemskap": side.object_list,
        "side": side,
        "reglar": representation(utval, seats),
        "regel": regel,
        "samansetjing": samansetjing(regel, seats),
        "skjema": form,
        # What other apps say concerns the utval (following its meetings).
        "seksjonar": collect(lambda app: app.utval_seksjonar(request, utval)),
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
            "personar": personar_visible_to(request.user).filter(partnar=partnar),
            # What other apps say concerns the partner (agreements, tiltak).
            "seksjonar": collect(lambda app: app.partnar_seksjonar(partnar)),
        },
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def samansetjing_endre(request: HttpRequest, slug: str) -> HttpResponse:
    """The utval's composition rule: made the first time it is saved, then edited."""
    utval = get_utval_for_user(request, slug)
    regel = _regel(utval) or Samansetjingsregel(utval=utval)
    form = SamansetjingsregelForm(request.POST or None, instance=regel, utval=utval)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                editing.save_once(form, user=request.user, utval=utval)
            except editing.Conflict:
                status = 409  # the form keeps the user's values
            else:
                messages.success(request, "Samansetjingsregelen er lagra.")
                return redirect(f"{utval.get_absolute_url()}#samansetjing")
        else:
            status = 422
    return render(
        request,
        "partnarskap/samansetjing_endre.html",
        {"utval": utval, "skjema": form},
        status=status,
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
def medlemskap_ny(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    utval = get_utval_for_user(request, slug)
    form = MedlemskapForm(request.POST or None, utval=utval)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        seat: Medlemskap = editing.save(form, user=request.user)
        if not request.htmx:
            messages.success(request, f"{seat.person} er lagd til i {utval}.")
            side = _side_med(_sorted(_seats(utval)), seat)
            query = f"?side={side}" if side and side > 1 else ""
            return redirect(f"{utval.get_absolute_url()}{query}#medlemskap-{seat.pk}")
    status = 422 if request.method == "POST" and not saved else 200
    if request.htmx:
        # Opened in place, or once saved, a fresh form for the next seat.
        context = _utval_context(
            request,
            utval,
            MedlemskapForm(utval=utval) if saved else form,
            vis=seat if saved else None,
        )
        context["opna"] = request.method == "GET"
        response = render(request, "partnarskap/utval.html#medlemmar", context, status=status)
        if saved:
            hx_trigger_message(response, f"{seat.person} er lagd til i {utval}.")
        return response
    return render(
        request, "partnarskap/medlemskap_ny.html", {"utval": utval, "skjema": form}, status=status
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def medlemskap_endre(request: HtmxHttpRequest, pk: int) -> HttpResponse:
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
def medlemskap_avslutt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    seat = get_medlemskap_for_user(request, pk)
    seat.avslutt("Medlemskapet er avslutta")
    if request.htmx:
        return hx_trigger_message(
            _row(request, seat), f"Medlemskapet til {seat.person} er avslutta."
        )
    messages.success(request, f"Medlemskapet til {seat.person} er avslutta.")
    return redirect(seat.utval)


# --- People: the register, a page per person, their account ---


@require_safe
def personar(request: HttpRequest) -> HttpResponse:
    seats = medlemskap_visible_to(request.user).gjeldande().select_related("utval")
    people = (
        personar_visible_to(request.user)
        .select_related("partnar", "brukar")
        .prefetch_related(
            Prefetch("medlemskap", seats.order_by("utval__rekkjefolgje"), to_attr="gjeldande")
        )
    )
    return render(request, "partnarskap/personar.html", {"personar": people})


def _person_context(request: HttpRequest, person: Person, **extra) -> dict:
    seats = (
        medlemskap_visible_to(request.user)
        .filter(person=person)
        .select_related("utval", "partnar")
        .order_by("utval__rekkjefolgje", "-fra")
    )
    opne = [m for m in seats if m.til is None or m.til > today()]
    return {
        "person": person,
        "opne": opne,
        "avslutta": [m for m in seats if m not in opne],
        "konto": kontoar.konto_status(person),
        **extra,
    }


@require_safe
def person_detalj(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    return render(request, "partnarskap/person.html", _person_context(request, person))


def _save_person(form: PersonForm, user) -> Person:
    """Save the person, their account following a new address; a duplicate address that
    slipped past the form (two saves at once) is an error at the field, not a 500."""

    def write() -> Person:
        person = form.save()
        kontoar.synk_epost(person)
        return person

    try:
        return editing.save(form, write, user=user)
    except IntegrityError:
        form.add_error("epost", "Ein annan person eller konto har alt denne e-postadressa.")
        raise


@require_http_methods(["GET", "POST"])
@require_sekretariat
def person_ny(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = _save_person(form, request.user)
        except IntegrityError:
            pass
        else:
            messages.success(request, f"{person} er lagd til.")
            return redirect(person)
    status = 422 if request.method == "POST" else 200
    return render(request, "partnarskap/person_skjema.html", {"skjema": form}, status=status)


@require_http_methods(["GET", "POST"])
@require_sekretariat
def person_endre(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request, pk)
    form = PersonForm(request.POST or None, instance=person)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                person = _save_person(form, request.user)
            except editing.Conflict:
                # The form keeps the user's values; the page shows what is saved now.
                status, person = 409, get_person_for_user(request, pk)
            except IntegrityError:
                status = 422
            else:
                if request.htmx:
                    response = render(
                        request,
                        "partnarskap/person.html#personfakta",
                        {"person": person, "oob": True},
                    )
                    return hx_trigger_message(response, f"{person} er lagra.")
                messages.success(request, f"{person} er lagra.")
                return redirect(person)
        else:
            status = 422
    template = "partnarskap/person.html#personfakta-skjema"
    if not request.htmx:
        template = "partnarskap/person_skjema.html"
    return render(request, template, {"skjema": form, "person": person}, status=status)


@require_safe
@require_sekretariat
def person_fakta(request: HttpRequest, pk: int) -> HttpResponse:
    """The facts block again (cancel an edit)."""
    person = get_person_for_user(request, pk)
    return render(request, "partnarskap/person.html#personfakta", {"person": person})


@require_http_methods(["GET", "POST"])
@require_sekretariat
def person_avslutt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """End every seat the person has not left (GET asks first, naming them)."""
    person = get_person_for_user(request, pk)
    if request.method == "POST":
        ended = 0
        with transaction.atomic():  # all of them or none
            seats = medlemskap_visible_to(request.user).filter(person=person)
            for seat in seats.ikkje_avslutta():
                ended += seat.avslutt("Alle medlemskapa til personen er avslutta")
        text = (
            f"{ended} medlemskap for {person} er avslutta i dag."
            if ended
            else f"{person} hadde ingen medlemskap att å avslutte."
        )
        if request.htmx:
            context = _person_context(request, person)
            response = render(request, "partnarskap/person.html#medlemskap", context)
            return hx_trigger_message(response, text)
        messages.success(request, text)
        return redirect(person)
    context = _person_context(request, person, stadfest="avslutt")
    if request.htmx:
        return render(request, "partnarskap/person.html#medlemskap", context)
    return render(request, "partnarskap/person_stadfest.html", context)


def _konto_svar(request: HtmxHttpRequest, person: Person, text: str, ok: bool) -> HttpResponse:
    if request.htmx:
        context = _person_context(request, person, konto_feil="" if ok else text)
        response = render(
            request, "partnarskap/person.html#konto", context, status=200 if ok else 422
        )
        return hx_trigger_message(response, text) if ok else response
    (messages.success if ok else messages.error)(request, text)
    return redirect(person)


@require_POST
@require_sekretariat
def person_konto(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Give the person an account (or open it again): an e-mail with a link to choose a
    password goes to their address."""
    person = get_person_for_user(request, pk)
    try:
        kontoar.inviter(person)
    except kontoar.KontoFeil as error:
        return _konto_svar(request, person, str(error), ok=False)
    return _konto_svar(request, person, f"Invitasjon er send til {person.epost}.", ok=True)


@require_http_methods(["GET", "POST"])
@require_sekretariat
def person_konto_deaktiver(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Close the account of a person who has left every seat (GET asks first)."""
    person = get_person_for_user(request, pk)
    if request.method == "POST":
        try:
            kontoar.deaktiver(person, av=request.user)
        except kontoar.KontoFeil as error:
            return _konto_svar(request, person, str(error), ok=False)
        return _konto_svar(request, person, f"Kontoen til {person} er deaktivert.", ok=True)
    context = _person_context(request, person, stadfest="deaktiver")
    if request.htmx:
        return render(request, "partnarskap/person.html#konto", context)
    return render(request, "partnarskap/person_stadfest.html", context)


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
def arshjulpunkt_ny(request: HtmxHttpRequest) -> HttpResponse:
    form = ArshjulpunktForm(request.POST or None)
    saved = request.method == "POST" and form.is_valid()
    if saved:
        punkt: Arshjulpunkt = editing.save(form, user=request.user)
        if not request.htmx:
            messages.success(request, f"«{punkt}» er lagt til i årshjulet.")
            return redirect("partnarskap:arshjul")
    status = 422 if request.method == "POST" and not saved else 200
    if request.htmx:
        # The whole section: the list gains the row, and the wheel above is not touched.
        # Once saved, a fresh form for the next item.
        context = _punkt_context(request, None if saved else form)
        response = render(request, "partnarskap/arshjul.html#punktliste", context, status=status)
        if saved:
            hx_trigger_message(response, f"«{punkt}» er lagt til i årshjulet.")
        return response
    return render(request, "partnarskap/arshjulpunkt_skjema.html", {"skjema": form}, status=status)


@require_http_methods(["GET", "POST"])
@require_sekretariat
def arshjulpunkt_endre(request: HtmxHttpRequest, pk: int) -> HttpResponse:
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
def arshjulpunkt_deaktiver(request: HtmxHttpRequest, pk: int) -> HttpResponse:
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
