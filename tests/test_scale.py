"""``manage.py seed --scale N``: synthetic volume for measuring, deterministic and added once."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.scale import seed_scale
from partnarskap.models import Medlemskap, Person

pytestmark = pytest.mark.django_db


def _synthetic():
    return sorted(
        Medlemskap.objects.filter(person__namn__startswith="Test").values_list(
            "person__namn", "utval__slug", "partnar__slug", "rolle", "gruppe", "fra", "til"
        )
    )


def test_scale_adds_the_same_data_every_time_and_only_once(seeded):
    seed_scale(3)
    first = _synthetic()
    assert len(first) > 2 * 12 * 5  # two extra sets of seats in every active utval
    assert seed_scale(3) == "Syntetiske testdata finst alt; ingenting lagt til."
    assert _synthetic() == first
    Person.objects.filter(namn__startswith="Test").delete()
    seed_scale(3)
    assert _synthetic() == first


def test_scale_must_be_a_sensible_number(db):
    with pytest.raises(CommandError, match="heiltal frå 1 til 1000"):
        call_command("seed", "--scale", "0")


def test_no_page_costs_more_queries_with_more_data(public, seeded):
    """Every page type the benchmark measures, at today's volume and at three times it:
    the same number of SQL queries (none grows with the data)."""
    from bench.management.commands.bench_probe import pages

    def counts() -> dict[str, int]:
        result = {}
        for page in pages():
            with CaptureQueriesContext(connection) as queries:
                assert public.get(page["url"]).status_code == 200, page["url"]
            result[page["name"]] = len(queries)
        return result

    before = counts()
    seed_scale(3)
    after = counts()  # with a sak page too: the shipped data has no saker
    assert {name: after[name] for name in before} == before
