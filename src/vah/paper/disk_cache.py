"""Results kept on disk between processes, keyed on the data and the code that made them.

The reconstruction and the ledger take seconds to compute, and every process that shows a page
(each build worker, each test worker, each `vah` command) needs them. :func:`kept_on_disk` stores
a function's result under a key made of the function's name and arguments, the bytes of every
data file it read from (its :class:`~vah.paper.folder.DataFolder`), the bytes of every module of
``vah``, and the versions of Python and of the numerical libraries. Change any of them and the
result is computed again. The folder is ``$VAH_CACHE_DIR``, else ``~/.cache/vah``;
``VAH_CACHE_DIR=off`` turns the disk cache off (the test that solves the cohort again from
scratch does). A file that cannot be read or written is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, lru_cache, wraps
from pathlib import Path

from vah.paper.folder import DataFolder, cached_on_data, data_folder

__all__ = ["CACHE_DIR_ENV", "cache_dir", "KEEP", "kept_on_disk"]

#: Environment variable naming the folder of kept results (``off``: keep nothing on disk).
CACHE_DIR_ENV = "VAH_CACHE_DIR"

_LIBRARIES = ("numpy", "scipy", "pandas", "lifelines", "matplotlib", "pint")

def cache_dir() -> Path | None:
    """Where results are kept, or None when ``$VAH_CACHE_DIR`` is ``off``."""
    named = os.environ.get(CACHE_DIR_ENV, "")
    if named == "off":
        return None
    return Path(named) if named else Path.home() / ".cache" / "vah"


@cache
def _code_digest() -> str:
    """The bytes of every module of ``vah`` and the versions it runs with."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(platform.python_version().encode())
    installed = sorted({d.name for entry in sys.path if Path(entry or ".").is_dir()
                        for d in Path(entry or ".").glob("*.dist-info")
                        if d.name.split("-")[0].lower() in _LIBRARIES})
    h.update(" ".join(installed).encode())  # e.g. "lifelines-0.30.3.dist-info ..."
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=16)
def _data_digest(folder: DataFolder) -> str:
    h = hashlib.sha256()
    for name, _, _ in folder.files:
        h.update(name.encode())
        h.update((folder.path / name).read_bytes())
    return h.hexdigest()


def _load(path: Path) -> tuple[object] | None:
    """(the kept result,), or None when there is none or it cannot be read."""
    try:
        with path.open("rb") as stored:
            return (pickle.load(stored),)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def _store(folder: Path, path: Path, result: object) -> None:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as out:
            pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)  # atomic: a reader sees no file or the whole file
    except OSError:
        pass


@contextmanager
def _locked(folder: Path, lock: Path) -> Iterator[None]:
    """An exclusive lock on ``lock`` for the block, where the system has one (POSIX); without
    one, or when the folder cannot be written, the block runs unlocked."""
    try:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        handle = lock.open("a")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


#: Results kept per function; older ones (other data copies, older code) are removed.
KEEP = 32


def _prune(folder: Path, name: str) -> None:
    try:
        kept = sorted(folder.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-KEEP]:
            old.unlink(missing_ok=True)
            old.with_suffix(".lock").unlink(missing_ok=True)
    except OSError:  # another process pruned first
        pass


def kept_on_disk(func: Callable) -> Callable:
    """Cache ``func`` in memory on the data folder (:func:`~vah.paper.folder.cached_on_data`)
    and on disk on the data's and the code's bytes; its arguments must have a stable ``repr``."""
    name = f"{func.__module__}.{func.__qualname__}"

    @cached_on_data
    @wraps(func)
    def wrapper(*args: object, **kwargs: object) -> object:
        folder = cache_dir()
        if folder is None:
            return func(*args, **kwargs)
        key = hashlib.sha256("\0".join((name, repr(args), repr(sorted(kwargs.items())),
                                        _data_digest(data_folder()), _code_digest()))
                             .encode()).hexdigest()
        path = folder / f"{name}-{key[:24]}.pickle"
        found = _load(path)
        if found is not None:
            return found[0]
        # One process computes, the others that want the same result wait for it (a build's
        # workers start together): each result is computed once per data, code and machine.
        with _locked(folder, path.with_suffix(".lock")):
            found = _load(path)
            if found is not None:
                return found[0]
            result = func(*args, **kwargs)
            _store(folder, path, result)
            _prune(folder, name)
        return result

    return wrapper
