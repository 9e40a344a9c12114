"""The Reproduction ledger appendix: what the data hold, what the recomputation found about the
paper's methods (intervals, P values, sample size, the implied test), every mismatch, and the
whole ledger by section with one anchor per entry: each section a closed ``<details>``, under a
filter bar run by book/_static/ledger-filter.js."""

from __future__ import annotations

import html
import posixpath

import pandas as pd

from vah import paper as pub
from vah.chapters import Value, entry_anchor, linked
from vah.display.tables import breakable, html_table_source, myst_table, myst_table_source
from vah.ledger import (
    BASES,
    SECTION_TITLES,
    SECTIONS,
    STATUSES,
    Z975,
    basis_counts,
    ci_method_findings,
    ci_method_tally,
    exact_test_finding,
    ledger_frame,
    logit_critical_by_n,
    p_method_tally,
    p_value_findings,
    sample_size_findings,
    section_counts,
)
from vah.ledger.findings import classify_entries, rounding_evidence
from vah.paper.folder import cached_on_data
from vah.stats import binomial, contingency, fmt

__all__ = ["basis_frame", "basis_table", "COLUMNS", "PAGE", "SCRIPT",
           "outputs", "ci_frame", "ci_table", "filter_bar",
           "method_tables", "mismatches",
           "mismatches_frame", "p_frame", "p_table", "sample_size_frame", "sample_size_table",
           "section", "sections_frame", "sections_table", "table_cells", "values"]

PAGE = "book/appendix/ledger"
#: Columns of the ledger tables, as the page shows them (capitalised).
COLUMNS = ["id", "quantity", "published", "recomputed", "status", "basis", "note"]
#: Relative widths of the mismatch table's columns (those of COLUMNS but the status).
MISMATCH_WIDTHS = [14, 22, 10, 14, 8, 32]
#: Relative widths of the columns of the section tables, whose ids break only after a dot:
#: the id column holds the longest part of an id (23 characters of code).
SECTION_WIDTHS = [25, 17, 9, 11, 10, 8, 20]


def table_cells() -> int:
    """How many cells of the paper's three tables the data hold."""
    return (len(pub.table1()) + len(pub.table1_age()) + len(pub.table1_pvalues())
            + len(pub.table2()) + len(pub.table2_survival()) + len(pub.table2_pvalues())
            + len(pub.table3()))


def _data_values() -> dict[str, Value | int | str]:
    frame = ledger_frame()
    kinds = classify_entries(frame)
    claims = pub.claims()
    out: dict[str, Value | int | str] = {
        "n_entries": len(frame),
        "n_claims": len(claims),
        "n_claims_abstract": int((claims["section"] == "abstract").sum()),
        "n_claims_methods": int((claims["section"] == "methods").sum()),
        "n_claims_results": int(claims["section"].str.startswith("results").sum()),
        "n_claims_discussion": int((claims["section"] == "discussion").sum()),
        "n_cells": table_cells(),
        "n_table_entries": int(kinds["table"].sum()),
        "n_text_entries": int((~kinds["table"]).sum()),
    }
    by_basis = basis_counts()
    for basis in BASES:
        out[f"n_basis_{basis.replace('-', '_')}"] = int(by_basis.loc[basis, "total"])
    counts = by_basis.loc["counts"]
    out["n_counts_agree"] = int(counts["match"] + counts["rounding"])
    out["n_counts_mismatch"] = int(counts["mismatch"])
    ev = rounding_evidence()
    out["round_n"], out["round_half_up"] = ev["percentages"], ev["half_up"]
    out["round_ties"], out["round_trunc"] = ev["ties"], ev["truncation_differs"]
    out["round_trunc_half_up"] = ev["truncation_differs_half_up"]
    if ev["ties_up"] != ev["ties"]:
        raise ValueError("not every exact tie is rounded up any more: update the ledger page's "
                         "paragraph on how the paper rounds")
    mismatch = frame["status"] == "mismatch"
    n_ci = int((mismatch & kinds["interval"]).sum())
    out["n_mismatch_ci"] = n_ci
    out["n_mismatch_other"] = int((mismatch & ~kinds["interval"]).sum())
    out["mismatch_ci_sentence"] = ("No printed interval is among them." if n_ci == 0 else
                                   f"{n_ci} of them are intervals that no method reproduces.")
    out["n_t3_mismatch"] = int((mismatch & frame["id"].str.startswith("table3.")).sum())
    km = frame[kinds["km_interval"]]
    out["n_km"] = len(km)
    out["n_km_match"] = int((km["status"] == "match").sum())
    return out


def _interval_values() -> dict[str, Value | int | str]:
    ci = ci_method_findings()
    textbook = {m: n for m, n in ci_method_tally().items() if m in binomial.CI_METHOD_LABELS}
    second = max(textbook, key=textbook.__getitem__)
    by_n = logit_critical_by_n()
    return {
        "n_ci": len(ci), "cohort_df": pub.group_n("all") - 1,
        "second_ci": binomial.CI_METHOD_LABELS[second], "second_ci_n": textbook[second],
        "n_ci_near": int((ci["within_rounding"] != "").sum()),
        "n_ci_none": int(((ci["reproduced_by"] == "") & (ci["within_rounding"] == "")).sum()),
        "c_big_n": linked(int(by_n.index.max()), "abstract.enrolled"),
        "c_big": fmt.number(float(by_n["mid"].iloc[-1]), 2),
        "c_small_n": linked(int(by_n.index.min()), "table1.mutation.MLL.all"),
        "c_small": fmt.number(float(by_n["mid"].iloc[0]), 2),
        "z975": fmt.number(Z975, 2),
    }


def _p_values() -> dict[str, Value | int | str]:
    pv = p_value_findings()
    tally = p_method_tally()
    out: dict[str, Value | int | str] = {f"p_{m}": tally[m] for m in contingency.P_METHODS}
    out["n_p"] = len(pv)
    out["n_p_none"] = int((pv["reproduced_by"] == "").sum())
    out["n_p_only_chi2"] = int((pv["reproduced_by"] == "chi2").sum())
    out["n_p_2x2"] = int((pv["table"] == "2x2").sum())  # the only tables Yates applies to
    return out


def _table2_all(row: str) -> int:
    """A Table 2 count for all patients."""
    t2 = pub.table2().set_index(["row", "group"])
    return int(t2.loc[(row, "all"), "n"])


def _design_values() -> dict[str, Value | int | str]:
    ss = sample_size_findings().set_index("method")
    hits = ss[ss["gives_published_n"]]
    published = int(pub.claim("methods.sample_size")["printed"])
    planned = int(pub.claim("methods.planned_n")["printed"])
    divided = int(ss.loc["arcsine", "enrol_divided"])
    multiplied = int(ss.loc["arcsine", "enrol_multiplied"])
    ex = exact_test_finding()
    return {
        "ss_published": linked(published, "methods.sample_size"),
        "ss_planned": linked(planned, "methods.planned_n"),
        "ss_methods": " or the ".join(hits["label"].str.lower()),
        "ss_normal": int(ss.loc["normal_null_var", "n"]),
        "ss_min": int(ss["n"].min()), "ss_max": int(ss["n"].max()),
        "ss_divided": linked(divided, "methods.planned_n"),
        "ss_multiplied": linked(multiplied, "methods.planned_n"),
        "ex_k": linked(int(ex["k"]), "table2.CRc.all"),
        "ex_cr": linked(_table2_all("CR"), "table2.CR.all"),
        "ex_cri": linked(_table2_all("CRi"), "table2.CRi.all"),
        "ex_n": linked(int(ex["n"]), "abstract.enrolled"),
        "ex_p0": linked(fmt.pct_of(100 * ex["p0"], 0), "methods.p0", float(ex["p0"])),
        "ex_p": fmt.power_of_ten(float(ex["p_two_sided"])),
    }


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    return _data_values() | _interval_values() | _p_values() | _design_values()


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the ledger page glues, by key."""
    return dict(_values())


def sections_frame() -> pd.DataFrame:
    """Entries by section (its title) and status, with totals."""
    summary = section_counts().rename(index=SECTION_TITLES).reset_index()
    summary.columns = [c.capitalize() for c in summary.columns]
    return summary


def basis_frame() -> pd.DataFrame:
    """Entries by basis (rows) and status (columns), with totals."""
    table = basis_counts()
    frame = pd.DataFrame({"Basis": list(table.index)})
    for column in [*STATUSES, "total"]:
        frame[column.capitalize()] = table[column].to_numpy()
    return frame


def basis_table():
    """The entries-by-basis-and-status table (``tab-ledger-basis``), for the page."""
    return myst_table(basis_frame(), caption="Ledger entries by basis (what the status rests "
                      "on) and status. Only entries with basis counts check the paper.",
                      name="tab-ledger-basis")


def sections_table():
    """The entries-by-topic table, for the page."""
    return myst_table(sections_frame(), caption="Ledger entries by topic and status.",
                      name="tab-ledger-sections")


def ci_frame() -> pd.DataFrame:
    """Every printed binomial 95 % CI: entry, count, print, the methods that reproduce it
    exactly or within rounding, the closest, and the logit critical values that would."""
    ci = ci_method_findings()
    ids = [breakable(x) for x in ci["id"]]
    return pd.DataFrame({
        "Entry": ids, "Count": [f"{k}/{n}" for k, n in zip(ci["k"], ci["n"], strict=True)],
        "Printed": ci["published"], "Reproduced by": ci["reproduced_by"].map(breakable),
        "Within rounding": ci["within_rounding"].map(breakable),
        "Closest": ci["closest"].map(breakable),
        "Logit critical value": [f"{a:.3f}–{b:.3f}" for a, b in
                                 zip(ci["logit_c_low"], ci["logit_c_high"], strict=True)]})


def _ci_source() -> str:
    return myst_table_source(
        ci_frame(), caption="Every printed binomial 95 % CI: the methods of vah.stats.binomial "
        "that reproduce it, and the range of logit critical values that would.",
        name="tab-ledger-ci", align_numbers=False)


def _markdown(source: str):
    from IPython.display import Markdown

    return Markdown(source)


def ci_table():
    """The interval-method table (``tab-ledger-ci``), for the page."""
    return _markdown(_ci_source())


def p_frame() -> pd.DataFrame:
    """Every printed P value of a comparison of proportions: entry, print, table shape, the
    tests that reproduce it and each test's P (a dash where the test does not apply)."""
    pv = p_value_findings()
    shown = pv.drop(columns=["status", "within_rounding"])
    for m in contingency.P_METHODS:
        shown[m] = [fmt.number(float(v), 3) for v in pv[m]]
    labels = {"chi2": "χ²", "chi2_yates": "χ², Yates (2 x 2 only)", "fisher_exact": "Fisher",
              "likelihood_ratio": "Likelihood ratio"}
    shown["id"] = shown["id"].map(breakable)
    shown["reproduced_by"] = shown["reproduced_by"].map(breakable)
    return shown.rename(columns={"id": "Entry", "published": "Printed", "table": "Table",
                                 "reproduced_by": "Reproduced by", **labels})


def _p_source() -> str:
    return myst_table_source(
        p_frame(), caption="Every printed P value of a comparison of proportions, by test: "
        "Pearson's chi-square (χ²), with Yates's correction (a dash: it applies to 2 x 2 tables "
        "only), Fisher's exact test (Freeman-Halton beyond 2 x 2) and the likelihood-ratio "
        "test.", name="tab-ledger-p",
        align_numbers=False)


def p_table():
    """The P-value table (``tab-ledger-p``), for the page."""
    return _markdown(_p_source())


def sample_size_frame() -> pd.DataFrame:
    """Sample size by method, whether it gives the paper's number, and the enrolment after
    dropout by division and by multiplication."""
    ss = sample_size_findings()
    shown = ss[["label", "n", "n_one_sided", "gives_published_n", "enrol_divided",
                "enrol_multiplied"]].copy()
    shown["gives_published_n"] = shown["gives_published_n"].map({True: "yes", False: "no"})
    shown.columns = ["Method", "Patients, two-sided test", "Patients, one-sided test at alpha / 2",
                     "Gives the paper's number", "Enrolment, n / (1 - dropout)",
                     "Enrolment, n x (1 + dropout)"]
    return shown.reset_index(drop=True)


def _sample_size_source() -> str:
    return myst_table_source(
        sample_size_frame(), caption="Sample size for a CRc rate of 60 % against 45 %, "
        "alpha 5 % (two-sided, or one-sided at 2.5 %), power 80 %, by method; enrolment from "
        "the two-sided n.", name="tab-ledger-sample-size",
        align_numbers=False)


def sample_size_table():
    """The sample-size table (``tab-ledger-sample-size``), for the page."""
    return _markdown(_sample_size_source())


def method_tables():
    """The three method tables (intervals, P values, sample size) in one output, for the page
    (each keeps its own number and name)."""
    return _markdown("\n".join((_ci_source(), _p_source(), _sample_size_source())))


def mismatches_frame() -> pd.DataFrame:
    """Every mismatch (arithmetic and text first, then intervals), in the ledger's columns."""
    frame = ledger_frame()
    mismatch = frame[frame["status"] == "mismatch"]
    is_ci = classify_entries(mismatch)["interval"]
    columns = [c for c in COLUMNS if c != "status"]  # every row is a mismatch
    shown = pd.concat([mismatch[~is_ci], mismatch[is_ci]])[columns].copy()
    shown["id"] = shown["id"].map(breakable)
    return shown.rename(columns=str.capitalize)


def mismatches():
    """The mismatch table (``tab-ledger-mismatches``), for the page."""
    return myst_table(mismatches_frame(), caption="Every mismatch, with its likely cause.",
                      name="tab-ledger-mismatches", align_numbers=False,
                      widths=MISMATCH_WIDTHS)


#: The script of the ledger page (filters, sections that open for a link), copied by Sphinx
#: from book/_static into the site's _static.
SCRIPT = "_static/ledger-filter.js"
#: The columns the filter's text box searches.
TEXT_COLUMNS = ("id", "quantity")


def _html(source: str):
    from IPython.display import HTML

    return HTML(source)


def _section_source(name: str) -> str:
    """A section of the ledger as a ``<details>`` element, closed, whose summary says the topic
    and its entries by status; each row carries its anchor, status and section."""
    if name not in SECTIONS:
        raise ValueError(f"unknown ledger section {name!r}; sections are {', '.join(SECTIONS)}")
    rows = ledger_frame(name)
    table = html_table_source(
        rows[COLUMNS].rename(columns=str.capitalize), caption=SECTION_TITLES[name] + ".",
        name=f"tab-ledger-{name}", widths=SECTION_WIDTHS,
        row_ids=[entry_anchor(i) for i in rows["id"]],
        row_attrs=[{"data-status": s, "data-basis": b, "data-section": name}
                   for s, b in zip(rows["status"], rows["basis"], strict=True)],
        code_columns=["Id"])
    counts = rows["status"].value_counts()
    by_status = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts.get(s, 0))
    summary = (f'<span class="vah-ledger-topic">{html.escape(name.capitalize())}</span>: '
               f"{len(rows)} entries ({by_status})")
    return (f'<details class="vah-ledger-section" id="ledger-details-{name}" '
            f'data-section="{name}"><summary>{summary}'
            f'<span class="vah-ledger-shown"></span></summary>{table}</details>')


def section(name: str):
    """A whole section of the ledger (one of ``SECTIONS``) as plain HTML, each row with its
    entry's anchor (``entry-<id>``), which the chapters' ledger links point to, inside a
    ``<details>`` element that starts closed (the page's script opens it for a link)."""
    return _html(_section_source(name))


def _options(label: str, choices: dict[str, str]) -> str:
    return f'<option value="">{label}</option>' + "".join(
        f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in choices.items())


def _filter_source() -> str:
    """The filter bar (status, topic, id or quantity) and the page's script. The bar is hidden
    until the script shows it: without the script it could not filter."""
    script = posixpath.relpath(SCRIPT, posixpath.dirname(PAGE))
    columns = " ".join(str(COLUMNS.index(c)) for c in TEXT_COLUMNS)
    return (
        '<form class="vah-ledger-filter" id="vah-ledger-filter" autocomplete="off" '
        f'aria-label="Filter the ledger" data-text-columns="{columns}" hidden>'
        '<label>Status <select name="status">'
        + _options("all statuses", {s: s for s in STATUSES}) + "</select></label> "
        '<label>Basis <select name="basis">'
        + _options("all bases", {b: b for b in BASES}) + "</select></label> "
        '<label>Topic <select name="topic">'
        + _options("all topics", {s: s.capitalize() for s in SECTIONS}) + "</select></label> "
        '<label>Id or quantity <input type="search" name="text" spellcheck="false"></label> '
        '<button type="reset">Show all</button> '
        '<output name="count" aria-live="polite"></output></form>'
        f'<script src="{html.escape(script)}" defer></script>')


def filter_bar():
    """The filter bar over the ledger's sections, with the page's script, for the page."""
    return _html(_filter_source())


def outputs() -> dict[str, object]:
    """The filter bar (``ledger-filter``) and the six section tables, glued by name
    (``ledger-section-<section>``) and placed on the page with ``{glue:}`` directives."""
    return {"ledger-filter": filter_bar()} | {
        f"ledger-section-{name}": section(name) for name in SECTIONS}
