"""The registry of computed numbers: every value a page of the book shows, and nothing else.

It is the union of the chapter modules (``vah.chapters.<page>.values()``), keyed
``<page>.<key>`` with the page's glue key. ``provenance()`` adds where each value comes from: its
page, the paper's locator and, for a published number, the ledger entry that checks it (printed,
recomputed, status, basis). `vah results --format json` prints the provenance; tests check the
registry against the glue keys of the built pages, both ways.
"""

from __future__ import annotations

import copy
from types import ModuleType

from vah.chapters import (
    Value,
    appendix_ledger,
    appendix_reconstruction,
    discussion,
    efficacy,
    endpoints,
    index,
    patients,
    plain,
    protocol,
    rationale,
    safety,
    statistics,
    subgroups,
    survival,
)
from vah.paper.disk_cache import kept_on_disk

__all__ = ["CHAPTERS", "provenance", "registry"]

#: Every chapter module, by the name its keys carry in the registry.
#:
#: :meta hide-value:
CHAPTERS: dict[str, ModuleType] = {
    "index": index, "rationale": rationale, "protocol": protocol, "endpoints": endpoints,
    "statistics": statistics, "patients": patients, "efficacy": efficacy, "survival": survival,
    "subgroups": subgroups, "safety": safety, "discussion": discussion,
    "ledger": appendix_ledger, "reconstruction": appendix_reconstruction,
}


def registry() -> dict[str, float | int | str]:
    """Every value the pages show, as a plain number or text, by ``<page>.<key>``."""
    return {f"{name}.{key}": plain(value)
            for name, chapter in CHAPTERS.items() for key, value in chapter.values().items()}


def provenance() -> dict[str, dict[str, object]]:
    """Every registry value with its text, page, paper locator and ledger entry (if any).
    Kept on disk for the same data and code (``vah.paper.disk_cache``); a copy."""
    return copy.deepcopy(_provenance())


@kept_on_disk
def _provenance() -> dict[str, dict[str, object]]:
    from vah.ledger import ledger_frame

    ledger = ledger_frame().set_index("id")
    out: dict[str, dict[str, object]] = {}
    for name, chapter in CHAPTERS.items():
        for key, value in chapter.values().items():
            record: dict[str, object] = {"value": plain(value), "text": str(value),
                                         "page": chapter.PAGE}
            if isinstance(value, Value):
                if value.source:
                    record["source"] = value.source
                if value.ledger:
                    entry = ledger.loc[value.ledger]
                    record["ledger"] = {"id": value.ledger, "published": entry["published"],
                                        "recomputed": entry["recomputed"],
                                        "status": entry["status"],
                                        "basis": entry["basis"]}
            out[f"{name}.{key}"] = record
    return out
