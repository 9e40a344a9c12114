"""Every page of the book, visited once in Debian's chromium, as a reader meets it.

One visit per page runs every per-page check, in this order: it loads with HTTP 200, a title, no
console error and no request that leaves the site; at 1280x900 nothing is wider than the article
column, no code block would scroll, figure text is at least 10 CSS px as displayed, and axe finds
no serious violation; at 390x844 on the same page the document never scrolls sideways and no
displayed formula is cut; last (it unfolds and strips the page) the visible text shows no program
internals. The detectors themselves live, with their own planted-fault tests, in
``test_site.py`` (internals, off-site requests), ``test_layout.py`` (widths, figure text) and
``test_accessibility.py`` (axe's impact levels).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from test_accessibility import SERIOUS
from test_layout import MIN_TEXT_PX, PHONE, WIDE, measure, smallest_text_pt, svg_width_pt
from test_site import internals, off_site

from conftest import SITE, open_page, toc_pages

pytestmark = pytest.mark.browser

#: Pages whose visible text is code on purpose (the API reference shows defaults and reprs).
CODE_PAGES = {"book/appendix/api.html"}


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def figure_text_too_small(page, path: str) -> list[str]:
    images = page.evaluate("""() => [...document.querySelectorAll('article img')]
        .filter(i => i.src.endsWith('.svg'))
        .map(i => ({src: i.getAttribute('src'), width: i.getBoundingClientRect().width}))""")
    small = []
    for image in images:
        svg = (SITE / path).parent.joinpath(image["src"]).resolve().read_text()
        size = smallest_text_pt(svg)
        if size is None:
            continue
        shown = size * image["width"] / svg_width_pt(svg)
        if shown < MIN_TEXT_PX - 0.05:
            small.append(f"{image['src']}: {shown:.1f} px")
    return small


def scrolling_code(page) -> list[str]:
    """Code blocks whose content is wider than their box: keyboard users could reach the hidden
    part only if the theme's load-time script made the block focusable."""
    return page.evaluate("""() => [...document.querySelectorAll('article pre')]
        .filter(p => p.scrollWidth > p.clientWidth)
        .map(p => `${(p.closest('[id]') || {}).id}: ${p.scrollWidth} px in ${p.clientWidth} px`)""")


def visible_text(page) -> str:
    for details in page.locator("details").all():  # folded outputs are read too
        details.evaluate("d => d.open = true")
    # and folded solutions (togglebutton dropdowns), once togglebutton has folded them
    page.wait_for_function("() => [...document.querySelectorAll('.admonition.dropdown')]"
                           ".every(e => e.querySelector('button.toggle-button'))")
    page.evaluate("document.querySelectorAll('.admonition.toggle-hidden')"
                  ".forEach(e => e.classList.remove('toggle-hidden'))")
    # code shown on purpose (cell inputs) may say float("inf"); outputs and prose may not
    page.evaluate("document.querySelectorAll('article .cell_input').forEach(e => e.remove())")
    return page.locator("article").inner_text()


@pytest.mark.parametrize("path", [f"{p}.html" for p in toc_pages()])
def test_page_as_a_reader_meets_it(page, site_url, axe, path):
    errors, requests, missing = [], [], []
    # axe re-reads the style sheets itself and resolves the theme's @import against the page,
    # not the sheet (a 404 for /basic.css that no reader's browser asks for): what it does is
    # left out of what the page is held to
    axe_running = []

    def record(log: list, entry: str | None) -> None:
        if entry is not None and not axe_running:
            log.append(entry)

    page.on("console", lambda m: record(errors, m.text if m.type == "error" else None))
    page.on("pageerror", lambda e: record(errors, str(e)))
    page.on("request", lambda r: record(requests, r.url))
    page.on("response", lambda r: record(missing, f"{r.status} {r.url}" if r.status >= 400
                                           else None))
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
    response = open_page(page, f"{site_url}/{path}")
    problems = []

    def check(ok: bool, message: str) -> None:
        if not ok:
            problems.append(message)

    check(response is not None and response.ok, f"HTTP {response and response.status}")
    check(page.locator("article h1").count() >= 1, "no page title")
    # at 1280 px
    seen = measure(page)
    check(seen["document"] <= seen["window"], "scrolls sideways at 1280")
    check(not seen["wide"], f"wider than the {seen['article']} px column at 1280: {seen['wide']}")
    check(not (code := scrolling_code(page)), f"code blocks that scroll: {code}")
    check(not (small := figure_text_too_small(page, path)),
          f"figure text below {MIN_TEXT_PX} px: {small}")
    axe_running.append(True)
    serious = [v for v in axe.run(page).response["violations"] if v.get("impact") in SERIOUS]
    axe_running.clear()
    check(not serious, "axe: " + "; ".join(
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}"
        for v in serious))
    # the same page on a phone
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.wait_for_function(f"() => window.innerWidth === {PHONE[0]}")
    seen = measure(page)
    check(seen["document"] <= seen["window"], f"{seen['document']} px wide at 390")
    cut = page.evaluate("""() => [...document.querySelectorAll('mjx-container[display="true"]')]
        .filter(m => m.scrollWidth > m.clientWidth + 1)
        .map(m => `${m.scrollWidth} px in ${m.clientWidth} px`)""")
    check(not cut, f"formulas cut at 390 px: {cut}")
    check(not (code := scrolling_code(page)), f"code blocks that scroll at 390 px: {code}")
    # what was asked and said on the way
    check(errors == [], f"console errors {errors}")
    check(missing == [], f"failed requests {missing}")
    check(off_site(requests, site_url) == [], "requests left the site: "
          f"{off_site(requests, site_url)}")
    if path not in CODE_PAGES:
        found = internals(visible_text(page))
        check(not found, "program internals:\n" + "\n".join(found))
    assert not problems, f"{path}:\n" + "\n".join(problems)
