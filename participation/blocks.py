"""A StreamField block that shows a feature app's snippet (a poll, say) on a page of the site shell.

The shell must not import feature apps (docs/architecture.md, layering), so the core defines the hook and the
feature app fills it. The app registers how its snippet is shown:

    @hooks.register("register_veche_embed")
    def poll_embed():
        return Poll, "consultations/blocks/poll.html", queries.poll_context   # (item, request) -> dict

and any page may offer the block by naming the model: `EmbedBlock("consultations.Poll", child_name="poll")`.
"""

from wagtail import blocks, hooks
from wagtail.snippets.blocks import SnippetChooserBlock

HOOK = "register_veche_embed"


def embed_renderers():
    return {model: (template, context) for model, template, context in (fn() for fn in hooks.get_hooks(HOOK))}


def render_embed_context(item, request):
    """(template, context) for a snippet whose app registered it; (None, {}) for anything else."""
    for model, (template, context) in embed_renderers().items():
        if isinstance(item, model):
            return template, context(item, request)
    return None, {}


class EmbedBlock(blocks.StructBlock):
    """Choose one snippet of `target_model`; render it with the template and context its app registered."""

    def __init__(self, target_model, child_name="item", **kwargs):
        label = kwargs.get("label")
        super().__init__([(child_name, SnippetChooserBlock(target_model, label=label))], **kwargs)
        self.child_name = child_name

    class Meta:
        template = "participation/blocks/embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        item = value.get(self.child_name) if value else None
        template, extra = render_embed_context(item, request) if item is not None else (None, {})
        context.update(extra)
        context["embed_template"] = template
        return context
