"""Who sees which agreement: the one place the agreement portfolio decides it.

A draft (status utkast) is the secretariat's alone: its title and link reach nobody else,
on its own pages or wherever it is referred to. Every other agreement is public.
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from avtalar.models import Avtale, Avtaleversjon, Signering
from partnarskap.models import Partnar
from portal.access import is_sekretariat


def avtalar_visible_to(user) -> QuerySet[Avtale]:
    """The agreements ``user`` may see (``None`` is the public)."""
    qs = Avtale.objects.all()
    if not is_sekretariat(user):
        qs = qs.exclude(status=Avtale.Status.UTKAST)
    return qs


def avtale_visible(user, avtale: Avtale) -> bool:
    return avtale.status != Avtale.Status.UTKAST or is_sekretariat(user)


def avtalar_for_lists(
    user, versions: QuerySet | None = None, *, partar: bool = True
) -> QuerySet[Avtale]:
    """The agreements ``user`` may see, with what lists show prefetched (flat query count).
    ``partar=False`` leaves out their parties, for lists that name them in one line
    (``partar_per_avtale``)."""
    qs = avtalar_visible_to(user).prefetch_related(
        Prefetch(
            "versjonar",
            queryset=versions if versions is not None else Avtaleversjon.objects.order_by(),
        )
    )
    if partar:
        qs = qs.prefetch_related(
            Prefetch("partar", queryset=Partnar.objects.order_by("type", "namn"))
        )
    return qs


def partar_per_avtale(avtale_ids) -> dict[int, list[tuple[int, str]]]:
    """Each agreement's parties as (key, name), in the order lists show them: one query of
    pairs, where a prefetch would make a party object for each of the many links."""
    links = Avtale.partar.through.objects.filter(avtale_id__in=avtale_ids)
    rows = links.order_by("partnar__type", "partnar__namn", "partnar_id")
    result: dict[int, list[tuple[int, str]]] = {}
    for avtale, partnar, namn in rows.values_list("avtale_id", "partnar_id", "partnar__namn"):
        result.setdefault(avtale, []).append((partnar, namn))
    return result


def get_avtale_for_user(request: HttpRequest, slug: str) -> Avtale:
    """The agreement at ``slug`` with everything its page shows, or 404."""
    versions = Avtaleversjon.objects.select_related("godkjent_av").order_by()
    qs = avtalar_for_lists(request.user, versions).select_related("godkjent_av", "utdjupar")
    qs = qs.prefetch_related(
        Prefetch("utdjupa_av", queryset=avtalar_visible_to(request.user)),
    )
    avtale = get_object_or_404(qs, slug=slug)
    # The agreement this one builds on, if the user may see it (the field itself stays, so a
    # form saving this agreement never loses it).
    parent = avtale.utdjupar
    avtale.synleg_utdjupar = parent if parent and avtale_visible(request.user, parent) else None
    return avtale


def get_avtaleversjon_for_user(request: HttpRequest, slug: str, pk: int) -> Avtaleversjon:
    """A version of a visible agreement, or 404."""
    avtale = get_avtale_for_user(request, slug)
    version = next((v for v in avtale.versjonar.all() if v.pk == pk), None)
    if version is None:
        raise Http404
    version.avtale = avtale
    return version


def signeringar_visible_to(user) -> QuerySet[Signering]:
    """Signings of the agreements ``user`` may see."""
    return Signering.objects.filter(versjon__avtale__in=avtalar_visible_to(user))


def get_signering_for_user(request: HttpRequest, pk: int) -> Signering:
    """A signing of a visible agreement, with its version, agreement and party, or 404."""
    qs = signeringar_visible_to(request.user).select_related("versjon__avtale", "partnar")
    return get_object_or_404(qs, pk=pk)


# Whose history may be read (portal.history asks here; a model not named is 404).
HISTORY_RULES = {
    "avtale": avtale_visible,
    "avtaleversjon": lambda user, version: avtale_visible(user, version.avtale),
    "signering": lambda user, signing: avtale_visible(user, signing.versjon.avtale),
}
