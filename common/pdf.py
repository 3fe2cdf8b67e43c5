"""PDF documents (referral copies, decision letters, the prompt sheet, panel records) rendered from Django
templates by WeasyPrint. Templates extend pdf/base.html, whose styles are inline; only data: URIs are loaded, never
a file or a network address, so text a user typed can never make the renderer fetch anything.

Every PDF is tagged for screen readers: WeasyPrint's PDF/UA-1 variant writes the structure tree (headings,
paragraphs, lists, tables from the HTML), marks the document as tagged, takes the title from <title> and the
language from <html lang>, and asks viewers to show the title rather than the file name (DisplayDocTitle)."""

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/ua-1"


def render_pdf(*, template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))
    return document.write_pdf(pdf_variant=PDF_VARIANT)
