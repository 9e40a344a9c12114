"""The `vah` command line: `vah dose`, `vah ledger`, `vah results`, `vah diff`.

Every deliberate error (wrong unit, implausible value, unknown name, malformed data) is printed as
one line on stderr and exits with status 2; there is no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from vah.errors import VahError
from vah.vocabulary import BASES, LEDGER_COLUMNS, STATUSES

__all__ = [
    "build_parser",
    "LEDGER_COLUMNS",
    "main",
    "one_line",
    "STATUSES",
    "BASES",
    "VALUE_OPTIONS",
]



def one_line(message: str) -> str:
    """The message with every unprintable character (newlines included) escaped, so that an
    error that quotes the user's input stays on one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr, exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {one_line(message)}\n")


def _dose(args: argparse.Namespace) -> None:
    from vah.trial.interactions import DISCLAIMER
    from vah.trial.regimen import dose_plan

    plan = dose_plan(args.height, args.weight, formula=args.formula, inhibitor=args.cyp3a4)
    if args.json:
        print(json.dumps(plan.as_dict(), indent=2))
        return
    data = plan.as_dict()
    drugs = list(plan.daily_mg)
    rule = plan.rule
    print(f"{plan.regimen.name} cycle plan: BSA {data['bsa_m2']:.2f} m2 ({plan.formula}), "
          f"with {rule.name}")
    widths = [max(len(d), 9) for d in drugs]
    print("day  " + "  ".join(f"{d:>{w}}" for d, w in zip(drugs, widths, strict=True)))
    for row in data["days"]:
        cells = (f"{row[d]:>{w - 3}.2f} mg" if row[d] else f"{'-':>{w}}"
                 for d, w in zip(drugs, widths, strict=True))
        print(f"{row['day']:>3}  " + "  ".join(cells))
    totals = (f"{data['totals_mg'][d]:>{w - 3}.2f} mg" for d, w in zip(drugs, widths, strict=True))
    print("sum  " + "  ".join(totals))
    if plan.inhibitor != "none":
        print(f"venetoclax follows the label: {rule.label_text}; "
              f"the trial protocol: {rule.protocol_text}")
    print(DISCLAIMER)


def _ledger(args: argparse.Namespace) -> None:
    from vah.ledger import ledger_frame

    frame = ledger_frame()[list(LEDGER_COLUMNS)]
    if args.status:
        frame = frame[frame["status"] == args.status]
    if args.basis:
        frame = frame[frame["basis"] == args.basis]
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif args.format == "json":
        print(json.dumps(frame.to_dict(orient="records"), indent=2, ensure_ascii=False))
    else:
        print(frame.to_markdown(index=False) if _has_tabulate() else _markdown(frame))


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def _markdown(frame) -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = (str(v).replace("|", "\\|").replace("\n", " ") for v in row)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _results(args: argparse.Namespace) -> None:
    from vah.results import provenance, registry

    if args.format == "json":
        print(json.dumps(provenance(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        reg = registry()
        for key in sorted(reg):
            print(f"{key}\t{reg[key]}")


def _diff(args: argparse.Namespace) -> int:
    from vah.diff import compare, load_snapshot, report

    comparison = compare(load_snapshot(args.old), load_snapshot(args.new))
    print("\n".join(report(comparison)))
    return 1 if comparison.differs else 0


def build_parser() -> argparse.ArgumentParser:
    """The `vah` argument parser: the dose, ledger, results and diff commands."""
    from vah.trial.bsa import DEFAULT_FORMULA, FORMULAS
    from vah.trial.interactions import INHIBITORS

    parser = _Parser(prog="vah", description="Computations behind the VAH trial book.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    dose = sub.add_parser("dose", help="a VAH dose plan for one cycle (teaching, not prescribing)")
    dose.add_argument("--height", required=True, help="height with its unit, e.g. 170cm")
    dose.add_argument("--weight", required=True, help="weight with its unit, e.g. 70kg")
    dose.add_argument("--formula", default=DEFAULT_FORMULA, choices=list(FORMULAS),
                      help="BSA formula (default: %(default)s)")
    dose.add_argument("--cyp3a4", default="none", choices=list(INHIBITORS),
                      help="concomitant CYP3A or P-gp inhibitor; venetoclax follows the label "
                      "(default: %(default)s)")
    dose.add_argument("--json", action="store_true", help="print JSON instead of a table")
    dose.set_defaults(func=_dose)

    ledger = sub.add_parser("ledger", help="published claims against recomputed values")
    ledger.add_argument("--format", default="md", choices=["csv", "md", "json"])
    ledger.add_argument("--status", choices=STATUSES)
    ledger.add_argument("--basis", choices=BASES,
                        help="counts: checked from other printed numbers; restated: printed "
                        "again elsewhere; calibrated / held-out: compared with the "
                        "reconstruction; none: nothing to check it with")
    ledger.set_defaults(func=_ledger)

    results = sub.add_parser("results", help="every number the book shows, with its provenance")
    results.add_argument("--format", default="json", choices=["json", "tsv"])
    results.set_defaults(func=_results)

    diff = sub.add_parser("diff", help="the values that changed between two `vah results` "
                          "snapshots (exit 1 if any)")
    diff.add_argument("old", metavar="OLD.json", help="the snapshot before")
    diff.add_argument("new", metavar="NEW.json", help="the snapshot after")
    diff.set_defaults(func=_diff)
    return parser


VALUE_OPTIONS = ("--height", "--weight")


def _join_values(argv: Sequence[str]) -> list[str]:
    """Glue ``--height -5cm`` into ``--height=-5cm`` so a negative value reaches validation."""
    out: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        if items[i] in VALUE_OPTIONS and i + 1 < len(items) and items[i + 1].startswith("-"):
            out.append(f"{items[i]}={items[i + 1]}")
            i += 2
        else:
            out.append(items[i])
            i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run `vah` with ``argv``; return the exit status (2 for any deliberate error; `vah diff`
    returns 1 when a value changed)."""
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(_join_values(argv))
    try:
        status = args.func(args)
    except VahError as exc:
        print(f"vah: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return status or 0


if __name__ == "__main__":
    raise SystemExit(main())
