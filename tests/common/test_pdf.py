import io

from django.template import engines
from pypdf import PdfReader

from common.pdf import render_pdf


def test_a_template_becomes_a_pdf_with_its_text_and_running_header(tmp_path, settings):
    template_dir = tmp_path / "templates"
    (template_dir / "test").mkdir(parents=True)
    (template_dir / "test" / "doc.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>Decision letter</h1><p>{{ body }}</p>{% endblock %}'
    )
    settings.TEMPLATES[0]["DIRS"].append(template_dir)
    engines._engines = {}  # the template engines read DIRS once
    try:
        pdf = render_pdf(
            template_name="test/doc.html",
            context={
                "body": "<script>alert(1)</script> stays text",
                "running_header_right": 'NRM-2026-000123 "</style><h1>x',
            },
        )
    finally:
        settings.TEMPLATES[0]["DIRS"].remove(template_dir)
        engines._engines = {}
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Decision letter" in text
    assert "<script>alert(1)</script> stays text" in text
    assert 'NRM-2026-000123 "</style><h1>x' in text  # the running header cannot break out of its style
    assert "Page 1 of 1" in text


def test_nothing_is_fetched_from_outside(tmp_path, settings):
    template_dir = tmp_path / "templates"
    template_dir.mkdir()
    (template_dir / "fetch.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<img src="http://127.0.0.1:9/x.png" alt="">'
        "<p>Still rendered</p>{% endblock %}"
    )
    settings.TEMPLATES[0]["DIRS"].append(template_dir)
    engines._engines = {}
    try:
        pdf = render_pdf(template_name="fetch.html", context={})
    finally:
        settings.TEMPLATES[0]["DIRS"].remove(template_dir)
        engines._engines = {}
    assert "Still rendered" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
