"""A no-op ``make book`` prints nothing again, and any change to what the PDF is made from
prints it again (``scripts/pdf_inputs.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_inputs import record, up_to_date


@pytest.fixture
def root(tmp_path: Path) -> Path:
    for name, text in {"_build/html/index.html": "<p>96</p>", "_build/html/vah-book.pdf": "%PDF",
                       "_build/pdf/vah-book.pdf": "%PDF", "_config.yml": "title: x",
                       "scripts/pdf.py": "print()"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    record(tmp_path, ["vah-book.pdf"])
    return tmp_path


def test_nothing_changed_means_no_new_print(root):
    assert up_to_date(root) == ["vah-book.pdf"]
    (root / "_build/html/vah-book.pdf").write_text("%PDF again")  # the PDF itself is no input
    assert up_to_date(root) == ["vah-book.pdf"]


@pytest.mark.parametrize("changed", ["_build/html/index.html", "_config.yml", "scripts/pdf.py",
                                     "_build/html/_static/print.css"])
def test_a_changed_input_prints_again(root, changed):
    (root / changed).parent.mkdir(parents=True, exist_ok=True)
    (root / changed).write_text("changed")
    assert up_to_date(root) is None


@pytest.mark.parametrize("gone", ["_build/pdf/vah-book.pdf", "_build/html/vah-book.pdf",
                                  "_build/pdf/.inputs"])
def test_a_missing_pdf_or_stamp_prints_again(root, gone):
    (root / gone).unlink()
    assert up_to_date(root) is None


def test_a_garbled_stamp_prints_again(root):
    (root / "_build/pdf/.inputs").write_text("not json")
    assert up_to_date(root) is None
