"""Two `vah results --format json` snapshots compared: which values a change moves.

A snapshot maps ``<page>.<key>`` to a record with at least ``value`` and ``page`` (and ``text``,
``source``, ``ledger`` as `vah results` writes them; fields it does not know are compared too).
`compare` lists every key whose record changed, was added or was removed; `report` writes one line
per key, with its page and ledger entry (status and basis when present). `vah diff` prints it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from vah.errors import VahError

__all__ = ["Comparison", "compare", "load_snapshot", "report"]

#: The ledger fields shown beside a value, in this order, when the entry has them.
LEDGER_FIELDS = ("published", "recomputed", "status", "basis")


def load_snapshot(path: str | Path) -> dict[str, dict]:
    """The snapshot in the file at ``path``; VahError if it is missing, not JSON or not one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise VahError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise VahError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise VahError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or not data:
        raise VahError(f"{path}: not a `vah results --format json` snapshot "
                       "(expected a non-empty object of values by key)")
    for key, record in data.items():
        if not isinstance(record, dict) or "value" not in record or "page" not in record:
            raise VahError(f"{path}: not a `vah results --format json` snapshot "
                           f"({key!r} has no value and page)")
    return data


@dataclass(frozen=True)
class Comparison:
    """The keys of two snapshots whose records changed, were added or were removed."""

    old: dict[str, dict]
    new: dict[str, dict]
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        """Whether any key changed, was added or was removed."""
        return bool(self.changed or self.added or self.removed)


def compare(old: dict[str, dict], new: dict[str, dict]) -> Comparison:
    """Every key whose record differs in any field, and the keys only one snapshot has."""
    return Comparison(old, new,
                      changed=sorted(k for k in old.keys() & new.keys() if old[k] != new[k]),
                      added=sorted(new.keys() - old.keys()),
                      removed=sorted(old.keys() - new.keys()))


def _shown(record: dict[str, object]) -> str:
    return str(record.get("text", record["value"]))


def _arrow(a: object, b: object) -> str:
    return f"{a}" if a == b else f"{a} -> {b}"


def _ledger(old: object, new: object) -> str:
    """The ledger entry of a value, each field as ``old -> new`` where it changed."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    if not old and not new:
        return ""
    names = [f for f in LEDGER_FIELDS if f in old or f in new]
    names += sorted((old.keys() | new.keys()) - set(LEDGER_FIELDS) - {"id"})
    parts = [f"{f} {_arrow(old.get(f, '-'), new.get(f, '-'))}" for f in names]
    return f"; ledger {_arrow(old.get('id', '-'), new.get('id', '-'))}: " + ", ".join(parts)


def _changed_line(key: str, old: dict[str, object], new: dict[str, object]) -> str:
    if _shown(old) != _shown(new):
        what = f"{_shown(old)} -> {_shown(new)}"
    elif old["value"] != new["value"]:
        what = f"value {old['value']!r} -> {new['value']!r} (shown {_shown(new)})"
    else:
        what = _shown(new)
    others = sorted((old.keys() | new.keys()) - {"value", "text", "page", "ledger"})
    moved = [f"{f} {_arrow(old.get(f, '-'), new.get(f, '-'))}" for f in others
             if old.get(f) != new.get(f)]
    extra = "".join(f"; {m}" for m in moved)
    return (f"changed  {key}: {what} ({_arrow(old['page'], new['page'])}"
            f"{_ledger(old.get('ledger'), new.get('ledger'))}{extra})")


def _one_line(kind: str, key: str, record: dict[str, object]) -> str:
    ledger = record.get("ledger")
    return f"{kind}  {key}: {_shown(record)} ({record['page']}{_ledger(ledger, ledger)})"


def report(comparison: Comparison) -> list[str]:
    """One line per changed, added and removed key, then a count."""
    c = comparison
    lines = [_changed_line(k, c.old[k], c.new[k]) for k in c.changed]
    lines += [_one_line("added  ", k, c.new[k]) for k in c.added]
    lines += [_one_line("removed", k, c.old[k]) for k in c.removed]
    lines.append(f"{len(c.changed)} changed, {len(c.added)} added, {len(c.removed)} removed "
                 f"({len(c.old)} values before, {len(c.new)} after)")
    return lines
