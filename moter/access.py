"""Who sees which meeting paper: the one place the meetings app decides it.

A meeting (its date, place and host) is public, and so is its referat. Its papers are
public too, unless the meeting's papers are closed (``offentlege_papir`` off) or the sak is
unnateken offentlegheit (``offentleg`` off): then only members of the meeting's utval and
the secretariat see them. For everyone else such a sak and its attachments are closed on
their own addresses (a visitor who is not logged in is asked to log in, anyone else gets
404), shown only by number on the agenda, and left out of the calendar feed, the search,
the public pack, the referat PDF and the innkalling e-mail.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from avtalar.access import avtalar_visible_to
from moter.models import Mote, Motepakke, MoteQuerySet, Sak, Vedlegg
from portal.access import closed, is_member_of, is_sekretariat, member_utval_ids


def papers_visible(user, mote: Mote) -> bool:
    """Whether ``user`` may see the meeting's papers that are not public."""
    return is_sekretariat(user) or is_member_of(user, mote.utval_id)


def open_to_public(sak: Sak, mote: Mote) -> bool:
    return sak.offentleg and mote.offentlege_papir


def sak_visible(user, sak: Sak) -> bool:
    return open_to_public(sak, sak.mote) or papers_visible(user, sak.mote)


def moter_visible_to(user) -> MoteQuerySet:
    """Every meeting: that a meeting takes place, and when and where, is public."""
    return Mote.objects.all()


def saker_visible_to(user) -> QuerySet[Sak]:
    """The saker of every meeting that ``user`` may read (``None`` is the public)."""
    saker = Sak.objects.select_related("mote", "mote__utval")
    if is_sekretariat(user):
        return saker
    return saker.filter(
        Q(offentleg=True, mote__offentlege_papir=True)
        | Q(mote__utval_id__in=member_utval_ids(user))
    )


def saker_som_gjeld_partnar(user, partnar) -> QuerySet[Sak]:
    """The saker ``user`` may read that concern ``partnar``: tagged with it directly, or
    pointing at an agreement it is party to (one ``user`` may see) or at a tiltak it is
    ansvarleg for, alone or with all the partners."""
    # One subquery per way of concerning the partner: joining the four many-to-many
    # relations at once multiplies the rows (and took PostgreSQL most of a second).
    direkte = Sak.partnarar.through.objects.filter(partnar=partnar).values("sak_id")
    avtale = Sak.avtalar.through.objects.filter(
        avtale__partar=partnar, avtale__in=avtalar_visible_to(user)
    ).values("sak_id")
    tiltak = Sak.tiltak.through.objects.filter(
        Q(tiltak__ansvarleg_partnarar=partnar) | Q(tiltak__alle_partnarar=True)
    ).values("sak_id")
    return saker_visible_to(user).filter(Q(pk__in=direkte) | Q(pk__in=avtale) | Q(pk__in=tiltak))


def _med_avtalar(saker: QuerySet[Sak], user) -> QuerySet[Sak]:
    """Each sak's agreements, only those ``user`` may see (a draft is not)."""
    return saker.prefetch_related(Prefetch("avtalar", queryset=avtalar_visible_to(user)))


def _saker_med_innhald(user) -> QuerySet[Sak]:
    """Saker with what the agenda shows about each, in agenda order."""
    saker = Sak.objects.order_by("rekkjefolgje", "nummer").prefetch_related(
        Prefetch("vedlegg", queryset=Vedlegg.objects.order_by("rekkjefolgje", "pk")),
        "tiltak",
        "partnarar",
    )
    return _med_avtalar(saker, user)


def get_mote_for_user(request: HttpRequest, pk: int, *, saker: bool = False) -> Mote:
    """The meeting, or 404; with ``saker``, its agenda and referat as its page shows them.
    Which saker the user may read is for ``sakliste_for`` to say."""
    qs = Mote.objects.select_related("utval")
    if saker:
        qs = qs.select_related("referat", "referat__godkjent_i").prefetch_related(
            Prefetch("saker", queryset=_saker_med_innhald(request.user))
        )
    return get_object_or_404(qs, pk=pk)


def get_sak_for_user(request: HttpRequest, pk: int) -> Sak:
    """The sak with its meeting, or 404 if the user may not read it."""
    qs = _med_avtalar(Sak.objects.select_related("mote", "mote__utval"), request.user)
    sak = get_object_or_404(qs, pk=pk)
    if not sak_visible(request.user, sak):
        closed(request)
    return sak


def get_vedlegg_for_user(request: HttpRequest, pk: int) -> Vedlegg:
    """The attachment, or 404 if the user may not read its sak."""
    qs = Vedlegg.objects.select_related("sak", "sak__mote", "sak__mote__utval")
    vedlegg = get_object_or_404(qs, pk=pk)
    if not sak_visible(request.user, vedlegg.sak):
        closed(request)
    return vedlegg


def sakliste(mote: Mote, saker: list[Sak], *, members: bool) -> tuple[list[Sak], list[Sak]]:
    """(saker shown, saker kept back) in agenda order, for the meeting's members or for
    everyone else."""
    if members:
        return list(saker), []
    shown = [s for s in saker if open_to_public(s, mote)]
    return shown, [s for s in saker if s not in shown]


def sakliste_for(mote: Mote, user) -> tuple[list[Sak], list[Sak]]:
    """The meeting's agenda as ``user`` may read it: (saker shown, saker kept back)."""
    return sakliste(mote, list(mote.saker.all()), members=papers_visible(user, mote))


def pakke_publikum_for(user, mote: Mote) -> str | None:
    """Which edition of the meeting pack ``user`` gets: the members' (everything), the
    public one, or None when the meeting's papers are closed to them."""
    if papers_visible(user, mote):
        return Motepakke.Publikum.MEDLEMMAR
    if mote.offentlege_papir:
        return Motepakke.Publikum.ALLE
    return None


def has_closed_papers(mote: Mote) -> bool:
    """Whether the members' pack holds anything the public one does not."""
    return not mote.offentlege_papir or mote.saker.filter(offentleg=False).exists()


def pakke_for(request: HttpRequest, mote: Mote, *, medlemmar: bool = False) -> str:
    """The edition of the pack ``request.user`` is served: as ``pakke_publikum_for``; when
    the members' pack is asked for by name (the link members are sent) or the papers are
    closed, and it holds closed papers the user may not see, they are asked to log in, or
    get 404 if logged in (``portal.access.closed``)."""
    publikum = pakke_publikum_for(request.user, mote)
    asked_closed = medlemmar and publikum == Motepakke.Publikum.ALLE and has_closed_papers(mote)
    if publikum is None or asked_closed:
        closed(request)
    return publikum


# Whose history may be read (portal.history asks here; a model not named is 404).
HISTORY_RULES = {
    "mote": lambda user, mote: True,
    "referat": lambda user, referat: True,
    "deltaking": lambda user, deltaking: True,
    "sak": sak_visible,
    "vedlegg": lambda user, vedlegg: sak_visible(user, vedlegg.sak),
}
