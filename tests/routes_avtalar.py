"""Permission matrix rows for the agreement portfolio."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from helpers import HOSPITERING
from matrix import READ, WRITE, Route

MATRIX_FILE = "avtalar/matrise/matrise.pdf"


def _uploaded_version(d) -> dict:
    from avtalar.models import Avtale, Avtaleversjon

    if not default_storage.exists(MATRIX_FILE):
        default_storage.save(MATRIX_FILE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    avtale = Avtale.objects.get(slug=HOSPITERING)
    version = Avtaleversjon.objects.create(avtale=avtale, versjon="Matrise", dokument=MATRIX_FILE)
    return {"slug": avtale.slug, "pk": version.pk}


def _signering(d, dokument: bool = False) -> dict:
    """A signing of the current version of the delavtale on hospitering, by Helse Førde."""
    from avtalar.models import Avtale, Signering
    from partnarskap.models import Partnar, today

    avtale = Avtale.objects.get(slug=HOSPITERING)
    if dokument and not default_storage.exists(MATRIX_FILE):
        default_storage.save(MATRIX_FILE, ContentFile(b"%PDF-1.4\n%%EOF\n"))
    # The same signing each time the route is asked for its address (one per version and party).
    signing, _ = Signering.objects.update_or_create(
        versjon=avtale.gjeldande_versjon(),
        partnar=Partnar.objects.get(slug="helse-forde"),
        defaults={"dato": today(), "dokument": MATRIX_FILE if dokument else ""},
    )
    return {"pk": signing.pk}


def _versjon(d) -> dict:
    from avtalar.models import Avtale

    avtale = Avtale.objects.get(slug=HOSPITERING)
    return {"slug": avtale.slug, "pk": avtale.gjeldande_versjon().pk}


ROUTES = {
    "avtalar:signering": Route(lambda d: {}, READ),
    "avtalar:signering_eksport": Route(lambda d: {"format": "xlsx"}, READ),
    "avtalar:signering_ny": Route(_versjon, WRITE),
    "avtalar:signering_endre": Route(_signering, WRITE),
    "avtalar:signering_dokument": Route(lambda d: _signering(d, dokument=True), READ),
    "avtalar:oversikt": Route(lambda d: {}, READ),
    "avtalar:oversikt_pdf": Route(lambda d: {}, READ),
    "avtalar:revisjon": Route(lambda d: {}, READ),
    "avtalar:csv": Route(lambda d: {}, READ),
    "avtalar:xlsx": Route(lambda d: {}, READ),
    "avtalar:avtale": Route(lambda d: {"slug": HOSPITERING}, READ),
    "avtalar:dokument": Route(_uploaded_version, READ),
    "avtalar:endre": Route(lambda d: {"slug": HOSPITERING}, WRITE),
    "avtalar:ny_versjon": Route(lambda d: {"slug": HOSPITERING}, WRITE),
}
