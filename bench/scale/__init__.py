"""Synthetic data on top of the shipped data, for measuring the portal at N times today's
volume (``manage.py seed --scale N``). Every synthetic name starts with "Test", so nobody
takes it for a fact, and the same N always gives the same data."""

from django.db import transaction

from bench.scale import avtalar, handlingsplan, moter, partnarskap
from partnarskap.models import Person
from portal import search_index, sidebuffer

SYNTHETIC = "Test"


def seed_scale(scale: int) -> str:
    """(scale - 1) times today's volume from every app, added once; what was done, in a line."""
    if Person.objects.filter(namn__startswith=SYNTHETIC).exists():
        return "Syntetiske testdata finst alt; ingenting lagt til."
    with transaction.atomic(), search_index.paused():
        # People and seats first: the rest refers to partners and utval.
        for app in (partnarskap, avtalar, handlingsplan, moter):
            app.add(scale - 1)
        sidebuffer.endra()  # bulk inserts send no signals
    search_index.rebuild()  # the same: bulk inserts are not indexed one by one
    return f"La til syntetiske testdata for skala {scale}."
