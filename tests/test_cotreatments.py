"""vah.trial.cotreatments: every count against the paper's numbers (typed here from the paper,
not from the module), denominators against the paper's group sizes, bad counts refused; and the
Protocol chapter's co-treatment values and regimen table against the paper by hand."""

from __future__ import annotations

import pytest

from vah import paper as pub
from vah.errors import InputError
from vah.trial import cotreatments as C

# (count, k, n, printed %), typed from the paper:
# Results / Patients and disposition ¶1: "Among 19 patients with FLT3 mutations, 17 patients
#   (89.5%) received sorafenib, and 2 (10.5%) gilteritinib"; Discussion ¶2: "all 19 patients
#   with FLT3 mutations received FLT3 inhibitors";
# Results / Efficacy ¶2: "Of the 68 patients reached CRc ... 31 (45.6%) received a median of
#   3 courses (range 1-4) of consolidation chemotherapy"; "Of the 28 patients who did not obtain
#   CRc, 20 patients (71.4%) received other salvage treatments (16 chemotherapy and 4
#   allo-HSCT)"; "Among the 40 patients bridged to allo-HSCT, 36 (90.0%) received sorafenib
#   maintenance ..., except 4 patients (10.0%) (2 patients GVHD and 2 patients
#   haematotoxicity)"; "Of the 43 patients relapsed after allo-HSCT, 34 patients (79.1%)
#   received a median of two DLI (range 1-2)".
PRINTED = [
    (C.SORAFENIB_WITH_VAH, 17, 19, 89.5),
    (C.GILTERITINIB_WITH_VAH, 2, 19, 10.5),
    (C.ANY_FLT3_INHIBITOR, 19, 19, 100.0),
    (C.SORAFENIB_MAINTENANCE, 36, 40, 90.0),
    (C.CONSOLIDATION, 31, 68, 45.6),
    (C.DLI, 34, 43, 79.1),
    (C.SALVAGE, 20, 28, 71.4),
]
COUNTS = [row[0] for row in PRINTED]


@pytest.mark.parametrize(("count", "k", "n", "pct"), PRINTED,
                         ids=[row[0].claim for row in PRINTED])
def test_each_count_is_the_papers(count, k, n, pct):
    assert (count.k, count.n) == (k, n)
    assert count.text == f"{k} of {n}"
    assert round(count.percent, 1) == pct  # the percentage the paper prints beside it
    assert count.source and count.of


def test_the_parts_add_up_as_printed():
    # 17 sorafenib + 2 gilteritinib = all 19; 36 maintained + 4 not = 40; 16 + 4 salvage = 20
    assert C.SORAFENIB_WITH_VAH.k + C.GILTERITINIB_WITH_VAH.k == C.ANY_FLT3_INHIBITOR.k == 19
    assert C.NO_MAINTENANCE_REASONS.value == {"GVHD": 2, "haematotoxicity": 2}
    assert C.SORAFENIB_MAINTENANCE.k + sum(C.NO_MAINTENANCE_REASONS.value.values()) == 40
    assert C.SALVAGE_SPLIT.value == {"chemotherapy": 16, "allo-HSCT": 4}
    assert sum(C.SALVAGE_SPLIT.value.values()) == C.SALVAGE.k


def test_amounts_and_planned_cycles_as_printed():
    # Methods / Procedures ¶1: "one course of original therapy again and two or three cycles of
    # cytarabine-based consolidation"; Results: median 3 courses (1-4), median two DLI (1-2);
    # DLI "for a total of four times" at most
    assert C.EXTRA_VAH_COURSES.value == 1
    assert C.CONSOLIDATION_PLANNED_CYCLES.value == (2, 3)
    courses, dli = C.CONSOLIDATION_COURSES, C.DLI_INFUSIONS
    assert (courses.median, courses.low, courses.high) == (3, 1, 4)
    assert (dli.median, dli.low, dli.high) == (2, 1, 2)
    assert dli.text == "median 2 infusions (range 1–2)"
    by_key = {t.key: t for t in C.COTREATMENTS}
    assert "4 at most" in by_key["dli"].when and "day 15" in by_key["dli"].when


def test_denominators_are_the_papers_group_sizes():
    t1 = pub.table1().set_index(["characteristic", "level", "group"])["n"]
    t2 = pub.table2().set_index(["row", "group"])["n"]
    assert C.DLI.n == pub.group_n("relapsed_hsct") == 43  # Table 1's column
    for count in (C.SORAFENIB_WITH_VAH, C.GILTERITINIB_WITH_VAH, C.ANY_FLT3_INHIBITOR):
        assert count.n == t1[("mutation", "FLT3", "all")] == 19
    assert C.SORAFENIB_MAINTENANCE.n == t1[("bridge_hsct", "yes", "all")] == 40
    assert C.CONSOLIDATION.n == t2[("CRc", "all")] == 68
    assert C.SALVAGE.n == pub.group_n("all") - t2[("CRc", "all")] == 28


@pytest.mark.parametrize("count", COUNTS, ids=lambda c: c.claim)
def test_each_denominator_reference_names_its_group(count):
    from vah.ledger.claims import resolve  # a second reader of the same references

    total = 0.0
    for i, term in enumerate(count.denominator.split(" - ")):
        value, _ = resolve(term)
        total += value if i == 0 else -value
    assert total == count.n


@pytest.mark.parametrize("count", COUNTS, ids=lambda c: c.claim)
def test_each_count_agrees_with_the_claim_it_links_to(count):
    claim = pub.claim(count.claim)
    if claim["kind"] == "crossref":  # "all 19 patients ... received FLT3 inhibitors"
        assert int(claim["printed"]) == count.k == count.n
    else:
        assert (claim["k"], claim["n"]) == (count.k, count.n)


def _count(k, n):
    return C.Count(k, n, "relapsed after allo-HSCT", "group_n:relapsed_hsct", "somewhere")


@pytest.mark.parametrize(("k", "n"), [(44, 43), (-1, 43), (0, 0), (3, -2), (34.0, 43),
                                      (True, 43), (34, "43")])
def test_a_count_above_its_denominator_or_malformed_is_refused(k, n):
    with pytest.raises(InputError):
        _count(k, n)


def test_edge_counts_are_accepted():
    assert _count(0, 43).percent == 0 and _count(43, 43).percent == 100


def test_a_median_outside_its_range_is_refused():
    with pytest.raises(InputError):
        C.MedianRange(5, 1, 4, "courses", "somewhere")


def test_fewest_among_rest_by_hand():
    # 34 of the 43 relapses after a transplant had DLI; 7 of the 43 had another transplant, so
    # at most 7 DLI recipients left and at least 34 - 7 = 27 stayed among the other 36
    assert C.fewest_among_rest(C.DLI, 7) == 27
    assert C.fewest_among_rest(_count(3, 10), 5) == 0  # more moved than received
    assert C.fewest_among_rest(_count(3, 10), 0) == 3
    for moved in (-1, 11, 2.0):
        with pytest.raises(InputError):
            C.fewest_among_rest(_count(3, 10), moved)


def test_confounders_of_each_comparison():
    flt3 = {t.key for t in C.confounders("flt3")}
    hsct = {t.key for t in C.confounders("hsct")}
    assert {"sorafenib", "gilteritinib"} <= flt3  # every FLT3-mutated patient had one
    assert {"sorafenib_maintenance", "dli"} <= hsct
    assert "dli" not in flt3
    with pytest.raises(InputError):
        C.confounders("age")
    with pytest.raises(InputError):
        C.CoTreatment("x", "X", "anyone", "any time", None, confounds=("age",))


def test_every_cotreatment_has_a_source_and_a_count_or_says_it_has_none():
    for t in C.COTREATMENTS:
        assert t.source.startswith("Methods / Procedures")
        assert t.received is None or t.received in COUNTS
    assert [t.key for t in C.COTREATMENTS if t.received is None] == ["maintenance"]


# ------------------------------------------------------------------ the Protocol chapter
def test_chapter_derived_numbers_by_hand():
    from vah.chapters import protocol

    v = protocol.values()
    # 96 enrolled - 40 bridged = 56; 43 relapsed after allo-HSCT - 7 of them bridged = 36;
    # 34 DLI - at most 7 bridged = 27 (Table 1; Results / Efficacy ¶2)
    assert (str(v["nohsct_n"]), str(v["nohsct_prior"]), str(v["nohsct_dli_min"])) == \
        ("56", "36", "27")
    assert (str(v["hsct_n"]), str(v["hsct_prior_n"])) == ("40", "7")
    assert (str(v["dli"]), str(v["hsct_sorafenib"]), str(v["consolidation"])) == \
        ("34 of 43", "36 of 40", "31 of 68")
    assert (str(v["flt3_n"]), str(v["flt3_sorafenib"]), str(v["flt3_gilteritinib"])) == \
        ("19", "17", "2")
    assert (str(v["os_flt3_pos"]), str(v["os_flt3_neg"]), str(v["os_flt3_p"])) == \
        ("73.7 %", "58.4 %", "0.266")


def test_chapter_links_point_at_ledger_entries():
    from vah.chapters import Value, protocol
    from vah.ledger import ledger_frame

    ids = set(ledger_frame()["id"])
    keys = ("flt3_n", "flt3_sorafenib", "flt3_gilteritinib", "hsct_n", "hsct_prior_n",
            "hsct_sorafenib", "consolidation", "dli", "dli_received_max", "os_flt3_pos",
            "os_flt3_neg", "os_flt3_p")
    v = protocol.values()
    missing = [k for k in keys if not (isinstance(v[k], Value) and v[k].ledger in ids)]
    assert not missing


def _rows(markdown: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for line in markdown.split(":::\n")[0].splitlines():
        if line.startswith("* - "):
            rows.append([line[4:]])
        elif line.startswith("  - "):
            rows[-1].append(line[4:])
    return rows


def test_cotreatment_table_shows_each_count():
    from vah.chapters import protocol

    rows = _rows(protocol.cotreatments().data)
    assert rows[0] == ["Co-treatment", "Who", "How many", "When", "Source"]
    shown = {r[2] for r in rows[1:]}
    assert {"17 of 19", "2 of 19", "36 of 40", "31 of 68", "34 of 43", "20 of 28",
            "not reported"} == shown


def test_regimen_table_keeps_every_step_of_the_paper():
    # Methods / Procedures ¶1: venetoclax 100, 200, then 400 mg on days 3-14 by mouth;
    # azacitidine 75 mg/m2 and homoharringtonine 1 mg/m2 subcutaneously on days 1-7
    from vah.chapters import protocol

    markdown = protocol.regimen().data
    rows = _rows(markdown)
    assert rows == [["Drug", "Dose", "Days"],
                    ["venetoclax", "100 mg", "1"], ["venetoclax", "200 mg", "2"],
                    ["venetoclax", "400 mg", "3–14"], ["azacitidine", "75 mg/m²", "1–7"],
                    ["homoharringtonine", "1 mg/m²", "1–7"]]
    note = markdown.rsplit(":::", 1)[1]
    assert "Venetoclax: oral, a flat dose" in note
    assert "Azacitidine and homoharringtonine: subcutaneous, dosed per square metre" in note
