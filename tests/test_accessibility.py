"""Accessibility of the built site: axe-core on every page, alt text, table captions."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from conftest import SITE, toc_pages

#: The axe impact levels that fail a page (``test_pages.py`` runs axe on every page).
SERIOUS = {"serious", "critical"}


class _Inventory(HTMLParser):
    """Images without alt text, and tables without caption or header cells."""

    def __init__(self) -> None:
        super().__init__()
        self.images_without_alt: list[str] = []
        self.tables: list[dict[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img" and not (attrs.get("alt") or "").strip():
            self.images_without_alt.append(attrs.get("src", "?"))
        if tag == "table":
            self.tables.append({"caption": False, "th": False,
                                "class": attrs.get("class") or ""})
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        if tag == "th" and self.tables:
            self.tables[-1]["th"] = True


def _book_pages():
    return [SITE / f"{p}.html" for p in toc_pages()]


@pytest.mark.parametrize("html", _book_pages(), ids=lambda p: p.name)
def test_figures_have_alt_text_and_tables_captions(html):
    inventory = _Inventory()
    inventory.feed(html.read_text())
    assert not inventory.images_without_alt, f"{html.name}: images without alt text"
    content_tables = [t for t in inventory.tables if "vah-table" in t["class"]]
    for t in content_tables:
        assert t["caption"] and t["th"], f"{html.name}: a table lacks a caption or header cells"
    loose = [t for t in inventory.tables if "vah-table" not in t["class"] and not t["th"]]
    assert not loose, f"{html.name}: a table without header cells"
