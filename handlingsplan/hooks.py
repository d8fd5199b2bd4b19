"""What the action plan gives the rest of the portal: a front-page section, follow-up items,
a partner's tiltak and links made after seeding; what it puts in the search index is in
handlingsplan/search.py."""

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from handlingsplan.models import Innsatsomrade, Tiltak
from handlingsplan.search import kort
from handlingsplan.tre import gjeldande_plan
from portal.hooks import Hooks, Kategori, Seksjon, kategori

HOSPITERING = "revidere delavtale om hospitering"


def kople_hospitering() -> None:
    """Tiltak 2.2 points at the delavtale on hospitering, once the agreements are loaded.

    The agreements come from another fixture, so the link is made by title, not by id. A
    tiltak nobody has edited keeps its single 'created' history entry, now with the link."""
    from avtalar.models import Avtale

    tiltak = Tiltak.objects.filter(tekst=HOSPITERING, delmal__nummer="2.2").first()
    if tiltak is None or tiltak.avtalar.exists():
        return
    avtale = (
        Avtale.objects.filter(type=Avtale.Type.DELAVTALE, tittel__icontains="hospitering")
        .order_by("pk")
        .first()
    )
    if avtale is None:
        return
    records = list(tiltak.history.all()[:2])
    if len(records) == 1 and records[0].history_type == "+":
        tiltak.skip_history_when_saving = True
        tiltak.avtalar.add(avtale)
        del tiltak.skip_history_when_saving
        through = apps.get_model("handlingsplan", "HistoricalTiltak_avtalar")
        row = Tiltak.avtalar.through.objects.get(tiltak=tiltak, avtale=avtale)
        through.objects.create(id=row.pk, history=records[0], tiltak=tiltak, avtale=avtale)
    else:
        tiltak._change_reason = "Kopla til delavtalen"
        tiltak.avtalar.add(avtale)


def _over_frist(queryset):
    return queryset.filter(frist__lt=timezone.localdate()).exclude(status__in=Tiltak.FERDIG)


class HandlingsplanHooks(Hooks):
    def search_sources(self):
        from handlingsplan.search import search_sources

        return search_sources()

    def framside(self, request) -> list[Seksjon]:
        """The current plan at a glance: tiltak by status per innsatsområde, and how many are
        past their frist."""
        plan = gjeldande_plan()
        if plan is None:
            return []
        status_names = dict(Tiltak.Status.choices)
        rows = (
            Tiltak.objects.filter(delmal__innsatsomrade__plan=plan)
            .values("delmal__innsatsomrade__nummer", "status")
            .annotate(n=Count("pk"))
        )
        by_area: dict[int, dict[str, int]] = {}
        for row in rows:
            by_area.setdefault(row["delmal__innsatsomrade__nummer"], {})[row["status"]] = row["n"]
        omrade = []
        for io in Innsatsomrade.objects.filter(plan=plan).order_by("nummer"):
            counts = by_area.get(io.nummer, {})
            omrade.append(
                {
                    "io": io,
                    "tal": sum(counts.values()),
                    "status": [
                        (status_names.get(key, "Ikkje oppgitt"), key or "ukjend", n)
                        for key, n in sorted(counts.items(), key=lambda kv: kv[0] or "~")
                    ],
                }
            )
        over = _over_frist(Tiltak.objects.filter(delmal__innsatsomrade__plan=plan)).count()
        return [
            Seksjon(
                tittel=f"Handlingsplanen {plan.periode}",
                template="handlingsplan/_framside.html",
                context={"plan": plan, "omrade": omrade, "over_frist": over},
                rekkjefolgje=30,
            )
        ]

    def til_oppfolging(self, request, grense=None) -> list[Kategori]:
        """The current plan's tiltak past their frist (an earlier plan's unfinished tiltak
        are carried over to the next), listed whole on the plan's page under its filter."""
        plan = gjeldande_plan()
        if plan is None:
            return []
        late = _over_frist(Tiltak.objects.filter(delmal__innsatsomrade__plan=plan))

        return kategori(
            "Tiltak over fristen",
            late.select_related("delmal").order_by("frist", "pk"),
            lambda tiltak: [
                (f"{kort(t.tekst, 80)} (delmål {t.delmal.nummer})", t.get_absolute_url(), t.frist)
                for t in tiltak
            ],
            grense,
            f"{plan.get_absolute_url()}?over_frist=on",
        )

    def partnar_seksjonar(self, partnar) -> list[Seksjon]:
        """The tiltak in the current plan the partner is ansvarleg for, alone or with the rest."""
        plan = gjeldande_plan()
        if plan is None:
            return []
        tiltak = list(
            Tiltak.objects.filter(delmal__innsatsomrade__plan=plan)
            .filter(Q(ansvarleg_partnarar=partnar) | Q(alle_partnarar=True))
            .select_related("delmal")
            .distinct()
            .order_by("delmal__innsatsomrade__nummer", "delmal__rekkjefolgje", "rekkjefolgje", "pk")
        )
        return [
            Seksjon(
                tittel="Tiltak i handlingsplanen",
                template="handlingsplan/_partnar.html",
                context={"plan": plan, "tiltak": tiltak, "partnar": partnar},
                rekkjefolgje=40,
            )
        ]

    def after_seed(self, added) -> None:
        kople_hospitering()
