"""The forms a page offers, read from its HTML as a browser would: where each posts, and the fields with the
values the page filled in."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class HtmlForm:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    file_fields: set[str] = field(default_factory=set)

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, [])
        if value not in self.fields[name]:
            self.fields[name].append(value)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.current: HtmlForm | None = None
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, attributes.get("action") or self.page_url)
            self.current = HtmlForm(action=urlsplit(action).path, method=(attributes.get("method") or "get").lower())
            self.forms.append(self.current)
            return
        name = attributes.get("name")
        if self.current is None or not name:
            return
        if tag == "input":
            kind = (attributes.get("type") or "text").lower()
            if kind == "file":
                self.current.file_fields.add(name)
            elif kind in ("checkbox", "radio"):
                self.current.add(name, attributes.get("value") or "on")
            elif kind not in ("submit", "button", "image", "reset"):
                self.current.add(name, attributes.get("value") or "")
        elif tag == "button" and attributes.get("value") is not None:
            self.current.add(name, attributes["value"])
        elif tag == "textarea":
            self.textarea = name
            self.current.add(name, "")
        elif tag == "select":
            self.select = name
            self.current.fields.setdefault(name, [])
        elif tag == "option" and self.select:
            self.current.add(self.select, attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def forms_of(html: str, page_url: str) -> list[HtmlForm]:
    parser = _FormParser(page_url)
    parser.feed(html)
    for form in parser.forms:
        form.fields.pop("csrfmiddlewaretoken", None)
    return parser.forms
