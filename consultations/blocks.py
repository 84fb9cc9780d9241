"""StreamField blocks of consultations: the draft text (paragraphs with stable ids); polls are shown by the core's EmbedBlock."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from participation.blocks import EmbedBlock


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


class ConsultationExtraBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"])
    poll = EmbedBlock("consultations.Poll", child_name="poll", label=_("Poll"), icon="list-ul")
