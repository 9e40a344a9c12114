"""The Safety page: Table 3 rebuilt, grade 3 or higher rates, the text checked against the table."""

from __future__ import annotations

import pandas as pd

from vah import paper as pub
from vah.chapters import Value, ledger_href
from vah.display.figures import setup
from vah.display.figures.safety import adverse_events_by_grade
from vah.display.report import table3_frame, table3_notes
from vah.display.tables import myst_table
from vah.ledger import ledger_frame
from vah.paper.folder import cached_on_data
from vah.stats import fmt
from vah.trial.protocol import AE_WINDOW_DAYS

__all__ = ["CTCAE_VERSIONS", "PAGE", "TABLE3_MISMATCHES", "TEXT_CHECKS", "figures", "table3",
           "text_checks", "text_checks_frame", "values"]

PAGE = "book/safety"
#: Grade >= 3 rates the prose quotes: (key, Table 3 event, the ledger entry of the text's rate).
GRADE3 = (("neut", "Neutropenia", "results.safety.neutropenia_g3"),
          ("plt", "Thrombocytopenia", "results.safety.thrombocytopenia_g3"),
          ("anemia", "Anemia", "results.safety.anemia_g3"),
          ("fn", "Febrile neutropenia", "results.safety.fn_g3"),
          ("pneu", "Pneumonia", "results.safety.pneumonia_serious"),
          ("sepsis", "Sepsis", "results.safety.sepsis_serious"))
#: Statements of the text whose rates Table 3 determines (ledger ids).
TEXT_CHECKS = ("results.safety.neutropenia_g3", "results.safety.thrombocytopenia_g3",
               "results.safety.anemia_g3", "results.safety.fn_g3", "results.safety.fn_serious",
               "results.safety.sepsis_serious", "results.safety.pneumonia_serious",
               "results.safety.hf_serious", "abstract.fn_g34", "abstract.sepsis_g34",
               "abstract.pneumonia_g34", "discussion.fn_g45", "results.safety.nausea_any",
               "results.safety.tls")

#: The CTCAE version as the paper states it, by place: (glue key, version, locator). The two
#: disagree; the reference the Methods cite for it (References / 27) is version 4.03.
CTCAE_VERSIONS = (("ctcae_methods", "4.0", "Methods / Procedures, paragraph on adverse events"),
                  ("ctcae_table3", "4.03", "Table 3 / footnote"))
#: The Table 3 cells whose percentage does not fit their count (ledger ids), by glue key; the
#: prose names them, so the page refuses to build if the ledger finds others.
TABLE3_MISMATCHES = {"t3_nausea": "table3.nausea.g1_2",
                     "t3_allergy": "table3.allergic_reaction.g1_2"}


def _by_grade() -> pd.DataFrame:
    return pub.table3().pivot_table(index="event", columns="grade", values="n", sort=False)


def text_checks_frame() -> pd.DataFrame:
    """The text's adverse-event rates against Table 3: statement, where, printed, recomputed,
    status."""
    ledger = ledger_frame().set_index("id")
    rows = [{"Statement": ledger.at[i, "quantity"], "Where": ledger.at[i, "where"],
             "Printed": ledger.at[i, "published"], "From Table 3": ledger.at[i, "recomputed"],
             "Status": ledger.at[i, "status"]} for i in TEXT_CHECKS]
    return pd.DataFrame(rows)


@cached_on_data
def _values() -> dict[str, Value | int | str]:
    n = pub.group_n("all")
    t3 = _by_grade()
    out: dict[str, Value | int | str] = {"n_all": n, "ae_window": AE_WINDOW_DAYS.value,
                                         "n_events": len(t3)}
    for key, event, entry in GRADE3:
        out[f"{key}_g3"] = Value(fmt.pct(int(t3.loc[event, ["3", "4", "5"]].sum()), n), entry)
    grade5 = t3["5"]
    out["grade5_total"] = int(grade5.sum())
    out["grade5_events"] = ", ".join(e.lower() for e in grade5[grade5 > 0].index)
    checks = text_checks_frame()
    out["n_text_checks"] = len(checks)
    out["n_text_mismatch"] = int((checks["Status"] == "mismatch").sum())
    out["n_text_rounding"] = int((checks["Status"] == "rounding").sum())
    t3p = pub.table3().set_index(["event", "grade"])["pct_printed"]
    out["fn_parts"] = " + ".join(fmt.number(float(t3p[("Febrile neutropenia", g)]))
                                 for g in ("3", "4", "5")) + " %"
    out["fn_k"] = int(t3.loc["Febrile neutropenia", ["3", "4", "5"]].sum())
    claims = {k: pub.claim(f"results.safety.{k}")
              for k in ("discontinued", "delay", "trd", "tls", "delay_fn")}
    for key, claim in (("disc_pct", "discontinued"), ("delay_pct", "delay"),
                       ("delay_fn_pct", "delay_fn"), ("trd_pct", "trd")):
        c = claims[claim]
        out[key] = Value(f"{c['printed']} %", f"results.safety.{claim}", c["loc"])
    out["disc_k"] = int(claims["discontinued"]["k"])
    out["trd_k"] = int(claims["trd"]["k"])
    out["tls_k"] = Value(str(int(claims["tls"]["k"])), "results.safety.tls", claims["tls"]["loc"],
                         int(claims["tls"]["k"]))
    for key, version, loc in CTCAE_VERSIONS:
        out[key] = Value(version, source=loc)
    ledger = ledger_frame()
    found = set(ledger.loc[ledger["id"].str.startswith("table3.")
                           & (ledger["status"] == "mismatch"), "id"])
    if found != set(TABLE3_MISMATCHES.values()):
        raise ValueError(f"the Table 3 cells in mismatch are now {sorted(found)}: update the "
                         "Safety page's sentence on them")
    rows = ledger.set_index("id")
    for key, entry in TABLE3_MISMATCHES.items():
        out[key] = Value(rows.at[entry, "published"], entry, rows.at[entry, "where"])
    out["n_t3_mismatch"] = len(found)
    nausea = rows.loc["results.safety.nausea_any"]
    out["nausea_printed"] = Value(nausea["published"], "results.safety.nausea_any")
    out["nausea_recomputed"] = nausea["recomputed"]
    return out


def values() -> dict[str, Value | int | str]:
    """Every number and phrase the Safety page glues, by key."""
    return dict(_values()) | exercise_values()


def figures() -> dict[str, object]:
    """The page's figures, by name."""
    setup()
    return {"fig-ae-grades": adverse_events_by_grade()}


def table3():
    """Table 3 rebuilt, for the page."""
    return myst_table(table3_frame(), caption="Adverse events by CTCAE grade, n (%) of the "
                      "treated patients, percentages recomputed; a marked cell is printed as "
                      "the paper prints it.", name="tab-table3",
                      notes=table3_notes(lambda entry: ledger_href(PAGE, entry)))


def text_checks():
    """The text-against-table table, for the page."""
    return myst_table(text_checks_frame(), caption="Adverse-event rates quoted in the text, "
                      "recomputed from Table 3.", name="tab-safety-text", align_numbers=False)


def exercise_values() -> dict[str, str | int]:
    """The numbers that the answers to the page's exercises quote (keys ``ex_*``)."""
    t3 = pub.table3().set_index(["event", "grade"])["n"]
    n = pub.group_n("all")
    k = int(t3[("Febrile neutropenia", "4")] + t3[("Febrile neutropenia", "5")])
    printed = sorted({f"{pub.claim(c)['printed']} %" for c in ("abstract.fn_g34",
                                                               "results.safety.fn_g3")})
    mild = pub.table3().query("grade == '1-2' and n == 0")["event"]
    return {"ex_fn45": fmt.count_pct(k, n), "ex_fn_printed": " and ".join(printed),
            "ex_fn3": fmt.count_pct(int(t3[("Febrile neutropenia", "3")]), n),
            "ex_no_mild": ", ".join(sorted(mild))}
