"""What the agreement portfolio gives the rest of the portal: a partner's agreements, what
it puts in the search index (avtalar/search.py), front-page sections and follow-up items."""

from django.urls import reverse

from avtalar import search, signering
from avtalar.access import avtalar_visible_to
from avtalar.models import Avtale, Avtaleversjon
from avtalar.views import REVISJON_FRAMOVER
from partnarskap.models import today
from portal.access import is_sekretariat
from portal.hooks import Hooks, Kategori, Punkt, Seksjon, kategori


class AvtalarHooks(Hooks):
    def partnar_seksjonar(self, partnar) -> list[Seksjon]:
        """On a partner's page: the agreements that apply to it, its særavtalar included.
        The page is the same for everyone, so it shows what the public may see."""
        avtalar = list(
            signering.med_signeringar(
                avtalar_visible_to(None)
                .filter(partar=partnar)
                .exclude(status=Avtale.Status.OPPHEVA)
                .order_by("type", "rekkjefolgje", "tittel")
            )
        )
        order = {t: i for i, t in enumerate(Avtale.Type.values)}
        avtalar.sort(key=lambda a: order[a.type])
        for avtale in avtalar:
            avtale.signering = signering.status_for(avtale, [partnar])[0]
        return [
            Seksjon(
                "Avtalar som gjeld for " + partnar.namn,
                "avtalar/_partnar.html",
                {"avtalar": avtalar, "partnar": partnar},
                rekkjefolgje=20,
            )
        ]

    def search_sources(self):
        return search.search_sources()

    def framside(self, request) -> list[Seksjon]:
        on = today()
        visible = avtalar_visible_to(request.user).exclude(status=Avtale.Status.OPPHEVA)
        recent = (
            Avtaleversjon.objects.filter(godkjend=True, gjeld_fra__lte=on, avtale__in=visible)
            .select_related("avtale")
            .order_by("-gjeld_fra", "-pk")[:5]
        )
        revised = []
        for version in recent:
            avtale = version.avtale
            avtale.merknad = f"ny versjon frå {version.gjeld_fra:%d.%m.%Y}"
            revised.append(avtale)
        due = list(
            visible.filter(neste_revisjon__lte=on + REVISJON_FRAMOVER).order_by("neste_revisjon")[
                :5
            ]
        )
        for avtale in due:
            late = avtale.revisjon_forfallen(on)
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

    def til_oppfolging(self, request, grense=None) -> list[Kategori]:
        if not is_sekretariat(request.user):
            return []
        visible = avtalar_visible_to(request.user)
        late = (
            visible.exclude(status=Avtale.Status.OPPHEVA)
            .filter(neste_revisjon__lt=today())
            .order_by("neste_revisjon", "tittel")
        )

        def signing(versions: list[Avtaleversjon]) -> list[Punkt]:
            items: list[Punkt] = []
            for rad, frist in signering.til_oppfolging(versions):
                missing = ", ".join(
                    c.partnar.namn for c in rad.celler if c.status == signering.IKKJE_SIGNERT
                )
                url = f"{rad.avtale.get_absolute_url()}#signering"
                items.append((f"{rad.avtale.tittel}: manglar signering frå {missing}", url, frist))
            return items

        return [
            *kategori(
                "Avtale som skulle vore revidert",
                late,
                lambda avtalar: [
                    (
                        f"{a.tittel}: revisjonsdatoen {a.neste_revisjon:%d.%m.%Y} har passert",
                        a.get_absolute_url(),
                        a.neste_revisjon,
                    )
                    for a in avtalar
                ],
                grense,
                reverse("avtalar:revisjon"),
            ),
            *kategori(
                "Avtale som ikkje alle partane har signert",
                signering.seint_signerte(visible),
                signing,
                grense,
                f"{reverse('avtalar:signering')}#oppfolging-tittel",
            ),
        ]
