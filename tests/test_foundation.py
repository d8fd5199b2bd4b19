"""Settings, health, login, errors and the seed."""

import subprocess
import sys

import pytest
from django.apps import apps
from django.urls import reverse

from partnarskap.models import Medlemskap, Partnar, Utval
from portal.management.commands.seed import seed_fixtures

# The deploy checks run in a process of their own, on a database of their own (SQLite in
# memory): the same test in both of CI's database passes (conftest.py).
deploy_check = pytest.mark.one_database(on="sqlite")


def _run_check(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
    )


@deploy_check
def test_deploy_check_is_clean_with_production_defaults(tmp_path):
    result = _run_check(
        {
            "SECRET_KEY": "k3y-" + "x9Q!a7-Zp2" * 6,
            "DATABASE_URL": "sqlite:///:memory:",
            "SITE_URL": "https://portal.example.no",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


@deploy_check
def test_deploy_check_asks_for_the_site_url():
    result = _run_check(
        {"SECRET_KEY": "k3y-" + "x9Q!a7-Zp2" * 6, "DATABASE_URL": "sqlite:///:memory:"}
    )
    assert result.returncode != 0 and "SITE_URL" in result.stdout + result.stderr


@deploy_check
def test_refuses_to_start_without_secret_key():
    result = _run_check({"DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@deploy_check
def test_refuses_an_insecure_secret_key():
    result = _run_check({"SECRET_KEY": "django-insecure-abc", "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@deploy_check
def test_bad_boolean_in_environment_fails_loudly():
    result = _run_check({"DEBUG": "kanskje", "DATABASE_URL": "sqlite:///:memory:"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_health_endpoint(public, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = public.get("/helse/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_base_layout_is_nynorsk_with_skip_link_and_navigation(public, seeded):
    html = public.get("/").content.decode()
    assert '<html lang="nn">' in html
    assert 'href="#innhald"' in html and "Hopp til innhaldet" in html
    for label in ("Partnarskap", "Avtalar", "Handlingsplan", "Møte"):
        assert f">{label}</a>" in html
    assert "/static/portal/htmx.min.js" in html
    assert "X-CSRFToken" not in html  # no token for the public: their pages are cached
    assert "cdn" not in html.lower()


def test_unknown_url_is_a_nynorsk_404(public, db):
    response = public.get("/finst-ikkje/")
    assert response.status_code == 404
    assert "Fann ikkje sida" in response.content.decode()


def test_login_and_logout(public, sekretariat_user):
    page = public.get(reverse("login"))
    assert "Logg inn" in page.content.decode()
    bad = public.post(reverse("login"), {"username": "sigrid", "password": "feil"})
    assert "Brukarnamnet eller passordet er feil" in bad.content.decode()
    good = public.post(reverse("login"), {"username": "sigrid", "password": "ikkje-i-bruk-123"})
    assert good.status_code == 302
    assert "(sekretariatet)" in public.get("/").content.decode()
    public.post(reverse("logout"))
    assert "Logg inn" in public.get("/").content.decode()


def test_dates_are_written_the_norwegian_way(sekretariat, fsu):
    from datetime import date

    from partnarskap.models import Person

    person = Person.objects.create(namn="Kari Nordmann")
    Medlemskap.objects.create(person=person, utval=fsu, fra=date(2024, 2, 14))
    html = sekretariat.get(fsu.get_absolute_url()).content.decode()
    assert "14. februar 2024" in html


class TestSeed:
    def test_ships_the_partners_and_bodies_of_the_seeds(self, seeded):
        kommunar = Partnar.objects.filter(type=Partnar.Type.KOMMUNE)
        assert kommunar.count() == 17
        assert not kommunar.filter(namn__icontains="Gulen").exists()
        assert Partnar.objects.filter(namn="Helse Førde HF").exists()
        for name in ("KS", "USHT", "HVL"):
            assert Partnar.objects.filter(kortnamn=name).exists()
        assert set(Utval.objects.values_list("kortnamn", flat=True)) >= {"SSU", "FSU", "FBU"}
        fsu = Utval.objects.get(kortnamn="FSU")
        assert fsu.moter_per_ar == 4 and fsu.krev_lik_representasjon
        assert list(fsu.tidlegare_namn.values_list("namn", flat=True)) == ["Fagrådet"]
        assert fsu.rapporterer_til.kortnamn == "SSU"

    def test_the_2021_working_group_has_the_members_of_seed_003(self, seeded):
        group = Utval.objects.get(slug="arbeidsgruppa-helsefellesskap")
        names = set(group.medlemskap.values_list("person__namn", flat=True))
        assert len(names) == 11
        assert {"Børge Tvedt", "Margun Thue", "Marius Solbakken"} <= names
        fastlege = group.medlemskap.get(person__namn="Marius Solbakken")
        assert fastlege.gruppe == "fastlege" and fastlege.partnar.namn == "Stryn kommune"

    def test_missing_facts_stay_empty(self, seeded):
        # The seeds give no dates for the working group's terms, nor contact details.
        group = Utval.objects.get(slug="arbeidsgruppa-helsefellesskap")
        assert not group.medlemskap.filter(fra__isnull=False).exists()
        assert Utval.objects.get(namn="Partnarskapsmøtet").moter_per_ar is None

    def test_is_idempotent_and_keeps_edits(self, seeded):
        counts = {m: m.objects.count() for m in (Partnar, Utval, Medlemskap)}
        history = Partnar.history.count()
        kinn = Partnar.objects.get(slug="kinn")
        kinn.skildring = "Endra av sekretariatet"
        kinn.save()
        assert seed_fixtures() == {}
        assert {m: m.objects.count() for m in counts} == counts
        assert Partnar.history.count() == history + 1
        kinn.refresh_from_db()
        assert kinn.skildring == "Endra av sekretariatet"

    def test_seeded_objects_start_their_history(self, seeded):
        record = Utval.objects.get(kortnamn="FSU").history.get()
        assert record.history_change_reason == "Henta frå grunnlagsdokumenta"

    def test_every_seeded_object_has_exactly_one_created_entry(self, seeded):
        # Many-to-many fields saved from a fixture must not leave "changed" entries
        # that nobody made.
        for model in apps.get_models():
            # (A historical many-to-many row model has a "history" foreign key: skip it.)
            manager = getattr(model, "history", None)
            if getattr(manager, "model", None) is None or not model.objects.exists():
                continue
            entries = model.history.model.objects
            assert not entries.exclude(history_type="+").exists(), model
            assert entries.count() == model.objects.count(), model
            assert set(entries.values_list("history_change_reason", flat=True)) == {
                "Henta frå grunnlagsdokumenta"
            }, model

    def test_seed_command_runs_twice(self, db):
        from io import StringIO

        from django.core.management import call_command

        # The test database holds the seeds already (tests/conftest.py): empty it first, in
        # the test's transaction, so the first run starts from a fresh database.
        call_command("flush", interactive=False, verbosity=0)
        assert not Utval.objects.exists()
        call_command("seed", stdout=StringIO())
        assert Utval.objects.filter(slug="fsu").exists()
        out = StringIO()
        call_command("seed", stdout=out)
        assert "Ingenting nytt" in out.getvalue()


@pytest.mark.postgres
def test_sequences_move_past_seeded_keys(seeded):
    # A new row must not collide with the explicit keys of the shipped data.
    partner = Partnar.objects.create(namn="Ny partnar", slug="ny", type=Partnar.Type.ANNA)
    assert partner.pk > 25


def test_selects_are_written_as_djangos_templates_write_them(seeded):
    """The form renderer writes selects in Python (portal.forms.PortalFormRenderer); the
    HTML is the same as Django's templates give, for every kind of choice and attribute."""
    from django import forms
    from django.forms.renderers import TemplatesSetting

    from portal.forms import PortalFormRenderer

    class Skjema(forms.Form):
        utval = forms.ModelChoiceField(Utval.objects.order_by("namn"), empty_label="Vel utval")
        partnarar = forms.ModelMultipleChoiceField(Partnar.objects.order_by("namn"))
        gruppert = forms.ChoiceField(
            choices=[("", "Ingen"), ("Å & <b>", [("a", "«A» & <b>"), ("b", "B")]), ("c", "C")],
            widget=forms.Select(attrs={"required": True, "disabled": False, "data-x": '"q"'}),
        )

    first_two = list(Partnar.objects.order_by("namn").values_list("pk", flat=True)[:2])
    data = {"utval": Utval.objects.first().pk, "partnarar": first_two, "gruppert": "a"}
    for name in ("utval", "partnarar", "gruppert"):
        ours = str(Skjema(data, renderer=PortalFormRenderer())[name])
        djangos = str(Skjema(data, renderer=TemplatesSetting())[name])
        assert ours == djangos, name
        assert "<option" in ours and "selected" in ours
