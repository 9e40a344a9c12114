"""The Endpoints page: the ELN 2017 response categories, worked boundary cases, MRD and the
time-to-event endpoints read on hypothetical patients."""

from __future__ import annotations

from functools import cache

import pandas as pd

from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.endpoints import HISTORIES, endpoint_events, histories_figure
from vah.display.tables import myst_table
from vah.trial import response as R
from vah.trial.protocol import FIRST_ASSESSMENT_DAY, MRD_SENSITIVITY, MRD_THRESHOLD_PERCENT

__all__ = ["PAGE", "WORKED_CASES", "endpoint_table", "eln_categories", "figures", "values",
           "worked_cases", "worked_cases_frame"]

PAGE = "book/endpoints"
#: Assessments at the boundaries of the categories, where the ELN 2017 and the paper's wording
#: may disagree (hypothetical, not trial patients).
WORKED_CASES = (
    ("Counts just recovered", R.MarrowAssessment(3, 1000, 100_000)),
    ("Platelets low", R.MarrowAssessment(2, 1800, 60_000)),
    ("Transfusion dependent", R.MarrowAssessment(1, 2500, 180_000, transfusion_dependent=True)),
    ("Blasts halved to 20 %", R.MarrowAssessment(20, 1500, 120_000, baseline_blasts_pct=40)),
    ("Circulating blasts", R.MarrowAssessment(2, 1500, 120_000, circulating_blasts=True)),
    ("Blasts 30 %", R.MarrowAssessment(30, 1500, 120_000, baseline_blasts_pct=80)),
)


def worked_cases_frame() -> pd.DataFrame:
    """The worked cases: counts, the ELN 2017 category with its reason, the paper's category."""
    return pd.DataFrame([{"Case": name, "Marrow blasts": f"{c.blasts_pct:g} %",
                          "ANC /µL": f"{c.anc_per_uL:,.0f}",
                          "Platelets /µL": f"{c.platelets_per_uL:,.0f}",
                          "ELN 2017": R.explain(c, "eln2017"),
                          "Paper's wording": R.classify(c, "paper").value}
                         for name, c in WORKED_CASES])


@cache
def _values() -> dict[str, Value | int | str]:
    n_differ = sum(R.classify(c, "eln2017") != R.classify(c, "paper") for _, c in WORKED_CASES)
    return {
        "cr_blasts": f"{R.CR_BLAST_LIMIT:g} %",
        "anc": f"{R.ANC_LIMIT:,.0f}/µL",
        "plt": f"{R.PLATELET_LIMIT:,.0f}/µL",
        "pr_low": f"{R.PR_BLAST_RANGE[0]:g} %",
        "pr_high": f"{R.PR_BLAST_RANGE[1]:g} %",
        "pr_reduction": f"{R.PR_MIN_REDUCTION:g} %",
        "mrd": Value(f"{MRD_THRESHOLD_PERCENT.value:g} %", source=MRD_THRESHOLD_PERCENT.source),
        "mrd_sens": Value(f"1 in {1 / MRD_SENSITIVITY.value:,.0f}", source=MRD_SENSITIVITY.source),
        "day": Value(str(FIRST_ASSESSMENT_DAY.value), source=FIRST_ASSESSMENT_DAY.source,
                     value=FIRST_ASSESSMENT_DAY.value),
        "n_cases": len(WORKED_CASES),
        "n_differ": int(n_differ),
    }


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Endpoints page glues, by key."""
    return dict(_values())


def figures() -> dict[str, object]:
    """The hypothetical patient histories."""
    setup()
    return {"fig-histories": histories_figure()}


def eln_categories():
    """The response categories as the classifier implements them."""
    return myst_table(pd.DataFrame(R.CRITERIA, columns=["Category", "Definition (ELN 2017)"]),
                      caption="Response categories as implemented in vah.trial.response.",
                      name="tab-eln-categories", align_numbers=False)


def worked_cases():
    """The worked-cases table, for the page."""
    return myst_table(worked_cases_frame(), caption="Worked cases: category and reason under "
                      "ELN 2017, and the category under the paper's wording.",
                      name="tab-worked-cases", align_numbers=False)


def endpoint_table():
    """What each time-to-event endpoint records for the hypothetical patients."""
    events = pd.DataFrame([{"Patient": h.name, **endpoint_events(h)} for h in HISTORIES])
    return myst_table(events, caption="What each endpoint records for the hypothetical patients "
                      "(months; DFS and relapse are timed from CRc).",
                      name="tab-endpoint-events", align_numbers=False)
