"""Every internal link and anchor of the built site resolves; external links are listed."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlparse

import pytest

from conftest import SITE

REPORT = SITE.parent / "external-links.json"
SKIP_DIRS = {"_static", "_sources", "_sphinx_design_static", "_images"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html")
            if not (set(p.relative_to(site).parts) & SKIP_DIRS)]


def _parse(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(errors="replace"))
    return links


def broken_links(site: Path) -> tuple[list[str], dict[str, list[str]]]:
    """(broken internal links, external links by page)."""
    parsed = {p: _parse(p) for p in _pages(site)}
    broken, external = [], {}
    for page, links in parsed.items():
        for href in links.hrefs:
            scheme = urlparse(href).scheme
            if scheme in ("http", "https"):
                external.setdefault(str(page.relative_to(site)), []).append(href)
                continue
            if scheme in ("mailto", "javascript", "data"):
                continue
            target, fragment = urldefrag(href)
            path = (page.parent / unquote(target)).resolve() if target else page
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)} -> {href} (no such file)")
                continue
            if fragment and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else _parse(path).ids
                if unquote(fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    return broken, external


def test_internal_links_and_anchors_resolve(site_dir):
    broken, external = broken_links(site_dir)
    REPORT.write_text(json.dumps(external, indent=2, sort_keys=True))
    assert not broken, "\n".join(broken[:30])


def test_the_checker_catches_a_broken_anchor(tmp_path):
    (tmp_path / "a.html").write_text('<a href="b.html#missing">x</a><a href="c.html">y</a>')
    (tmp_path / "b.html").write_text('<p id="present">z</p>')
    broken, _ = broken_links(tmp_path)
    assert len(broken) == 2 and "no such anchor" in broken[0] + broken[1]


@pytest.mark.parametrize("label", ["ledger-page", "ledger-efficacy", "glossary-page"])
def test_key_targets_exist(site_dir, label):
    pages = " ".join(p.read_text() for p in (site_dir / "book" / "appendix").glob("*.html"))
    assert f'id="{label}"' in pages
