"""`vah diff OLD.json NEW.json` and `make diff BASE=<ref>`, run as a reviewer types them, on
snapshot pairs planted by hand and on a fresh clone of this repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import run, typed

from conftest import ROOT

#: Two records as `vah results --format json` writes them, one with its ledger entry.
OLD = {
    "efficacy.CRc_pct": {"value": "70.8 %", "text": "70.8 %", "page": "book/efficacy",
                         "source": "Abstract",
                         "ledger": {"id": "abstract.CRc", "published": "70.8 %",
                                    "recomputed": "70.8 % (68/96)", "status": "match"}},
    "safety.n_all": {"value": 96, "text": "96", "page": "book/safety"},
}


def vah(*args: str) -> subprocess.CompletedProcess[str]:
    """``vah ARGS`` in this process (test_cli.py checks that the console script, typed in a
    shell, prints and exits the same)."""
    return run(*args)


def write(path: Path, data: object) -> str:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def test_identical_snapshots_exit_0(tmp_path):
    old = write(tmp_path / "old.json", OLD)
    new = write(tmp_path / "new.json", OLD)
    done = typed("diff", old, new)  # once as a reviewer types it
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0 changed, 0 added, 0 removed"), done.stdout


def test_a_changed_number_is_listed_with_its_page_and_ledger_entry(tmp_path):
    new = json.loads(json.dumps(OLD))
    new["efficacy.CRc_pct"].update(value="71.9 %", text="71.9 %")
    new["efficacy.CRc_pct"]["ledger"].update(recomputed="71.9 % (69/96)", status="rounding",
                                             basis="recomputed from Table 2")  # an extra field
    run = vah("diff", write(tmp_path / "old.json", OLD), write(tmp_path / "new.json", new))
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert len(lines) == 2, run.stdout  # one changed value, then the count
    line = lines[0]
    assert line.startswith("changed  efficacy.CRc_pct: 70.8 % -> 71.9 % (book/efficacy"), line
    assert "ledger abstract.CRc" in line and "status match -> rounding" in line, line
    assert "recomputed 70.8 % (68/96) -> 71.9 % (69/96)" in line, line
    assert "basis - -> recomputed from Table 2" in line, line
    assert "safety.n_all" not in run.stdout
    assert lines[-1].startswith("1 changed, 0 added, 0 removed"), lines[-1]


def test_a_number_whose_text_is_the_same_is_still_a_change(tmp_path):
    new = json.loads(json.dumps(OLD))
    new["safety.n_all"]["value"] = 96.0001
    run = vah("diff", write(tmp_path / "old.json", OLD), write(tmp_path / "new.json", new))
    assert run.returncode == 1
    assert "changed  safety.n_all: value 96 -> 96.0001 (shown 96)" in run.stdout, run.stdout


def test_added_and_removed_keys_are_listed(tmp_path):
    new = {k: v for k, v in OLD.items() if k != "safety.n_all"}
    new["safety.n_grade3"] = {"value": 41, "text": "41", "page": "book/safety", "status": "x"}
    run = vah("diff", write(tmp_path / "old.json", OLD), write(tmp_path / "new.json", new))
    assert run.returncode == 1, run.stderr
    assert "added    safety.n_grade3: 41 (book/safety)" in run.stdout, run.stdout
    assert "removed  safety.n_all: 96 (book/safety)" in run.stdout, run.stdout
    assert "0 changed, 1 added, 1 removed" in run.stdout


@pytest.mark.parametrize("content, says", [
    (None, "no such file"),
    ("{not json", "not JSON"),
    ("[1, 2]", "not a `vah results --format json` snapshot"),
    ("{}", "not a `vah results --format json` snapshot"),
    ('{"a.b": {"text": "1"}}', "'a.b' has no value and page"),
    (b"\xff\xfe", "cannot read it"),
], ids=["missing", "not-json", "a-list", "empty", "no-value", "not-utf8"])
def test_bad_input_is_one_line_on_stderr_and_exit_2(tmp_path, content, says):
    bad = tmp_path / "bad.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        bad.write_text(content)
    good = write(tmp_path / "good.json", OLD)
    for args in ((str(bad), good), (good, str(bad))):
        run = vah("diff", *args)
        assert run.returncode == 2
        assert run.stdout == ""
        assert len(run.stderr.splitlines()) == 1 and says in run.stderr, run.stderr
        assert "Traceback" not in run.stderr


def test_a_missing_argument_is_a_usage_error():
    run = vah("diff", "only.json")
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1, run.stderr


def make_diff(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -o: the venv is the one running these tests; do not let make reinstall it. The outer
    # `make test` must not make this a sub-make (its messages would read "make[1]: ..."): run
    # it as a person types it.
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")}
    return subprocess.run(["make", "-s", "-o", ".venv/.installed", "diff", *args,
                           f"BIN={Path(sys.executable).parent}"],
                          cwd=repo, capture_output=True, text=True, timeout=900, env=env)


@pytest.fixture(scope="session")
def clone(tmp_path_factory) -> Path:
    """A clone of this repository with the working tree's Makefile, scripts and package
    committed on top (so that uncommitted work is what runs), leaving it a clean tree."""
    repo = tmp_path_factory.mktemp("diff") / "repo"
    git = ["git", "-c", "user.name=test_diff", "-c", "user.email=test_diff@invalid"]
    subprocess.run([*git, "clone", "-q", str(ROOT), str(repo)], check=True, timeout=120)
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for folder in ("src", "scripts"):
        shutil.copytree(ROOT / folder, repo / folder, dirs_exist_ok=True, ignore=skip)
    shutil.copy2(ROOT / "Makefile", repo / "Makefile")
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "working tree"], cwd=repo,
                   check=True)
    return repo


def test_make_diff_on_a_clean_tree_exits_0(clone):
    run = make_diff(clone, "BASE=HEAD")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("0 changed, 0 added, 0 removed"), run.stdout
    listed = subprocess.run(["git", "worktree", "list"], cwd=clone, capture_output=True,
                            text=True, check=True).stdout
    assert len(listed.splitlines()) == 1, f"the temporary worktree was left behind:\n{listed}"


def test_make_diff_sees_a_value_the_working_tree_adds(clone):
    # each snapshot must come from its own code: the base from the commit, the other from the
    # working tree (not from the venv's editable install of another checkout)
    chapter = clone / "src" / "vah" / "chapters" / "safety.py"
    original = chapter.read_text()
    chapter.write_text(original + "\n\n_planted = values\n\n\ndef values():\n"
                       "    return {**_planted(), 'planted_by_test_diff': 7}\n")
    try:
        run = make_diff(clone, "BASE=HEAD")
    finally:
        chapter.write_text(original)
    assert run.returncode != 0, run.stdout
    assert "added    safety.planted_by_test_diff: 7 (book/safety)" in run.stdout, run.stdout
    assert "0 changed, 1 added, 0 removed" in run.stdout, run.stdout


@pytest.mark.parametrize("base", ["no-such-ref", ""])
def test_make_diff_with_an_unknown_or_no_ref_fails_in_one_line(clone, base):
    run = make_diff(clone, f"BASE={base}")
    assert run.returncode == 2
    ours = [line for line in run.stderr.splitlines() if not re.match(r"make(\[\d+\])?: ", line)]
    assert len(ours) == 1 and ours[0].startswith("make diff: "), run.stderr
