"""Held-out validation of the reconstruction (vah.reconstruction.validation): the fitted and
held-out lists are disjoint and name real ledger entries, the comparisons are what they say, and
a tolerance changes the verdict."""

from __future__ import annotations

import dataclasses
from fnmatch import fnmatchcase

import numpy as np
import pytest

from conftest import open_page
from vah import paper as pub
from vah.ledger import ledger_frame
from vah.reconstruction import calibration
from vah.reconstruction import validation as V
from vah.reconstruction.models import analysis_frame


@pytest.fixture(scope="session")
def ledger_ids() -> set[str]:
    return set(ledger_frame()["id"])


@pytest.fixture(scope="session")
def table():
    return V.held_out_table()


def _fitted_ids(ids: set[str]) -> set[str]:
    return {i for f in V.FITTED for i in ids if fnmatchcase(i, f.claim)}


def test_every_fitted_entry_names_ledger_entries_and_tolerance_keys(ledger_ids):
    keys = {t.key for t in calibration.tolerances()}
    for f in V.FITTED:
        assert any(fnmatchcase(i, f.claim) for i in ledger_ids), f.claim
        assert not f.key or f.key in keys, f.key
        assert f.by in ("skeleton", "seed search")


def test_every_calibrated_target_is_declared_fitted(ledger_ids):
    """What the seed search is fitted to (calibrated_checks) is in FITTED, by key and by id."""
    declared = {f.key for f in V.FITTED if f.key}
    assert {c.key for c in calibration.calibrated_checks()} <= declared
    held = {c.claim for c in V.HELD_OUT}
    calibrated = {i for i, *_ in calibration.ledger_checks()} - held
    assert calibrated <= _fitted_ids(ledger_ids)


def test_fitted_and_held_out_are_disjoint(ledger_ids):
    held = [c.claim for c in V.HELD_OUT]
    assert len(held) == len(set(held))
    assert set(held) <= ledger_ids
    assert not set(held) & _fitted_ids(ledger_ids)
    assert not set(held) & set(V.NOT_COMPARED)
    searched = {c.key for c in calibration.calibrated_checks()}
    assert not {c.by for c in V.HELD_OUT if c.stat == "rate"} & searched


def test_at_least_ten_held_out(table):
    assert len(V.HELD_OUT) >= 10
    assert len(table) == len(V.HELD_OUT)
    assert {"claim", "quantity", "published", "reconstructed", "tolerance",
            "within"} <= set(table.columns)
    assert table["within"].dtype == bool


def test_a_logrank_p_recomputed_directly(table):
    """OS by allo-HSCT in CRc, with lifelines' two-group test on the raw frame."""
    from lifelines.statistics import logrank_test

    f = analysis_frame()
    crc = f[f["crc"]]
    a, b = crc[crc["allo_hsct"]], crc[~crc["allo_hsct"]]
    p = logrank_test(a["os_time"], b["os_time"], a["os_event"], b["os_event"]).p_value
    row = table.set_index("claim").loc["results.survival.crc_os_hsct_p"]
    assert row["reconstructed"] == pytest.approx(p, rel=1e-9)
    assert row["published"] == float(pub.claim("results.survival.crc_os_hsct_p")["printed"])


def test_the_relapse_p_counts_only_relapses(table):
    """Relapse by FLT3: the cause-specific log-rank in CRc, death in remission censored."""
    from lifelines.statistics import logrank_test

    f = analysis_frame()
    crc = f[f["crc"]]
    pos, neg = crc[crc["mut_FLT3"]], crc[~crc["mut_FLT3"]]
    p = logrank_test(pos["dfs_time"], neg["dfs_time"], pos["cir_event"] == 1,
                     neg["cir_event"] == 1).p_value
    assert table.set_index("claim").loc["results.survival.cir_flt3_p",
                                        "reconstructed"] == pytest.approx(p, rel=1e-9)


def test_the_hr_is_the_multivariable_cox_models(table):
    from lifelines import CoxPHFitter

    f = analysis_frame()
    fit = CoxPHFitter().fit(f[["mrd_neg", "hsct", "os_time", "os_event"]].astype(float),
                            "os_time", "os_event")
    rows = table.set_index("claim")
    hr = rows.loc["results.survival.hr_hsct"]
    assert hr["reconstructed"] == pytest.approx(fit.hazard_ratios_["hsct"], rel=1e-6)
    assert (hr["ci_low"], hr["ci_high"]) == (0.13, 0.98)
    assert hr["within"] == (0.13 <= fit.hazard_ratios_["hsct"] <= 0.98)


def test_p_tolerance_rule():
    check = next(c for c in V.HELD_OUT if c.claim == "results.survival.cir_hsct_p")
    printed = 0.375
    assert V.within(check, printed) and V.within(check, printed * 1.99)
    assert not V.within(check, printed * 2.01) and not V.within(check, printed / 2.01)
    bound = next(c for c in V.HELD_OUT if c.claim == "results.survival.os_hsct_p")
    assert V.within(bound, 0.0019) and not V.within(bound, 0.0021)
    sided = next(c for c in V.HELD_OUT if c.claim == "results.survival.crc_os_hsct_p")
    assert V.within(sided, 0.045) and not V.within(sided, 0.047)  # 0.023 x 2 = 0.046
    assert not V.within(check, float("nan"))


def test_planted_fault_a_zero_tolerance_changes_within(table):
    """With every held-out P tolerance at factor 1 and the rate's at 0, nothing inexact is
    within; the verdicts of the declared table must change."""
    strict = tuple(dataclasses.replace(c, tolerance=1.0 if c.stat in ("logrank", "hr_p")
                                       else 0.0) for c in V.HELD_OUT)
    faulty = V.held_out_table(strict)
    assert faulty["within"].sum() < table["within"].sum()
    exact = np.isclose(faulty["reconstructed"], faulty["published"])
    ps = faulty["stat"].isin(["logrank", "hr_p"]) & (faulty["op"] == "=")
    assert not (faulty["within"] & ps & ~exact).any()


def test_ledger_checks_bases(table):
    checks = V.ledger_checks()
    assert all(len(c) == 5 and c[4] in ("calibrated", "held-out") for c in checks)
    ids = [c[0] for c in checks]
    assert len(ids) == len(set(ids))
    held = {c[0]: c for c in checks if c[4] == "held-out"}
    assert set(held) == {c.claim for c in V.HELD_OUT}
    for row in table.itertuples():
        assert ("within" if row.within else "outside") in held[row.claim][3]
        assert np.isnan(held[row.claim][1]) or held[row.claim][1] == row.reconstructed


@pytest.mark.browser
def test_the_page_shows_every_held_out_verdict(page, site_url, table):
    """On the built appendix page, the held-out table has one row per comparison, naming its
    ledger id, with the verdict held_out_table gives; and it fits the column at 390 px."""
    page.set_viewport_size({"width": 390, "height": 900})
    open_page(page, f"{site_url}/book/appendix/reconstruction.html")
    rows = page.locator("table#tab-reconstruction-held-out tbody tr").all_inner_texts()
    shown = {}
    for text in rows:
        text = text.replace("\u200b", "")
        for claim in table["claim"]:
            if f"({claim})" in text:
                shown[claim] = text.split()[-1]
    assert shown == {c: "within" if w else "outside"
                     for c, w in zip(table["claim"], table["within"], strict=True)}
    widths = page.evaluate("""() => {
        const t = document.querySelector('table#tab-reconstruction-held-out');
        return [t.scrollWidth, t.parentElement.clientWidth]; }""")
    assert widths[0] <= widths[1]
