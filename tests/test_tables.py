"""vah.display.tables: MyST list-tables and long HTML tables, with captions, headers and
escaping."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from vah.display.tables import html_table_source, myst_table_source

FRAME = pd.DataFrame({"Quantity": ["CRc <all>", "P & Q"], "Published": ["70.8 %", None]})


class Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_table_has_caption_header_cells_and_escaped_text():
    source = html_table_source(FRAME, "Caption & more.", "tab-x", widths=[3, 1])
    parser = Cells()
    parser.feed(source)
    assert parser.tags.count("caption") == 1
    assert parser.tags.count("th") == 2 and parser.tags.count("td") == 4
    assert 'id="tab-x"' in source and 'scope="col"' in source
    # The text a reader sees is the data, unchanged: markup characters are escaped, not parsed.
    assert "CRc <all>" in parser.text and "P & Q" in parser.text
    assert "–" in parser.text  # a missing value
    assert 'style="width: 75.0%"' in source and 'style="width: 25.0%"' in source


@pytest.mark.parametrize("make", [
    lambda: html_table_source(FRAME.iloc[:0], "c", "tab-empty"),
    lambda: html_table_source(FRAME, "c", "tab-w", widths=[1, 2, 3]),
    lambda: myst_table_source(FRAME.iloc[:0], "c", "tab-empty"),
])
def test_bad_tables_are_refused(make):
    with pytest.raises(ValueError, match="tab-"):
        make()


def test_myst_table_escapes_markup_and_names_the_table():
    source = myst_table_source(FRAME, "Caption.", "tab-y")
    assert source.startswith(":::{list-table} Caption.\n:name: tab-y\n:header-rows: 1")
    assert r"CRc \<all\>" in source


def test_html_table_rows_carry_attributes_and_code_breaks_only_after_dots():
    frame = pd.DataFrame({"Id": ["table2.CRc.all", "a<b>.c"], "Status": ["match", "x"]})
    source = html_table_source(frame, "c", "tab-z", row_ids=["entry-1", "entry-2"],
                               row_attrs=[{"data-status": "match"}, {"data-status": 'a"b'}],
                               code_columns=["Id"])
    assert '<tr id="entry-1" data-status="match">' in source
    assert 'data-status="a&quot;b"' in source
    assert '<td><code class="vah-code">table2.<wbr>CRc.<wbr>all</code></td>' in source
    assert "a&lt;b&gt;.<wbr>c" in source and "<td>match</td>" in source
    parser = Cells()
    parser.feed(source)
    assert "table2." in parser.text and "all" in parser.text  # the text is the id, unchanged
    # without the new arguments the table is what it was
    assert "<code" not in html_table_source(frame, "c", "tab-z")
    assert "data-" not in html_table_source(frame, "c", "tab-z")


@pytest.mark.parametrize("kwargs", [
    {"row_attrs": [{"data-status": "match"}]},
    {"row_attrs": [{"id": "x"}, {"id": "y"}]},
    {"row_attrs": [{"on click": "x"}, {"data-a": "y"}]},
    {"code_columns": ["Nope"]},
])
def test_bad_row_attributes_or_code_columns_are_refused(kwargs):
    with pytest.raises(ValueError, match="tab-a"):
        html_table_source(FRAME, "c", "tab-a", **kwargs)
