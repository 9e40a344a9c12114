"""The draft Markdown writer of the student notebooks (book/_ext/vah_student.py), on small trees."""

import sys
from pathlib import Path

import pytest
from docutils import nodes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
import vah_student  # noqa: E402


def test_paragraph_with_inline_markup_and_math():
    para = nodes.paragraph("", "", nodes.Text("rate "), nodes.strong("", "96"),
                           nodes.Text(" of "), nodes.math("", "n"))
    assert vah_student.block_markdown(para) == ["rate **96** of $n$"]


def test_section_titles_nest():
    sec = nodes.section("", nodes.title("", "Top"),
                        nodes.section("", nodes.title("", "Sub"), nodes.paragraph("", "x")))
    assert vah_student.block_markdown(sec) == ["# Top", "## Sub", "x"]


def test_table_is_a_pipe_table():
    row = lambda *cells: nodes.row("", *[nodes.entry("", nodes.paragraph("", c))  # noqa: E731
                                         for c in cells])
    table = nodes.table("", nodes.tgroup("", nodes.thead("", row("a", "b")),
                                         nodes.tbody("", row("1", "2|3"))))
    assert vah_student.block_markdown(table) == ["| a | b |\n|---|---|\n| 1 | 2\\|3 |"]


def test_unknown_node_fails_loudly():
    with pytest.raises(vah_student.UnknownNode, match="sidebar"):
        vah_student.block_markdown(nodes.sidebar("", nodes.paragraph("", "x")))
