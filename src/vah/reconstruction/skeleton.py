"""A reconstructed patient-level cohort of the VAH trial: the categorical skeleton.

The trial's patient-level data are not public. This module builds 96 synthetic patients whose
attributes reproduce, all at once, every count and cross-count the paper publishes: Table 1 by
disease group, Table 2 by group, CRc by ELN and cytogenetic risk, by prior HMA and by mutation,
transplant by response, and the 12-month survival status implied by the landmarks (every patient
had more than 12 months of potential follow-up, so the 12-month Kaplan-Meier estimates are
counts). It is an integer feasibility problem solved with ``scipy.optimize.milp`` (HiGHS), with a
fixed tie-breaking objective so that the solution is the same on every machine.

It is **not the trial's data**: any patient-level pattern the paper does not constrain (which
patient has which combination of mutations, for instance) is an artefact of the solver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vah import paper as pub
from vah.errors import DataError
from vah.paper.disk_cache import kept_on_disk
from vah.paper.folder import cached_on_data

__all__ = [
    "cohort",
    "constraint_count",
    "CYCLES",
    "CYTO",
    "ELN",
    "LATE_DEATHS",
    "LATE_EFS_EVENTS",
    "LATE_RELAPSES",
    "relapse_counts",
    "RESPONSES",
    "SEED",
]

RESPONSES = ("CR", "CRi", "PR", "NR")
CYTO = ("favorable", "intermediate", "poor", "unknown")
ELN = ("favorable", "intermediate", "adverse")
CYCLES = ("one", "two", "three")
SEED = 20200527
#: Events after 12 months. Everybody had more than 12 months of potential follow-up, so the
#: published 1-year rates are counts, and with them the events after a year are counted too:
#: 68 CRc, 56 of them alive at a year (33 + 23) and 49 event-free, so 12 died and 7 relapsed
#: within the year; 7 non-relapse deaths (43 - 36) and 14 relapses leave exactly 2 EFS events
#: after a year. Both relapsed groups publish a 24-month EFS equal to their 1-year EFS, so both
#: late events are refractory. One of them is a relapse, the other a death in remission that sets
#: the EFS median of 14.3 months (see vah.reconstruction).
LATE_RELAPSES = 1  # relapses after 12 months in patients event-free at 12 months
LATE_EFS_EVENTS = {"refractory": 2, "relapsed_chemo": 0, "relapsed_hsct": 0}
#: Deaths after 12 months by group (43 deaths, 37 of them within a year, leave 6). The 24-month
#: OS needs two in the refractory group (63.2 % from 70.3 %: the late death in remission and one
#: more), one after chemotherapy (37.5 % from 56.3 % is a factor of 2/3: one death with three
#: patients at risk, which also sets that group's median of 22.1 months) and three after HSCT
#: (two to bring 55.8 % under 50 % by the median of 15.4 months, one more to reach 34.3 %).
LATE_DEATHS = {"refractory": 2, "relapsed_chemo": 1, "relapsed_hsct": 3}


def _claim_k(claim_id: str) -> int:
    return int(pub.claim(claim_id)["k"])


@dataclass
class _Model:
    """Columns of binary variables and linear constraints, built up by name."""

    n_patients: int
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[tuple[dict[int, float], float, float, str]] = field(default_factory=list)

    def var(self, name: str) -> np.ndarray:
        """A binary variable per patient; returns the column indices."""
        start = len(self.columns)
        for i in range(self.n_patients):
            self.columns[f"{name}[{i}]"] = start + i
        return np.arange(start, start + self.n_patients)

    def add(self, coefs: dict[int, float], low: float, high: float, why: str) -> None:
        self.rows.append((coefs, low, high, why))

    def count(self, cols, patients, value: int, why: str) -> None:
        """sum of the variable over ``patients`` equals ``value``."""
        self.add({int(cols[i]): 1.0 for i in patients}, value, value, why)

    def count_expr(self, terms, patients, value: int, why: str) -> None:
        """sum over patients of a sum of variables equals ``value``."""
        coefs: dict[int, float] = {}
        for cols in terms:
            for i in patients:
                coefs[int(cols[i])] = coefs.get(int(cols[i]), 0.0) + 1.0
        self.add(coefs, value, value, why)

    def product(self, name: str, x_terms, y_terms) -> np.ndarray:
        """z = x AND y per patient, where x and y are sums of (disjoint) binary variables."""
        z = self.var(name)
        for i in range(self.n_patients):
            zi = int(z[i])
            xs = {int(c[i]): 1.0 for c in x_terms}
            ys = {int(c[i]): 1.0 for c in y_terms}
            self.add({zi: 1.0, **{k: -v for k, v in xs.items()}}, -np.inf, 0, name)
            self.add({zi: 1.0, **{k: -v for k, v in ys.items()}}, -np.inf, 0, name)
            row = {zi: 1.0}
            for k, v in {**xs, **ys}.items():
                row[k] = row.get(k, 0.0) - v
            self.add(row, -1, np.inf, name)
        return z


def _group_index() -> dict[str, range]:
    sizes = [pub.group_n(g) for g in pub.DISEASE_GROUPS]
    starts = np.cumsum([0, *sizes])
    return {g: range(int(starts[j]), int(starts[j + 1]))
            for j, g in enumerate(pub.DISEASE_GROUPS)} | {"all": range(int(starts[-1]))}


@cached_on_data
def _build() -> tuple[_Model, dict[str, np.ndarray]]:
    groups = _group_index()
    n = len(groups["all"])
    m = _Model(n)
    v: dict[str, np.ndarray] = {}
    t1 = pub.table1().set_index(["characteristic", "level", "group"])["n"]
    t2 = pub.table2().set_index(["row", "group"])["n"]
    v["male"] = m.var("male")
    v["hma"] = m.var("hma")
    v["hsct"] = m.var("hsct")
    for level in CYTO:
        v[f"cyto_{level}"] = m.var(f"cyto_{level}")
    for level in ELN:
        v[f"eln_{level}"] = m.var(f"eln_{level}")
    for level in CYCLES:
        v[f"cycles_{level}"] = m.var(f"cycles_{level}")
    genes = list(pub.table1().query("characteristic == 'mutation'")["level"].unique())
    for gene in genes:
        v[f"mut_{gene}"] = m.var(f"mut_{gene}")
    for r in RESPONSES:
        v[f"resp_{r}"] = m.var(f"resp_{r}")
    for name in ("mrd_neg", "crc_c1", "orr_c1", "alive_12m", "efs_12m", "dead", "relapse",
                 "relapse_12m", "nrm"):
        v[name] = m.var(name)

    everyone = groups["all"]
    for i in everyone:  # one-hot blocks
        for block in (CYTO, ELN, CYCLES):
            prefix = {CYTO: "cyto", ELN: "eln", CYCLES: "cycles"}[block]
            m.add({int(v[f"{prefix}_{lv}"][i]): 1.0 for lv in block}, 1, 1, f"one {prefix}")
        m.add({int(v[f"resp_{r}"][i]): 1.0 for r in RESPONSES}, 1, 1, "one response")
    crc = [v["resp_CR"], v["resp_CRi"]]
    orr = [*crc, v["resp_PR"]]

    # Table 1, by disease group
    for g in pub.DISEASE_GROUPS:
        p = groups[g]
        m.count(v["male"], p, int(t1[("gender", "male", g)]), f"Table 1 male {g}")
        m.count(v["hma"], p, int(t1[("prior_hma", "yes", g)]), f"Table 1 HMA {g}")
        m.count(v["hsct"], p, int(t1[("bridge_hsct", "yes", g)]), f"Table 1 HSCT {g}")
        for level in CYTO:
            m.count(v[f"cyto_{level}"], p, int(t1[("cytogenetics", level, g)]),
                    f"Table 1 cytogenetics {level} {g}")
        for level in ELN:
            m.count(v[f"eln_{level}"], p, int(t1[("eln", level, g)]), f"Table 1 ELN {level} {g}")
        for level in CYCLES:
            m.count(v[f"cycles_{level}"], p, int(t1[("ven_cycles", level, g)]),
                    f"Table 1 cycles {level} {g}")
        for gene in genes:
            m.count(v[f"mut_{gene}"], p, int(t1[("mutation", gene, g)]), f"Table 1 {gene}")
        # Table 2, by disease group
        for r in RESPONSES:
            m.count(v[f"resp_{r}"], p, int(t2[(r, g)]), f"Table 2 {r} {g}")
        m.count(v["mrd_neg"], p, int(t2[("MRDneg_CRc", g)]), f"Table 2 MRD- {g}")
        m.count(v["crc_c1"], p, int(t2[("CRc_cycle1", g)]), f"Table 2 CRc cycle 1 {g}")
        m.count(v["orr_c1"], p, int(t2[("ORR_cycle1", g)]), f"Table 2 ORR cycle 1 {g}")
    for i in everyone:  # logical links
        crc_i = {int(c[i]): -1.0 for c in crc}
        orr_i = {int(c[i]): -1.0 for c in orr}
        m.add({int(v["mrd_neg"][i]): 1.0, **crc_i}, -np.inf, 0, "MRD- only in CRc")
        m.add({int(v["crc_c1"][i]): 1.0, **crc_i}, -np.inf, 0, "CRc at cycle 1 stays CRc")
        m.add({int(v["orr_c1"][i]): 1.0, **orr_i}, -np.inf, 0, "ORR at cycle 1 stays ORR")
        m.add({int(v["crc_c1"][i]): 1.0, int(v["orr_c1"][i]): -1.0}, -np.inf, 0, "CRc in ORR")
        m.add({int(v["relapse"][i]): 1.0, **crc_i}, -np.inf, 0, "relapse only after CRc")
        m.add({int(v["nrm"][i]): 1.0, **crc_i}, -np.inf, 0, "NRM only after CRc")
        m.add({int(v["nrm"][i]): 1.0, int(v["relapse"][i]): 1.0}, -np.inf, 1, "NRM or relapse")
        m.add({int(v["nrm"][i]): 1.0, int(v["dead"][i]): -1.0}, -np.inf, 0, "NRM is a death")
        m.add({int(v["dead"][i]): 1.0, int(v["alive_12m"][i]): 1.0}, 1, np.inf,
              "dead if not alive at 12 months")
        m.add({int(v["efs_12m"][i]): 1.0, int(v["alive_12m"][i]): -1.0}, -np.inf, 0, "EFS<=OS")
        m.add({int(v["efs_12m"][i]): 1.0, **crc_i}, -np.inf, 0, "EFS needs CRc")
        m.add({int(v["efs_12m"][i]): 1.0, int(v["relapse_12m"][i]): 1.0}, -np.inf, 1,
              "event-free at 12 months: no relapse before 12 months")
        m.add({int(v["relapse_12m"][i]): 1.0, int(v["relapse"][i]): -1.0}, -np.inf, 0,
              "a relapse before 12 months is a relapse")
        # a CRc patient who died either relapsed or died in remission
        m.add({int(v["dead"][i]): 1.0, **{c: 1.0 for c in crc_i},
               int(v["relapse"][i]): -1.0, int(v["nrm"][i]): -1.0}, -np.inf, 1,
              "death after CRc is relapse or NRM")
    # Text cross-counts
    k = _claim_k
    for level, cid in zip(ELN, ("eln_fav", "eln_int", "eln_adv"), strict=True):
        z = m.product(f"crc_x_eln_{level}", crc, [v[f"eln_{level}"]])
        m.count(z, everyone, k(f"results.subgroups.{cid}"), f"CRc x ELN {level}")
    cyto_k = [k("results.subgroups.cyto_fav"), k("results.subgroups.cyto_int"),
              k("results.subgroups.cyto_poor")]
    total_crc = int(t2[("CRc", "all")])
    for level, count in zip(CYTO, [*cyto_k, total_crc - sum(cyto_k)], strict=True):
        z = m.product(f"crc_x_cyto_{level}", crc, [v[f"cyto_{level}"]])
        m.count(z, everyone, count, f"CRc x cytogenetics {level}")
    z = m.product("crc_x_hma", crc, [v["hma"]])
    m.count(z, everyone, k("results.efficacy.crc_hma_yes"), "CRc x prior HMA")
    z = m.product("orr_x_hma", orr, [v["hma"]])
    m.count(z, everyone, k("results.efficacy.orr_hma_yes"), "ORR x prior HMA")
    for gene, cid in (("RAS", "results.subgroups.ras_crc"), ("MLL", "results.subgroups.mll_crc"),
                      ("FLT3", "discussion.flt3_crc")):
        z = m.product(f"crc_x_{gene}", crc, [v[f"mut_{gene}"]])
        m.count(z, everyone, k(cid), f"CRc x {gene}")
    crc_hsct = m.product("crc_x_hsct", crc, [v["hsct"]])
    m.count(crc_hsct, everyone, k("results.efficacy.crc_to_hsct"), "CRc then allo-HSCT")
    # 12-month status (landmarks without censoring) and events
    a12, e12 = v["alive_12m"], v["efs_12m"]
    m.count(a12, everyone, k("results.survival.os_12m"), "alive at 12 months")
    m.count(e12, everyone, k("results.survival.efs_12m"), "event-free at 12 months")
    s2 = pub.table2_survival().set_index(["endpoint", "statistic", "group"])["estimate"]
    for g in pub.DISEASE_GROUPS:
        size = pub.group_n(g)
        m.count(a12, groups[g], round(s2[("OS", "12m", g)] / 100 * size), f"OS 12m {g}")
        m.count(e12, groups[g], round(s2[("EFS", "12m", g)] / 100 * size), f"EFS 12m {g}")
    for var, cid, name in ((a12, "results.survival.os_12m_hsct", "a12_x_hsct"),
                           (e12, "results.survival.efs_12m_hsct", "e12_x_hsct")):
        z = m.product(name, [var], [v["hsct"]])
        m.count(z, everyone, k(cid), name)
    for var, cid, name in ((a12, "results.survival.os_12m_flt3_pos", "a12_x_flt3"),
                           (e12, "results.survival.efs_12m_flt3_pos", "e12_x_flt3")):
        z = m.product(name, [var], [v["mut_FLT3"]])
        m.count(z, everyone, k(cid), name)
    z = m.product("a12_x_crc_hsct", [a12], [crc_hsct])
    m.count(z, everyone, k("results.survival.crc_os_12m_hsct"), "CRc, HSCT, alive 12m")
    z = m.product("a12_x_crc", [a12], crc)
    for i in everyone:  # in CRc and alive at 12 months: event-free unless relapsed before
        m.add({int(e12[i]): 1.0, int(z[i]): -1.0, int(v["relapse_12m"][i]): 1.0}, 0, np.inf,
              "alive in CRc at 12 months without relapse is event-free")
    m.count(z, everyone, k("results.survival.crc_os_12m_hsct")
            + k("results.survival.crc_os_12m_nohsct"), "CRc, alive 12m")
    # The two EFS events after a year (see LATE_EFS_EVENTS): one relapse, one death in remission
    # whose CRc came with the second cycle, so that it falls within a year of CRc and counts in
    # the 1-year DFS of 69.4 % (see vah.reconstruction).
    late_relapse = m.product("relapse_x_efs12", [v["relapse"]], [e12])
    m.count(late_relapse, everyone, LATE_RELAPSES, "relapses after 12 months")
    late_efs = m.product("efs12_x_event", [e12], [v["relapse"], v["nrm"]])
    late_death = m.product("alive12_x_dead", [a12], [v["dead"]])
    for g in pub.DISEASE_GROUPS:
        m.count(late_efs, groups[g], LATE_EFS_EVENTS[g], f"EFS events after 12 months {g}")
        m.count(late_death, groups[g], LATE_DEATHS[g], f"deaths after 12 months {g}")
    for i in everyone:
        m.add({int(v["relapse_12m"][i]): 1.0, int(v["relapse"][i]): -1.0,
               int(a12[i]): 1.0}, 0, np.inf, "a relapse before death before 12 months")
        m.add({int(v["nrm"][i]): 1.0, int(e12[i]): 1.0, int(v["crc_c1"][i]): 1.0}, -np.inf, 2,
              "late deaths in remission follow a CRc at cycle 2")
        m.add({int(v["nrm"][i]): 1.0, int(e12[i]): 1.0, int(v["hsct"][i]): -1.0}, -np.inf, 1,
              "late deaths in remission are in transplanted patients "
              "(vah.reconstruction.not_modelled)")
    # 1-year cumulative incidence of relapse by transplant and by FLT3: nobody in CRc is censored
    # within a year of it, so each is (relapses within the year) / (patients in CRc); the
    # nearest count is the constraint (see relapse_counts).
    for name, var, count in relapse_counts():
        z = m.product(f"relapse12_x_{name}", [v["relapse_12m"]], [v[var]])
        m.count(z, everyone, count, f"relapses within a year, {name}")
    m.count(v["dead"], everyone, k("results.survival.deaths"), "deaths")
    m.count(v["relapse"], everyone, k("results.survival.relapses"), "relapses")
    death_causes = int(pub.claim("results.survival.death_causes_sum")["printed"])
    relapse_deaths = k("results.survival.death_relapse")
    m.count(v["nrm"], everyone, death_causes - relapse_deaths, "non-relapse deaths")
    return m, v


@kept_on_disk
def _solve() -> tuple[tuple[str, ...], np.ndarray]:
    from scipy.optimize import LinearConstraint, milp
    from scipy.sparse import coo_matrix

    m, _ = _build()
    n_cols = len(m.columns)
    rows, cols, values = [], [], []
    for r, (coefs, _, _, _) in enumerate(m.rows):
        rows += [r] * len(coefs)
        cols += list(coefs)
        values += list(coefs.values())
    a = coo_matrix((values, (rows, cols)), shape=(len(m.rows), n_cols)).tocsr()
    low = np.array([row[1] for row in m.rows], dtype=float)
    high = np.array([row[2] for row in m.rows], dtype=float)
    # A pure feasibility problem (zero objective): HiGHS returns the same vertex on every run.
    # A random objective would spread the solution but makes the solve 30 times slower; the
    # patients are shuffled within their disease group afterwards instead (see _cohort).
    result = milp(np.zeros(n_cols), constraints=LinearConstraint(a, low, high),
                  integrality=np.ones(n_cols), bounds=(0, 1),
                  options={"time_limit": 60, "presolve": True})
    if result.status == 2:  # proven infeasible: name the counts that conflict
        from vah.reconstruction.conflicts import explain

        raise DataError("the published counts admit no cohort: "
                        + explain(list(m.columns), m.rows, a, low, high))
    if result.x is None:
        raise DataError(f"no cohort found within the solver's time limit ({result.message})")
    return tuple(m.columns), np.round(result.x).astype(int)


@cached_on_data
def _cohort() -> pd.DataFrame:
    names, x = _solve()
    _, v = _build()
    groups = _group_index()
    genes = _genes()
    rows = []
    for i in groups["all"]:
        group = next(g for g in pub.DISEASE_GROUPS if i in groups[g])
        def val(name: str, i: int = i) -> int:
            return int(x[v[name][i]])
        resp = next(r for r in RESPONSES if val(f"resp_{r}"))
        c1 = "CRc" if val("crc_c1") else ("PR" if val("orr_c1") else "NR")
        rows.append({
            "patient": i + 1, "group": group, "sex": "male" if val("male") else "female",
            "prior_hma": bool(val("hma")),
            "cytogenetics": next(c for c in CYTO if val(f"cyto_{c}")),
            "eln": next(e for e in ELN if val(f"eln_{e}")),
            "cycles": next(c for c in CYCLES if val(f"cycles_{c}")),
            "response": resp, "response_cycle1": c1, "crc": resp in ("CR", "CRi"),
            "mrd_negative": bool(val("mrd_neg")), "allo_hsct": bool(val("hsct")),
            "alive_12m": bool(val("alive_12m")), "efs_12m": bool(val("efs_12m")),
            "dead": bool(val("dead")), "relapse": bool(val("relapse")),
            "nrm": bool(val("nrm")), "relapse_12m": bool(val("relapse_12m")),
            **{f"mut_{g}": bool(val(f"mut_{g}")) for g in genes},
        })
    frame = pd.DataFrame(rows)
    frame["flt3_inhibitor"] = frame["mut_FLT3"]
    # Shuffle within disease groups (counts are unchanged) so that row order carries no meaning.
    rng = np.random.default_rng(SEED)
    order = np.concatenate([rng.permutation(list(groups[g])) for g in pub.DISEASE_GROUPS])
    frame = frame.iloc[order].reset_index(drop=True)
    frame["patient"] = np.arange(1, len(frame) + 1)
    return frame


def relapse_counts() -> list[tuple[str, str, int]]:
    """(subgroup, skeleton variable, relapses within a year of CRc) nearest the published 1-year
    cumulative incidence in the transplanted and the FLT3-mutated patients in CRc."""
    out = []
    for name, var, cid, n_crc in (
            ("hsct", "hsct", "results.survival.cir_12m_hsct", "results.efficacy.crc_to_hsct"),
            ("flt3", "mut_FLT3", "results.survival.cir_12m_flt3_pos", "discussion.flt3_crc")):
        out.append((name, var, round(float(pub.claim(cid)["printed"]) / 100 * _claim_k(n_crc))))
    return out


def _genes() -> list[str]:
    return list(pub.table1().query("characteristic == 'mutation'")["level"].unique())


def cohort() -> pd.DataFrame:
    """The reconstructed cohort's categorical skeleton, one row per synthetic patient."""
    return _cohort().copy()


def constraint_count() -> int:
    """How many linear constraints the skeleton satisfies."""
    return len(_build()[0].rows)
