"""Synthetic agreements: ``extra`` × 30 agreements named "Testavtale N" with 3–5 versions
each and parties, the same every time for the same ``extra``."""

import random
from datetime import date, timedelta

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from avtalar.models import Avtale, Avtaleversjon
from partnarskap.models import Partnar, today

REASON = "Syntetiske testdata"
# Words the summaries are made of, so that search has something to find.
ORD = [
    "utskriving",
    "innlegging",
    "tilvising",
    "beredskap",
    "hospitering",
    "smittevern",
    "pasienttransport",
    "legemiddel",
    "rehabilitering",
    "habilitering",
    "jordmor",
    "øyeblikkeleg hjelp",
    "kompetanse",
    "rettleiing",
    "avvik",
    "epikrise",
]


@transaction.atomic
def add(extra: int) -> None:
    rng = random.Random(f"avtalar-{extra}")
    helse_forde = Partnar.objects.filter(type=Partnar.Type.HELSEFORETAK).first()
    kommunar = list(Partnar.objects.filter(type=Partnar.Type.KOMMUNE).order_by("pk"))
    andre = list(Partnar.objects.exclude(type__in=["helseforetak", "kommune"]).order_by("pk"))
    existing = set(
        Avtale.objects.filter(slug__startswith="testavtale-").values_list("slug", flat=True)
    )
    types = Avtale.Type.values
    statuses = [Avtale.Status.GJELDANDE] * 6 + [Avtale.Status.UNDER_REVISJON, Avtale.Status.OPPHEVA]
    on = today()
    new: list[Avtale] = []
    parties: dict[str, list[Partnar]] = {}
    for number in range(1, extra * 30 + 1):
        slug = f"testavtale-{number}"
        kind = rng.choice(types)
        revision = on + timedelta(days=rng.randint(-200, 900)) if rng.random() < 0.7 else None
        avtale = Avtale(
            type=kind,
            tittel=f"Testavtale {number}",
            slug=slug,
            tema=f"Syntetisk testavtale om {rng.choice(ORD)} og {rng.choice(ORD)}.",
            status=rng.choice(statuses),
            neste_revisjon=revision,
            rekkjefolgje=1000 + number,
        )
        if kind == Avtale.Type.SAERAVTALE:
            chosen = rng.sample(kommunar, k=min(len(kommunar), rng.randint(1, 3)))
        elif kind == Avtale.Type.SAMARBEIDSAVTALE:
            chosen = rng.sample(andre, k=min(len(andre), rng.randint(1, 2)))
        else:
            chosen = list(kommunar)
        parties[slug] = ([helse_forde] if helse_forde else []) + chosen
        if slug not in existing:
            new.append(avtale)
    bulk_create_with_history(new, Avtale, batch_size=500, default_change_reason=REASON)
    by_slug = {a.slug: a for a in Avtale.objects.filter(slug__in=[a.slug for a in new])}
    through = Avtale.partar.through
    links = [
        through(avtale_id=by_slug[slug].pk, partnar_id=p.pk)
        for slug in by_slug
        for p in parties[slug]
    ]
    through.objects.bulk_create(links, batch_size=2000)
    versions = []
    for avtale in sorted(by_slug.values(), key=lambda a: a.pk):
        count = rng.randint(3, 5)
        start = date(2012, 1, 1) + timedelta(days=rng.randint(0, 1500))
        for index in range(1, count + 1):
            approved = start + timedelta(days=rng.randint(300, 700) * (index - 1))
            applies = approved + timedelta(days=rng.randint(0, 60))
            versions.append(
                Avtaleversjon(
                    avtale=avtale,
                    versjon=f"Testversjon {index}",
                    godkjend=True,
                    godkjent_dato=min(approved, on),
                    gjeld_fra=applies,
                    samandrag=f"Syntetisk endring av reglane for {rng.choice(ORD)}.",
                )
            )
    bulk_create_with_history(versions, Avtaleversjon, batch_size=1000, default_change_reason=REASON)
