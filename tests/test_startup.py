"""The venv leaves out jsonschema's optional format checkers, so nbformat does not import them.

Every process that reads or writes a notebook imports nbformat: jupyter-book, the build's
execution workers, jupyter-cache, the notebook tests. pytest-notebook's dependency tree
(jupyter-events -> jsonschema[format-nongpl]) brings jsonschema's optional format checkers,
which jsonschema imports with nbformat when they are installed; rfc3987-syntax among them builds
a grammar there, +0.8 s or more per process. The Makefile installs the full freeze in
requirements.txt with --no-deps and uninstalls the packages it names in ``NOT_INSTALLED``
(README, "How the build works"). These checks are deterministic: what the start-up costs is
measured by ``make bench`` (scripts/bench.py), as a ratio to a bare ``python -c pass``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


def not_installed() -> list[str]:
    """The import names of the distributions the Makefile keeps out of the venv."""
    make = (ROOT / "Makefile").read_text()
    line = re.search(r"^NOT_INSTALLED\s*:=\s*(.+)$", make, re.M)
    assert line, "the Makefile no longer sets NOT_INSTALLED"
    return [name.replace("-", "_") for name in line[1].split()]


#: Which of the modules named in argv[1] (comma-separated) are imported after ``import
#: nbformat`` and a first ``validate`` in a fresh interpreter, one a line.
PROBE = """\
import sys
import nbformat
nbformat.validate(nbformat.v4.new_notebook())
print("\\n".join(m for m in sys.argv[1].split(",") if m in sys.modules))
"""


def imported_with_nbformat(modules: list[str], env: dict[str, str] | None = None) -> list[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, ",".join(modules)], capture_output=True,
                         text=True, env=env, timeout=120, check=True)
    return run.stdout.split()


def test_the_makefile_keeps_the_slow_iri_checker_out():
    assert "rfc3987_syntax" in not_installed()


@pytest.mark.parametrize("module", not_installed())
def test_an_optional_format_checker_is_not_installed(module):
    assert importlib.util.find_spec(module) is None, \
        f"{module} is installed: jsonschema imports it with nbformat; run `make` (see Makefile)"


def test_nbformat_imports_none_of_them():
    assert imported_with_nbformat(not_installed()) == []


def test_the_probe_sees_a_checker_that_jsonschema_imports(tmp_path):
    # a stand-in for rfc3987-syntax on the path: jsonschema imports it with nbformat
    (tmp_path / "rfc3987_syntax.py").write_text(
        "def is_valid_syntax(rule, text):\n    return True\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    assert imported_with_nbformat(not_installed(), env) == ["rfc3987_syntax"]
