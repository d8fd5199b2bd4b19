"""A synthetic plan period: tiltak with dated status changes."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from handlingsplan.models import Delmal, Framdrift, Handlingsplan, Innsatsomrade, Tiltak

SHIPPED_TILTAK = 32
STATUSAR = [s.value for s in Tiltak.Status]


@transaction.atomic
def add(extra: int) -> None:
    """One synthetic plan period with ``extra`` × 32 tiltak, each with a few dated status
    changes in its history and progress log. The same ``extra`` gives the same data."""
    if extra < 1 or Handlingsplan.objects.filter(tittel__startswith="Testplan").exists():
        return
    rng = random.Random(4000 + extra)
    plan = Handlingsplan.objects.create(
        tittel=f"Testplan {extra} (syntetisk)", fra_ar=2901, til_ar=2902, hovudmal="Testhovudmål"
    )
    delmal = []
    for nummer in range(1, 7):
        io = Innsatsomrade.objects.create(
            plan=plan, nummer=nummer, tittel=f"Testinnsatsområde {nummer}", mal="Testmål"
        )
        for j in range(1, 4):
            delmal.append(
                Delmal(
                    innsatsomrade=io,
                    nummer=f"{nummer}.{j}",
                    tekst=f"Testdelmål {nummer}.{j}",
                    rekkjefolgje=j,
                )
            )
    delmal = Delmal.objects.bulk_create(delmal)
    start = timezone.make_aware(datetime(2025, 1, 6, 9))
    tiltak = []
    for i in range(extra * SHIPPED_TILTAK):
        tiltak.append(
            Tiltak(
                delmal=delmal[i % len(delmal)],
                tekst=f"Testtiltak {i + 1}",
                rekkjefolgje=i // len(delmal) + 1,
                frist=start.date() + timedelta(days=rng.randrange(0, 900)),
                status="",
                versjon=1,
            )
        )
    tiltak = Tiltak.objects.bulk_create(tiltak, batch_size=1000)
    history = Tiltak.history
    history.bulk_history_create(
        tiltak, default_date=start, default_change_reason="Syntetiske testdata", batch_size=1000
    )
    progress = []
    for step in range(1, 4):
        changed = []
        for t in tiltak:
            if rng.random() < 0.6:
                t.status = rng.choice(STATUSAR)
                t.versjon += 1
                changed.append(t)
                when = start + timedelta(days=120 * step + rng.randrange(0, 60))
                progress.append(
                    Framdrift(
                        tiltak=t,
                        dato=when.date(),
                        status=t.status,
                        notat=f"Testnotat {step}",
                        registrert=when,
                    )
                )
        when = start + timedelta(days=120 * step)
        history.bulk_history_create(
            changed,
            update=True,
            default_date=when,
            default_change_reason="Testendring",
            batch_size=1000,
        )
    Tiltak.objects.bulk_update(tiltak, ["status", "versjon"], batch_size=1000)
    Framdrift.objects.bulk_create(progress, batch_size=1000)
    Delmal.history.bulk_history_create(delmal, default_date=start)
    # The whole synthetic plan exists from the start date, so "as of" shows it.
    Innsatsomrade.history.filter(plan_id=plan.pk).update(history_date=start)
    Handlingsplan.history.filter(id=plan.pk).update(history_date=start)
