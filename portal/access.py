"""The roles every app asks about. What a role may see of each kind of object is decided
in that app's own ``access.py`` (``get_<kind>_for_user``, ``<kind>_visible_to``), and
nowhere else.

- The Django group ``Sekretariat`` (and superusers) edit and see everything.
- A user linked to a Person with a current seat in an utval is a member of that utval.
- Logged-in users see personal data (e-mail, phone, who changed what).
- Everyone else reads what is public.
"""

from collections.abc import Callable
from functools import wraps
from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

SEKRETARIAT = "Sekretariat"


def is_sekretariat(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_portal_is_sekretariat", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=SEKRETARIAT).exists()
        user._portal_is_sekretariat = cached
    return cached


def member_utval_ids(user) -> frozenset[int]:
    """The utval in which the user's person holds a current seat (cached per request)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_utval_ids", None)
    if cached is None:
        from partnarskap.models import Medlemskap

        cached = frozenset(
            Medlemskap.objects.gjeldande()
            .filter(person__brukar=user)
            .values_list("utval_id", flat=True)
        )
        user._portal_utval_ids = cached
    return cached


def is_member_of(user, utval_id: int | None) -> bool:
    return utval_id is not None and utval_id in member_utval_ids(user)


def can_see_personal_data(user) -> bool:
    """E-mail, phone and who changed what: logged-in users only."""
    return bool(getattr(user, "is_authenticated", False))


class LoginRequired(Exception):
    """What was asked for exists, but is closed to visitors who are not logged in: they are
    sent to log in and brought back to it (portal.middleware.LoginRequiredMiddleware)."""


def closed(request: HttpRequest) -> NoReturn:
    """Refuse something that exists but that ``request.user`` may not see: a visitor who
    is not logged in is asked to log in (a member following a link from an e-mail); a
    logged-in user gets 404, as if it did not exist."""
    if not getattr(request.user, "is_authenticated", False):
        raise LoginRequired
    raise Http404


def require_sekretariat(view: Callable) -> Callable:
    """403 for everyone but the secretariat, on every method (htmx endpoints included)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_sekretariat(request.user):
            raise PermissionDenied("Berre sekretariatet kan gjere dette.")
        return view(request, *args, **kwargs)

    return wrapper


def context(request: HttpRequest) -> dict:
    user = request.user
    return {
        "er_sekretariat": is_sekretariat(user),
        "ser_persondata": can_see_personal_data(user),
    }


def throttle_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The account name login throttling counts under: at most as long as a real one, so an
    over-long name is simply a wrong one (the login form itself does not limit it)."""
    source = credentials if credentials is not None else getattr(request, "POST", {})
    return str(source.get("username") or "")[:150]
