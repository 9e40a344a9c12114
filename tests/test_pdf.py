"""The printed edition (`make book` runs scripts/pdf.py): _build/pdf/vah-book.pdf read as text.

Each chapter of _toc.yml starts at the top of a page, in order; each chapter's pages carry the
computed values that the site's page shows (`vah results`, text form); no code-cell stub, figure
repr or object address is printed; the home page links the copy inside the site.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, SITE, toc_pages

PDF = ROOT / "_build" / "pdf" / "vah-book.pdf"
#: The pages the book prints: every page but the API reference (the site keeps it).
PRINTED = [doc for doc in toc_pages() if doc != "book/appendix/api"]
#: One worker reads the PDF (pypdf takes most of 20 s over it) and runs every test of it.
pytestmark = pytest.mark.xdist_group("pdf")
LEAKS = ("Show code cell", "Hide code cell", "<Figure size", "object at 0x", "<IPython.",
         "\\frac", "\\mathrm", "$$")
FOOTER = re.compile(r"\s*\d+\s*/\s*\d+\s*$")


def normalise(text: str) -> str:
    """Text compared without layout: compatibility forms (ligatures, no-break spaces) folded,
    soft hyphens, zero-width break opportunities and all white space dropped (a value may wrap
    at any space)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\xad", "")
                  .replace("\u200b", ""))


def chapter_first_pages(pages: list[str], titles: list[str]) -> list[int | None]:
    """For each title, the index of the first page whose text starts with it (None: none does)."""
    heads = [normalise(page) for page in pages]
    found = []
    for title in titles:
        want = normalise(title)
        found.append(next((i for i, head in enumerate(heads) if head.startswith(want)), None))
    return found


def missing_values(printed: list[str], site_text: str, values: list[str]) -> tuple[list, list]:
    """(values the site page shows, those of them absent from every reading of the chapter's
    printed text: in drawing order, or top down, which keeps a sentence that runs on to the
    next page in one piece)."""
    shown, readings = normalise(site_text), [normalise(text) for text in printed]
    checked = [v for v in values if normalise(v) in shown]
    return checked, [v for v in checked if not any(normalise(v) in r for r in readings)]


def body(page: str) -> str:
    """A page's text without its footer ("3 / 135")."""
    return FOOTER.sub("", page)


def distinctive(text: str) -> bool:
    """A value worth looking for: it has a digit and is not a bare one- or two-digit number
    (those occur on every page whatever the chapter says)."""
    compact = normalise(text)
    return bool(re.search(r"\d", compact)) and (len(compact) >= 3 or not compact.isdigit())


#: Elements without an end tag: they open nothing that a later end tag closes.
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "wbr"})


class _Article(HTMLParser):
    """Visible text of a site page's article, and its first h1 (without the '#' link), less
    the solutions (the student edition prints none)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.skip, self.in_h1 = 0, 0, False
        self.text: list[str] = []
        self.title: list[str] = []
        self.done_title = False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "article":
            self.depth += 1
        if tag in VOID:
            return
        solution = tag == "div" and classes.split()[:1] == ["solution"]
        if self.skip or tag in ("script", "style") or "headerlink" in classes or solution:
            self.skip += 1
        if tag == "h1" and self.depth and not self.done_title:
            self.in_h1 = True

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.skip:
            self.skip -= 1
        if tag == "article":
            self.depth -= 1
        if tag == "h1" and self.in_h1:
            self.in_h1, self.done_title = False, True

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.text.append(data)
            if self.in_h1:
                self.title.append(data)


def site_page(page: str) -> _Article:
    parser = _Article()
    parser.feed((SITE / f"{page}.html").read_text())
    return parser


def read_pdf(path: Path) -> tuple[list[str], list[str]]:
    """(each page's text in the order it was drawn, each page's text from the top down).

    The drawing order can put a later column first (the reference labels of the bibliography
    come before its title), so where a page starts is read from the text's positions."""
    from pypdf import PdfReader

    texts, tops = [], []
    for page in PdfReader(path).pages:
        parts: list[tuple[int, float, str]] = []

        def visit(text, cm, tm, font, size, parts=parts):
            if text.strip():  # position = text matrix x current transformation matrix
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                parts.append((-round(y), x, text))

        texts.append(page.extract_text(visitor_text=visit))
        tops.append(" ".join(text for _, _, text in sorted(parts)))
    return texts, tops


@pytest.fixture(scope="session")
def pdf() -> tuple[list[str], list[str]]:
    if not PDF.exists():
        pytest.fail("no printed edition: run `make book` first (`make test` does)")
    return read_pdf(PDF)


@pytest.fixture(scope="session")
def pages(pdf) -> list[str]:
    """The PDF's pages as text."""
    return pdf[0]


@pytest.fixture(scope="session")
def results() -> dict[str, dict]:
    """Every value the pages show, as the command line prints it."""
    out = subprocess.run([sys.executable, "-m", "vah.cli", "results", "--format", "json"],
                         capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="session")
def chapters(pdf) -> list[tuple[str, int, int]]:
    """(page of _toc.yml, first PDF page, first page after it), in the order of _toc.yml."""
    docs = PRINTED
    titles = ["".join(site_page(doc).title).strip() for doc in docs]
    pages, tops = pdf
    firsts = chapter_first_pages(tops, titles)
    assert None not in firsts, "chapters not starting a page: " + ", ".join(
        t for t, f in zip(titles, firsts, strict=True) if f is None)
    ends = firsts[1:] + [len(pages)]
    return list(zip(docs, firsts, ends, strict=True))



@pytest.mark.browser
def test_every_chapter_starts_a_page_in_order(chapters, pages):
    firsts = [first for _, first, _ in chapters]
    assert firsts[0] == 0, "the book does not open with its home page"
    assert firsts == sorted(firsts) and len(set(firsts)) == len(firsts), firsts
    assert len(chapters) < len(pages) < 60 * len(chapters), f"{len(pages)} pages"


@pytest.mark.browser
def test_chapters_carry_the_sites_computed_values(chapters, pdf, results):
    pages, tops = pdf
    checked_all, missing_all, chapters_checked = 0, [], 0
    for doc, first, end in chapters:
        values = sorted({r["text"] for r in results.values()
                         if r["page"] == doc and distinctive(str(r["text"]))})
        printed = ["".join(body(p) for p in texts[first:end]) for texts in (pages, tops)]
        checked, missing = missing_values(printed, "".join(site_page(doc).text), values)
        checked_all += len(checked)
        chapters_checked += bool(checked)
        missing_all += [f"{doc}: {v!r}" for v in missing]
    assert not missing_all, "values the site shows but the PDF does not:\n" + "\n".join(
        missing_all[:30])
    assert checked_all >= 20 and chapters_checked >= 10, (checked_all, chapters_checked)


@pytest.mark.browser
def test_no_stubs_reprs_or_raw_math_are_printed(pages):
    leaks = [(i + 1, leak) for i, page in enumerate(pages) for leak in LEAKS if leak in page]
    assert not leaks, f"(page, text) printed: {leaks[:20]}"


SOLUTION = re.compile(r'<div class="solution[^"]*"[^>]*>.*?<section id="solution-content">\s*'
                      r'<p>(.*?)</p>', re.S)


def solutions(html: str) -> list[str]:
    """The first paragraph of every solution of a site page, as text."""
    return [re.sub(r"<[^>]+>", "", p) for p in SOLUTION.findall(html)]


@pytest.mark.browser
def test_the_site_links_its_copy_of_the_pdf():
    copy = SITE / PDF.name
    assert copy.exists() and copy.read_bytes() == PDF.read_bytes(), "the site's copy is stale"
    home = SITE / f"{toc_pages()[0]}.html"
    hrefs = re.findall(r'<a [^>]*href="([^"]*vah-book\.pdf)"', home.read_text())
    assert hrefs, "the home page does not link the printed edition"
    assert all((home.parent / h).resolve() == copy.resolve() for h in hrefs), hrefs


# The checks above, on planted text: they fail when they should.

@pytest.mark.parametrize("pages, expected", [
    (["Title A\nbody", "more", "Title B\nbody"], [0, 2]),
    (["Title A\nbody\nTitle B starts mid-page"], [0, None]),
])
def test_a_title_counts_only_at_the_top_of_a_page(pages, expected):
    assert chapter_first_pages(pages, ["Title A", "Title B"]) == expected


def test_a_value_missing_from_the_print_is_reported():
    site = "CRc 68/96 (70.8 %) and median 22.1 months"
    printed = ["CRc 68/96 (70.8\n%) and median 21.9 months", "median 21.9 months CRc"]
    checked, missing = missing_values(printed, site, ["68/96 (70.8 %)", "22.1 months", "9.9 %"])
    assert checked == ["68/96 (70.8 %)", "22.1 months"] and missing == ["22.1 months"]


def test_a_solutions_first_paragraph_is_found():
    page = ('<div class="solution dropdown admonition" id="sol-x-1"><p class="admonition-title">'
            'Solution to</p>\n<section id="solution-content">\n<p>No: the interval '
            '<span class="pasted-text">21.3–73.4 %</span> holds it.</p>')
    assert solutions(page) == ["No: the interval 21.3–73.4 % holds it."]


def test_the_footer_is_not_part_of_a_sentence():
    assert body("a sentence that runs on\n12 / 135") + "to the next page" == (
        "a sentence that runs onto the next page")


@pytest.mark.parametrize("text, worth", [("7", False), ("45", False), ("108", True),
                                         ("45 %", True), ("1/7", True), ("none", False)])
def test_bare_small_numbers_are_not_evidence(text, worth):
    assert distinctive(text) is worth


# The printed editions as a book: bookmarks, page numbers, no blank page, no API reference,
# the ledger in full, solutions only in the teacher's edition, the same bytes every build.

TEACHER = PDF.with_name("vah-book-teacher.pdf")


def outline_titles(path: Path) -> list[tuple[str, int]]:
    """Every bookmark of the PDF as (title without white space, page index), depth first."""
    from pypdf import PdfReader

    reader, out = PdfReader(path), []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append((normalise(item.title), reader.get_destination_page_number(item)))
    walk(reader.outline)
    return out


@pytest.mark.browser
def test_every_chapter_and_section_has_a_bookmark():
    marks = {title for title, _ in outline_titles(PDF)}
    wanted = [normalise("".join(site_page(doc).title).strip()) for doc in PRINTED[1:]]
    missing = [t for t in wanted if not any(m.startswith(t) for m in marks)]
    assert not missing, f"chapters without a bookmark: {missing}"
    assert len(marks) > 3 * len(PRINTED), f"only {len(marks)} bookmarks"


@pytest.mark.browser
def test_the_api_reference_is_not_printed(pages):
    title = normalise("".join(site_page("book/appendix/api").title).strip())
    assert not any(normalise(body(p)).startswith(title) for p in pages), "API page printed"
    assert not any(m.startswith(title) for m, _ in outline_titles(PDF)), "API bookmark"


@pytest.mark.browser
def test_every_page_is_numbered_and_none_is_blank(pages):
    unnumbered = [i + 1 for i, p in enumerate(pages) if not FOOTER.search(p)]
    assert not unnumbered, f"pages without a number: {unnumbered[:10]}"
    textless = [i + 1 for i, p in enumerate(pages) if len(normalise(body(p))) < 40]
    ink = {n: inked(PDF, n) for n in textless}
    blank = [n for n, share in ink.items() if share < 0.02]
    assert not blank, f"blank pages: {blank}"


def pdftotext(path: Path) -> list[str]:
    """Each page's text as poppler's ``pdftotext -raw`` reads it (pages end with a form feed)."""
    done = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return done.stdout.split("\f")[:-1]


def inked(path: Path, number: int) -> float:
    """The share of non-white pixels of page ``number`` rendered at 50 dpi (pdftoppm)."""
    import numpy as np

    raw = subprocess.run(["pdftoppm", "-r", "50", "-gray", "-f", str(number), "-l", str(number),
                          str(path)], capture_output=True, check=True).stdout
    header_end = raw.index(b"255\n") + 4  # PGM: P5\n<w> <h>\n255\n<pixels>
    pixels = np.frombuffer(raw[header_end:], dtype=np.uint8)
    return float((pixels < 200).mean())


@pytest.mark.browser
def test_the_full_ledger_is_printed(pages):
    ids = re.findall(r'id="entry-([^"]+)"', (SITE / "book/appendix/ledger.html").read_text())
    printed = normalise("".join(body(p) for p in pages)).replace("_", "")
    missing = [i for i in ids if normalise(i).replace("_", "") not in printed]
    assert len(ids) >= 690 and not missing, f"{len(missing)} of {len(ids)}: {missing[:5]}"
    first = next(i for i, p in enumerate(pages) if "The full ledger, by topic" in p)
    nxt = next(i for i, p in enumerate(pages) if i > first and
               normalise(p).startswith(normalise("The reconstructed cohort")))
    assert nxt - first < 70, f"the ledger takes {nxt - first} pages"


@pytest.mark.browser
def test_no_screen_only_text_is_printed(pages):
    printed = "".join(pages)
    for text in ("opens on a click", "Show code cell source", "Hide code cell"):
        assert text not in printed, f"{text!r} printed"


@pytest.mark.browser
def test_solutions_only_in_the_teachers_edition(pages):
    import html

    wanted = [normalise(html.unescape(p))[:120] for doc in toc_pages()
              for p in solutions((SITE / f"{doc}.html").read_text())]
    student = normalise("".join(body(p) for p in pages))
    assert wanted and not [w for w in wanted if w in student], "solutions in the student PDF"
    # poppler's pdftotext reads the teacher's edition in 0.4 s where pypdf takes 12 s
    teacher = normalise("".join(body(p) for p in pdftotext(TEACHER)))
    missing = [w for w in wanted if w not in teacher]
    assert not missing, f"{len(missing)} solutions missing from the teacher's PDF"
    assert (SITE / TEACHER.name).read_bytes() == TEACHER.read_bytes(), "stale site copy"


def test_the_finishing_step_makes_two_chrome_prints_the_same_bytes(tmp_path):
    """Two prints differ in their dates, /ID, XMP and structure element names: finished, they
    are the same bytes."""
    from finish_pdf import finish  # scripts/ is on the path (conftest)
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    copies = []
    for n in (1, 2):
        writer = PdfWriter()
        for page in PdfReader(PDF).pages[:3]:
            writer.add_page(page)
        writer.add_metadata({"/CreationDate": f"D:2026010{n}000000Z"})
        writer._root_object[NameObject("/Metadata")] = writer._add_object(
            ByteStringObject(b"xmp %d" % n))
        writer._ID = ArrayObject([ByteStringObject(bytes([n]) * 16)] * 2)
        # Chrome names structure elements after a DOM counter that starts elsewhere each print
        element = DictionaryObject({
            NameObject("/ID"): TextStringObject(f"node{867 + 28 * n:08d}"),
            NameObject("/Headers"): ArrayObject([TextStringObject(f"node{900 + 28 * n:08d}")])})
        writer._root_object[NameObject("/StructTreeRoot")] = writer._add_object(element)
        path = tmp_path / f"{n}.pdf"
        with open(path, "wb") as out:
            writer.write(out)
        copies.append(path)
    assert copies[0].read_bytes() != copies[1].read_bytes()
    for path in copies:
        finish(path, 1_700_000_000)
    assert copies[0].read_bytes() == copies[1].read_bytes()
