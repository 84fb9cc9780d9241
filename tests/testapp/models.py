"""A concrete citizen record used only by the tests of the shared participation core."""

from django.db import models
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from participation.models import Contribution
from participation.opendata import OpenData, OpenDataRoutes


class Note(Contribution):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=80, blank=True)

    personal_fields = ("email", "name")


class DataPage(OpenDataRoutes, RoutablePageMixin, Page):
    """A page with open data, for the tests of the core's open-data routes."""

    def open_data(self, request):
        return OpenData(
            columns=["id", "name", "count", "places"],
            rows=[
                {"id": 1, "name": "Парк", "count": 3, "places": ["Зорница"]},
                {"id": 2, "name": "=HYPERLINK(\"http://evil\")", "count": -2, "places": []},
            ],
            meta={"kind": "test"},
        )
