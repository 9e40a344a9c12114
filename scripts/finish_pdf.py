"""The finishing step of the printed edition: Chrome's PDF made the same bytes every build.

Chrome writes the time into the document's dates and /ID and an XMP packet each print. This
step rewrites the file with pypdf: dates from ``SOURCE_DATE_EPOCH`` (else the last commit's
time), no XMP /Metadata, and an /ID that is a digest of the pages' content.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path


def source_epoch(root: Path) -> int:
    """``SOURCE_DATE_EPOCH``, else the time of the last commit, else 0."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                          capture_output=True, text=True)
    return int(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else 0


def content_digest(path: Path) -> bytes:
    """16 bytes of SHA-256 over every page's content streams, in order."""
    from pypdf import PdfReader

    h = hashlib.sha256()
    for page in PdfReader(path).pages:
        h.update(page.get_contents().get_data() if page.get_contents() else b"")
    return h.digest()[:16]


def finish(path: Path, epoch: int) -> None:
    """Rewrite ``path`` in place with fixed dates, no XMP and a content-derived /ID."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(path))
    writer._root_object.pop(NameObject("/Metadata"), None)
    date = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(epoch))
    writer.add_metadata({"/CreationDate": date, "/ModDate": date})
    ident = ByteStringObject(content_digest(path))
    writer._ID = ArrayObject([ident, ident])
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    with open(path, "wb") as out:
        writer.write(out)
