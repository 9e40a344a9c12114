"""Pages only glue: the package computes, a page's hidden cells import its chapter and show it.

The hidden cells of a page (tags ``remove-cell`` or ``remove-input``) hold at most 10 lines in all
and import no numerical or plotting library; every page that glues anything has a chapter module.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, toc_page_files

HIDDEN = {"remove-cell", "remove-input"}
MAX_PLUMBING = 10
FORBIDDEN = re.compile(r"^\s*(?:import|from)\s+(numpy|scipy|pandas|statsmodels|lifelines|"
                       r"matplotlib)\b", re.M)
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```\s*$", re.S | re.M)


def hidden_cells(text: str) -> list[str]:
    """The code of the page's hidden cells (their options stripped)."""
    cells = []
    for body in CELL.findall(text):
        lines = body.splitlines()
        options = [ln for ln in lines if ln.startswith(":")]
        tags = set()
        for option in options:
            if option.startswith(":tags:"):
                tags |= set(yaml.safe_load(option.split(":", 2)[2].strip()))
        if tags & HIDDEN:
            cells.append("\n".join(ln for ln in lines if not ln.startswith(":")))
    return cells


def plumbing_lines(text: str) -> int:
    return sum(1 for cell in hidden_cells(text) for line in cell.splitlines()
               if line.strip() and not line.strip().startswith("#"))


@pytest.mark.parametrize("doc", toc_page_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_hidden_cells_only_glue(doc: Path):
    text = doc.read_text()
    assert plumbing_lines(text) <= MAX_PLUMBING, f"{doc.name}: {plumbing_lines(text)} lines"
    found = [m.group(1) for cell in hidden_cells(text) for m in FORBIDDEN.finditer(cell)]
    assert not found, f"{doc.name} imports {found} in a hidden cell"
    if "glue:" in text:
        assert "from vah.chapters import" in text and "show(" in text, doc.name


def test_the_counter_sees_a_computing_page():
    page = ("```{code-cell} ipython3\n:tags: [remove-cell]\nimport pandas as pd\n"
            + "x = 1\n" * 10 + "```\n\n```{code-cell} ipython3\nvisible = 2\n```\n")
    assert plumbing_lines(page) == 11
    assert FORBIDDEN.search(hidden_cells(page)[0])
