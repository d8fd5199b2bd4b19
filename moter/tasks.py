"""Building a large meeting pack in the background (django-tasks, database worker)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from moter import arkivuttrekk, pack
from moter.models import Arkivuttrekk, Mote, Motepakke
from portal import sidebuffer


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
        fil=path.name,
        sider=pack.sidetal(path),
        framdrift=100,
        feil="",
    )
    return path.name


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
        path = arkivuttrekk.bygg(uttrekk, lambda p: _set_uttrekk(uttrekk_id, framdrift=p))
    except Exception as error:
        _set_uttrekk(uttrekk_id, status=Arkivuttrekk.Status.FEILA, feil=str(error)[:500])
        raise
    _set_uttrekk(
        uttrekk_id, status=Arkivuttrekk.Status.FERDIG, fil=path.name, framdrift=100, feil=""
    )
    return path.name


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
