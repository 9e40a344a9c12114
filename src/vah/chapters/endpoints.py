"""The Endpoints page: the ELN 2017 response categories, worked boundary cases, the older wording
the paper uses, MRD thresholds, and the time-to-event endpoints read on hypothetical patients,
with the book's one rule for when an induction failure is an EFS event."""

from __future__ import annotations

import pandas as pd

from vah import paper as pub
from vah.chapters import Value
from vah.display.figures import setup
from vah.display.figures.endpoints import HISTORIES, endpoint_events, histories_figure
from vah.display.tables import myst_table
from vah.paper.folder import cached_on_data
from vah.reconstruction import models as M
from vah.reconstruction.times import MONTH, reconstructed
from vah.stats import fmt
from vah.trial import response as R
from vah.trial.endpoints import ELN2022_FAILURE_DAY, INDUCTION_FAILURE, PAPER_EFS_SOURCE
from vah.trial.protocol import (
    FIRST_ASSESSMENT_DAY,
    MRD_SENSITIVITY,
    MRD_THRESHOLD_PERCENT,
    PRIMARY_ENDPOINT_CYCLES,
)

__all__ = ["DAY1_GROUP", "PAGE", "WORKED_CASES", "day1_lower_band", "endpoint_table",
           "eln_categories", "figures", "values", "worked_cases", "worked_cases_frame"]

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


def _as_table2(case: R.MarrowAssessment) -> str:
    """The category under the paper's wording as Table 2 counts it, the classifier's own in
    brackets where they differ (an MLFS is NR in Table 2)."""
    own = R.classify(case, "paper")
    counted = R.table2_category(own)
    return counted.value if counted is own else f"{counted.value} ({own.value})"


def worked_cases_frame() -> pd.DataFrame:
    """The worked cases: counts, the ELN 2017 category with its reason, the paper's category
    as Table 2 counts it."""
    return pd.DataFrame([{"Case": name, "Marrow blasts": f"{c.blasts_pct:g} %",
                          "ANC /µL": f"{c.anc_per_uL:,.0f}",
                          "Platelets /µL": f"{c.platelets_per_uL:,.0f}",
                          "ELN 2017": R.explain(c, "eln2017"),
                          "Paper's wording": _as_table2(c)}
                         for name, c in WORKED_CASES])


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    n_differ = sum(R.classify(c, "eln2017") != R.classify(c, "paper") for _, c in WORKED_CASES)
    t2 = pub.table2().query("group == 'all'").set_index("row")
    n_nr = int(t2.loc["NR", "n"])
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
        "older_criteria": " and ".join(R.PAPER_WORDING_ORIGIN.value),
        "older_source": R.PAPER_WORDING_ORIGIN.source,
        "mrd_eln": Value(f"{R.ELN_MRD_THRESHOLD_PERCENT.value:g} %",
                         source=R.ELN_MRD_THRESHOLD_PERCENT.source,
                         value=R.ELN_MRD_THRESHOLD_PERCENT.value),
        "mrd_eln_source": R.ELN_MRD_THRESHOLD_PERCENT.source,
        "mrd_ratio": f"{R.ELN_MRD_THRESHOLD_PERCENT.value / MRD_THRESHOLD_PERCENT.value:.0f}",
        "n_mlfs_cases": sum(R.classify(c, "paper") is R.Response.MLFS for _, c in WORKED_CASES),
        "t2_nr": Value(str(n_nr), "table2.NR.all", t2.loc["NR", "locator"], n_nr),
        "t2_sum": Value(str(pub.group_n("all")), "table2.responses_sum.all",
                        "Table 2 / All patients", pub.group_n("all")),
        "efs_paper_source": PAPER_EFS_SOURCE,
        "primary_cycles": Value(str(PRIMARY_ENDPOINT_CYCLES.value),
                                source=PRIMARY_ENDPOINT_CYCLES.source,
                                value=PRIMARY_ENDPOINT_CYCLES.value),
        "efs_rule": Value(INDUCTION_FAILURE.value, source=INDUCTION_FAILURE.source),
        "eln2022_day": Value(str(ELN2022_FAILURE_DAY.value), source=ELN2022_FAILURE_DAY.source,
                             value=ELN2022_FAILURE_DAY.value),
        "eln2022_source": ELN2022_FAILURE_DAY.source,
        **_day1_check(),
    }


DAY1_GROUP = "relapsed_chemo"  # the group whose published EFS interval rules out day 1


def day1_lower_band(n: int, failures: int) -> float:
    """The lower 95 % log(-log) band of Kaplan-Meier EFS (lifelines) just after day 1 when
    ``failures`` of ``n`` patients are events on day 1 and nobody else has an event or is
    censored before a year."""
    day1 = ELN2022_FAILURE_DAY.value / MONTH
    time = [day1] * failures + [24.0] * (n - failures)
    fit = M.km_fit(time, [True] * failures + [False] * (n - failures))
    return float(fit.confidence_interval_.iloc[:, 0].loc[day1])


def _day1_check() -> dict[str, Value | str]:
    """Table 2's interval for the median EFS of DAY1_GROUP, against day-1 failures."""
    n = pub.group_n(DAY1_GROUP)
    t2 = pub.table2().query("group == @DAY1_GROUP").set_index("row")
    crc = int(t2.loc["CRc", "n"])
    cell = pub.table2_survival().set_index(["endpoint", "statistic", "group"]).loc[
        ("EFS", "median", DAY1_GROUP)]
    recon = reconstructed()
    _, low, _ = M.median_with_ci(*(recon.loc[recon["group"] == DAY1_GROUP, c]
                                   for c in ("efs_time", "efs_event")))
    return {
        "day1_n": Value(str(n), source=f"Table 2 / {pub.GROUP_LABELS[DAY1_GROUP]}", value=n),
        "day1_failures": str(n - crc),
        "day1_crc": Value(str(crc), f"table2.CRc.{DAY1_GROUP}", t2.loc["CRc", "locator"], crc),
        "day1_band": fmt.pct_of(100 * day1_lower_band(n, n - crc)),
        "day1_pub_low": Value(fmt.months(cell["ci_low"]), f"table2.EFS_median.{DAY1_GROUP}",
                              cell["locator"], float(cell["ci_low"])),
        "day1_recon_low": fmt.months(low),
    }


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Endpoints page glues, by key."""
    return dict(_values()) | exercise_values()


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
                      "ELN 2017, and the category under the paper's wording as Table 2 counts "
                      "it (the classifier's MLFS in brackets: Table 2 has no MLFS row).",
                      name="tab-worked-cases", align_numbers=False)


def endpoint_table():
    """What each time-to-event endpoint records for the hypothetical patients."""
    events = pd.DataFrame([{"Patient": h.name, **endpoint_events(h)} for h in HISTORIES])
    return myst_table(events, caption="What each endpoint records for the hypothetical patients "
                      "(months; DFS and relapse are timed from CRc).",
                      name="tab-endpoint-events", align_numbers=False)


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    case = R.MarrowAssessment(blasts_pct=4, anc_per_uL=1000, platelets_per_uL=120_000)
    changed = [h.name.split(":")[0] for h in HISTORIES
               if endpoint_events(h)["Relapse (CIR)"].startswith("competing")]
    return {"ex_eln": R.classify(case, "eln2017").value,
            "ex_paper": R.classify(case, "paper").value, "ex_changed": " and ".join(changed)}
