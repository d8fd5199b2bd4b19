"""Access to meetings and their papers: one helper per object kind, each returning the object
or raising 404. A meeting is public; a non-public sak or its attachments are only for
members of the utval and the secretariat, and are 404 for everyone else."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from moter.models import Mote, Sak, Vedlegg


def get_mote(pk: int) -> Mote:
    return get_object_or_404(Mote.objects.select_related("utval"), pk=pk)


def get_mote_med_saker(pk: int) -> Mote:
    saker = Sak.objects.order_by("rekkjefolgje", "nummer").prefetch_related(
        Prefetch("vedlegg", queryset=Vedlegg.objects.order_by("rekkjefolgje", "pk")),
        "avtalar",
        "tiltak",
    )
    return get_object_or_404(
        Mote.objects.select_related("utval", "referat", "referat__godkjent_i").prefetch_related(
            Prefetch("saker", queryset=saker)
        ),
        pk=pk,
    )


def get_sak(pk: int) -> Sak:
    return get_object_or_404(Sak.objects.select_related("mote", "mote__utval"), pk=pk)


def get_vedlegg_for_user(user, pk: int) -> Vedlegg:
    vedlegg = get_object_or_404(
        Vedlegg.objects.select_related("sak", "sak__mote", "sak__mote__utval"), pk=pk
    )
    if not vedlegg.sak.synleg_for(user):
        raise Http404
    return vedlegg


def synlege_saker(mote: Mote, user) -> tuple[list[Sak], list[Sak]]:
    """(saker the user may read, saker kept from them) in agenda order."""
    saker = list(mote.saker.all())
    if mote.papir_for(user):
        return saker, []
    shown = [s for s in saker if s.offentleg and mote.offentlege_papir]
    return shown, [s for s in saker if s not in shown]
