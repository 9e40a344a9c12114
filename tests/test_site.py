"""The built site in a real browser (Debian's chromium driven by Playwright), and offline."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from conftest import SITE, toc_pages

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob", "about"}


def page_urls() -> list[str]:
    return [f"{page}.html" for page in toc_pages()]


@pytest.fixture
def watched(page, site_url):
    """The Playwright page, recording console errors and every request it makes."""
    log = {"errors": [], "requests": []}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["requests"].append(r.url))
    return page, log


def off_site(urls: list[str], site_url: str) -> list[str]:
    host = urlparse(site_url).netloc
    return [u for u in urls
            if urlparse(u).scheme not in LOCAL_SCHEMES and urlparse(u).netloc != host]


@pytest.mark.parametrize("path", page_urls())
def test_page_loads_cleanly_and_stays_local(watched, site_url, path):
    page, log = watched
    response = page.goto(f"{site_url}/{path}", wait_until="networkidle")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    assert page.locator("article h1").count() >= 1, f"{path}: no page title"
    assert log["errors"] == [], f"{path}: console errors {log['errors']}"
    assert off_site(log["requests"], site_url) == [], f"{path}: requests left the site"


def test_glued_values_are_visible(watched, site_url):
    page, _ = watched
    page.goto(f"{site_url}/book/protocol.html", wait_until="networkidle")
    pasted = page.locator("span.pasted-text").all_inner_texts()
    # Mosteller BSA of the reference patient by hand: sqrt(170 * 70 / 3600) = 1.818 -> 1.82 m2;
    # azacitidine per day: 75 mg/m2 x 1.818 m2 = 136.4 -> 136 mg.
    assert "1.82 m²" in pasted
    assert "136 mg" in pasted
    assert page.locator("span.pasted-text").first.is_visible()


def test_math_is_rendered_by_the_local_mathjax(watched, site_url):
    page, log = watched
    page.goto(f"{site_url}/book/protocol.html", wait_until="networkidle")
    mathjax = [u for u in log["requests"] if "tex-chtml.js" in u]
    assert mathjax and all(u.startswith(site_url) for u in mathjax), mathjax


def test_search_finds_venetoclax(watched, site_url):
    page, log = watched
    page.goto(f"{site_url}/search.html?q=venetoclax", wait_until="networkidle")
    results = page.locator("ul.search li")
    results.first.wait_for(timeout=15000)
    assert results.count() >= 2
    assert log["errors"] == []


def test_no_external_script_style_or_font_in_any_page():
    # A static check of every built HTML file, visited by the browser tests or not.
    pattern = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["'](?:https?:)?//""")
    offenders = {str(p.relative_to(SITE)): pattern.findall(p.read_text(errors="replace"))
                 for p in SITE.rglob("*.html")}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, offenders
