from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from handlingsplan.access import (
    get_delmal_for_user,
    get_innsatsomrade_for_user,
    get_plan_for_user,
    get_strategi_for_user,
    get_tiltak_for_user,
    planar_visible_to,
    strategiar_visible_to,
    tiltak_visible_to,
)
from handlingsplan.forms import DelmalForm, FilterForm, NyPeriodeForm, TiltakForm
from handlingsplan.models import (
    Delmal,
    Framdrift,
    Handlingsplan,
    Innsatsomrade,
    Pasientgruppe,
    Tiltak,
)
from handlingsplan.periods import start_ny_periode
from handlingsplan.tre import Filter, bygg_tre, framdrift_til, gjeldande_plan, merk
from partnarskap.models import Partnar, Utval
from portal import editing, export, ordering, pdf
from portal.access import require_sekretariat
from portal.htmx import HtmxHttpRequest, hx_trigger_message

PLAN = "handlingsplan/plan.html"


# --- Reading ---


def _filter_form(request: HttpRequest) -> FilterForm:
    utval = Utval.objects.filter(aktiv=True).order_by("rekkjefolgje", "namn")
    partnarar = Partnar.objects.filter(avslutta__isnull=True).order_by("namn")
    grupper = Pasientgruppe.objects.order_by("strategi", "rekkjefolgje")
    return FilterForm(request.GET or None, utval=utval, partnarar=partnarar, grupper=grupper)


def _plan_page(request: HttpRequest, plan: Handlingsplan) -> HttpResponse:
    form = _filter_form(request)
    filter, dato = Filter(), None
    if form.is_bound:
        form.is_valid()  # invalid values are reported at their field and ignored
        data = form.cleaned_data
        filter = Filter(
            status=data.get("status") or "",
            ansvarleg=data.get("ansvarleg") or "",
            pasientgruppe=data.get("pasientgruppe") or "",
            over_frist=bool(data.get("over_frist")),
        )
        dato = data.get("dato")
        if dato and dato > timezone.localdate():
            form.add_error("dato", "Vel ein dato som ikkje er i framtida.")
            dato = None
    tre = bygg_tre(plan, filter, dato, user=request.user)
    return render(
        request,
        PLAN,
        {
            "plan": plan,
            "tre": tre,
            "filter": filter,
            "filterskjema": form,
            "dato": dato,
            "planar": planar_visible_to(request.user).order_by("-fra_ar"),
            "strategi": strategiar_visible_to(request.user).first(),
            "kan_endre": dato is None,
            # What only a fragment after an edit sets (a form open, an item moved): named
            # here too, as a variable the template cannot find costs each row exceptions.
            **PLAN_UTAN_REDIGERING,
        },
    )


PLAN_UTAN_REDIGERING = {
    "flytta_tiltak": None,
    "flytta_delmal": None,
    "retning": "",
    "delmal_niva": 3,
    "delmal_skjema": None,
    "ny_skjema": None,
    "nytt_delmal": None,
}


@require_safe
def plan(request: HttpRequest) -> HttpResponse:
    current = gjeldande_plan()
    if current is None:
        return render(request, "handlingsplan/ingen_plan.html")
    return _plan_page(request, current)


@require_safe
def plan_i_periode(request: HttpRequest, fra_ar: int, til_ar: int) -> HttpResponse:
    return _plan_page(request, get_plan_for_user(request, fra_ar, til_ar))


@require_safe
def strategi(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    obj = get_strategi_for_user(request, pk)
    return render(
        request,
        "handlingsplan/strategi.html",
        {
            "strategi": obj,
            "andre": strategiar_visible_to(request.user).exclude(pk=obj.pk),
            "planar": planar_visible_to(request.user).filter(
                fra_ar__lte=obj.til_ar, til_ar__gte=obj.fra_ar
            ),
        },
    )


def _tiltak(request: HttpRequest, pk: int, *, rad: bool = True) -> Tiltak:
    """A tiltak with everything its row shows, or 404; with ``rad=False``, only the record
    and its place in the plan, for the editor (whose form reads the relations itself)."""
    tiltak = get_tiltak_for_user(request, pk)
    return _til_rad(request, tiltak) if rad else tiltak


def _til_rad(request: HttpRequest, tiltak: Tiltak) -> Tiltak:
    """``tiltak`` with what its row shows beside its own fields: its relations and its
    latest progress report. A tiltak just saved is shown from the instance the save wrote,
    with these read again (the save may have changed them or added a report)."""
    merk([tiltak], request.user)
    siste = framdrift_til([tiltak.pk]).get(tiltak.pk, [])
    tiltak.siste_framdrift = next(iter(siste), None)
    return tiltak


def _row(request: HttpRequest, tiltak: Tiltak, status: int = 200) -> HttpResponse:
    return render(
        request,
        f"{PLAN}#tiltak-rad",
        {"t": tiltak, "plan": tiltak.delmal.innsatsomrade.plan, "kan_endre": True},
        status=status,
    )


@require_safe
def tiltak(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    obj = _tiltak(request, pk)
    if request.htmx:
        return _row(request, obj)
    return render(
        request,
        "handlingsplan/tiltak.html",
        {
            "t": obj,
            "plan": obj.delmal.innsatsomrade.plan,
            "framdrift": framdrift_til([obj.pk]).get(obj.pk, []),
            "vidarefort_til": obj.vidarefort_til.select_related("delmal__innsatsomrade__plan"),
            "saker": _saker(obj, request.user),
        },
    )


def _saker(tiltak: Tiltak, user) -> list:
    """The meeting items that concern the tiltak, only those ``user`` may see."""
    from moter.access import saker_visible_to  # moter builds on the plan, not the other way

    saker = saker_visible_to(user).filter(tiltak=tiltak).select_related("mote__referat")
    return list(saker.order_by("-mote__dato", "-nummer"))


def _delmal(request: HttpRequest, pk: int) -> Delmal:
    delmal = get_delmal_for_user(request, pk)
    delmal.tiltak_liste = merk(list(delmal.tiltak.all()), request.user)
    siste = framdrift_til([t.pk for t in delmal.tiltak_liste])
    for t in delmal.tiltak_liste:
        t.siste_framdrift = next(iter(siste.get(t.pk, [])), None)
    return delmal


def _delmal_block(request, delmal: Delmal, status: int = 200, **extra) -> HttpResponse:
    context = {"d": delmal, "plan": delmal.innsatsomrade.plan, "kan_endre": True, **extra}
    # On the delmål's own page its heading is an h2 under the h1, in the plan an h3 under
    # the innsatsområde: a block swapped in keeps the level of the page it goes into.
    current = request.htmx.current_url_abs_path if request.htmx else None
    if current and current.split("?")[0] == reverse("handlingsplan:delmal", args=[delmal.pk]):
        context["delmal_niva"] = 2
    return render(request, f"{PLAN}#delmal", context, status=status)


@require_safe
def delmal(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    obj = _delmal(request, pk)
    if request.htmx:
        return _delmal_block(request, obj)
    return render(
        request,
        "handlingsplan/delmal.html",
        {"d": obj, "plan": obj.innsatsomrade.plan, "kan_endre": True},
    )


# --- Editing tiltak (secretariat) ---


def _save_tiltak(form: TiltakForm, user) -> Tiltak:
    """Save a valid form, with its relations and any progress note, as one new version
    (through editing.save: Conflict if someone saved since the form was loaded)."""
    tiltak = form.instance

    def write() -> Tiltak:
        # The status the form was loaded with is the one saved until now: the version claim
        # succeeded, so no save came between loading the record and this write.
        old_status = (form.initial.get("status") or "") if tiltak.pk else ""
        if not tiltak.pk:
            last = tiltak.delmal.tiltak.order_by("-rekkjefolgje").first()
            tiltak.rekkjefolgje = (last.rekkjefolgje + 1) if last else 1
        data = form.cleaned_data
        # A relation the user left as loaded is not written again (set() would first read
        # what is saved, to find no difference); a new tiltak has none to keep.
        relations = [
            name
            for name in ("ansvarleg_utval", "ansvarleg_partnarar", "avtalar")
            if not tiltak.pk or name in form.changed_data
        ]
        editing.save_with_relations(
            tiltak,
            lambda: [getattr(tiltak, name).set(data[name]) for name in relations],
        )
        changed_status = tiltak.status != old_status
        note = data.get("notat", "").strip()
        if changed_status or note:
            Framdrift.objects.create(
                tiltak=tiltak,
                status=tiltak.status if changed_status else "",
                notat=note,
                registrert_av=user if user.is_authenticated else None,
            )
        return tiltak

    return editing.save(form, write, user=user)


@require_http_methods(["GET", "POST"])
@require_sekretariat
def tiltak_endre(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    obj = _tiltak(request, pk, rad=False)
    plan = obj.delmal.innsatsomrade.plan
    form = TiltakForm(request.POST or None, instance=obj, plan=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = _save_tiltak(form, request.user)
            except editing.Conflict:
                # The form keeps the user's values; the page shows what is saved now.
                status, obj = 409, _tiltak(request, pk, rad=False)
            else:
                if request.htmx:
                    response = _row(request, _til_rad(request, saved))
                    return hx_trigger_message(response, "Tiltaket er lagra.")
                messages.success(request, "Tiltaket er lagra.")
                return redirect(_plan_anchor(saved))
        else:
            status = 422
    template = f"{PLAN}#tiltak-skjema" if request.htmx else "handlingsplan/tiltak_endre.html"
    return render(
        request,
        template,
        {"t": obj, "plan": plan, "skjema": form, "kan_endre": True},
        status=status,
    )


def _plan_anchor(obj: Tiltak | Delmal) -> str:
    if isinstance(obj, Tiltak):
        return f"{obj.delmal.innsatsomrade.plan.get_absolute_url()}#tiltak-{obj.pk}"
    return f"{obj.innsatsomrade.plan.get_absolute_url()}#delmal-{obj.pk}"


@require_http_methods(["GET", "POST"])
@require_sekretariat
def tiltak_ny(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    parent = _delmal(request, pk)
    plan = parent.innsatsomrade.plan
    form = TiltakForm(request.POST or None, instance=Tiltak(delmal=parent), plan=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = _save_tiltak(form, request.user)
            if request.htmx:
                response = _delmal_block(request, _delmal(request, pk))
                return hx_trigger_message(response, "Tiltaket er lagt til.")
            messages.success(request, "Tiltaket er lagt til.")
            return redirect(_plan_anchor(saved))
        status = 422
    if request.htmx:
        return _delmal_block(request, parent, status=status, ny_skjema=form)
    return render(
        request,
        "handlingsplan/tiltak_ny.html",
        {"d": parent, "plan": plan, "skjema": form},
        status=status,
    )


def _slett(request, obj, kind: str, plan: Handlingsplan, refused: Callable[..., HttpResponse]):
    """Delete ``obj`` if the version the user saw is still current; 409 otherwise, with
    what was saved since (in place: ``refused(konflikt)``, the item as it is now)."""
    # Without JavaScript, "Slett" asks here first; the version the list showed comes along.
    seen = request.GET.get("edit_version", "")
    version = int(seen) if seen.isdigit() and len(seen) < 10 else obj.edit_version
    form = editing.VersionForm(request.POST or None, initial={"edit_version": version})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            done = f"{kind.capitalize()} er sletta"
            try:
                editing.delete(obj, form.cleaned_data["edit_version"], done, user=request.user)
            except editing.Conflict as conflict:
                status, form.konflikt = 409, conflict.lagring
            else:
                if request.htmx:
                    return hx_trigger_message(HttpResponse(""), f"{done}.")
                messages.success(request, f"{done}.")
                return redirect(plan)
    if request.htmx and status == 409:
        return refused(form.konflikt)
    return render(
        request,
        "handlingsplan/slett.html",
        {"objekt": obj, "kind": kind, "skjema": form, "plan": plan},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def tiltak_slett(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _tiltak(request, pk)
    plan = obj.delmal.innsatsomrade.plan
    return _slett(
        request,
        obj,
        "tiltaket",
        plan,
        lambda konflikt: _row(request, _med_konflikt(_tiltak(request, pk), konflikt), status=409),
    )


def _med_konflikt(obj, konflikt: editing.Lagring):
    """The item as it is now, with what its row says about a refused delete."""
    obj.konflikt = konflikt
    return obj


@require_POST
@require_sekretariat
def tiltak_flytt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    obj = get_tiltak_for_user(request, pk)
    return ordering.move(
        request,
        obj,
        obj.delmal.tiltak.order_by("rekkjefolgje", "pk"),
        label="Tiltaket",
        fragment=lambda retning: _delmal_block(
            request, _delmal(request, obj.delmal_id), flytta_tiltak=obj.pk, retning=retning
        ),
        back_to=_plan_anchor(obj),
    )


# --- Editing delmål (secretariat) ---


@require_http_methods(["GET", "POST"])
@require_sekretariat
def delmal_endre(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    obj = _delmal(request, pk)
    plan = obj.innsatsomrade.plan
    form = DelmalForm(request.POST or None, instance=obj)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                editing.save(form, user=request.user)
            except editing.Conflict:
                # The form keeps the user's values; the page shows what is saved now.
                status, obj = 409, _delmal(request, pk)
            else:
                if request.htmx:
                    response = _delmal_block(request, _delmal(request, pk))
                    return hx_trigger_message(response, "Delmålet er lagra.")
                messages.success(request, "Delmålet er lagra.")
                return redirect(_plan_anchor(obj))
        else:
            status = 422
    if request.htmx:
        return _delmal_block(request, obj, status=status, delmal_skjema=form)
    return render(
        request,
        "handlingsplan/delmal_endre.html",
        {"d": obj, "plan": plan, "skjema": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def delmal_ny(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    io = get_innsatsomrade_for_user(request, pk)
    form = DelmalForm(request.POST or None, instance=Delmal(innsatsomrade=io))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            last = io.delmal.order_by("-rekkjefolgje").first()
            form.instance.rekkjefolgje = (last.rekkjefolgje + 1) if last else 1
            saved: Delmal = editing.save(form, user=request.user)
            if request.htmx:
                response = _omrade_block(request, io)
                return hx_trigger_message(response, f"Delmål {saved.nummer} er lagt til.")
            messages.success(request, f"Delmål {saved.nummer} er lagt til.")
            return redirect(_plan_anchor(saved))
        status = 422
    if request.htmx:
        return _omrade_block(request, io, status=status, nytt_delmal=form)
    return render(
        request,
        "handlingsplan/delmal_ny.html",
        {"io": io, "plan": io.plan, "skjema": form},
        status=status,
    )


def _omrade_block(request, io: Innsatsomrade, status: int = 200, **extra) -> HttpResponse:
    tre = bygg_tre(io.plan, user=request.user)
    node = next(o for o in tre.omrade if o.pk == io.pk)
    context = {"io": node, "plan": io.plan, "kan_endre": True, **extra}
    return render(request, f"{PLAN}#omrade", context, status=status)


@require_http_methods(["GET", "POST"])
@require_sekretariat
def delmal_slett(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _delmal(request, pk)
    plan = obj.innsatsomrade.plan
    return _slett(
        request,
        obj,
        "delmålet",
        plan,
        lambda konflikt: _delmal_block(
            request, _med_konflikt(_delmal(request, pk), konflikt), status=409
        ),
    )


@require_POST
@require_sekretariat
def delmal_flytt(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    obj = get_delmal_for_user(request, pk)
    return ordering.move(
        request,
        obj,
        obj.innsatsomrade.delmal.order_by("rekkjefolgje", "nummer", "pk"),
        label=f"Delmål {obj.nummer}",
        fragment=lambda retning: _omrade_block(
            request, obj.innsatsomrade, flytta_delmal=obj.pk, retning=retning
        ),
        back_to=_plan_anchor(obj),
    )


# --- A new period ---


@require_http_methods(["GET", "POST"])
@require_sekretariat
def ny_periode(request: HttpRequest, fra_ar: int, til_ar: int) -> HttpResponse:
    forrige = get_plan_for_user(request, fra_ar, til_ar)
    form = NyPeriodeForm(request.POST or None, forrige=forrige)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = start_ny_periode(forrige, data["fra_ar"], data["til_ar"], data["tittel"])
        messages.success(
            request,
            f"{plan.tittel} er oppretta. Tiltak som ikkje var ferdige, er vidareførte.",
        )
        return redirect(plan)
    in_plan = tiltak_visible_to(request.user).filter(delmal__innsatsomrade__plan=forrige)
    unfinished = in_plan.aggregate(
        ferdige=Count("pk", filter=Q(status__in=Tiltak.FERDIG)),
        alle=Count("pk"),
    )
    return render(
        request,
        "handlingsplan/ny_periode.html",
        {"forrige": forrige, "plan": forrige, "skjema": form, "tal": unfinished},
        status=422 if request.method == "POST" else 200,
    )


# --- Export ---

KOLONNAR = [
    export.Column("Innsatsområde", 30),
    export.Column("Delmål", 40),
    export.Column("Tiltak", 50),
    export.Column("Ansvarleg", 30),
    export.Column("Frist", 14),
    export.Column("Status", 14),
    export.Column("Kommentar", 40),
    export.Column("Pasientgruppe", 24),
    export.Column("Vidareført frå", 24),
]


def _export_tree(request: HttpRequest, fra_ar: int, til_ar: int):
    plan = get_plan_for_user(request, fra_ar, til_ar)
    dato = None
    if request.GET.get("dato"):
        try:
            dato = date.fromisoformat(request.GET["dato"])
        except ValueError:
            raise Http404 from None
    return plan, bygg_tre(plan, dato=dato, user=request.user)


def _frist(t: Tiltak) -> date | str:
    """A date where the plan gives one (a real date in the spreadsheet), else its words."""
    return t.frist_tekst or t.frist or ""


@require_safe
def eksport(request: HttpRequest, fra_ar: int, til_ar: int, fmt: str) -> HttpResponse:
    """The plan (as it stood on ``?dato=`` if given) as one row per tiltak; an
    innsatsområde or delmål without any keeps a row of its own, so gaps show."""
    plan, tre = _export_tree(request, fra_ar, til_ar)
    table = export.Table(plan.tittel, f"handlingsplan-{plan.fra_ar}-{plan.til_ar}", KOLONNAR)
    blank = [""] * (len(KOLONNAR) - 2)
    for io in tre.omrade:
        io_text = f"{io.nummer} {io.tittel}"
        if not io.delmal_liste:
            table.add([io_text, "", *blank])
        for d in io.delmal_liste:
            d_text = f"{d.nummer} {d.tekst}".strip()
            if not d.tiltak_liste:
                table.add([io_text, d_text, *blank])
            for t in d.tiltak_liste:
                table.add(
                    [
                        io_text,
                        d_text,
                        t.tekst,
                        ", ".join(t.ansvarleg),
                        _frist(t),
                        t.get_status_display() if t.status else "",
                        t.kommentar,
                        t.pasientgruppe.namn if t.pasientgruppe else "",
                        _vidarefort_tekst(t),
                    ]
                )
    return export.response(request, table, fmt)


def _vidarefort_tekst(t: Tiltak) -> str:
    if getattr(t, "historisk", False) or t.vidarefort_fra is None:
        return ""
    source = t.vidarefort_fra
    return f"{source.delmal.innsatsomrade.plan.periode}, delmål {source.delmal.nummer}"


@require_safe
def eksport_pdf(request: HttpRequest, fra_ar: int, til_ar: int) -> HttpResponseBase:
    plan, tre = _export_tree(request, fra_ar, til_ar)
    document = pdf.from_template(
        "handlingsplan/pdf.html", {"plan": plan, "tre": tre, "laga": timezone.localdate()}
    )
    return pdf.response(request, document, f"handlingsplan-{plan.fra_ar}-{plan.til_ar}.pdf")
