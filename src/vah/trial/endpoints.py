"""When event-free survival counts an event: the book's one rule for an induction failure.

The paper defines EFS as the time from the start of treatment to *documented* failure to reach
CRc, relapse after CRc, or death, whichever comes first (``PAPER_EFS_SOURCE``), and does not
say more about the date of a failure. ELN 2017 (Döhner et al., Blood 2017;129:424, Table 7)
measures EFS to "the date of primary refractory disease"; ELN 2022 (Döhner et al., Blood
2022;140:1345, Table 9) later put the event on day 1 of treatment instead.

The book dates an induction failure at the response assessment that documents it, or at death
if the patient dies before it (``INDUCTION_FAILURE``). That is how the paper's wording reads,
and Table 2 agrees: the confidence interval of the median EFS after relapse from chemotherapy
starts at 2.0 months, which it cannot when the failures are events on day 1 (the Endpoints
page shows the arithmetic). The worked histories of the Endpoints page and the reconstructed
cohort (``vah.reconstruction.times``) both take EFS from :func:`efs_outcome`.
"""

from __future__ import annotations

import math

from vah.errors import InputError
from vah.trial.protocol import Constant

__all__ = [
    "efs_outcome",
    "ELN2022_FAILURE_DAY",
    "INDUCTION_FAILURE",
    "PAPER_EFS_SOURCE",
]

#: Where the paper defines EFS.
PAPER_EFS_SOURCE = "Methods / Outcomes, sentence 4"

#: The book's rule: the date of the EFS event of a patient who never reaches CRc.
INDUCTION_FAILURE = Constant(
    "at the response assessment that documents it, or at death before it",
    f"{PAPER_EFS_SOURCE} (\"documented failure to achieve CRc\"); Döhner et al., Blood "
    "2017;129:424, Table 7 (\"the date of primary refractory disease\")")

#: The later convention the book does not follow: the failure is an event on this day of
#: treatment (also for a death before the assessment).
ELN2022_FAILURE_DAY = Constant(1, "Döhner et al., Blood 2022;140:1345, Table 9")


def _missing(t: float | None) -> bool:
    return t is None or (isinstance(t, float) and math.isnan(t))


def efs_outcome(reached_crc: bool, relapse: float | None, death: float | None,
                last_seen: float, assessed: float | None = None) -> tuple[float, bool]:
    """EFS (time, event) of one patient by the book's rule, all times from the start of
    treatment in one unit (``None`` or NaN for what did not happen).

    A patient who never reaches CRc has the event at ``assessed``, the response assessment that
    documents the failure, or at death if that comes first (``INDUCTION_FAILURE``); a patient
    in CRc has it at the first of relapse and death, or is censored when last seen.

    >>> efs_outcome(False, None, 4.0, 4.0, assessed=2.0)
    (2.0, True)
    >>> efs_outcome(False, None, 0.5, 0.5, assessed=1.0)
    (0.5, True)
    >>> efs_outcome(True, 8.0, 13.0, 13.0), efs_outcome(True, None, None, 20.0)
    ((8.0, True), (20.0, False))
    """
    if not reached_crc:
        times = [t for t in (assessed, death) if not _missing(t)]
        if not times:
            raise InputError("a patient who never reaches CRc needs the time of the response "
                             "assessment (assessed) or of death")
        return min(times), True
    events = [t for t in (relapse, death) if not _missing(t)]
    return (min(events), True) if events else (last_seen, False)
