"""The shapes of the permission matrix: what each kind of route answers, per persona and
method. tests/test_permissions.py and the per-app tests/routes_<app>.py files use them."""

from collections.abc import Callable
from dataclasses import dataclass

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
