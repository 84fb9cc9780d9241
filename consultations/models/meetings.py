"""Public meetings of a consultation (snippets) and the proposals made at them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtailgeowidget.panels import LeafletPanel

from participation.geo import parse_point

from .choices import Decision
from .pages import ConsultationPage


class Meeting(ClusterableModel):
    page = models.ForeignKey(
        ConsultationPage, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("consultation")
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    settlement = models.ForeignKey(
        "home.Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("settlement")
    )
    address = models.CharField(_("address"), max_length=250)
    location = models.CharField(_("location"), max_length=250, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    accessibility = models.TextField(_("accessibility"), blank=True, help_text=_("Step-free access, hearing loop, parking, help on request."))
    minutes = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("minutes")
    )
    attendees = models.PositiveIntegerField(_("number of attendees"), null=True, blank=True)

    panels = [
        FieldPanel("page"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("settlement"),
        FieldPanel("address"),
        LeafletPanel("location", address_field="address"),
        FieldPanel("agenda"),
        FieldPanel("accessibility"),
        MultiFieldPanel(
            [FieldPanel("minutes"), FieldPanel("attendees"), InlinePanel("proposals", label=_("Proposals made at the meeting"))],
            heading=_("After the meeting"),
        ),
    ]

    class Meta:
        verbose_name = _("public meeting")
        verbose_name_plural = _("public meetings")
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y %H:%M})"

    def save(self, *args, **kwargs):
        # Meetings belong to the canonical page, whichever language version the editor chose.
        if self.page_id:
            self.page = self.page.canonical
        super().save(*args, **kwargs)

    @property
    def point(self):
        """(lat, lng) from `SRID=4326;POINT(lng lat)`, or None."""
        return parse_point(self.location)


class MeetingProposal(Orderable):
    meeting = ParentalKey(Meeting, on_delete=models.CASCADE, related_name="proposals")
    text = models.TextField(_("proposal"))
    proposed_by = models.CharField(
        _("proposed by"),
        max_length=120,
        blank=True,
        help_text=_(
            "Full name, seen only by staff. The public report shows the first name and the initial of the surname"
            " (\"Ivan K.\"), as for online authors. Leave empty to show \"citizen\"."
        ),
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True, db_index=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("text"), FieldPanel("proposed_by")]

    class Meta(Orderable.Meta):
        verbose_name = _("meeting proposal")
        verbose_name_plural = _("meeting proposals")

    def __str__(self):
        return Truncator(self.text).chars(60)
