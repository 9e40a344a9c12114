"""The ledger page: six topics that start closed, a filter bar that works without a server, and
links to an entry that open its topic (book/_static/ledger-filter.js)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from conftest import BOOK, open_page

SECTIONS = ("patients", "efficacy", "subgroups", "survival", "safety", "design")
LEDGER = "book/appendix/ledger.html"
ROWS = "details.vah-ledger-section tbody tr"


class _Sections(HTMLParser):
    """The <details> of each topic (open or not, its summary) and the attributes of its rows."""

    def __init__(self) -> None:
        super().__init__()
        self.details: list[dict] = []
        self._summary = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details":
            self.details.append({"attrs": attrs, "summary": "", "rows": []})
        elif tag == "summary":
            self._summary = True
        elif tag == "tr" and "id" in attrs and self.details:
            self.details[-1]["rows"].append(attrs)

    def handle_endtag(self, tag):
        if tag == "summary":
            self._summary = False

    def handle_data(self, data):
        if self._summary:
            self.details[-1]["summary"] += data


def test_sections_are_closed_details_whose_rows_carry_status_and_section():
    from vah.chapters import appendix_ledger
    from vah.ledger import ledger_frame

    out = appendix_ledger.outputs()
    assert (BOOK / appendix_ledger.SCRIPT).exists()
    assert f'src="../../{appendix_ledger.SCRIPT}"' in out["ledger-filter"].data
    for name in SECTIONS:
        parser = _Sections()
        parser.feed(out[f"ledger-section-{name}"].data)
        (details,) = parser.details
        assert "open" not in details["attrs"] and details["attrs"]["data-section"] == name
        frame = ledger_frame(name)
        assert details["summary"].startswith(f"{name.capitalize()}: {len(frame)} entries")
        for status, n in frame["status"].value_counts().items():
            assert f"{n} {status}" in details["summary"]
        assert [(r["id"], r["data-status"], r["data-section"]) for r in details["rows"]] == [
            (f"entry-{i}", s, name) for i, s in zip(frame["id"], frame["status"], strict=True)]


def _open_states(page) -> list[bool]:
    return page.eval_on_selector_all("details.vah-ledger-section", "ds => ds.map(d => d.open)")


def _status_column(page) -> int:
    headers = page.locator("details.vah-ledger-section").first.locator("thead th")
    return [h.strip() for h in headers.all_text_contents()].index("Status")


@pytest.mark.browser
def test_every_topic_starts_closed(page, site_url):
    open_page(page, f"{site_url}/{LEDGER}")
    assert _open_states(page) == [False] * len(SECTIONS)
    assert page.locator(ROWS).count() > 0 and page.locator(f"{ROWS}:visible").count() == 0
    assert page.locator("#vah-ledger-filter").is_visible()  # shown by the script


@pytest.mark.browser
def test_status_filter_leaves_only_that_status(page, site_url):
    from vah.ledger import status_counts

    open_page(page, f"{site_url}/{LEDGER}")
    page.select_option("#vah-ledger-filter select[name=status]", "mismatch")
    column = _status_column(page)
    statuses = page.locator(f"{ROWS}:visible").evaluate_all(
        f"rows => rows.map(r => r.cells[{column}].textContent.trim())")
    assert statuses and set(statuses) == {"mismatch"}
    assert len(statuses) == status_counts()["mismatch"]
    # clearing the filter shows every row again and closes the topics it opened
    page.click("#vah-ledger-filter button[type=reset]")
    page.wait_for_function("[...document.querySelectorAll('details.vah-ledger-section')]"
                           ".every(d => !d.open)")
    assert page.locator(f"{ROWS}[hidden]").count() == 0


@pytest.mark.browser
def test_topic_filter_hides_the_other_topics(page, site_url):
    from vah.ledger import ledger_frame

    open_page(page, f"{site_url}/{LEDGER}")
    page.select_option("#vah-ledger-filter select[name=topic]", "safety")
    for name in SECTIONS:
        shown = page.locator(f"#ledger-details-{name}").is_visible()
        assert shown == (name == "safety"), name
    sections = page.locator(f"{ROWS}:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.section)")
    assert sections == ["safety"] * len(ledger_frame("safety"))
    # the text box narrows it to the rows whose id or quantity holds the words
    page.fill("#vah-ledger-filter input[name=text]", "nausea")
    ids = page.locator(f"{ROWS}:visible").evaluate_all("rows => rows.map(r => r.id)")
    assert "entry-table3.nausea.g1_2" in ids and all("nausea" in i for i in ids)


@pytest.mark.browser
def test_a_link_to_an_entry_opens_its_topic_and_shows_the_row(page, site_url):
    open_page(page, f"{site_url}/{LEDGER}#entry-table3.nausea.g1_2")
    row = page.locator("[id='entry-table3.nausea.g1_2']")
    assert row.is_visible()
    assert _open_states(page) == [name == "safety" for name in SECTIONS]
    top, bottom, height = row.evaluate(
        "r => [r.getBoundingClientRect().top, r.getBoundingClientRect().bottom, innerHeight]")
    assert 0 <= top < height and bottom > 0, (top, bottom, height)
    # a link to a row that the filter hides clears the filter
    page.select_option("#vah-ledger-filter select[name=topic]", "design")
    page.evaluate("location.hash = '#entry-table2.CRc.all'")
    other = page.locator("[id='entry-table2.CRc.all']")
    other.wait_for(state="visible")
    assert page.input_value("#vah-ledger-filter select[name=topic]") == ""
