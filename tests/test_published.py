"""vah.published: the paper's record loads, parses and refuses malformed files clearly."""

import shutil

import pytest

from vah import published as P
from vah.errors import DataError


def test_group_sizes_as_printed():
    # Table 1 header: All n = 96, refractory n = 37, relapsed after chemotherapy n = 16,
    # relapsed after allo-HSCT n = 43.
    assert {g: P.group_n(g) for g in P.GROUPS} == {
        "all": 96, "refractory": 37, "relapsed_chemo": 16, "relapsed_hsct": 43}


def test_table_one_cells():
    t1 = P.table1()
    row = t1[(t1["level"] == "FLT3") & (t1["group"] == "relapsed_hsct")].iloc[0]
    assert (row.n, row.pct_printed, row.printed) == (10, 23.3, "10 (23.3)")
    assert row.locator == "Table 1 / FLT3 / Relapsed after allo-HSCT"
    assert len(t1) == 32 * 4  # 32 printed rows x 4 columns


def test_table_two_cells_and_denominators():
    t2 = P.table2()
    crc = t2[(t2["row"] == "CRc") & (t2["group"] == "all")].iloc[0]
    assert (crc.n, crc.pct_printed, crc.ci_low, crc.ci_high) == (68, 70.8, 60.8, 79.2)
    mrd = t2[(t2["row"] == "MRDneg_CRc") & (t2["group"] == "refractory")].iloc[0]
    assert (mrd.n, mrd.denominator) == (17, 29)  # MRD- among the refractory group's 29 CRc


def test_survival_rows_parse_not_reached_and_ne():
    s = P.table2_survival()
    os_median = s[(s.endpoint == "OS") & (s.statistic == "median")].set_index("group")
    assert os_median.loc["all", "estimate"] == 22.1
    assert os_median.loc["all", "ci_high"] != os_median.loc["all", "ci_high"]  # NE is NaN
    assert os_median.loc["refractory", "printed"] == "Not reached"


def test_pvalues_keep_their_operator():
    p1 = P.table1_pvalues().set_index("characteristic")
    assert (p1.loc["bridge_hsct", "p_value"], p1.loc["bridge_hsct", "p_op"]) == (0.01, "<")


def test_table_three_and_claims():
    t3 = P.table3()
    assert len(t3) == 24 * 4
    assert P.claim("abstract.crc")["printed"] == "70.8"
    with pytest.raises(DataError, match="no published claim"):
        P.claim("no.such.claim")


def _copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(P.DATA_DIR, target)
    return target


def test_malformed_cell_names_file_row_and_column(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "table3.csv"
    path.write_text(path.read_text().replace("62 (64.6)", "62 [64.6]"))
    with pytest.raises(DataError, match=r"table3.csv, row 2, column grade_3: cannot parse"):
        P.table3(data)


def test_missing_column_is_named(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "table1.csv"
    path.write_text(path.read_text().replace(",relapsed_hsct", ",relapsed_allo", 1))
    with pytest.raises(DataError, match="table1.csv: missing column"):
        P.table1(data)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("kind: pct_ci, printed: \"70.8\"", "kind: percentage, printed: \"70.8\"", "unknown kind"),
    ("k: 68, n: 96}", "k: 97, n: 96}", "exceeds n"),
    ("id: abstract.mrd_neg,", "id: abstract.crc,", "duplicate id"),
    ("k: 40, n: 68}", "k: forty, n: 68}", "expected a count"),
])
def test_bad_claims_are_refused(tmp_path, old, new, message):
    data = _copy_data(tmp_path)
    path = data / "claims.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataError, match=message):
        P.claims(data)
