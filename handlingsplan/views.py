import csv
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
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
from handlingsplan.forms import DelmalForm, FilterForm, NyPeriodeForm, TiltakForm, VersjonForm
from handlingsplan.lagring import Konflikt, lagre_med_relasjonar, ta_versjon
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
from portal import ordering, pdf
from portal.access import require_sekretariat
from portal.htmx import hx_trigger_message

PLAN = "handlingsplan/plan.html"
KONFLIKT = (
    "Nokon andre har lagra ei endring medan du redigerte. Endringa di er ikkje lagra. "
    "Sjå kva som er lagra no, og lagre på nytt om du vil halde på endringa di."
)


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
        },
    )


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


def _tiltak(request: HttpRequest, pk: int) -> Tiltak:
    """A tiltak with everything its row shows, or 404."""
    tiltak = merk(get_tiltak_for_user(request, pk))
    siste = framdrift_til([tiltak.pk]).get(tiltak.pk) or [None]
    tiltak.siste_framdrift = siste[0]
    return tiltak


def _row(request: HttpRequest, tiltak: Tiltak, status: int = 200) -> HttpResponse:
    return render(
        request,
        f"{PLAN}#tiltak-rad",
        {"t": tiltak, "plan": tiltak.delmal.innsatsomrade.plan, "kan_endre": True},
        status=status,
    )


@require_safe
def tiltak(request: HttpRequest, pk: int) -> HttpResponse:
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
        },
    )


def _delmal(request: HttpRequest, pk: int) -> Delmal:
    delmal = get_delmal_for_user(request, pk)
    delmal.tiltak_liste = [merk(t) for t in delmal.tiltak.all()]
    siste = framdrift_til([t.pk for t in delmal.tiltak_liste])
    for t in delmal.tiltak_liste:
        t.siste_framdrift = (siste.get(t.pk) or [None])[0]
    return delmal


def _delmal_block(request, delmal: Delmal, status: int = 200, **extra) -> HttpResponse:
    context = {"d": delmal, "plan": delmal.innsatsomrade.plan, "kan_endre": True, **extra}
    return render(request, f"{PLAN}#delmal", context, status=status)


@require_safe
def delmal(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _delmal(request, pk)
    if request.htmx:
        return _delmal_block(request, obj)
    return render(
        request,
        "handlingsplan/delmal.html",
        {"d": obj, "plan": obj.innsatsomrade.plan, "kan_endre": True},
    )


# --- Editing tiltak (secretariat) ---


def _save_tiltak(form: TiltakForm, user, versjon: int | None) -> Tiltak:
    """Save a valid form; for an existing tiltak only if ``versjon`` is still current."""
    tiltak = form.instance
    old_status = None
    with transaction.atomic():
        if tiltak.pk:
            old = tiltak_visible_to(user).values_list("status", flat=True)
            old_status = old.get(pk=tiltak.pk)
            tiltak.versjon = ta_versjon(Tiltak, tiltak.pk, versjon)
            # Fields the form does not edit may have moved on (reordering): keep them.
            tiltak.refresh_from_db(fields=["delmal", "rekkjefolgje", "vidarefort_fra"])
        else:
            last = tiltak.delmal.tiltak.order_by("-rekkjefolgje").first()
            tiltak.rekkjefolgje = (last.rekkjefolgje + 1) if last else 1
        data = form.cleaned_data
        lagre_med_relasjonar(
            tiltak,
            lambda: (
                tiltak.ansvarleg_utval.set(data["ansvarleg_utval"]),
                tiltak.ansvarleg_partnarar.set(data["ansvarleg_partnarar"]),
                tiltak.avtalar.set(data["avtalar"]),
            ),
        )
        changed_status = tiltak.status != (old_status if old_status is not None else "")
        note = data.get("notat", "").strip()
        if changed_status or note:
            Framdrift.objects.create(
                tiltak=tiltak,
                status=tiltak.status if changed_status else "",
                notat=note,
                registrert_av=user if user.is_authenticated else None,
            )
    return tiltak


@require_http_methods(["GET", "POST"])
@require_sekretariat
def tiltak_endre(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _tiltak(request, pk)
    plan = obj.delmal.innsatsomrade.plan
    # Its own ids: the row editor shares the plan page with the filter form.
    ids = f"t{pk}_%s"
    form = TiltakForm(request.POST or None, instance=obj, plan=plan, auto_id=ids)
    status, konflikt = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = _save_tiltak(form, request.user, form.cleaned_data["versjon"])
            except Konflikt:
                status, konflikt = 409, _tiltak(request, pk)
                _who_saved(konflikt)
                # The user's values stay in the form; saving again applies them on top.
                # A separate copy: validating the form writes the user's values into it.
                form = TiltakForm(
                    _with_version(request.POST, konflikt.versjon),
                    instance=_tiltak(request, pk),
                    plan=plan,
                    auto_id=ids,
                )
                form.is_valid()
            else:
                if request.htmx:
                    response = _row(request, _tiltak(request, saved.pk))
                    return hx_trigger_message(response, "Tiltaket er lagra.")
                messages.success(request, "Tiltaket er lagra.")
                return redirect(_plan_anchor(saved))
        else:
            status = 422
    template = f"{PLAN}#tiltak-skjema" if request.htmx else "handlingsplan/tiltak_endre.html"
    return render(
        request,
        template,
        {"t": obj, "plan": plan, "skjema": form, "konflikt": konflikt, "kan_endre": True},
        status=status,
    )


def _who_saved(obj) -> None:
    """Tell the user in a conflict who saved the version they collided with, and when."""
    record = obj.history.select_related("history_user").order_by("-history_date").first()
    obj.sist_endra = record
    user = record.history_user if record else None
    obj.sist_endra_av = (user.get_full_name() or user.get_username()) if user else ""


def _with_version(post, versjon: int):
    data = post.copy()
    data["versjon"] = str(versjon)
    return data


def _plan_anchor(obj: Tiltak | Delmal) -> str:
    if isinstance(obj, Tiltak):
        return f"{obj.delmal.innsatsomrade.plan.get_absolute_url()}#tiltak-{obj.pk}"
    return f"{obj.innsatsomrade.plan.get_absolute_url()}#delmal-{obj.pk}"


@require_http_methods(["GET", "POST"])
@require_sekretariat
def tiltak_ny(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _delmal(request, pk)
    plan = parent.innsatsomrade.plan
    form = TiltakForm(request.POST or None, instance=Tiltak(delmal=parent), plan=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = _save_tiltak(form, request.user, None)
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


def _slett(request, obj, model, kind: str, plan: Handlingsplan, row_template: str, context):
    """Delete ``obj`` if the version the user saw is still current; 409 otherwise."""
    form = VersjonForm(request.POST or None, initial={"versjon": obj.versjon})
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            with transaction.atomic():
                current = (
                    model.objects.select_for_update()
                    .filter(pk=obj.pk, versjon=form.cleaned_data["versjon"])
                    .first()
                )
                if current is not None:
                    current._change_reason = f"{kind.capitalize()} er sletta"
                    current.delete()
            if current is None:
                status = 409
            elif request.htmx:
                return hx_trigger_message(HttpResponse(""), f"{kind.capitalize()} er sletta.")
            else:
                messages.success(request, f"{kind.capitalize()} er sletta.")
                return redirect(plan)
    feil = (
        KONFLIKT.replace("Endringa di er ikkje lagra", "Ingenting er sletta")
        if status == 409
        else ""
    )
    if request.htmx and status == 409:
        return render(
            request,
            row_template,
            {**context, "plan": plan, "kan_endre": True, "feil": feil},
            status=409,
        )
    return render(
        request,
        "handlingsplan/slett.html",
        {"objekt": obj, "kind": kind, "skjema": form, "feil": feil, "plan": plan},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def tiltak_slett(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _tiltak(request, pk)
    plan = obj.delmal.innsatsomrade.plan
    return _slett(request, obj, Tiltak, "tiltaket", plan, f"{PLAN}#tiltak-rad", {"t": obj})


@require_POST
@require_sekretariat
def tiltak_flytt(request: HttpRequest, pk: int) -> HttpResponse:
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
def delmal_endre(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _delmal(request, pk)
    plan = obj.innsatsomrade.plan
    form = DelmalForm(request.POST or None, instance=obj)
    status, konflikt = 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj.versjon = ta_versjon(Delmal, obj.pk, form.cleaned_data["versjon"])
                    form.save()
            except Konflikt:
                status, konflikt = 409, _delmal(request, pk)
                form = DelmalForm(
                    _with_version(request.POST, konflikt.versjon), instance=_delmal(request, pk)
                )
                form.is_valid()
            else:
                if request.htmx:
                    response = _delmal_block(request, _delmal(request, pk))
                    return hx_trigger_message(response, "Delmålet er lagra.")
                messages.success(request, "Delmålet er lagra.")
                return redirect(_plan_anchor(obj))
        else:
            status = 422
    if request.htmx:
        return _delmal_block(request, obj, status=status, delmal_skjema=form, konflikt=konflikt)
    return render(
        request,
        "handlingsplan/delmal_endre.html",
        {"d": obj, "plan": plan, "skjema": form, "konflikt": konflikt},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_sekretariat
def delmal_ny(request: HttpRequest, pk: int) -> HttpResponse:
    io = get_innsatsomrade_for_user(request, pk)
    form = DelmalForm(request.POST or None, instance=Delmal(innsatsomrade=io))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            last = io.delmal.order_by("-rekkjefolgje").first()
            form.instance.rekkjefolgje = (last.rekkjefolgje + 1) if last else 1
            saved = form.save()
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
    return _slett(request, obj, Delmal, "delmålet", plan, f"{PLAN}#delmal", {"d": obj})


@require_POST
@require_sekretariat
def delmal_flytt(request: HttpRequest, pk: int) -> HttpResponse:
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
    "Innsatsområde",
    "Delmål",
    "Tiltak",
    "Ansvarleg",
    "Frist",
    "Status",
    "Kommentar",
    "Pasientgruppe",
    "Vidareført frå",
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


def _celle(value) -> str:
    """A spreadsheet cell that Excel shows as text, never runs as a formula."""
    text = str(value or "")
    if text[:1] in ("=", "+", "-", "@", "\t", "\r", "|", "%"):
        return "'" + text
    return text


@require_safe
def eksport_csv(request: HttpRequest, fra_ar: int, til_ar: int) -> HttpResponse:
    plan, tre = _export_tree(request, fra_ar, til_ar)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="handlingsplan-{plan.fra_ar}-{plan.til_ar}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(KOLONNAR)
    for io in tre.omrade:
        io_text = f"{io.nummer} {io.tittel}"
        if not io.delmal_liste:
            writer.writerow([_celle(io_text), "", "", "", "", "", "", "", ""])
        for d in io.delmal_liste:
            d_text = f"{d.nummer} {d.tekst}".strip()
            if not d.tiltak_liste:
                writer.writerow([_celle(io_text), _celle(d_text), "", "", "", "", "", "", ""])
            for t in d.tiltak_liste:
                writer.writerow(
                    [
                        _celle(io_text),
                        _celle(d_text),
                        _celle(t.tekst),
                        _celle(", ".join(t.ansvarleg)),
                        _celle(t.frist_visning),
                        _celle(t.get_status_display() if t.status else ""),
                        _celle(t.kommentar),
                        _celle(t.pasientgruppe.namn if t.pasientgruppe else ""),
                        _celle(_vidarefort_tekst(t)),
                    ]
                )
    return response


def _vidarefort_tekst(t: Tiltak) -> str:
    if getattr(t, "historisk", False) or not t.vidarefort_fra_id:
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
