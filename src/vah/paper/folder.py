"""Where the paper's data files are read from: the package's own folder, or another one for the
whole process (``$VAH_PAPER_DATA``, or :func:`data_dir_override` within a block).

Every loader of ``vah.paper`` resolves its folder when called, and caches what it loaded on the
folder's path: a copy with a planted misprint loads fresh, and leaving the block restores the
paper as published.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vah.errors import DataError

__all__ = [
    "current_data_dir",
    "DATA_DIR",
    "DATA_DIR_ENV",
    "data_dir_override",
    "resolve",
]


#: The folder of the paper's data files, inside the installed package.
#:
#: :meta hide-value:
DATA_DIR = Path(__file__).parent / "data"


#: Environment variable naming another folder of data files, for the whole process
#: (``VAH_PAPER_DATA=/tmp/copy vah ledger``).
DATA_DIR_ENV = "VAH_PAPER_DATA"


_OVERRIDES: list[Path] = []


def current_data_dir() -> Path:
    """The folder the loaders read when given no ``data_dir``: the innermost
    :func:`data_dir_override`, else ``$VAH_PAPER_DATA``, else :data:`DATA_DIR`."""
    if _OVERRIDES:
        return _OVERRIDES[-1]
    named = os.environ.get(DATA_DIR_ENV, "")
    if not named:
        return DATA_DIR
    folder = Path(named).resolve()
    if not folder.is_dir():
        raise DataError(f"{DATA_DIR_ENV}={named!r}: not a folder of the paper's data files")
    return folder


@contextmanager
def data_dir_override(path: str | Path) -> Iterator[Path]:
    """Within the block, every loader called without ``data_dir`` reads ``path`` (restored on
    exit, nesting allowed). Caches keyed on nothing but the data (the ledger's, the
    reconstruction's) are the caller's to clear."""
    folder = Path(path).resolve()
    if not folder.is_dir():
        raise DataError(f"{path}: not a folder of the paper's data files")
    _OVERRIDES.append(folder)
    try:
        yield folder
    finally:
        _OVERRIDES.pop()


def resolve(data_dir: str | Path | None) -> Path:
    """``data_dir`` itself if given, else :func:`current_data_dir`."""
    return current_data_dir() if data_dir is None else Path(data_dir)
