"""Print the `vah results --format json` snapshot computed by the vah package in SRC.

Usage: PYTHONPATH=SRC python scripts/snapshot.py SRC. It fails (status 2, one line on stderr) if
any `vah` module it used was loaded from elsewhere (an editable install of another checkout, say),
so that `make diff` never compares a commit with itself by mistake.
"""

from __future__ import annotations

import sys
from pathlib import Path


def strays(root: Path) -> list[str]:
    """The files of the loaded `vah` modules that are not under ``root``."""
    return sorted(str(module.__file__) for name, module in list(sys.modules.items())
                  if (name == "vah" or name.startswith("vah."))
                  and not Path(str(module.__file__)).resolve().is_relative_to(root))


def main(src: str) -> int:
    root = Path(src).resolve()
    import vah.cli

    if not strays(root):  # checked before the run (fail fast) and after it (all it imported)
        status = vah.cli.main(["results", "--format", "json"])
        if not strays(root):
            return status
    print(f"snapshot: vah was imported from {strays(root)[0]}, not from {root}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: PYTHONPATH=SRC python scripts/snapshot.py SRC")
    sys.exit(main(sys.argv[1]))
