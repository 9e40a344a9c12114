"""The built site in a real browser (Debian's chromium driven by Playwright), and offline: the
page-specific checks, and the detectors that ``test_pages.py`` runs on every page."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from conftest import ROOT, SITE, open_page

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob", "about"}


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


def test_glued_values_are_visible(watched, site_url):
    page, _ = watched
    open_page(page, f"{site_url}/book/protocol.html")
    pasted = page.locator("span.pasted-text").all_inner_texts()
    # Mosteller BSA of the reference patient by hand: sqrt(170 * 70 / 3600) = 1.818 -> 1.82 m2;
    # azacitidine per day: 75 mg/m2 x 1.818 m2 = 136.4 -> 136 mg.
    assert "1.82 m²" in pasted
    assert "136 mg" in pasted
    assert page.locator("span.pasted-text").first.is_visible()


def test_math_is_rendered_by_the_local_mathjax(watched, site_url):
    page, log = watched
    open_page(page, f"{site_url}/book/protocol.html")
    mathjax = [u for u in log["requests"] if "tex-chtml.js" in u]
    assert mathjax and all(u.startswith(site_url) for u in mathjax), mathjax


def test_search_finds_venetoclax(watched, site_url):
    page, log = watched
    open_page(page, f"{site_url}/search.html?q=venetoclax")
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
    (re.compile(r"\b(?:Posix|Windows)Path\(|/work/|/root/|/home/\w+/|site-packages|"
                + re.escape(str(ROOT))), "a machine path"),
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


def test_no_built_file_names_the_folder_it_was_built_in():
    # the path of this clone, wherever it is: a fixed list of folder names would miss /tmp/x
    root = str(ROOT).encode()
    leaks = [str(p.relative_to(SITE)) for p in SITE.rglob("*")
             if p.is_file() and p.suffix in {".html", ".ipynb", ".txt", ".js", ".json", ".md"}
             and root in p.read_bytes()]
    assert leaks == [], f"{root.decode()} is named in {leaks}"


def test_the_path_detector_sees_this_clone():
    assert internals(f"read from {ROOT}/src/vah/paper/data")
