"""The finishing step of the printed edition: Chrome's PDF made the same bytes every build.

Chrome writes the time into the document's dates and /ID and an XMP packet each print, and
names the tagged structure's elements after its DOM node counter (``(node00000867)``), which
starts elsewhere from one print to the next. This step rewrites the file with pypdf: dates from
``SOURCE_DATE_EPOCH`` (else the last commit's time), no XMP /Metadata, an /ID that is a digest of
the pages' content, and the element names replaced by their rank among all of them (same width,
so no offset moves, and in the same order, so the structure's ID name tree stays sorted).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
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


def content_digest(reader) -> bytes:
    """16 bytes of SHA-256 over every page's content streams (of a ``PdfReader``), in order."""
    h = hashlib.sha256()
    for page in reader.pages:
        h.update(page.get_contents().get_data() if page.get_contents() else b"")
    return h.digest()[:16]


NODE_NAME = re.compile(rb"\(node(\d{8})\)")


def renumber_nodes(pdf: bytes) -> bytes:
    """``pdf`` with each structure element name ``(nodeNNNNNNNN)`` replaced by its rank."""
    rank = {n: i for i, n in enumerate(sorted({int(m) for m in NODE_NAME.findall(pdf)}))}
    return NODE_NAME.sub(lambda m: b"(node%08d)" % rank[int(m.group(1))], pdf)


def finish(path: Path, epoch: int) -> None:
    """Rewrite ``path`` in place with fixed dates, no XMP and a content-derived /ID."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    reader = PdfReader(path)
    writer = PdfWriter(clone_from=reader)
    writer._root_object.pop(NameObject("/Metadata"), None)
    date = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(epoch))
    writer.add_metadata({"/CreationDate": date, "/ModDate": date})
    ident = ByteStringObject(content_digest(reader))
    writer._ID = ArrayObject([ident, ident])
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(renumber_nodes(out.getvalue()))
