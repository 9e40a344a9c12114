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


# What a reader must never see in a page: Python, NumPy or pandas reprs, the build machine's paths,
# float noise (more than six significant digits), raw nan/inf, tracebacks.
INTERNALS = [
    (re.compile(r"<bound method|<function |object at 0x[0-9a-f]+"), "a Python repr"),
    (re.compile(r"\bnp\.(?:float|int|bool)\w*\(|\barray\(\[|dtype: \w+|\bdtype="), "a NumPy repr"),
    (re.compile(r"\b(?:Posix|Windows)Path\(|/work/|/root/|/home/\w+/|site-packages"),
     "a machine path"),
    (re.compile(r"\bTraceback \(most recent call last\)"), "a traceback"),
    (re.compile(r"(?<![\w.])\d*\.\d{7,}\d*(?:e[+-]?\d+)?(?![\w.])"), "float noise"),
    (re.compile(r"(?<![\w-])(?:nan|NaN|inf|-inf)(?![\w-])"), "a raw nan or inf"),
]


def internals(text: str) -> list[str]:
    """Every stretch of ``text`` that shows program internals, with what it is."""
    return [f"{what}: {match.group(0)!r} in …{text[max(0, match.start() - 40):match.end() + 40]}…"
            for pattern, what in INTERNALS for match in pattern.finditer(text)]


def test_internals_detector_catches_planted_reprs():
    for planted in ["<bound method NDFrame.where of a    1", "np.float64(22.12276215746283)",
                    "0.019594324393173435", "data_dir=PosixPath('/work/main/src')",
                    "Name: 3, dtype: object", "'expected': 0.8500000000000001", "P = nan"]:
        assert internals(f"The value {planted} here."), planted
    assert not internals("CRc 70.8 % (95 % CI 60.6 to 79.3), P < 0.001, 2.5 × 10⁷ cells/kg")


@pytest.mark.parametrize("path", [p for p in page_urls() if not p.endswith("appendix/api.html")])
def test_visible_text_shows_no_program_internals(page, site_url, path):
    page.goto(f"{site_url}/{path}", wait_until="domcontentloaded")
    for details in page.locator("details").all():  # folded outputs are read too
        details.evaluate("d => d.open = true")
    # and folded solutions (togglebutton dropdowns), once togglebutton has folded them
    page.wait_for_function("() => [...document.querySelectorAll('.admonition.dropdown')]"
                           ".every(e => e.querySelector('button.toggle-button'))")
    page.evaluate("document.querySelectorAll('.admonition.toggle-hidden')"
                  ".forEach(e => e.classList.remove('toggle-hidden'))")
    # code shown on purpose (cell inputs) may say float("inf"); outputs and prose may not
    page.evaluate("document.querySelectorAll('article .cell_input').forEach(e => e.remove())")
    text = page.locator("article").inner_text()
    found = internals(text)
    assert not found, f"{path}:\n" + "\n".join(found)
