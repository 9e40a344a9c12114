"""Literature values behind the trial's rationale, each with its source."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "PILOT",
    "PILOT_PATIENTS",
    "PILOT_SOURCE",
    "PilotResult",
]


@dataclass(frozen=True)
class PilotResult:
    """A result of the single-centre pilot of the same regimen (the paper's reference 20)."""

    what: str
    k: int
    n: int
    source: str


PILOT_SOURCE = ("Yu GP et al., Blood 2020;136(Suppl 1):26-7 (ASH abstract), the paper's "
                "reference 20; numbers as summarised in the team's domain notes")
PILOT_PATIENTS = 22
PILOT = (
    PilotResult("overall response with VAH (evaluable patients)", 11, 17, PILOT_SOURCE),
    PilotResult("CR/CRi with VAH (evaluable patients)", 7, 15, PILOT_SOURCE),
    PilotResult("overall response with venetoclax + HMA (comparison patients)", 2, 7,
                PILOT_SOURCE),
)
