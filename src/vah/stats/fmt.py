"""Numbers as the book prints them: one place for percentages, intervals, P values, months,
doses and powers of ten, with the paper's rounding (half-up on the exact value).

>>> pct(68, 96), pct_of(70.83333), ci(0.606, 0.793), p_value(0.0437)
('70.8 %', '70.8 %', '60.6–79.3', '0.044')
>>> p_value(0.0004) == "<\u00a00.001", p_stated(0.0437)
(True, 'P = 0.044')
>>> months(22.1), power_of_ten(3e7), power_of_ten(2.1e9, 1)
('22.1 months', '3.0 × 10⁷', '2.1 × 10⁹')
"""

from __future__ import annotations

import math

from vah.stats.rounding import round_half_up

__all__ = ["NOT_REACHED", "ci", "count_pct", "dose", "months", "number", "p_stated", "p_value",
           "pct", "pct_of", "power_of_ten"]

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
#: What a median or a bound that was not reached is printed as (the paper's "NR", "NE").
NOT_REACHED = "not reached"


def number(value: float, places: int = 1) -> str:
    """``value`` rounded half-up to ``places`` decimals (``"–"`` for NaN)."""
    return "–" if math.isnan(value) else round_half_up(value, places)


def pct_of(percent: float, places: int = 1) -> str:
    """A percentage given in per cent: ``70.8333 -> "70.8 %"``."""
    return f"{number(percent, places)} %"


def pct(k: int, n: int, places: int = 1) -> str:
    """k of n as a percentage, rounded half-up on the exact fraction: ``68, 96 -> "70.8 %"``."""
    return pct_of(100 * k / n, places)


def count_pct(k: int, n: int, places: int = 1) -> str:
    """``"68 (70.8 %)"``."""
    return f"{k} ({pct(k, n, places)})"


def ci(low: float, high: float, places: int = 1, scale: float = 100) -> str:
    """An interval of proportions as per cent bounds: ``0.606, 0.793 -> "60.6–79.3"``;
    an infinite upper bound prints as "not reached"."""
    hi = NOT_REACHED if math.isinf(high) else number(scale * high, places)
    return f"{number(scale * low, places)}–{hi}"


def p_value(p: float, places: int = 3) -> str:
    """A P value as journals print it: ``"< 0.001"`` below 0.001 (a space that does not break),
    else three decimals."""
    floor = 10.0 ** -places
    return f"<\u00a0{floor:g}" if p < floor else round_half_up(p, places)


def p_stated(p: float, places: int = 3) -> str:
    """A P value with its relation, for prose: ``"P = 0.044"`` or ``"P < 0.001"``."""
    text = p_value(p, places)
    return f"P {text}" if text.startswith("<") else f"P = {text}"


def months(value: float, places: int = 1) -> str:
    """``"22.1 months"``; NaN (a median not reached) prints as "not reached"."""
    return NOT_REACHED if math.isnan(value) else f"{number(value, places)} months"


def power_of_ten(value: float, places: int = 1) -> str:
    """Scientific notation with a real superscript: ``3e7 -> "3.0 × 10⁷"``, never ``e+07``."""
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = float(round_half_up(value / 10.0**exponent, places))
    if abs(mantissa) >= 10:
        mantissa, exponent = mantissa / 10, exponent + 1
    return f"{mantissa:.{places}f} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def dose(mg: float, places: int = 0) -> str:
    """A dose in mg with thousands separators: ``5100 -> "5,100 mg"``."""
    return f"{float(round_half_up(mg, places)):,.{places}f} mg"
