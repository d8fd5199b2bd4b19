"""Synthetic people and seats for measuring the portal at N times today's volume."""

import random
from datetime import date, timedelta

from partnarskap.models import Medlemskap, Partnar, Person, Utval

SEATS_PER_UTVAL = 12


def seed_scale(extra: int) -> None:
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
