"""The build is strict: a failing cell, or a Sphinx warning, fails the build.

The build is `scripts/build.py` (what `make book` runs): pages are executed in parallel into the
execution cache first, then `jupyter-book build -W -n --keep-going` reads them from it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BUILD = ROOT / "scripts" / "build.py"

PAGE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Probe

```{{code-cell}} ipython3
{code}
```
"""


def mini_book(tmp_path: Path, code: str, extra: str = "") -> Path:
    """A one-page book that uses the repository's own _config.yml."""
    shutil.copy(ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "book" / "_static").mkdir(parents=True)
    (tmp_path / "_vendor").mkdir()
    shutil.copy(ROOT / "book" / "references.bib", tmp_path / "book" / "references.bib")
    shutil.copy(ROOT / "book" / "_static" / "favicon.svg", tmp_path / "book" / "_static")
    shutil.copytree(ROOT / "book" / "_ext", tmp_path / "book" / "_ext")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/index\n")
    (tmp_path / "book" / "index.md").write_text(PAGE.format(code=code) + extra)
    return tmp_path


def build(book: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD), str(book)],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.build
def test_a_passing_page_builds(tmp_path):
    result = build(mini_book(tmp_path, "x = 1 + 1"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # The page ran before Sphinx, which took its outputs from the cache.
    assert "executed 1 pages" in result.stdout
    assert "Using cached notebook" in result.stdout
    assert "Executing notebook" not in result.stdout


@pytest.mark.build
def test_a_failing_cell_fails_the_build(tmp_path):
    result = build(mini_book(tmp_path, "raise ZeroDivisionError('probe cell failed')"))
    assert result.returncode != 0
    # The early run reports the failure and leaves the page to Sphinx, which fails on it.
    assert "pre-execution of book/index.md failed" in result.stderr
    assert "Executing notebook" in result.stdout
    assert "probe cell failed" in result.stdout + result.stderr


@pytest.mark.build
def test_a_broken_reference_fails_the_build(tmp_path):
    result = build(mini_book(tmp_path, "x = 1", extra="\nSee {numref}`fig-missing`.\n"))
    assert result.returncode != 0
    assert "fig-missing" in result.stdout + result.stderr
