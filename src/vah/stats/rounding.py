"""How the paper rounds, and how a printed number is compared with an exact one.

Half-up on the exact decimal value is the paper's rule; truncation, rounding up and
half-to-even are the alternatives a ``rounding`` status names.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

__all__ = [
    "compare",
    "compare_ci",
    "decimals",
    "round_half_up",
    "rounding_paths",
    "rounding_rule",
    "ROUNDING_RULES",
]


# ------------------------------------------------------------------ number comparison
def decimals(printed: str) -> int:
    """Decimal places of a printed number ("70.8" -> 1)."""
    return len(printed.split(".")[1]) if "." in printed else 0


def _round(value: float, places: int, mode: str = ROUND_HALF_UP) -> str:
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(repr(float(value))).quantize(quantum, rounding=mode))


def round_half_up(value: float, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, as text (56.25 -> '56.3')."""
    return _round(value, places)


ROUNDING_RULES = {"truncated": ROUND_FLOOR, "rounded up": ROUND_CEILING,
                  "rounded half to even": ROUND_HALF_EVEN}


def rounding_rule(printed: str, exact: float) -> str | None:
    """The rounding rule (other than half-up) that turns ``exact`` into ``printed``, if any."""
    for name, mode in ROUNDING_RULES.items():
        if _round(exact, decimals(printed), mode) == printed:
            return name
    return None


#: The rounding paths :func:`rounding_paths` tries besides half-up, by the name a note gives
#: them (the same modes as ``ROUNDING_RULES``).
_PATHS = {"half-even": ROUNDING_RULES["rounded half to even"],
          "truncation": ROUNDING_RULES["truncated"],
          "rounding up": ROUNDING_RULES["rounded up"]}


def rounding_paths(printed: str, k: int, n: int, parts: tuple[str, ...] = ()) -> dict[str, str]:
    """k/n as each rounding path prints it, to the printed number's decimals: half-up,
    half-even, truncation, rounding up, rounded twice (first to one more decimal), and the sum
    of the printed ``parts`` (rounded percentages added up)."""
    places = decimals(printed)
    exact = 100 * k / n
    out = {"half-up": round_half_up(exact, places)}
    out.update({name: _round(exact, places, mode) for name, mode in _PATHS.items()})
    out["rounded twice"] = round_half_up(float(round_half_up(exact, places + 1)), places)
    if parts:
        total = sum(Decimal(p) for p in parts)
        out["sum of the rounded parts"] = str(total.quantize(Decimal(1).scaleb(-places)))
    return out


def compare(printed: str, exact: float) -> str:
    """match / rounding / mismatch of a printed number against an exact recomputation."""
    places = decimals(printed)
    if round_half_up(exact, places) == printed:
        return "match"
    if rounding_rule(printed, exact) is not None:
        return "rounding"
    return "mismatch"


def compare_ci(printed: tuple[str, str], interval: tuple[float, float]) -> str:
    """match / rounding / mismatch of a printed CI (per cent) against an exact one."""
    statuses = [compare(p, 100 * x) for p, x in zip(printed, interval, strict=True)]
    for status in ("mismatch", "rounding"):
        if status in statuses:
            return status
    return "match"


def _pct_text(k: int, n: int, places: int) -> str:
    return round_half_up(100 * k / n, places)


def _counts_giving(printed: str, n: int) -> list[int]:
    """Whole counts k (0..n) whose k/n, rounded half-up, is the printed percentage."""
    places = decimals(printed)
    return [k for k in range(n + 1) if _pct_text(k, n, places) == printed]
