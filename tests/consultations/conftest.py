import pytest
from django.db import transaction

from tests.factories.consultations import consultation_index
from tests.factories.site import municipality


@pytest.fixture
def settlements(db, locales):
    return list(municipality().settlements.order_by("sort_order"))


@pytest.fixture
def index(home_page, settlements):
    return consultation_index(home_page)


@pytest.fixture(autouse=True)
def _on_commit_runs_now(request, monkeypatch):
    """Tests run inside a transaction that never commits, so on_commit work (emails) runs at once.
    Tests on real transactions (transaction=True) keep Django's behaviour."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
