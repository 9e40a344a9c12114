"""`vah.results` is the union of the chapters: every value a built page glues is in it under the
page's name, and nothing else is."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from vah.results import CHAPTERS, provenance, registry

EXECUTED = ROOT / "_build" / "jupyter_execute"


def glued_keys() -> dict[str, set[str]]:
    """The glue keys of every built page, by document (``book/safety``)."""
    return {str(p.relative_to(EXECUTED)).removesuffix(".glue.json"): set(json.loads(p.read_text()))
            for p in EXECUTED.rglob("*.glue.json")}


def mismatches(glued: dict[str, set[str]], chapters: dict[str, tuple[str, set[str]]]
               ) -> list[str]:
    """Keys glued but not in the registry, and registry keys no page glues."""
    out = []
    pages = {page: (name, keys) for name, (page, keys) in chapters.items()}
    for page, keys in sorted(glued.items()):
        if keys and page not in pages:
            out.append(f"{page} glues {len(keys)} values but has no chapter module")
            continue
        name, shown = pages.get(page, ("", set()))
        out += [f"{page} glues {k!r}, which is not in the registry as {name}.{k}"
                for k in sorted(keys - shown)]
        out += [f"the registry has {name}.{k}, which {page} does not glue"
                for k in sorted(shown - keys)]
    return out


def chapter_keys() -> dict[str, tuple[str, set[str]]]:
    return {name: (ch.PAGE, set(ch.values()) | set(getattr(ch, "figures", dict)())
                   | set(getattr(ch, "outputs", dict)()))
            for name, ch in CHAPTERS.items()}


def test_registry_is_exactly_what_the_pages_glue(site_dir):
    problems = mismatches(glued_keys(), chapter_keys())
    assert not problems, "\n".join(problems)


def test_the_comparison_catches_a_key_either_way():
    chapters = {"safety": ("book/safety", {"a", "b"})}
    assert mismatches({"book/safety": {"a", "b"}}, chapters) == []
    assert mismatches({"book/safety": {"a"}}, chapters) == [
        "the registry has safety.b, which book/safety does not glue"]
    assert mismatches({"book/safety": {"a", "b", "c"}}, chapters) == [
        "book/safety glues 'c', which is not in the registry as safety.c"]
    assert mismatches({"book/other": {"x"}}, chapters)[0].startswith("book/other glues 1")


def test_registry_values_are_plain_and_carry_provenance():
    reg, prov = registry(), provenance()
    assert set(reg) == set(prov)
    assert all(isinstance(v, int | float | str) and not isinstance(v, bool) for v in reg.values())
    linked = [r for r in prov.values() if "ledger" in r]
    assert len(linked) >= 150
    for record in linked:
        assert set(record["ledger"]) == {"id", "published", "recomputed", "status", "basis"}


@pytest.mark.parametrize(("key", "entry", "status", "basis", "text"), [
    # Results, Safety: grade >= 3 neutropenia 82.3 % = Table 3's 60 + 19 + 0 = 79 of 96.
    ("safety.neut_g3", "results.safety.neutropenia_g3", "match", "counts", "82.3 %"),
    # Treatment-related death 4.2 %: the count is not printed, so nothing checks it.
    ("safety.trd_pct", "results.safety.trd", "not-recomputable", "none", "4.2 %"),
])
def test_provenance_names_the_ledger_entry(key, entry, status, basis, text):
    record = provenance()[key]
    assert record["ledger"]["id"] == entry
    assert (record["ledger"]["status"], record["ledger"]["basis"]) == (status, basis)
    assert record["text"] == text
