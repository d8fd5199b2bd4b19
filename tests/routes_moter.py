"""The meetings app's rows in the permission matrix."""

from django.core.files.base import ContentFile
from matrix import GET_ONLY_WRITE, POST_ONLY_WRITE, READ, WRITE, Route

from bench.testdata import lag_pdf
from moter.models import Mote, Referat, Sak, Vedlegg


def _mote(d) -> Mote:
    return Mote.objects.filter(utval=d["utval"]).order_by("dato").first()


def _sak(d) -> Sak:
    mote = _mote(d)
    sak = mote.saker.first()
    if sak is None:
        sak = Sak.objects.create(
            mote=mote, utval=mote.utval, ar=mote.dato.year, nummer=1, tittel="Testsak"
        )
    return sak


def _vedlegg(d) -> Vedlegg:
    vedlegg = Vedlegg(sak=_sak(d), tittel="Testvedlegg", sider=1)
    vedlegg.fil.save("testvedlegg.pdf", ContentFile(lag_pdf(1)), save=True)
    return vedlegg


def _referat(d) -> Referat:
    return Referat.objects.get_or_create(mote=_mote(d))[0]


# Removing an attachment twice: the second time it is gone (404), for the secretariat only.
REMOVE = {
    "GET": POST_ONLY_WRITE["GET"],
    "POST": {**POST_ONLY_WRITE["POST"], "sekretariat": {200, 302, 404}},
}

ROUTES = {
    "moter:innkalling_send": Route(lambda d: {"pk": _mote(d).pk}, POST_ONLY_WRITE),
    "moter:oversikt": Route(lambda d: {}, READ),
    "moter:ar": Route(lambda d: {"ar": 2024}, READ),
    "moter:moteplan_pdf": Route(lambda d: {"ar": 2024}, READ),
    "moter:csv": Route(lambda d: {"ar": 2024}, READ),
    "moter:xlsx": Route(lambda d: {"ar": 2024}, READ),
    "moter:kalender": Route(lambda d: {}, READ),
    "moter:kalender_utval": Route(lambda d: {"slug": d["utval"].slug}, READ),
    "moter:mote": Route(lambda d: {"pk": _mote(d).pk}, READ),
    "moter:motepakke": Route(lambda d: {"pk": _sak(d).mote_id}, READ),
    "moter:motepakke_status": Route(lambda d: {"pk": _mote(d).pk}, READ),
    "moter:referat_pdf": Route(lambda d: {"pk": _referat(d).mote_id}, READ),
    "moter:vedlegg": Route(lambda d: {"pk": _vedlegg(d).pk}, READ),
    "moter:mote_ny": Route(lambda d: {}, WRITE),
    "moter:mote_fakta": Route(lambda d: {"pk": _mote(d).pk}, GET_ONLY_WRITE),
    "moter:mote_endre": Route(lambda d: {"pk": _mote(d).pk}, WRITE),
    "moter:mote_avlys": Route(lambda d: {"pk": _mote(d).pk}, POST_ONLY_WRITE),
    "moter:sak_ny": Route(lambda d: {"pk": _mote(d).pk}, WRITE),
    "moter:sak": Route(lambda d: {"pk": _sak(d).pk}, GET_ONLY_WRITE),
    "moter:sak_endre": Route(lambda d: {"pk": _sak(d).pk}, WRITE),
    "moter:sak_flytt": Route(lambda d: {"pk": _sak(d).pk}, POST_ONLY_WRITE),
    "moter:vedlegg_ny": Route(lambda d: {"pk": _sak(d).pk}, WRITE),
    "moter:vedlegg_flytt": Route(lambda d: {"pk": _vedlegg(d).pk}, POST_ONLY_WRITE),
    "moter:vedlegg_slett": Route(lambda d: {"pk": _vedlegg(d).pk}, REMOVE),
    "moter:referat_endre": Route(lambda d: {"pk": _mote(d).pk}, WRITE),
}
