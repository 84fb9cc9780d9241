"""Shared views of participation pages."""

from wagtail.views import serve


def page_data(request, path, fmt):
    """`<page url>data.json` and `<page url>data.csv`: open data of any routable participation page.

    Wagtail's page URLs cannot contain a dot, so this URL pattern hands the request to Wagtail's own
    `serve` with the route `data.<fmt>/`, which the page declares like any other route (or answers 404).
    """
    return serve(request, f"{path}data.{fmt}/")
