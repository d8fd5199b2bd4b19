"""The meetings app's rows in the permission matrix."""

from django.core.files.base import ContentFile
from matrix import GET_ONLY_WRITE, PERSONAS, POST_ONLY_WRITE, READ, WRITE, Route

from bench.testdata import lag_pdf
from moter import varsel
from moter.models import Arkivuttrekk, Mote, Referat, Sak, Vedlegg


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


def _uttrekk(d) -> Arkivuttrekk:
    return Arkivuttrekk.objects.get_or_create(utval=d["utval"], ar=2024)[0]


def _referat(d) -> Referat:
    return Referat.objects.get_or_create(mote=_mote(d))[0]


# Removing an attachment twice: the second time it is gone (404), for the secretariat only.
# GET asks first (the page without JavaScript).
REMOVE = {
    "GET": WRITE["GET"],
    "POST": {**POST_ONLY_WRITE["POST"], "sekretariat": {200, 302, 404}},
}

# An archive export not built yet has no file to download (404), for the secretariat too.
UNBUILT_ZIP = {
    "GET": {**GET_ONLY_WRITE["GET"], "sekretariat": {404}},
    "POST": GET_ONLY_WRITE["POST"],
}

# Following: any logged-in user (the public is sent to log in). Unfollowing from the signed
# link in an e-mail needs no login, and the link's own POST no form token.
FOLLOW = {"GET": dict.fromkeys(PERSONAS, {405}), "POST": dict.fromkeys(PERSONAS, {302})}
UNFOLLOW = {"GET": dict.fromkeys(PERSONAS, {200}), "POST": dict.fromkeys(PERSONAS, {200})}

ROUTES = {
    "moter:folg": Route(lambda d: {"slug": d["utval"].slug}, FOLLOW),
    "moter:avmeld": Route(lambda d: {"token": varsel.avmeld_token(1, d["utval"].pk)}, UNFOLLOW),
    "moter:innkalling_send": Route(lambda d: {"pk": _mote(d).pk}, POST_ONLY_WRITE),
    "moter:oversikt": Route(lambda d: {}, READ),
    "moter:oppfolging": Route(lambda d: {}, GET_ONLY_WRITE),
    "moter:ar": Route(lambda d: {"ar": 2024}, READ),
    "moter:moteplan_pdf": Route(lambda d: {"ar": 2024}, READ),
    "moter:arkiv_uttrekk": Route(lambda d: {}, WRITE),
    "moter:arkiv_uttrekk_fil": Route(lambda d: {"pk": _uttrekk(d).pk}, UNBUILT_ZIP),
    "moter:csv": Route(lambda d: {"ar": 2024}, READ),
    "moter:xlsx": Route(lambda d: {"ar": 2024}, READ),
    "moter:kalender": Route(lambda d: {}, READ),
    "moter:kalender_utval": Route(lambda d: {"slug": d["utval"].slug}, READ),
    "moter:kalender_partnar": Route(lambda d: {"slug": "kinn"}, READ),
    "moter:endringar": Route(lambda d: {"slug": d["utval"].slug}, READ),
    "moter:mote": Route(lambda d: {"pk": _mote(d).pk}, READ),
    "moter:motepakke": Route(lambda d: {"pk": _sak(d).mote_id}, READ),
    "moter:motepakke_status": Route(lambda d: {"pk": _mote(d).pk}, READ),
    "moter:referat_pdf": Route(lambda d: {"pk": _referat(d).mote_id}, READ),
    "moter:vedlegg": Route(lambda d: {"pk": _vedlegg(d).pk}, READ),
    "moter:mote_ny": Route(lambda d: {}, WRITE),
    "moter:mote_fakta": Route(lambda d: {"pk": _mote(d).pk}, GET_ONLY_WRITE),
    "moter:mote_endre": Route(lambda d: {"pk": _mote(d).pk}, WRITE),
    "moter:mote_avlys": Route(lambda d: {"pk": _mote(d).pk}, WRITE),  # GET asks first
    "moter:sak_ny": Route(lambda d: {"pk": _mote(d).pk}, WRITE),
    "moter:sak": Route(lambda d: {"pk": _sak(d).pk}, GET_ONLY_WRITE),
    "moter:sak_endre": Route(lambda d: {"pk": _sak(d).pk}, WRITE),
    "moter:sak_flytt": Route(lambda d: {"pk": _sak(d).pk}, POST_ONLY_WRITE),
    "moter:vedlegg_ny": Route(lambda d: {"pk": _sak(d).pk}, WRITE),
    "moter:vedlegg_flytt": Route(lambda d: {"pk": _vedlegg(d).pk}, POST_ONLY_WRITE),
    "moter:vedlegg_slett": Route(lambda d: {"pk": _vedlegg(d).pk}, REMOVE),
    "moter:referat_endre": Route(lambda d: {"pk": _mote(d).pk}, WRITE),
    "moter:referat_opne": Route(lambda d: {"pk": _referat(d).mote_id}, POST_ONLY_WRITE),
}
