"""Tests marked `postgres` need PostgreSQL features; on SQLite they are skipped.

Tests marked `one_database` need one pass only: what they check is decided in Python, not
in the database (who may open what, what a PDF contains), or PostgreSQL is the stricter
database for it (hostile input: SQLite stores a NUL byte that PostgreSQL refuses). They
run in the PostgreSQL pass, or in the SQLite pass when marked `one_database(on="sqlite")`,
so that CI's two database passes, which run at once, take about as long as each other. CI
names its pass in ONE_DATABASE_PASS ("postgresql" or "sqlite"); without it, `make test`
runs them all on whatever database it is given."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    this_pass = os.environ.get("ONE_DATABASE_PASS")
    if this_pass:

        def elsewhere(item) -> bool:
            marker = item.get_closest_marker("one_database")
            return marker is not None and marker.kwargs.get("on", "postgresql") != this_pass

        config.hook.pytest_deselected(items=[i for i in items if elsewhere(i)])
        items[:] = [i for i in items if not elsewhere(i)]

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL to a PostgreSQL database)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
