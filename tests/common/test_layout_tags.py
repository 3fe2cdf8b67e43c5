"""The layout's fixed addresses (common.templatetags.layout) are what {% static %} and {% url %} give, and a change
of settings forgets the ones worked out before it."""

from django.template import Context, Template
from django.templatetags.static import static
from django.test import override_settings
from django.urls import reverse


def rendered(source: str) -> str:
    return Template("{% load layout %}" + source).render(Context())


def test_an_asset_is_the_static_files_url_and_a_page_url_is_the_reversed_name():
    assert rendered("{% asset 'css/app.css' %}") == static("css/app.css")
    assert rendered("{% page_url 'privacy' %}") == reverse("privacy")


def test_a_change_of_static_url_gives_the_new_address_not_the_one_kept():
    before = rendered("{% asset 'css/app.css' %}")
    with override_settings(STATIC_URL="/elsewhere/"):
        moved = rendered("{% asset 'css/app.css' %}")
        assert moved.startswith("/elsewhere/")
        assert moved != before
    assert rendered("{% asset 'css/app.css' %}") == before


def test_every_page_of_the_layout_links_its_styles_scripts_and_footer_pages(client, db):
    page = client.get(reverse("accessibility")).content.decode()
    for path in ("vendor/govuk/govuk-frontend.min.css", "css/app.css", "js/app.mjs"):
        assert f'"{static(path)}"' in page
    for name in ("privacy", "cookies", "home"):
        assert f'href="{reverse(name)}"' in page
