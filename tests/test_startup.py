"""The venv's start-up cost: importing nbformat and validating a notebook stays under 0.3 s.

Every process that reads or writes a notebook pays it: jupyter-book, the build's execution
workers, jupyter-cache, the notebook tests. pytest-notebook's dependency tree (jupyter-events ->
jsonschema[format-nongpl]) brings jsonschema's optional format checkers, which jsonschema imports
with nbformat; rfc3987-syntax among them builds a grammar there, +0.8 s or more per process. The
Makefile installs the full freeze in requirements.txt with --no-deps, which leaves them out
(README, "How the build works"). Times are CPU seconds, the least of several fresh processes:
other work on the machine only ever adds to them.
"""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys

import pytest

LIMIT = 0.3
#: jsonschema's optional format checkers (modules), which it imports when they are installed.
OPTIONAL = ("rfc3987_syntax", "rfc3987", "fqdn", "isoduration", "arrow", "uri_template",
            "webcolors", "jsonpointer", "rfc3339_validator", "rfc3986_validator")
#: CPU seconds of ``import nbformat`` and a first ``validate`` in a fresh interpreter; the
#: modules named in argv[1] (comma-separated) are made unimportable first.
PROBE = """\
import sys, time
blocked = set(filter(None, sys.argv[1].split(",")))
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in blocked:
            raise ImportError(name)
sys.meta_path.insert(0, Block())
t = time.process_time()
import nbformat
nbformat.validate(nbformat.v4.new_notebook())
print(time.process_time() - t)
"""


def probe(blocked: tuple[str, ...] = (), env: dict[str, str] | None = None) -> float:
    run = subprocess.run([sys.executable, "-c", PROBE, ",".join(blocked)], capture_output=True,
                         text=True, env=env, timeout=120, check=True)
    return float(run.stdout)


def startup(env: dict[str, str] | None = None, tries: int = 10) -> float:
    """The least CPU time of up to ``tries`` fresh processes, stopping at the first under the
    limit."""
    best = math.inf
    for _ in range(tries):
        best = min(best, probe(env=env))
        if best < LIMIT:
            break
    return best


@pytest.mark.parametrize("module", ["rfc3987_syntax", "rfc3987"])
def test_no_slow_iri_checker_for_jsonschema_is_installed(module):
    assert importlib.util.find_spec(module) is None, \
        f"{module} is installed: jsonschema imports it with nbformat; run `make` (see Makefile)"


def test_nbformat_start_up_is_under_0_3_s():
    seconds = startup()
    assert seconds < LIMIT, f"import nbformat + validate takes {seconds:.2f} s of CPU"


def test_the_venv_adds_little_to_nbformat_start_up():
    # against the same import with every optional format checker made unimportable, interleaved
    # so that both meet the same load: what the installed ones cost
    runs = [(probe(), probe(OPTIONAL)) for _ in range(5)]
    extra = min(a for a, _ in runs) - min(b for _, b in runs)
    assert extra < 0.1, f"jsonschema's optional format checkers add {extra:.2f} s of CPU"


def test_the_probe_sees_a_slow_module_that_jsonschema_imports(tmp_path):
    # a stand-in for rfc3987-syntax that burns 0.5 s of CPU when imported
    (tmp_path / "rfc3987_syntax.py").write_text(
        "import time\n_t = time.process_time()\n"
        "while time.process_time() - _t < 0.5:\n    pass\n\n\n"
        "def is_valid_syntax(rule, text):\n    return True\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    assert startup(env, tries=2) > LIMIT + 0.2
    assert probe(env=env) - probe(OPTIONAL, env=env) > 0.3
