"""Bad input at scale: every URL in the permission matrix, with hostile values in every
field of its forms and in the query parameters the portal reads, never answers 500.

The field names come from the pages themselves (every <input>, <select> and <textarea>), so
a new form is fuzzed without anyone adding it here."""

import re

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st
from matrix import ROUTES

pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

# Query parameters the list pages read, whether or not a form on the page names them.
QUERY_PARAMS = {"q", "status", "type", "partnar", "utval", "ansvarleg", "pasientgruppe", "dato",
                "ar", "side", "edit_version", "periode", "format", "next"}  # fmt: skip

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=600),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\x1b[31m",
            "0",
            "-1",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "2024-02-30",
            "2024-13-01",
            "0000-00-00",
            "31.02.2024",
            "9999-12-31",
            "-2024-01-01",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "../../etc/passwd",
            "%00",
            "true",
            "[]",
            "{}",
            "ÆØÅ",
            "x" * 10_000,
        ]
    ),  # fmt: skip
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)

# Each of these is also tried in every field at once, on every route, before the random
# examples: the kinds of value that have broken the portal (a key too large for the
# database, a NUL that PostgreSQL refuses, a name longer than its column, a date that is
# not one). A new field is thus always tried with them, whatever the random draw.
IN_EVERY_FIELD = ["99999999999999999999999", "\x00", "x" * 10_000, "2024-02-30"]

FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)


def _field_names(html: str) -> set[str]:
    return {name for name in FIELD.findall(html) if name != "csrfmiddlewaretoken"}


def _fuzz(name, data, sekretariat):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(data))
    can_get = 200 in route.expect["GET"]["sekretariat"]
    can_post = route.expect["POST"]["sekretariat"] != {405}
    fields = set(QUERY_PARAMS)
    html = True
    if can_get:
        page = sekretariat.get(url)
        html = page["Content-Type"].startswith("text/html")
        if html:  # a PDF has no form fields
            fields |= _field_names(page.content.decode())
    names = sorted(fields)

    # The profile (tests/conftest.py) says how many random examples; documents (PDF, CSV,
    # calendars) are slow to make and read few parameters, so they get a third of that.
    examples = settings().max_examples

    @settings(max_examples=examples if html else max(1, examples // 3))
    @given(values=st.dictionaries(st.sampled_from(names), HOSTILE, max_size=8))
    def check(values):
        if can_get:
            response = sekretariat.get(url, values)
            assert response.status_code < 500, (url, values)
        if can_post:
            response = sekretariat.post(url, values)
            assert response.status_code < 500, (url, values)
            response = sekretariat.post(url, values, HTTP_HX_REQUEST="true")
            assert response.status_code < 500, (url, values)

    for value in IN_EVERY_FIELD:
        check = example(values=dict.fromkeys(names, value))(check)
    check()


@pytest.mark.parametrize("name", sorted(set(ROUTES) - {"logout"}))
def test_hostile_input_never_gives_a_server_error(name, data, sekretariat):
    # One test per URL, so a failure names it; whatever the fuzzing writes is rolled back.
    _fuzz(name, data, sekretariat)
