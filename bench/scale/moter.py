"""Synthetic meetings. Everything made here is named as test data ("Testsak"), never like a
real fact."""

import hashlib
import random
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from bench.testdata import lag_pdf
from moter.models import Mote, Referat, Sak, Vedlegg
from partnarskap.models import Utval


def add(extra: int) -> None:
    """``extra`` years of synthetic FSU meetings before the shipped year, each with
    Testsaker, a small PDF attachment per sak and a referat, all from a seeded random
    generator."""
    utval = Utval.objects.filter(slug="fsu").first()
    if utval is None or extra <= 0:
        return
    rng = random.Random(20240214)
    pdf = lag_pdf(2, "Testvedlegg")
    first = 2023 - extra + 1
    with transaction.atomic():
        for year in range(first, 2024):
            if Mote.objects.filter(
                utval=utval, dato__year=year, tittel__startswith="Testmøte"
            ).exists():
                continue
            previous = None
            for runde, month in enumerate((2, 5, 9, 11), start=1):
                day = date(year, month, 1) + timedelta(days=rng.randrange(0, 27))
                mote = Mote.objects.create(
                    utval=utval,
                    tittel=f"Testmøte {runde}/{year} i {utval.kortnamn or utval.namn}",
                    dato=day,
                    runde=runde,
                    vertskap=Mote.Vertskap.KOMMUNANE if runde % 2 else Mote.Vertskap.HELSE_FORDE,
                    status=Mote.Status.HALDE,
                )
                for i in range(rng.randrange(3, 7)):
                    sak = Sak.objects.create(
                        mote=mote,
                        utval=utval,
                        ar=year,
                        nummer=mote.neste_saksnummer(),
                        tittel=f"Testsak {i + 1} i testmøte {runde}/{year}",
                        saksframlegg=f"Syntetisk saksframlegg nr. {rng.randrange(1000)}.",
                        forslag_til_vedtak="Syntetisk forslag til vedtak.",
                        vedtak="Syntetisk vedtak.",
                        rekkjefolgje=i + 1,
                    )
                    vedlegg = Vedlegg(sak=sak, tittel=f"Testvedlegg til testsak {i + 1}", sider=2)
                    vedlegg.storleik = len(pdf)
                    vedlegg.sjekksum = hashlib.sha256(pdf).hexdigest()
                    vedlegg.fil.save(f"testvedlegg-{sak.pk}.pdf", ContentFile(pdf), save=True)
                Referat.objects.create(mote=mote)
                if previous is not None:
                    Referat.objects.filter(mote=previous).update(godkjent_i=mote)
                previous = mote
