"""A concrete citizen record used only by the tests of the shared participation core."""

from django.db import models

from participation.models import Contribution


class Note(Contribution):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=80, blank=True)

    personal_fields = ("email", "name")
