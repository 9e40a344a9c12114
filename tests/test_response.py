"""vah.trial.response: ELN 2017 boundaries (Döhner, Blood 2017, Table 6) and the paper's wording."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vah import paper as pub
from vah.errors import InputError
from vah.trial.protocol import MRD_THRESHOLD_PERCENT
from vah.trial.response import (
    ELN_MRD_THRESHOLD_PERCENT,
    MarrowAssessment,
    Response,
    classify,
    explain,
    mrd_negative,
    table2_category,
)


def a(blasts=2.0, anc=1500.0, plt=150_000.0, **kw):
    return MarrowAssessment(blasts, anc, plt, **kw)


def test_cr():
    assert classify(a()) is Response.CR and Response.CR.is_crc


@pytest.mark.parametrize(("blasts", "expected"), [(4.9, Response.CR), (5.0, Response.NR)])
def test_blast_limit_is_strictly_below_five(blasts, expected):
    # ELN 2017: "bone marrow blasts <5%"; 5 % with no baseline is not a PR -> NR needs baseline
    assert classify(a(blasts=blasts, baseline_blasts_pct=6.0)) is expected


@pytest.mark.parametrize(("anc", "eln", "paper"), [
    (999.0, Response.CRI, Response.CRI),
    (1000.0, Response.CR, Response.CRI),   # ELN >= 1.0 x 10^9/L; the paper says "more than"
    (1001.0, Response.CR, Response.CR)])
def test_anc_boundary(anc, eln, paper):
    assert classify(a(anc=anc)) is eln
    assert classify(a(anc=anc), "paper") is paper


@pytest.mark.parametrize(("plt", "eln", "paper"), [
    (99_999.0, Response.CRI, Response.CRI),
    (100_000.0, Response.CR, Response.CRI),
    (100_001.0, Response.CR, Response.CR)])
def test_platelet_boundary(plt, eln, paper):
    assert classify(a(plt=plt)) is eln
    assert classify(a(plt=plt), "paper") is paper


def test_cri_needs_clear_marrow_and_no_circulating_blasts():
    assert classify(a(anc=500, plt=20_000)) is Response.CRI
    assert classify(a(circulating_blasts=True)) is Response.MLFS
    assert not Response.MLFS.is_crc


def test_transfusion_dependence_matters_only_in_the_paper_convention():
    assert classify(a(transfusion_dependent=True)) is Response.CR
    assert classify(a(transfusion_dependent=True), "paper") is Response.MLFS


@pytest.mark.parametrize(("blasts", "baseline", "eln", "paper"), [
    (25.0, 50.0, Response.PR, Response.NR),   # exactly 50 % fall: ELN >= 50 %, paper > 50 %
    (25.0, 60.0, Response.PR, Response.PR),   # 58 % fall
    (25.1, 80.0, Response.NR, Response.NR),   # above the 5-25 % band
    (5.0, 10.0, Response.PR, Response.NR),    # lower edge of the band, 50 % fall
    (10.0, 15.0, Response.NR, Response.NR)])  # 33 % fall
def test_partial_remission(blasts, baseline, eln, paper):
    case = a(blasts=blasts, baseline_blasts_pct=baseline)
    assert classify(case) is eln
    assert classify(case, "paper") is paper


def test_pr_needs_recovered_counts():
    assert classify(a(blasts=10, anc=500, baseline_blasts_pct=60)) is Response.NR


def test_pr_without_baseline_is_an_error():
    with pytest.raises(InputError, match="pretreatment marrow blast"):
        classify(a(blasts=10))


def test_extramedullary_disease_prevents_remission():
    assert classify(a(extramedullary=True)) is Response.NR


@pytest.mark.parametrize("kwargs", [dict(blasts=-1), dict(blasts=101), dict(anc=-5),
                                    dict(plt=math.nan), dict(blasts=math.inf),
                                    dict(anc=5e6), dict(baseline_blasts_pct=120)])
def test_bad_inputs(kwargs):
    with pytest.raises(InputError):
        a(**kwargs)


def test_unknown_convention():
    with pytest.raises(InputError, match="unknown convention"):
        classify(a(), "eln2022")


def test_explain_names_the_reason():
    assert explain(a(anc=500)) == "CRi: marrow clear but neutrophils not recovered"


def test_mrd_threshold_is_strict():
    # Methods: 0.01 % separates MRD+ from MRD-; a level at the threshold is positive here.
    assert mrd_negative(0.009, 0.01) and not mrd_negative(0.01, 0.01)
    with pytest.raises(InputError):
        mrd_negative(-0.1, 0.01)


def test_a_level_between_the_thresholds_is_negative_only_by_the_eln_cutoff():
    # Methods: 0.01 %; ELN MRD Working Party (Schuurhuis 2018): 0.1 % for flow cytometry.
    assert (MRD_THRESHOLD_PERCENT.value, ELN_MRD_THRESHOLD_PERCENT.value) == (0.01, 0.1)
    assert mrd_negative(0.05, ELN_MRD_THRESHOLD_PERCENT.value)
    assert not mrd_negative(0.05, MRD_THRESHOLD_PERCENT.value)


def test_table2_has_no_mlfs_so_an_mlfs_is_nr():
    # Table 2: CR + CRi + PR + NR is every patient of each column, and NR is "failure to
    # obtain CRc or PR" (Methods), so there is no row an MLFS could go to but NR.
    t2 = pub.table2().set_index(["row", "group"])["n"]
    for group in ("all", *pub.DISEASE_GROUPS):
        assert sum(t2[(row, group)] for row in ("CR", "CRi", "PR", "NR")) == pub.group_n(group)
    assert table2_category(Response.MLFS) is Response.NR
    assert [table2_category(r) for r in (Response.CR, Response.CRI, Response.PR, Response.NR)] \
        == [Response.CR, Response.CRI, Response.PR, Response.NR]
    assert table2_category(classify(a(circulating_blasts=True))) is Response.NR


assessments = st.builds(
    MarrowAssessment,
    blasts_pct=st.floats(0, 100), anc_per_uL=st.floats(0, 20_000),
    platelets_per_uL=st.floats(0, 600_000), transfusion_dependent=st.booleans(),
    extramedullary=st.booleans(), circulating_blasts=st.booleans(), auer_rods=st.booleans(),
    baseline_blasts_pct=st.floats(0, 100))
ORDER = [Response.NR, Response.PR, Response.MLFS, Response.CRI, Response.CR]


@given(case=assessments, convention=st.sampled_from(["eln2017", "paper"]))
def test_better_counts_never_worsen_the_category(case, convention):
    better = MarrowAssessment(case.blasts_pct, case.anc_per_uL + 5000,
                              case.platelets_per_uL + 200_000, case.transfusion_dependent,
                              case.extramedullary, case.circulating_blasts, case.auer_rods,
                              case.baseline_blasts_pct)
    before, after = classify(case, convention), classify(better, convention)
    assert ORDER.index(after) >= ORDER.index(before)
    if before is Response.MLFS:  # counts do not enter MLFS: it stays MLFS, never drops to NR
        assert after is Response.MLFS


@given(case=assessments)
def test_crc_iff_clear_marrow_without_circulating_blasts(case):
    clear = (case.blasts_pct < 5 and not case.auer_rods and not case.extramedullary
             and not case.circulating_blasts)
    assert classify(case).is_crc == clear
