from django.core.management.base import BaseCommand

from moter import arkiv
from moter.models import Vedlegg


class Command(BaseCommand):
    help = (
        "Lagar arkivversjonar (PDF/A-2b) av vedlegg som manglar ein, til dømes dei som vart "
        "lasta opp før arkivversjonar fanst. --bakgrunn legg arbeidet i køa til db_worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bakgrunn", action="store_true", help="Køa, ikkje gjer det no.")

    def handle(self, *args, bakgrunn: bool = False, **options):
        waiting = Vedlegg.objects.filter(arkivstatus=Vedlegg.Arkivstatus.VENTAR).exclude(fil="")
        done = failed = 0
        for pk in waiting.values_list("pk", flat=True):
            if bakgrunn:
                arkiv.lag_arkivversjon.enqueue(pk)
                done += 1
                continue
            arkiv.lag_arkivversjon.call(pk)
            if Vedlegg.objects.filter(pk=pk, arkivstatus=Vedlegg.Arkivstatus.FERDIG).exists():
                done += 1
            else:
                failed += 1
        verb = "lagde i kø" if bakgrunn else "laga"
        self.stdout.write(f"Arkivversjonar {verb}: {done}; kunne ikkje lagast: {failed}.")
