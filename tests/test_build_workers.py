"""The build's pre-execution survives a dead worker and a failing page (scripts/build.py).

A page whose cell kills the worker process (the kernel's parent) stands for a worker that dies
under load: the build must notice it at once, execute the other pages with the other worker and
leave the lost page to the Sphinx build. Before, it waited ten minutes on its queue.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_build import PAGE  # a one-cell MyST page

from conftest import ROOT

RUN = """
import json, sys
sys.path.insert(0, {scripts!r})
from pathlib import Path
import build
pages = [Path(p) for p in {pages!r}]
results = build._execute(pages, {jobs})
print(json.dumps({{Path(path).stem: (error, [o.get("text", "") for c in nb.cells
                                         for o in c.get("outputs", [])] if nb else None)
                  for path, nb, _, error in results}}))
"""


def pages(folder: Path, codes: dict[str, str]) -> list[str]:
    out = []
    for name, code in codes.items():
        path = folder / f"{name}.md"
        path.write_text(PAGE.format(code=code))
        out.append(str(path))
    return out


def execute(folder: Path, codes: dict[str, str], jobs: int = 2) -> tuple[dict, str]:
    # The subprocess timeout only guards against a hang (the old build waited 600 s).
    out = subprocess.run([sys.executable, "-c", RUN.format(scripts=str(ROOT / "scripts"),
                                                           pages=pages(folder, codes), jobs=jobs)],
                         capture_output=True, text=True, timeout=400, cwd=folder)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1]), out.stderr


@pytest.mark.build
def test_a_dead_worker_is_noticed_and_the_others_go_on(tmp_path):
    # The killer is the largest file, so it is taken first; the other pages must come back.
    found, stderr = execute(tmp_path, {
        "killer": "import os, signal  # the worker is the kernel's parent\n"
                  + "# padding so that this page is taken first\n" * 20
                  + "os.kill(os.getppid(), signal.SIGKILL)",
        "one": "print(6 * 7)", "two": "print(sum(range(5)))", "three": "print('three')"})
    assert "a worker stopped (exit code -9)" in stderr
    assert "killer" not in found  # left to the Sphinx build
    assert found == {
        "one": [None, ["42\n"]], "two": [None, ["10\n"]], "three": [None, ["three\n"]]}


@pytest.mark.build
def test_a_failing_page_gets_a_new_kernel_for_the_next(tmp_path):
    # One worker, largest page first: the failure leaves a mark that the kernel's reset between
    # pages does not clear (an attribute of builtins); the next page runs in a new kernel.
    found, _ = execute(tmp_path, {
        "a_fails": "import builtins\nbuiltins.leftover = 1\n" + "# padding\n" * 20
                   + "raise ValueError('planted')",
        "b_clean": "import builtins\nprint(hasattr(builtins, 'leftover'))"}, jobs=1)
    assert found["a_fails"][0] == "CellExecutionError: ValueError: planted"
    assert found["b_clean"] == [None, ["False\n"]]
