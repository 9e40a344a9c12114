"""Where the paper's data files are read from, and the caches keyed on them.

The folder is the package's own, or another one for the whole process (``$VAH_PAPER_DATA``) or
for a block (:func:`data_dir_override`, per thread). Every cache of the package that depends on
the data is keyed on a :class:`DataFolder`: the folder's path and the name, size and
modification time of each of its files. A copy with a planted misprint, or a file edited in
place, is a new key, so nothing has to be cleared by hand, and leaving the block gives the paper
as published again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path

from vah.errors import DataError

__all__ = [
    "cached_on_data",
    "current_data_dir",
    "DATA_DIR",
    "DATA_DIR_ENV",
    "data_dir_override",
    "data_folder",
    "DataFolder",
]


#: The folder of the paper's data files, inside the installed package.
#:
#: :meta hide-value:
DATA_DIR = Path(__file__).parent / "data"


#: Environment variable naming another folder of data files, for the whole process
#: (``VAH_PAPER_DATA=/tmp/copy vah ledger``).
DATA_DIR_ENV = "VAH_PAPER_DATA"

# The innermost data_dir_override of this thread (a new thread starts with none).
_OVERRIDE: ContextVar[Path | None] = ContextVar("vah_data_dir", default=None)


@dataclass(frozen=True)
class DataFolder:
    """A folder of data files as it is now: its path, and each file's name, size and
    modification time (what a cache keyed on it depends on)."""

    path: Path
    files: tuple[tuple[str, int, int], ...]

    def __truediv__(self, name: str) -> Path:
        return self.path / name


def current_data_dir() -> Path:
    """The folder the loaders read when given no ``data_dir``: the innermost
    :func:`data_dir_override` of this thread, else ``$VAH_PAPER_DATA``, else :data:`DATA_DIR`."""
    override = _OVERRIDE.get()
    if override is not None:
        return override
    named = os.environ.get(DATA_DIR_ENV, "")
    if not named:
        return DATA_DIR
    folder = Path(named).resolve()
    if not folder.is_dir():
        raise DataError(f"{DATA_DIR_ENV}={named!r}: not a folder of the paper's data files")
    return folder


@contextmanager
def data_dir_override(path: str | Path) -> Iterator[Path]:
    """Within the block, every loader of this thread called without ``data_dir`` reads
    ``path`` (restored on exit, nesting allowed). No cache needs clearing: each is keyed on the
    folder it read."""
    folder = Path(path).resolve()
    if not folder.is_dir():
        raise DataError(f"{path}: not a folder of the paper's data files")
    token = _OVERRIDE.set(folder)
    try:
        yield folder
    finally:
        _OVERRIDE.reset(token)


def data_folder(data_dir: str | Path | DataFolder | None = None) -> DataFolder:
    """``data_dir`` (or :func:`current_data_dir`) as a :class:`DataFolder`, stamped now."""
    if isinstance(data_dir, DataFolder):
        return data_dir
    folder = current_data_dir() if data_dir is None else Path(data_dir)
    try:
        stamps = tuple((p.name, s.st_size, s.st_mtime_ns)
                       for p in sorted(folder.iterdir()) if p.is_file()
                       for s in (p.stat(),))
    except OSError as exc:
        raise DataError(f"{folder}: not a folder of the paper's data files ({exc.strerror})") \
            from None
    return DataFolder(folder, stamps)


def cached_on_data(func: Callable) -> Callable:
    """Cache ``func`` on its arguments and on the data folder it reads (:func:`data_folder`
    when it is called). The body runs with that folder as this thread's data folder, so all
    it loads comes from the folder it is cached on. The 16 most recent results are kept;
    ``cache_clear()`` is there, but correctness never needs it."""
    @lru_cache(maxsize=16)
    def on(folder: DataFolder, *args: object, **kwargs: object) -> object:
        token = _OVERRIDE.set(folder.path)
        try:
            return func(*args, **kwargs)
        finally:
            _OVERRIDE.reset(token)

    @wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        return on(data_folder(), *args, **kwargs)

    wrapper.cache_clear = on.cache_clear  # type: ignore[attr-defined]
    wrapper.cache_info = on.cache_info  # type: ignore[attr-defined]
    return wrapper
