"""Synthetic people, seats and årshjul items."""

import random
from datetime import date, timedelta

from partnarskap.models import Arshjulpunkt, Medlemskap, Partnar, Person, Utval

SEATS_PER_UTVAL = 12
ARSHJULPUNKT = 8  # as many recurring items as the seeds name


def add(extra: int) -> None:
    """``extra`` times a full set of seats in every active utval, with earlier terms kept."""
    rng = random.Random(f"partnarskap-{extra}")
    partnarar = list(Partnar.objects.order_by("pk"))
    roles = [Medlemskap.Rolle.MEDLEM] * 6 + [Medlemskap.Rolle.VARA] * 3
    groups = ["", "", "", "", Medlemskap.Gruppe.BRUKAR, Medlemskap.Gruppe.FASTLEGE]
    number = 0
    seats = []
    for utval in Utval.objects.filter(aktiv=True).order_by("pk"):
        for _ in range(extra * SEATS_PER_UTVAL):
            number += 1
            person = Person.objects.create(namn=f"Testperson {number}", stilling="Syntetisk")
            start = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 3000))
            ended = rng.random() < 0.5
            seats.append(
                Medlemskap(
                    person=person,
                    utval=utval,
                    partnar=rng.choice(partnarar),
                    rolle=rng.choice(roles),
                    gruppe=rng.choice(groups),
                    fra=start,
                    til=start + timedelta(days=4 * 365) if ended else None,
                )
            )
    Medlemskap.objects.bulk_create(seats)
    _arshjul(extra, random.Random(f"arshjul-{extra}"))


def _arshjul(extra: int, rng: random.Random) -> None:
    """``extra`` times today's recurring items, spread over the utval and months; added once
    by title, so a second run changes nothing."""
    utval = [None, *Utval.objects.filter(aktiv=True).order_by("pk")]
    existing = set(
        Arshjulpunkt.objects.filter(tittel__startswith="Testpunkt i årshjulet").values_list(
            "tittel", flat=True
        )
    )
    items = []
    for number in range(1, extra * ARSHJULPUNKT + 1):
        biennial = rng.random() < 0.3
        item = Arshjulpunkt(
            tittel=f"Testpunkt i årshjulet {number}",
            skildring="Syntetisk",
            utval=rng.choice(utval),
            manad=rng.choice([None, *range(1, 13)]),
            intervall=Arshjulpunkt.Intervall.ANNAKVART
            if biennial
            else Arshjulpunkt.Intervall.ARLEG,
            startar=rng.choice([2024, 2025]) if biennial else None,
        )
        if item.tittel not in existing:
            items.append(item)
    Arshjulpunkt.objects.bulk_create(items)
