"""What the reader sees fits the screen: on every page, at 1280x900 and 390x844, the document never
scrolls sideways; at 1280 no table, figure or output is wider than the article column, and figure
text is at least 10 CSS px as displayed. The measures are here; ``test_pages.py`` takes them on
every page, in its one visit."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

WIDE, PHONE = (1280, 900), (390, 844)
MIN_TEXT_PX = 10.0
#: What may not be wider than the article column at 1280 px.
BLOCKS = "table, img, figure, .cell_output, pre, .math, mjx-container[display='true']"
#: matplotlib writes text as glyph paths scaled by fontsize / 100 (``scale(0.08 -0.08)``).
#: (Glyph definitions use ``scale(0.015625)``, one argument: not a font size.)
GLYPH_SCALE = re.compile(r"scale\(([\d.]+)[ ,]+-([\d.]+)\)")


def measure(page) -> dict:
    """The document's and the window's widths, the article column's, and every block wider
    than the column, on the page as it is now."""
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


def smallest_text_pt(svg: str) -> float | None:
    """The smallest font size (pt, in the SVG's own units) of matplotlib's glyph groups."""
    sizes = [100 * float(m.group(1)) for m in GLYPH_SCALE.finditer(svg)
             if m.group(1) == m.group(2)]
    return min(sizes) if sizes else None


def svg_width_pt(svg: str) -> float:
    root = ET.fromstring(svg)
    return float(re.match(r"[\d.]+", root.get("width")).group(0))


def test_the_glyph_reader_sees_matplotlib_sizes():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="720pt" height="100pt">'
           '<g transform="translate(10 20) scale(0.08 -0.08)"/>'
           '<g transform="translate(10 20) scale(0.1 -0.1)"/>'
           '<use transform="scale(0.015625)"/></svg>')
    assert smallest_text_pt(svg) == pytest.approx(8.0)
    assert svg_width_pt(svg) == 720.0
