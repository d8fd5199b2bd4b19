"""Work for the background worker (django-tasks, database worker): building a large
meeting pack, and sending a meeting's e-mail."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from moter import arkivuttrekk, pack, utsending
from moter.models import Arkivuttrekk, Mote, Motepakke
from portal import sidebuffer

log = logging.getLogger(__name__)


def _set(pakke_id: int, **fields) -> None:
    Motepakke.objects.filter(pk=pakke_id).update(oppdatert=timezone.now(), **fields)
    sidebuffer.endra()  # the meeting page shows the pack's state


@task()
def bygg_motepakke(mote_id: int, publikum: str) -> str:
    mote = Mote.objects.select_related("utval").get(pk=mote_id)
    data = pack.innhald(mote, publikum)
    path, fingerprint = pack.ferdig_pakke(data)
    pakke, _ = Motepakke.objects.get_or_create(mote=mote, publikum=publikum)
    _set(pakke.pk, status=Motepakke.Status.BYGGJER, fingeravtrykk=fingerprint, framdrift=1)
    try:
        path = pack.bygg(data, framdrift=lambda p: _set(pakke.pk, framdrift=p))
    except Exception as error:
        _set(pakke.pk, status=Motepakke.Status.FEILA, feil=str(error)[:500])
        raise
    _set(
        pakke.pk,
        status=Motepakke.Status.FERDIG,
        fil=path.rsplit("/", 1)[-1],
        sider=pack.sidetal(path),
        framdrift=100,
        feil="",
    )
    return path.rsplit("/", 1)[-1]


def start_bygging(mote: Mote, publikum: str, fingerprint: str) -> Motepakke:
    """Queue a build for this content unless one is queued or running for it already."""
    with transaction.atomic():
        pakke, _ = Motepakke.objects.select_for_update().get_or_create(mote=mote, publikum=publikum)
        busy = pakke.status in (
            Motepakke.Status.VENTAR,
            Motepakke.Status.BYGGJER,
        ) and pakke.oppdatert > timezone.now() - timedelta(minutes=10)
        if busy and pakke.fingeravtrykk == fingerprint:
            return pakke
        pakke.fingeravtrykk = fingerprint
        pakke.status = Motepakke.Status.VENTAR
        pakke.framdrift = 0
        pakke.feil = ""
        pakke.oppdatert = timezone.now()
        pakke.save()
        transaction.on_commit(lambda: bygg_motepakke.enqueue(mote.pk, publikum))
    return pakke


def _set_uttrekk(uttrekk_id: int, **fields) -> None:
    Arkivuttrekk.objects.filter(pk=uttrekk_id).update(oppdatert=timezone.now(), **fields)


@task()
def bygg_arkivuttrekk(uttrekk_id: int) -> str:
    uttrekk = Arkivuttrekk.objects.select_related("utval").get(pk=uttrekk_id)
    _set_uttrekk(uttrekk_id, status=Arkivuttrekk.Status.BYGGJER, framdrift=1)
    try:
        fil = arkivuttrekk.bygg(uttrekk, lambda p: _set_uttrekk(uttrekk_id, framdrift=p))
    except Exception as error:
        _set_uttrekk(uttrekk_id, status=Arkivuttrekk.Status.FEILA, feil=str(error)[:500])
        raise
    _set_uttrekk(uttrekk_id, status=Arkivuttrekk.Status.FERDIG, fil=fil, framdrift=100, feil="")
    return fil


def start_arkivuttrekk(utval, ar: int) -> Arkivuttrekk:
    """Queue the archive export for this utval and year, unless one is being built."""
    with transaction.atomic():
        uttrekk, new = Arkivuttrekk.objects.select_for_update().get_or_create(utval=utval, ar=ar)
        busy = uttrekk.status in (
            Arkivuttrekk.Status.VENTAR,
            Arkivuttrekk.Status.BYGGJER,
        ) and uttrekk.oppdatert > timezone.now() - timedelta(minutes=30)
        if busy and not new:
            return uttrekk
        uttrekk.status = Arkivuttrekk.Status.VENTAR
        uttrekk.framdrift = 0
        uttrekk.feil = ""
        uttrekk.oppdatert = timezone.now()
        uttrekk.save()
        transaction.on_commit(lambda: bygg_arkivuttrekk.enqueue(uttrekk.pk))
    return uttrekk


@task()
def send_utsending(utsending_id: int) -> int:
    """Send a meeting's e-mail (moter/utsending.py); come back when a retry is due."""
    waiting = utsending.lever(utsending_id)
    if waiting:
        if send_utsending.get_backend().supports_defer:
            when = utsending.neste_runde(utsending_id)
            send_utsending.using(run_after=when).enqueue(utsending_id)
        else:  # a backend without a queue (tests, trying out): no later round
            log.warning("E-post som ventar på nytt forsøk, vert ikkje prøvd igjen: %s", waiting)
    return waiting


@task()
def sjekk_pakke(mote_id: int) -> bool:
    """Tell the utval's followers if a meeting pack that was sent has changed (varsel)."""
    from moter import varsel

    return varsel.sjekk_pakke(mote_id) is not None
