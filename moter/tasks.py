"""Building a large meeting pack in the background (django-tasks, database worker)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from moter import pack
from moter.models import Mote, Motepakke
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
