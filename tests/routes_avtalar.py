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


ROUTES = {
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
