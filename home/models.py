"""The site shell: the municipality's settings, the home page and plain content pages."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TabbedInterface, ObjectList
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, get_page_models
from wagtail.search import index

from participation.models import ParticipationPage

from .admin_forms import MunicipalitySettingsForm
from .blocks import BodyBlock


@register_setting(icon="home")
class MunicipalitySettings(ClusterableModel, BaseGenericSetting):
    """Who runs this site, and the statutory rules every participation page starts from (DESIGN.md §8)."""

    base_form_class = MunicipalitySettingsForm

    name = models.CharField(_("municipality name"), max_length=120, default="Municipality")
    country = models.CharField(
        _("country"),
        max_length=60,
        default="Bulgaria",
        help_text=_("The country's name in English, as open-data formats such as pabulib write it (for example Bulgaria)."),
    )
    crest = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("crest"),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    sender_email = models.EmailField(
        _("emails are sent from"),
        blank=True,
        help_text=_("The address citizens see as the sender of every email, with the municipality's name. Leave empty to use the server's default (DEFAULT_FROM_EMAIL)."),
    )
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)

    petition_threshold = models.PositiveIntegerField(
        _("petition signature threshold"),
        default=300,
        help_text=_("Signatures a petition needs before the municipality must respond."),
    )
    petition_collection_days = models.PositiveIntegerField(
        _("petition collection period (days)"), default=60
    )
    petition_response_working_days = models.PositiveIntegerField(
        _("response deadline (working days)"),
        default=10,
        help_text=_("Working days the municipality has to respond once the threshold is reached."),
    )
    consultation_min_days = models.PositiveIntegerField(_("minimum consultation period (days)"), default=30)
    consultation_min_days_reasoned = models.PositiveIntegerField(
        _("shortened consultation period with a stated reason (days)"), default=14
    )

    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice page"),
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accessibility statement page"),
    )

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    FieldPanel("country"),
                    FieldPanel("crest"),
                    FieldPanel("tagline"),
                    MultiFieldPanel(
                        [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email"), FieldPanel("office_hours"), FieldPanel("sender_email")],
                        heading=_("Contact details"),
                    ),
                    MultiFieldPanel(
                        [FieldPanel("privacy_page"), FieldPanel("accessibility_page")], heading=_("Legal pages")
                    ),
                ],
                heading=_("Municipality"),
            ),
            ObjectList([InlinePanel("settlements", label=_("Settlements"))], heading=_("Settlements")),
            ObjectList(
                [
                    FieldPanel("petition_threshold"),
                    FieldPanel("petition_collection_days"),
                    FieldPanel("petition_response_working_days"),
                    FieldPanel("consultation_min_days"),
                    FieldPanel("consultation_min_days_reasoned"),
                ],
                heading=_("Statutory rules"),
            ),
        ]
    )

    class Meta:
        verbose_name = _("municipality")

    def __str__(self):
        return self.name


class Settlement(Orderable):
    """A town, village or district of the municipality."""

    class Kind(models.TextChoices):
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")
        DISTRICT = "district", _("District")

    municipality = ParentalKey(MunicipalitySettings, on_delete=models.CASCADE, related_name="settlements")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.VILLAGE)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("kind"), FieldPanel("population")]

    class Meta(Orderable.Meta):
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self):
        return self.name


def participation_page_models():
    """Every concrete page type built on ParticipationPage (no registry: a new app is found automatically)."""
    return [model for model in get_page_models() if issubclass(model, ParticipationPage)]


class MapAwareMixin:
    """Pages whose body may hold a map load the map script only when they do."""

    @property
    def has_map(self):
        return any(block.block_type == "map" for block in self.body)


class HomePage(MapAwareMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def open_participation(self, now=None, limit=12):
        """Live participation pages in this page's language that are open now, closing soonest first."""
        now = now or timezone.now()
        items = []
        for model in participation_page_models():
            items.extend(
                model.objects.live()
                .public()
                .filter(locale_id=self.locale_id)
                .filter(models.Q(opens_at__isnull=True) | models.Q(opens_at__lte=now))
                .filter(models.Q(closes_at__isnull=True) | models.Q(closes_at__gt=now))
                .order_by("closes_at")[:limit]
            )
        far_future = timezone.datetime.max.replace(tzinfo=timezone.get_current_timezone())
        items.sort(key=lambda page: page.closes_at or far_future)
        return items[:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["open_items"] = self.open_participation()
        return context


class StandardPage(MapAwareMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")
