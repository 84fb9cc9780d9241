"""The shared StreamField blocks: a small set, each made well (accessible, translated, mobile first)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtailgeowidget.blocks import LeafletBlock

from participation.blocks import EmbedBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"), choices=[("h2", _("Section")), ("h3", _("Subsection"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("Describe the image for people who cannot see it. Leave empty only if it is purely decorative."),
        required=False,
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, help_text=_("Defaults to the document's title."))

    class Meta:
        icon = "doc-full"


class DocumentListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False)
    documents = blocks.ListBlock(DocumentLinkBlock(), label=_("Documents"))

    class Meta:
        icon = "doc-full-inverse"
        label = _("Documents")
        template = "blocks/documents.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("Or a web address"), required=False)
    button_text = blocks.CharBlock(label=_("Button text"), max_length=60)

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "blocks/call_to_action.html"


class MapBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    address = blocks.CharBlock(
        label=_("Address or description of the place"),
        help_text=_("Always shown next to the map, for people who cannot use maps."),
    )
    location = LeafletBlock(label=_("Location"), address_field="address")

    class Meta:
        icon = "site"
        label = _("Map")
        template = "blocks/map.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="blocks/paragraph.html",
    )
    image = ImageBlock()
    documents = DocumentListBlock()
    call_to_action = CallToActionBlock()
    map = MapBlock()
    # Shown by the app that owns polls (participation.blocks): the shell names the model, imports no app.
    poll = EmbedBlock("consultations.Poll", child_name="poll", label=_("Poll"), icon="list-ul")
