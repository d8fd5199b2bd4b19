"""The documents' representation rules, made visible rather than enforced (seed 002)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef

from partnarskap.models import Medlemskap, Partnar, Samansetjingsregel, Utval

VOTING_ROLES = {Medlemskap.Rolle.LEIAR, Medlemskap.Rolle.NESTLEIAR, Medlemskap.Rolle.MEDLEM}


@dataclass
class Rule:
    tekst: str
    ok: bool
    detalj: str = ""


def har_regel(utval: Utval) -> bool:
    """Whether the representation rules apply to ``utval``."""
    return utval.aktiv and utval.type != Utval.Type.ARBEIDSGRUPPE


def utval_med_brukar_og_fastlege(on: date | None = None):
    """The utval the rules apply to, each with ``brukar`` and ``fastlege``: whether its
    seats on ``on`` include users and GPs, the first two rules of ``representation`` asked
    of the database for every utval at once (the follow-up list)."""
    seats = Medlemskap.objects.gjeldande(on).filter(utval=OuterRef("pk"))
    return (
        Utval.objects.filter(aktiv=True)
        .exclude(type=Utval.Type.ARBEIDSGRUPPE)
        .annotate(
            brukar=Exists(seats.filter(gruppe=Medlemskap.Gruppe.BRUKAR)),
            fastlege=Exists(seats.filter(gruppe=Medlemskap.Gruppe.FASTLEGE)),
        )
    )


def representation(utval: Utval, seats: list[Medlemskap]) -> list[Rule]:
    if not har_regel(utval):
        return []
    current = [m for m in seats if m.er_gjeldande()]
    groups = {m.gruppe for m in current}
    rules = [
        Rule(
            "Brukarar er representerte",
            Medlemskap.Gruppe.BRUKAR in groups,
            "Brukarar skal delta på alle nivå.",
        ),
        Rule(
            "Fastlegar er representerte",
            Medlemskap.Gruppe.FASTLEGE in groups,
            "Fastlegar skal delta på alle nivå.",
        ),
    ]
    if utval.krev_lik_representasjon:
        voting = [m.partnar for m in current if m.rolle in VOTING_ROLES and m.partnar]
        hf = sum(1 for p in voting if p.type == Partnar.Type.HELSEFORETAK)
        kommunar = sum(1 for p in voting if p.type == Partnar.Type.KOMMUNE)
        rules.append(
            Rule(
                "Lik representasjon frå partnarane",
                hf == kommunar and hf > 0,
                f"Helseføretaket: {hf}, kommunane: {kommunar}.",
            )
        )
    ending = [m for m in current if m.sluttar_snart()]
    rules.append(
        Rule(
            "Ingen funksjonstider går ut innan seks månader",
            not ending,
            ", ".join(f"{m.person} ({m.til:%d.%m.%Y})" for m in ending),
        )
    )
    return rules


# --- The composition rule (Samansetjingsregel) against the seats held today ---

FIRE_AR = 4


@dataclass
class Plassrad:
    """One kind of seat: what the rule says, how many hold one today, how many are vacant."""

    namn: str
    regel: int | None  # None: the rule does not say
    fylt: int

    @property
    def ledige(self) -> int:
        return max(self.regel - self.fylt, 0) if self.regel is not None else 0

    @property
    def over(self) -> int:
        return max(self.fylt - self.regel, 0) if self.regel is not None else 0


@dataclass
class Samansetjing:
    rader: list[Plassrad]
    helseforetak: int
    kommunar: int
    lange: list[Medlemskap]  # terms longer than four years
    sluttar: list[Medlemskap]  # terms that end within six months

    @property
    def i_balanse(self) -> bool:
        """Equal seats for the health trust and the municipalities; an empty utval is not
        balanced."""
        return self.helseforetak == self.kommunar and self.helseforetak > 0


def kind_of(seat: Medlemskap) -> str:
    """Which kind of seat a seat is: a group it represents counts before its partner."""
    if seat.gruppe in (Medlemskap.Gruppe.BRUKAR, Medlemskap.Gruppe.FASTLEGE):
        return seat.gruppe
    partnar = seat.partnar
    if partnar is not None and partnar.type in (Partnar.Type.HELSEFORETAK, Partnar.Type.KOMMUNE):
        return partnar.type
    return ""


def lengre_enn_fire_ar(seat: Medlemskap) -> bool:
    """The report recommends four-year terms; a longer one is shown."""
    if not (seat.fra and seat.til):
        return False
    try:
        limit = seat.fra.replace(year=seat.fra.year + FIRE_AR)
    except ValueError:  # 29 February
        limit = seat.fra.replace(year=seat.fra.year + FIRE_AR, day=28)
    return seat.til > limit


def samansetjing(regel: Samansetjingsregel | None, seats: list[Medlemskap]) -> Samansetjing:
    """The utval's seats held today against its rule (``regel`` None: no rule entered)."""
    current = [m for m in seats if m.er_gjeldande()]
    voting = [m for m in current if m.rolle in VOTING_ROLES]
    count = Counter(kind_of(m) for m in voting)
    r = regel or Samansetjingsregel()
    rader = [
        Plassrad("Helseføretaket", r.helseforetak, count[Partnar.Type.HELSEFORETAK]),
        Plassrad("Kommunane", r.kommunar, count[Partnar.Type.KOMMUNE]),
        Plassrad("Brukarar", r.brukarar, count[Medlemskap.Gruppe.BRUKAR]),
        Plassrad("Fastlegar", r.fastlegar, count[Medlemskap.Gruppe.FASTLEGE]),
        Plassrad("Medlemmar i alt", r.totalt, len(voting)),
        Plassrad("Vara", r.vara, sum(1 for m in current if m.rolle == Medlemskap.Rolle.VARA)),
    ]
    return Samansetjing(
        rader=rader,
        helseforetak=count[Partnar.Type.HELSEFORETAK],
        kommunar=count[Partnar.Type.KOMMUNE],
        lange=[m for m in current if lengre_enn_fire_ar(m)],
        sluttar=[m for m in current if m.sluttar_snart()],
    )
