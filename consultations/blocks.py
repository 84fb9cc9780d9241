"""StreamField blocks of consultations: the draft text (paragraphs with stable ids) and the poll block."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Section heading"), max_length=250)

    class Meta:
        icon = "title"
        label = _("Section")


class DraftParagraphBlock(blocks.StructBlock):
    """A paragraph citizens comment on. Its block id (a UUID kept by every edit) ties the comments to it."""

    label = blocks.CharBlock(
        label=_("Label"), required=False, max_length=60, help_text=_("For example \"Art. 3 (1)\". Defaults to the paragraph number.")
    )
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")


class DraftBlock(blocks.StreamBlock):
    section = SectionBlock()
    paragraph = DraftParagraphBlock()


class PollBlock(blocks.StructBlock):
    """A quick poll embedded in any page: the vote form, or the results once they may be shown."""

    poll = SnippetChooserBlock("consultations.Poll", label=_("Poll"))

    class Meta:
        icon = "list-ul"
        label = _("Poll")
        template = "consultations/blocks/poll.html"

    def get_context(self, value, parent_context=None):
        from .views import poll_context

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context.update(poll_context(value["poll"], request))
        return context


class ConsultationExtraBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"])
    poll = PollBlock()
