from django.apps import AppConfig


class AvtalarConfig(AppConfig):
    name = "avtalar"
    verbose_name = "Avtalar"

    def partnar_sections(self, partnar) -> list:
        """On a partner's page: the agreements that apply to it, its særavtalar included."""
        from avtalar.models import Avtale
        from portal.hooks import Seksjon

        avtalar = list(
            partnar.avtalar.exclude(
                status__in=[Avtale.Status.UTKAST, Avtale.Status.OPPHEVA]
            ).order_by("type", "rekkjefolgje", "tittel")
        )
        order = {t: i for i, t in enumerate(Avtale.Type.values)}
        avtalar.sort(key=lambda a: order[a.type])
        return [
            Seksjon(
                "Avtalar som gjeld for " + partnar.namn,
                "avtalar/_partnar.html",
                {"avtalar": avtalar, "partnar": partnar},
                rekkjefolgje=20,
            )
        ]

    def search_sources(self) -> list:
        from avtalar.search import search_sources

        return search_sources()

    def framside(self, request) -> list:
        from django.urls import reverse

        from avtalar.models import Avtaleversjon
        from avtalar.views import REVISJON_FRAMOVER, synlege_avtalar
        from partnarskap.models import today
        from portal.hooks import Seksjon

        on = today()
        recent = (
            Avtaleversjon.objects.filter(godkjend=True, gjeld_fra__lte=on)
            .exclude(avtale__status__in=["utkast", "oppheva"])
            .select_related("avtale")
            .order_by("-gjeld_fra", "-pk")[:5]
        )
        revised = []
        for version in recent:
            avtale = version.avtale
            avtale.merknad = f"ny versjon frå {version.gjeld_fra:%d.%m.%Y}"
            revised.append(avtale)
        due = list(
            synlege_avtalar(request.user)
            .prefetch_related(None)  # only titles and dates are shown here
            .exclude(status="oppheva")
            .filter(neste_revisjon__lte=on + REVISJON_FRAMOVER)
            .order_by("neste_revisjon")[:5]
        )
        for avtale in due:
            late = avtale.neste_revisjon < on
            verb = "skulle vore revidert" if late else "skal reviderast"
            avtale.merknad = f"{verb} {avtale.neste_revisjon:%d.%m.%Y}"
        return [
            Seksjon(
                "Nyleg reviderte avtalar",
                "avtalar/_framside.html",
                {
                    "avtalar": revised,
                    "tom": "Ingen avtalar har fått ny versjon med dato enno.",
                    "lenkje": reverse("avtalar:oversikt"),
                    "lenkjetekst": "Alle avtalane",
                },
                rekkjefolgje=30,
            ),
            Seksjon(
                "Avtalar som skal reviderast",
                "avtalar/_framside.html",
                {
                    "avtalar": due,
                    "tom": "Ingen avtalar skal reviderast dei neste seks månadene.",
                    "lenkje": reverse("avtalar:revisjon"),
                    "lenkjetekst": "Revisjonslista for Avtaleutvalet",
                },
                rekkjefolgje=31,
            ),
        ]

    def til_oppfolging(self, request) -> list:
        from avtalar.models import Avtale
        from partnarskap.models import today
        from portal.access import is_sekretariat
        from portal.hooks import Oppfolging

        if not is_sekretariat(request.user):
            return []
        late = (
            Avtale.objects.exclude(status=Avtale.Status.OPPHEVA)
            .filter(neste_revisjon__lt=today())
            .order_by("neste_revisjon")
        )
        return [
            Oppfolging(
                kategori="Avtale som skulle vore revidert",
                tekst=f"{a.tittel}: revisjonsdatoen {a.neste_revisjon:%d.%m.%Y} har passert",
                url=a.get_absolute_url(),
                dato=a.neste_revisjon,
            )
            for a in late
        ]

    def seed_scale(self, n: int) -> None:
        from avtalar.scale import seed_scale

        seed_scale(n)
