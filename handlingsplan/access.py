"""Who sees what of the action plan: the one place this app decides it.

The strategy and every plan, with its innsatsområde, delmål and tiltak, are public. What a
tiltak refers to is not always: its agreements are only those the user may see (a draft is
the secretariat's alone).
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from avtalar.access import avtalar_visible_to
from avtalar.models import Avtale
from handlingsplan.models import Delmal, Handlingsplan, Innsatsomrade, Strategi, Tiltak


def planar_visible_to(user) -> QuerySet[Handlingsplan]:
    return Handlingsplan.objects.all()


def strategiar_visible_to(user) -> QuerySet[Strategi]:
    return Strategi.objects.all()


def innsatsomrade_visible_to(user) -> QuerySet[Innsatsomrade]:
    return Innsatsomrade.objects.all()


def delmal_visible_to(user) -> QuerySet[Delmal]:
    return Delmal.objects.all()


def tiltak_visible_to(user) -> QuerySet[Tiltak]:
    return Tiltak.objects.all()


def avtalar_for_tiltak(user) -> QuerySet[Avtale]:
    """The agreements a tiltak shows ``user``: only those ``user`` may see."""
    return avtalar_visible_to(user)


def tiltak_for_lists(queryset: QuerySet[Tiltak]) -> QuerySet[Tiltak]:
    """``queryset`` with the records a tiltak row shows; its relations are for
    ``handlingsplan.tre.merk``."""
    return queryset.select_related("pasientgruppe", "vidarefort_fra__delmal__innsatsomrade__plan")


def get_plan_for_user(request: HttpRequest, fra_ar: int, til_ar: int) -> Handlingsplan:
    return get_object_or_404(planar_visible_to(request.user), fra_ar=fra_ar, til_ar=til_ar)


def get_strategi_for_user(request: HttpRequest, pk: int | None = None) -> Strategi:
    """The strategy ``pk``, or the first when none is named; 404 if there is none."""
    qs = strategiar_visible_to(request.user).prefetch_related("innsatsomrade", "pasientgrupper")
    if pk is None:
        strategi = qs.first()
        if strategi is None:
            raise Http404
        return strategi
    return get_object_or_404(qs, pk=pk)


def get_innsatsomrade_for_user(request: HttpRequest, pk: int) -> Innsatsomrade:
    qs = innsatsomrade_visible_to(request.user).select_related("plan")
    return get_object_or_404(qs, pk=pk)


def get_delmal_for_user(request: HttpRequest, pk: int) -> Delmal:
    """The delmål with its plan and its tiltak in order, as its block shows them, or 404."""
    tiltak = tiltak_visible_to(request.user).order_by("rekkjefolgje", "pk")
    tiltak = tiltak_for_lists(tiltak)
    qs = delmal_visible_to(request.user).select_related("innsatsomrade__plan")
    return get_object_or_404(qs.prefetch_related(Prefetch("tiltak", queryset=tiltak)), pk=pk)


def get_tiltak_for_user(request: HttpRequest, pk: int) -> Tiltak:
    """The tiltak with its place in the plan and what its row shows, or 404."""
    qs = tiltak_visible_to(request.user).select_related("delmal__innsatsomrade__plan")
    return get_object_or_404(tiltak_for_lists(qs), pk=pk)


def _public(user, obj) -> bool:
    return True


# Whose history may be read (portal.history asks here; a model not named is 404).
HISTORY_RULES = {
    "strategi": _public,
    "strategiinnsatsomrade": _public,
    "pasientgruppe": _public,
    "handlingsplan": _public,
    "innsatsomrade": _public,
    "delmal": _public,
    "tiltak": _public,
}
