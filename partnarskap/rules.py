"""The documents' representation rules, made visible rather than enforced (seed 002)."""

from dataclasses import dataclass

from partnarskap.models import Medlemskap, Partnar, Utval

VOTING_ROLES = {Medlemskap.Rolle.LEIAR, Medlemskap.Rolle.NESTLEIAR, Medlemskap.Rolle.MEDLEM}


@dataclass
class Rule:
    tekst: str
    ok: bool
    detalj: str = ""


def representation(utval: Utval, seats: list[Medlemskap]) -> list[Rule]:
    if not utval.aktiv or utval.type in (Utval.Type.ARBEIDSGRUPPE,):
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
