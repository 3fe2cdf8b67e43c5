"""PDF documents (referral copies, decision letters, the prompt sheet) rendered from Django templates by
WeasyPrint. Templates extend pdf/base.html, whose styles are inline; only data: URIs are loaded, never a
file or a network address, so text a user typed can never make the renderer fetch anything."""

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def render_pdf(*, template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
