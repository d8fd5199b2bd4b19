"""The shapes of the permission matrix: what each kind of route answers, per persona and
method. tests/test_permissions.py and the per-app tests/routes_<app>.py files use them."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PERSONAS = ["public", "annan_medlem", "medlem", "sekretariat"]

# What each kind of route answers, per persona and method. A set means "any of these".
OK = {200}
READ = {"GET": dict.fromkeys(PERSONAS, OK), "POST": dict.fromkeys(PERSONAS, {405})}
DENIED = {403}
WRITE = {
    "GET": {"public": DENIED, "annan_medlem": DENIED, "medlem": DENIED, "sekretariat": {200}},
    "POST": {
        "public": DENIED,
        "annan_medlem": DENIED,
        "medlem": DENIED,
        "sekretariat": {200, 302, 422},
    },
}
POST_ONLY_WRITE = {
    "GET": dict.fromkeys(PERSONAS, {405}),
    "POST": WRITE["POST"],
}
GET_ONLY_WRITE = {"GET": WRITE["GET"], "POST": dict.fromkeys(PERSONAS, {405})}


@dataclass
class Route:
    kwargs: Callable[[dict], dict]
    expect: dict


def history_kwargs(data):
    utval = data["utval"]
    return {"app_label": "partnarskap", "model_name": "utval", "pk": utval.pk}


ROUTES: dict[str, Route] = {
    "framside": Route(lambda d: {}, READ),
    "helse": Route(lambda d: {}, READ),
    "sok": Route(lambda d: {}, READ),
    "tilgjengelegheit": Route(lambda d: {}, READ),
    "login": Route(
        lambda d: {},
        {"GET": dict.fromkeys(PERSONAS, OK), "POST": dict.fromkeys(PERSONAS, {200, 302})},
    ),
    "logout": Route(
        lambda d: {},
        {"GET": dict.fromkeys(PERSONAS, {405}), "POST": dict.fromkeys(PERSONAS, {302})},
    ),
    "historikk": Route(history_kwargs, READ),
    "gjenopprett": Route(
        lambda d: {**history_kwargs(d), "history_id": d["utval"].history.earliest().history_id},
        WRITE,  # GET asks first: what the restore will change
    ),
    "partnarskap:oversikt": Route(lambda d: {}, READ),
    "partnarskap:utval": Route(lambda d: {"slug": d["utval"].slug}, READ),
    "partnarskap:partnar": Route(lambda d: {"slug": "kinn"}, READ),
    "partnarskap:medlemskap_ny": Route(lambda d: {"slug": d["utval"].slug}, WRITE),
    "partnarskap:medlemskap_rad": Route(lambda d: {"pk": d["seat"].pk}, GET_ONLY_WRITE),
    "partnarskap:medlemskap_endre": Route(lambda d: {"pk": d["seat"].pk}, WRITE),
    "partnarskap:medlemskap_avslutt": Route(lambda d: {"pk": d["seat"].pk}, POST_ONLY_WRITE),
}

# Each app keeps its own rows in tests/routes_<app>.py: a ROUTES dict of the same shape,
# built from the names above (import them from matrix).
for _module in sorted(Path(__file__).parent.glob("routes_*.py")):
    ROUTES.update(importlib.import_module(_module.stem).ROUTES)  # they import the shapes above
