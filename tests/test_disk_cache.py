"""vah.paper.disk_cache: a result kept on disk is read back instead of computed again, and only
for the same data; a damaged file is computed again; ``VAH_CACHE_DIR=off`` keeps nothing."""

from __future__ import annotations

import shutil

import pytest

from vah import paper as pub
from vah.paper.disk_cache import kept_on_disk

CALLS: list[int] = []


@kept_on_disk
def anaemia_grade3() -> str:
    """The printed cell that the data folder holds (a stand-in for a costly computation)."""
    CALLS.append(1)
    t3 = pub.table3()
    return str(t3[(t3["event"] == "Anemia") & (t3["grade"] == "3")]["printed"].iloc[0])


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("VAH_CACHE_DIR", str(tmp_path / "kept"))
    CALLS.clear()
    anaemia_grade3.cache_clear()
    return tmp_path / "kept"


def fresh() -> str:
    """A call as a new process makes it: nothing in memory."""
    anaemia_grade3.cache_clear()
    return anaemia_grade3()


def test_a_kept_result_is_read_back(store):
    assert fresh() == "62 (64.6)" and len(CALLS) == 1
    assert len(list(store.glob("*.pickle"))) == 1
    assert fresh() == "62 (64.6)" and len(CALLS) == 1  # from disk


def test_other_data_is_computed_again(store, tmp_path):
    assert fresh() == "62 (64.6)"
    copy = shutil.copytree(pub.DATA_DIR, tmp_path / "data")
    table = copy / "table3.csv"
    table.write_text(table.read_text().replace("62 (64.6)", "62 (65.6)"))
    with pub.data_dir_override(copy):
        assert fresh() == "62 (65.6)"
    assert fresh() == "62 (64.6)"
    assert len(CALLS) == 2 and len(list(store.glob("*.pickle"))) == 2


def test_a_damaged_file_is_computed_again(store):
    fresh()
    (kept,) = store.glob("*.pickle")
    kept.write_bytes(b"not a pickle")
    assert fresh() == "62 (64.6)" and len(CALLS) == 2


def test_off_keeps_nothing(store, monkeypatch):
    monkeypatch.setenv("VAH_CACHE_DIR", "off")
    fresh()
    fresh()
    assert len(CALLS) == 2 and not store.exists()
