"""Test helpers shared by every app's tests."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url, **kwargs):
    """GET `url` and return (response, number of database queries it made)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    return response, len(captured.captured_queries)


def assert_queries_constant(client, url, grow, *, expected=None, **kwargs):
    """The query count of `url` must not change when `grow()` adds data (no N+1).

    Returns the count. With `expected`, it must also equal that number.
    """
    client.get(url, **kwargs)  # warm caches (site root paths, content types)
    first_response, before = count_queries(client, url, **kwargs)
    assert first_response.status_code == 200, first_response.status_code
    grow()
    second_response, after = count_queries(client, url, **kwargs)
    assert second_response.status_code == 200, second_response.status_code
    assert before == after, f"{url}: {before} queries before, {after} after the data grew"
    if expected is not None:
        assert after == expected, f"{url}: {after} queries, expected {expected}"
    return after


def is_postgres():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


requires_postgres = pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL (set DATABASE_URL); CI runs it")


def dashboard_panels(client, user):
    """{panel id: its HTML} of Veche's panels on the admin home page for `user` (never a superuser)."""
    assert not user.is_superuser
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    return {match.group(1): match.group(0) for match in re.finditer(r'<section[^>]*id="(veche-[\w-]+)".*?</section>', html, re.S)}
