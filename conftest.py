"""Tests marked `postgres` need PostgreSQL features; on SQLite they are skipped.

Tests marked `one_database` need one pass only: what they check is decided in Python, not
in the database (who may open what, what a PDF contains), or PostgreSQL is the stricter
database for it (hostile input: SQLite stores a NUL byte that PostgreSQL refuses). CI's
second database pass sets SKIP_ONE_DATABASE=1 and leaves them out; `make test` alone runs
them on whatever database it is given."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if os.environ.get("SKIP_ONE_DATABASE") == "1":
        kept = [item for item in items if "one_database" not in item.keywords]
        config.hook.pytest_deselected(items=[i for i in items if "one_database" in i.keywords])
        items[:] = kept

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL to a PostgreSQL database)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
