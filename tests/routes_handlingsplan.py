"""The action plan's rows in the permission matrix."""

from helpers import tiltak
from matrix import POST_ONLY_WRITE, READ, WRITE, Route

from handlingsplan.models import Delmal, Innsatsomrade, Strategi

PERIODE = {"fra_ar": 2023, "til_ar": 2024}


def _tiltak(d):
    return {"pk": tiltak().pk}


def _delmal(d):
    return {"pk": Delmal.objects.get(nummer="3.4", innsatsomrade__plan__fra_ar=2023).pk}


def _omrade(d):
    return {"pk": Innsatsomrade.objects.get(nummer=4, plan__fra_ar=2023).pk}


ROUTES = {
    "handlingsplan:plan": Route(lambda d: {}, READ),
    "handlingsplan:periode": Route(lambda d: PERIODE, READ),
    "handlingsplan:pdf": Route(lambda d: PERIODE, READ),
    "handlingsplan:csv": Route(lambda d: PERIODE, READ),
    "handlingsplan:xlsx": Route(lambda d: PERIODE, READ),
    "handlingsplan:ny_periode": Route(lambda d: PERIODE, WRITE),
    "handlingsplan:strategi_gjeldande": Route(lambda d: {}, READ),
    "handlingsplan:strategi": Route(lambda d: {"pk": Strategi.objects.get().pk}, READ),
    "handlingsplan:tiltak": Route(_tiltak, READ),
    "handlingsplan:tiltak_endre": Route(_tiltak, WRITE),
    "handlingsplan:tiltak_slett": Route(_tiltak, WRITE),
    "handlingsplan:tiltak_flytt": Route(_tiltak, POST_ONLY_WRITE),
    "handlingsplan:delmal": Route(_delmal, READ),
    "handlingsplan:delmal_endre": Route(_delmal, WRITE),
    "handlingsplan:delmal_slett": Route(_delmal, WRITE),
    "handlingsplan:delmal_flytt": Route(_delmal, POST_ONLY_WRITE),
    "handlingsplan:tiltak_ny": Route(_delmal, WRITE),
    "handlingsplan:delmal_ny": Route(_omrade, WRITE),
}
