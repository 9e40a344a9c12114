"""What the reader sees fits the screen: on every page, at 1280x900 and 390x844, the document never
scrolls sideways; at 1280 no table, figure or output is wider than the article column, and figure
text is at least 10 CSS px as displayed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from conftest import SITE, toc_pages

pytestmark = pytest.mark.browser

WIDE, PHONE = (1280, 900), (390, 844)
MIN_TEXT_PX = 10.0
#: What may not be wider than the article column at 1280 px.
BLOCKS = "table, img, figure, .cell_output, pre, .math, mjx-container[display='true']"
#: matplotlib writes text as glyph paths scaled by fontsize / 100 (``scale(0.08 -0.08)``).
#: (Glyph definitions use ``scale(0.015625)``, one argument: not a font size.)
GLYPH_SCALE = re.compile(r"scale\(([\d.]+)[ ,]+-([\d.]+)\)")


def pages() -> list[str]:
    return [f"{p}.html" for p in toc_pages()]


def overflow(page, url: str, size: tuple[int, int]) -> dict:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(url, wait_until="networkidle")
    return page.evaluate("""(blocks) => {
        const article = document.querySelector('article');
        const style = getComputedStyle(article);  // the column is the article's content box
        const width = article.clientWidth - parseFloat(style.paddingLeft)
                      - parseFloat(style.paddingRight);
        const wide = [...article.querySelectorAll(blocks)]
          .filter(e => e.getBoundingClientRect().width > width + 1)
          .map(e => `${e.tagName.toLowerCase()}#${e.id || (e.closest('[id]') || {}).id} `
                    + `${Math.round(e.getBoundingClientRect().width)} px`);
        return {document: document.documentElement.scrollWidth, window: window.innerWidth,
                article: Math.round(width), wide: wide};
    }""", BLOCKS)


@pytest.mark.parametrize("path", pages())
def test_page_never_scrolls_sideways_on_a_phone(page, site_url, path):
    seen = overflow(page, f"{site_url}/{path}", PHONE)
    assert seen["document"] <= seen["window"], f"{path} is {seen['document']} px wide at 390"
    # a displayed formula is shown whole, not cut at the edge of its box
    cut = page.evaluate("""() => [...document.querySelectorAll('mjx-container[display="true"]')]
        .filter(m => m.scrollWidth > m.clientWidth + 1)
        .map(m => `${m.scrollWidth} px in ${m.clientWidth} px`)""")
    assert not cut, f"{path}: formulas cut at 390 px: {cut}"


@pytest.mark.parametrize("path", pages())
def test_nothing_is_wider_than_the_article_at_1280(page, site_url, path):
    seen = overflow(page, f"{site_url}/{path}", WIDE)
    assert seen["document"] <= seen["window"], f"{path} scrolls sideways at 1280"
    assert not seen["wide"], f"{path}: wider than the {seen['article']} px column: {seen['wide']}"


def smallest_text_pt(svg: str) -> float | None:
    """The smallest font size (pt, in the SVG's own units) of matplotlib's glyph groups."""
    sizes = [100 * float(m.group(1)) for m in GLYPH_SCALE.finditer(svg)
             if m.group(1) == m.group(2)]
    return min(sizes) if sizes else None


def svg_width_pt(svg: str) -> float:
    root = ET.fromstring(svg)
    return float(re.match(r"[\d.]+", root.get("width")).group(0))


@pytest.mark.parametrize("path", pages())
def test_figure_text_is_at_least_10_px_at_1280(page, site_url, path):
    page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
    page.goto(f"{site_url}/{path}", wait_until="networkidle")
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
    assert not small, f"{path}: figure text below {MIN_TEXT_PX} px: {small}"


def test_the_glyph_reader_sees_matplotlib_sizes():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="720pt" height="100pt">'
           '<g transform="translate(10 20) scale(0.08 -0.08)"/>'
           '<g transform="translate(10 20) scale(0.1 -0.1)"/>'
           '<use transform="scale(0.015625)"/></svg>')
    assert smallest_text_pt(svg) == pytest.approx(8.0)
    assert svg_width_pt(svg) == 720.0
