"""Results that several pages share, computed once per build and kept on disk.

Each page of the book runs in its own kernel, so a result that several pages need (the checks
of the reconstructed cohort, for instance) would be computed once per page. When the environment
variable ``VAH_CACHE_DIR`` names a folder (``scripts/build.py`` sets it to ``_build/.vah-cache``),
:func:`shared` keeps the first result there, under a key that includes a digest of the package's
code and data, so a change to either computes it afresh. Without the variable (tests, the CLI)
nothing is stored and every call computes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
PACKAGE = Path(__file__).resolve().parent
ENV = "VAH_CACHE_DIR"


@cache
def package_digest() -> str:
    """Digest of the package's code and data files."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".csv", ".yaml"} and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(PACKAGE)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def shared(name: str) -> Callable[[Callable[[], T]], Callable[[], T]]:
    """Decorator for a function without arguments whose result is kept under ``name``."""

    def decorate(func: Callable[[], T]) -> Callable[[], T]:
        @wraps(func)
        def wrapper() -> T:
            folder = os.environ.get(ENV)
            if not folder:
                return func()
            path = Path(folder) / f"{name}-{package_digest()}.pickle"
            if path.exists():
                try:
                    with path.open("rb") as f:
                        return pickle.load(f)
                except (OSError, pickle.UnpicklingError, EOFError):
                    pass  # unreadable: compute it again and replace it
            value = func()
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename, so that a page running at the same time never reads half a file.
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f:
                pickle.dump(value, f)
            os.replace(f.name, path)
            return value

        return wrapper

    return decorate
