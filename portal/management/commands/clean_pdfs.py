import hashlib

from django.core.management.base import BaseCommand

from avtalar.models import Avtaleversjon
from moter.models import Vedlegg
from portal import sidebuffer
from portal.lagring import store_whole
from portal.pdfclean import UnreadablePdf, strip_active_content


def _clean_file(field) -> bytes | None:
    """Clean the stored file in place; its new bytes, or None if it had nothing to remove."""
    with field.open("rb") as handle:
        data = handle.read()
    clean = strip_active_content(data)
    if clean is data:
        return None
    store_whole(field.name, clean, storage=field.storage)
    return clean


class Command(BaseCommand):
    help = (
        "Fjernar skript og handlingar (JavaScript, opningshandlingar, /AA, Launch, "
        "javascript:-lenkjer) frå PDF-filer som vart lasta opp før opplastingar vart reinska."
    )

    def handle(self, *args, **options):
        cleaned = unreadable = 0
        for vedlegg in Vedlegg.objects.exclude(fil="").only("pk", "fil"):
            try:
                clean = _clean_file(vedlegg.fil)
            except (FileNotFoundError, UnreadablePdf):
                unreadable += 1
                continue
            if clean is not None:
                # The checksum and size describe the stored file (the pack's fingerprint).
                Vedlegg.objects.filter(pk=vedlegg.pk).update(
                    sjekksum=hashlib.sha256(clean).hexdigest(), storleik=len(clean)
                )
                cleaned += 1
        for versjon in Avtaleversjon.objects.exclude(dokument="").only("pk", "dokument"):
            try:
                cleaned += _clean_file(versjon.dokument) is not None
            except (FileNotFoundError, UnreadablePdf):
                unreadable += 1
        if cleaned:
            sidebuffer.endra()
        self.stdout.write(f"Reinska {cleaned} PDF-filer. {unreadable} kunne ikkje lesast.")
