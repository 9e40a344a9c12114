"""What the printed edition depends on, so that a no-op ``make book`` does not print again.

The PDF is made from the same sources as the site, by the scripts in this folder: when the
built site (every file of ``_build/html`` but the PDFs copied into it), the book's
configuration files (``*.yml`` at the root) and these scripts are byte for byte what they were
at the last print, the print would be the same, and ``scripts/pdf.py`` skips it (the singlehtml
build included). The stamp ``_build/pdf/.inputs`` holds the digest and the PDFs it made; a
missing PDF, in ``_build/pdf`` or in the site, makes it print again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

STAMP = Path("_build") / "pdf" / ".inputs"


def inputs_digest(root: Path) -> str:
    """Digest of the built site (PDFs left out), the root's ``*.yml`` and ``scripts/*``."""
    site = root / "_build" / "html"
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix != ".pdf"]
    files += [*root.glob("*.yml"), *(root / "scripts").glob("*.py"),
              *(root / "scripts").glob("*.sh")]
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def up_to_date(root: Path) -> list[str] | None:
    """The PDFs of the last print when nothing it depends on changed since and each is still
    in ``_build/pdf`` and in the site; otherwise None (print again)."""
    stamp = root / STAMP
    try:
        record = json.loads(stamp.read_text())
        digest, names = record["digest"], list(record["pdfs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    present = all((root / "_build" / where / name).is_file()
                  for name in names for where in ("pdf", "html"))
    if not names or not present or digest != inputs_digest(root):
        return None
    return names


def record(root: Path, names: list[str]) -> None:
    """Remember that ``names`` were printed from the inputs as they are now."""
    stamp = root / STAMP
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"digest": inputs_digest(root), "pdfs": sorted(names)}) + "\n")
