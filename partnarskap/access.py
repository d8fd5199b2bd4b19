"""Who sees what of the partnership: the one place this app decides it.

Partners, utval, seats and the årshjul are public. A person's contact details (e-mail,
telephone) are personal data, for logged-in users only: see ``Person.private_fields`` and
``portal.access.can_see_personal_data``.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from partnarskap.models import (
    Arshjulpunkt,
    Medlemskap,
    MedlemskapQuerySet,
    Partnar,
    Person,
    Utval,
)


def utval_visible_to(user) -> QuerySet[Utval]:
    return Utval.objects.all()


def partnarar_visible_to(user) -> QuerySet[Partnar]:
    return Partnar.objects.all()


def medlemskap_visible_to(user) -> MedlemskapQuerySet:
    return Medlemskap.objects.all()


def personar_visible_to(user) -> QuerySet[Person]:
    """Names, positions and seats are public; the templates show contact details to
    logged-in users only (``ser_persondata``)."""
    return Person.objects.all()


def arshjulpunkt_visible_to(user) -> QuerySet[Arshjulpunkt]:
    return Arshjulpunkt.objects.all()


def get_utval_for_user(request: HttpRequest, slug: str) -> Utval:
    """The utval with what its page shows, or 404."""
    qs = (
        utval_visible_to(request.user)
        .select_related("rapporterer_til", "samansetjingsregel")
        .prefetch_related("tidlegare_namn", "underliggjande")
    )
    return get_object_or_404(qs, slug=slug)


def get_partnar_for_user(request: HttpRequest, slug: str) -> Partnar:
    return get_object_or_404(
        partnarar_visible_to(request.user).select_related("etterfolgar"), slug=slug
    )


def get_medlemskap_for_user(request: HttpRequest, pk: int) -> Medlemskap:
    """A seat with its person, partner and utval, or 404."""
    qs = medlemskap_visible_to(request.user).select_related("person", "partnar", "utval")
    return get_object_or_404(qs, pk=pk)


def get_person_for_user(request: HttpRequest, pk: int) -> Person:
    """A person with their organisation and account, or 404."""
    qs = personar_visible_to(request.user).select_related("partnar", "brukar")
    return get_object_or_404(qs, pk=pk)


def get_arshjulpunkt_for_user(request: HttpRequest, pk: int) -> Arshjulpunkt:
    return get_object_or_404(arshjulpunkt_visible_to(request.user).select_related("utval"), pk=pk)


def _public(user, obj) -> bool:
    return True


# Whose history may be read (portal.history asks here; a model not named is 404). A
# person's history also holds contact details: portal.history asks a visitor who is not
# logged in to log in first (``Person.private_fields``).
HISTORY_RULES = {
    "partnar": _public,
    "utval": _public,
    "tidlegarenamn": _public,
    "person": _public,
    "medlemskap": _public,
    "arshjulpunkt": _public,
    "samansetjingsregel": _public,
}
