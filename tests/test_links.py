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


class _LedgerLinks(HTMLParser):
    """The numbers of a page that link to the ledger: (text, href, title)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[list[str]] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "vah-ledger-link" in (attrs.get("class") or "").split():
            self.found.append(["", attrs.get("href", ""), attrs.get("title", "")])
            self._open = True

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.found[-1][0] += data


def ledger_links(site: Path) -> dict[str, list[list[str]]]:
    out = {}
    for page in _pages(site / "book"):
        parser = _LedgerLinks()
        parser.feed(page.read_text(errors="replace"))
        if parser.found:
            out[str(page.relative_to(site))] = parser.found
    return out


def test_chapter_numbers_link_to_their_ledger_entries(site_dir):
    """At least 150 numbers on the chapter pages link to a ledger row that exists, and each
    tooltip says what that entry says (printed, recomputed, status)."""
    from vah.chapters import entry_anchor
    from vah.ledger import ledger_frame

    ledger = ledger_frame().set_index("id")
    ledger_page = (site_dir / "book" / "appendix" / "ledger.html").resolve()
    ledger_ids = _parse(ledger_page).ids
    links = ledger_links(site_dir)
    problems, total = [], 0
    for page, found in links.items():
        for text, href, title in found:
            total += 1
            target, fragment = urldefrag(href)
            entry = fragment.removeprefix("entry-")
            reached = (site_dir / page).parent.joinpath(unquote(target)).resolve()
            if reached != ledger_page or fragment not in ledger_ids:
                problems.append(f"{page}: {text!r} -> {href} does not reach a ledger row")
                continue
            if entry not in ledger.index or entry_anchor(entry) != fragment:
                problems.append(f"{page}: {text!r} -> unknown entry {entry!r}")
                continue
            e = ledger.loc[entry]
            expected = (f"Printed: {e['published']} · recomputed: {e['recomputed']} · "
                        f"{e['status']}")
            if not title.startswith(expected):
                problems.append(f"{page}: {text!r} tooltip {title!r} is not {expected!r}")
    assert not problems, "\n".join(problems[:30])
    assert total >= 150, f"only {total} numbers link to the ledger: {sorted(links)}"
