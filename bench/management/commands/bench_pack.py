"""Part of ``manage.py bench``: build the pack of a 100-page meeting in this process and
report, as JSON, the cold build time against WeasyPrint rendering the same HTML alone, what
archival output costs (the same HTML as tagged PDF/A against a plain PDF, as packs were
written before), Ghostscript's time per attachment page for the archival copy, the time to
serve the unchanged pack, and this process's peak memory."""

import hashlib
import json
import resource
import statistics
import time
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.test import Client

from bench.testdata import lag_pdf
from moter import arkiv, pack
from moter.models import Mote, Sak, Vedlegg
from partnarskap.models import Utval
from portal import pdf

SAKER = 11
VEDLEGG_SIDER = 8


def _meeting() -> Mote:
    utval = Utval.objects.get(slug="fsu")
    mote = Mote.objects.create(
        utval=utval, tittel="Testmøte for måling", dato=date(2031, 3, 3), offentlege_papir=True
    )
    content = lag_pdf(VEDLEGG_SIDER, "Testvedlegg")
    for i in range(SAKER):
        sak = Sak.objects.create(
            mote=mote, utval=utval, ar=2031, nummer=mote.neste_saksnummer(),
            tittel=f"Testsak {i + 1} for måling", rekkjefolgje=i + 1,
            saksframlegg="Syntetisk saksframlegg. " * 60, forslag_til_vedtak="Syntetisk.",
        )  # fmt: skip
        vedlegg = Vedlegg(sak=sak, tittel=f"Testvedlegg {i + 1}", sider=VEDLEGG_SIDER)
        vedlegg.storleik = len(content)
        vedlegg.sjekksum = hashlib.sha256(content).hexdigest()
        vedlegg.fil.save(f"maling-{sak.pk}.pdf", ContentFile(content), save=True)
    return mote


RUNS = 3


def _timed(work) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``work()``."""
    started, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - started, time.process_time() - cpu


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


class Command(BaseCommand):
    help = "Målar møtepakken for eit møte på om lag 100 sider (for bench)."

    def handle(self, *args, **options):
        mote = _meeting()
        data = pack.innhald(mote, pack.ALLE)
        # A worker that builds packs has WeasyPrint and the templates loaded after its first
        # document; a process's first render also pays for that. Load them once with a
        # one-line document, so neither figure below carries it.
        pdf.document("<p>x</p>").write_pdf()
        pack.html(data)

        # Cold: the pack is not on disk. Build and baseline alternate, three times each,
        # and the medians are compared, so neither is favoured by running first or second.
        source = pack.html(data)  # WeasyPrint alone on the very HTML the pack is laid out from
        builds, weasys = [], []
        for _ in range(RUNS):
            path, _fingerprint = pack.ferdig_pakke(data)
            default_storage.delete(path)
            builds.append(_timed(lambda: pack.bygg(data)))
            weasys.append(_timed(lambda: pdf.document(source).write_pdf()))
        pages = pack.sidetal(path)
        (cold, cold_cpu), (weasy, weasy_cpu) = _median(builds), _median(weasys)
        # Archival output against the plain PDF the pack was written as before.
        plain = _median([_timed(lambda: pdf.document(source).write_pdf()) for _ in range(RUNS)])
        archival = _median(
            [_timed(lambda: pdf.write(pdf.render(pdf.document(source)))) for _ in range(RUNS)]
        )
        content = lag_pdf(VEDLEGG_SIDER, "Testvedlegg")
        per_page = (
            round(1000 * arkiv.sekund_per_side(content, VEDLEGG_SIDER))
            if arkiv.ghostscript()
            else None
        )

        client = Client()
        url = f"/moter/mote/{mote.pk}/motepakke.pdf"
        client.get(url)
        timings = []
        for _ in range(20):
            started = time.perf_counter()
            response = client.get(url)
            b"".join(response.streaming_content)
            timings.append(time.perf_counter() - started)
        timings.sort()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            json.dumps(
                {
                    "pages": pages,
                    "cold_build_s": round(cold, 2),
                    "weasyprint_same_html_s": round(weasy, 2),
                    "ratio": round(cold / weasy, 2),
                    # The same ratio in this process's CPU time: steadier on a busy machine.
                    "ratio_cpu": round(cold_cpu / weasy_cpu, 2),
                    # What PDF/A-2a with tags costs over the plain PDF of the same HTML.
                    "plain_pdf_s": round(plain[0], 2),
                    "archival_pdf_s": round(archival[0], 2),
                    "archival_ratio_cpu": round(archival[1] / plain[1], 2),
                    "ghostscript_ms_per_attachment_page": per_page,
                    "warm_download_median_ms": round(1000 * timings[len(timings) // 2], 1),
                    "peak_memory_mb": round(peak_mb),
                }
            )
        )
