"""vah.memo: shared results are computed once per build, and never served stale."""

from __future__ import annotations

import pandas as pd
import pytest

from vah import memo


def counted(value):
    calls = []

    @memo.shared("probe")
    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_without_the_variable_nothing_is_kept(monkeypatch, tmp_path):
    monkeypatch.delenv(memo.ENV, raising=False)
    compute, calls = counted(42)
    assert compute() == 42 and compute() == 42
    assert len(calls) == 2
    assert not any(tmp_path.iterdir())


def test_the_second_call_reads_the_first_result(monkeypatch, tmp_path):
    monkeypatch.setenv(memo.ENV, str(tmp_path))
    frame = pd.DataFrame({"a": [1.5, 2.5]})
    compute, calls = counted(frame)
    first, second = compute(), compute()
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, second)
    assert [p.name for p in tmp_path.iterdir()] == [f"probe-{memo.package_digest()}.pickle"]


def test_an_unreadable_file_is_computed_again(monkeypatch, tmp_path):
    monkeypatch.setenv(memo.ENV, str(tmp_path))
    (tmp_path / f"probe-{memo.package_digest()}.pickle").write_bytes(b"not a pickle")
    compute, calls = counted([1, 2])
    assert compute() == [1, 2]
    assert len(calls) == 1
    assert compute() == [1, 2] and len(calls) == 1


def test_the_key_changes_with_the_package(monkeypatch, tmp_path):
    (tmp_path / "module.py").write_text("x = 1\n")
    monkeypatch.setattr(memo, "PACKAGE", tmp_path)
    memo.package_digest.cache_clear()
    try:
        before = memo.package_digest()
        (tmp_path / "module.py").write_text("x = 2\n")
        memo.package_digest.cache_clear()
        assert memo.package_digest() != before
    finally:
        memo.package_digest.cache_clear()


@pytest.mark.parametrize("func", ["vah.cohort:ledger_checks", "vah.survival:summary"])
def test_shared_results_equal_fresh_ones(monkeypatch, tmp_path, func):
    """The book's shared results: read back from disk, they equal a fresh computation."""
    import importlib

    module, _, name = func.partition(":")
    fn = getattr(importlib.import_module(module), name)
    monkeypatch.delenv(memo.ENV, raising=False)
    fresh = fn()
    monkeypatch.setenv(memo.ENV, str(tmp_path))
    fn()
    assert repr(fn()) == repr(fresh)  # repr: exact floats, and NaN equals NaN
