"""vah.paper: the paper's record loads, parses and refuses malformed files clearly."""

import math
import shutil

import pytest

from vah import paper as P
from vah.errors import DataError


def test_group_sizes_as_printed():
    # Table 1 header: All n = 96, refractory n = 37, relapsed after chemotherapy n = 16,
    # relapsed after allo-HSCT n = 43.
    expected = {"all": 96, "refractory": 37, "relapsed_chemo": 16, "relapsed_hsct": 43}
    assert {g: P.group_n(g) for g in P.GROUPS} == expected == P.GROUP_N
    # The gender rows of Table 1 give the same sizes: 51 + 45, 21 + 16, 10 + 6, 20 + 23.
    t1 = P.table1()
    gender = t1[t1["characteristic"] == "gender"].groupby("group")["n"].sum()
    assert gender.to_dict() == expected


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
    crc = P.claim("abstract.crc")
    # Abstract: "The CRc rate was 70.8% (95% CI 60.8–79.2)"; 68 of 96 (Results, Efficacy).
    assert (crc["printed"], crc["value"], crc["unit"], crc["k"], crc["n"]) == (
        "70.8", 70.8, "%", 68, 96)
    assert (crc["ci_low"], crc["ci_high"]) == (60.8, 79.2)
    assert type(crc["k"]) is int and type(crc["value"]) is float
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
    with pytest.raises(DataError, match=r"table1.csv, row 1 \(the header\), column\(s\) "
                                        r"relapsed_hsct: missing"):
        P.table1(data)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("kind: pct_ci, printed: \"70.8\"", "kind: percentage, printed: \"70.8\"", "unknown kind"),
    ("k: 68, n: 96,", "k: 97, n: 96,", "exceeds n"),
    ("id: abstract.mrd_neg,", "id: abstract.crc,", "duplicate id"),
    ("k: 40, n: 68,", "k: forty, n: 68,", "expected a count"),
])
def test_bad_claims_are_refused(tmp_path, old, new, message):
    data = _copy_data(tmp_path)
    path = data / "claims.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataError, match=message):
        P.claims(data)


def test_claims_contract_columns():
    c = P.claims()
    assert list(c.columns[:12]) == ["id", "section", "locator", "text", "quantity", "value",
                                    "unit", "k", "n", "ci_low", "ci_high", "p_op"]
    assert c["id"].is_unique
    # "(P < 0.001, Fig. 5A)" (Results, Survival, paragraph 2): value 0.001 with operator "<".
    row = c.set_index("id").loc["results.survival.os_hsct_p"]
    assert (row.value, row.p_op, row.unit) == (0.001, "<", "P")
    # Median OS of CRc patients "not reached": value NaN, lower bound 22.1, upper NE.
    nr = c.set_index("id").loc["results.survival.os_median_crc"]
    assert math.isnan(nr.value) and nr.ci_low == 22.1 and math.isnan(nr.ci_high)
    # The sample-size sentence (Methods): 45 %, 15 %, 87, 5 %, 80 %, 10 %, 96.
    methods = c[c["section"] == "methods"].set_index("id")["value"].to_dict()
    assert sorted(methods.values()) == [5, 10, 15, 45, 80, 87, 96]


@pytest.mark.parametrize(("name", "old", "new", "message"), [
    # A count larger than its column (Refractory AML has 37 patients).
    ("table1.csv", "21 (56.8)", "38 (56.8)", r"table1.csv, row 2, column refractory: count 38 "
                                             r"exceeds the 37"),
    # Disease groups no longer add up to All (21 + 10 + 20 = 51).
    ("table1.csv", "10 (62.5),20 (46.5)", "10 (62.5),19 (46.5)",
     r"table1.csv, row 2, columns refractory, relapsed_chemo, relapsed_hsct and all: the three "
     r"disease groups add up to 50, not 51"),
    # Table 3 prints a bare count only for 0 (Sepsis, grade 3 is row 7).
    ("table3.csv", "Sepsis,Sepsis,0,0,", "Sepsis,Sepsis,0,2,",
     r"table3.csv, row 7, column grade_3: a count without a percentage"),
    # Tables 1 and 2 print a percentage in every cell, 0 included ("0 (0)").
    ("table1.csv", "MLL,7 (7.3),2 (5.4),3 (18.8)", "MLL,7 (7.3),2 (5.4),3",
     r"table1.csv, row 27, column relapsed_chemo: a count without a percentage"),
    ("table2.csv", "7 (7.3),1 (2.7)", "7,1 (2.7)",
     r"table2.csv, row 6, column all: a count without a percentage"),
    # A row with a cell too many, and one with a cell missing.
    ("table1.csv", "45 (46.9),16 (43.2)", "45 (46.9),16,(43.2)",
     r"table1.csv, row 3, column 8: 8 cells where the header has 7"),
    ("table3.csv", "Cough,Cough,11 (11.5),1 (1.0),0,0", "Cough,Cough,11 (11.5),1 (1.0),0",
     r"table3.csv, row 18, column grade_5: cannot parse ''"),
    # The three disease groups of the header no longer add up to All (37 + 16 + 43 = 96).
    ("groups.csv", "all,All patients,96,All patients (n = 96)",
     "all,All patients,97,All patients (n = 97)",
     r"groups.csv, rows 2-5, column n: the three disease groups add up to 96, not 97"),
    # A percentage that does not parse.
    ("table2.csv", "40 (41.7)", "40 (41.7%)", r"table2.csv, row 3, column all: cannot parse"),
    # A percentage outside 0-100.
    ("table3.csv", "16 (16.7)", "16 (116.7)", r"table3.csv, row 2, column grade_1_2: "
                                              r"percentage 116.7"),
    # A header n that is not what the header prints.
    ("groups.csv", "refractory,Refractory AML,37", "refractory,Refractory AML,36",
     r"groups.csv, row 3, column n"),
])
def test_broken_files_name_file_row_and_column(tmp_path, name, old, new, message):
    data = _copy_data(tmp_path)
    path = data / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    loader = {"table1.csv": P.table1, "table2.csv": P.table2, "table3.csv": P.table3,
              "groups.csv": P.groups}[name]
    with pytest.raises(DataError, match=message):
        loader(data)


def test_levels_must_cover_the_column(tmp_path):
    # Gender, all patients: 51 + 45 = 96; move one patient out of "male" in every column
    # consistently so that only the levels-add-up check can fail.
    data = _copy_data(tmp_path)
    path = data / "table1.csv"
    path.write_text(path.read_text().replace("51 (53.1),21 (56.8)", "50 (53.1),20 (56.8)", 1))
    with pytest.raises(DataError, match=r"table1.csv, rows 2-3, column all: the levels of gender "
                                        r"add up to 95, not 96"):
        P.table1(data)


def test_every_loader_reads_the_overridden_folder(tmp_path, monkeypatch):
    data = _copy_data(tmp_path)
    path = data / "table1.csv"
    path.write_text(path.read_text().replace("51 (53.1),21 (56.8)", "51 (53.2),21 (56.8)", 1))
    claims = data / "claims.yaml"
    claims.write_text(claims.read_text().replace('printed: "70.8", ci:', 'printed: "70.9", ci:'))
    def male_all() -> float:
        t1 = P.table1()
        return t1[(t1["level"] == "male") & (t1["group"] == "all")].iloc[0].pct_printed
    assert male_all() == 53.1 and P.claim("abstract.crc")["printed"] == "70.8"
    with P.data_dir_override(data) as folder:
        assert P.current_data_dir() == folder == data.resolve()
        assert male_all() == 53.2 and P.claim("abstract.crc")["printed"] == "70.9"
        with P.data_dir_override(P.DATA_DIR):  # nesting restores the outer folder on exit
            assert male_all() == 53.1
        assert male_all() == 53.2
    assert male_all() == 53.1 and P.current_data_dir() == P.DATA_DIR
    monkeypatch.setenv(P.DATA_DIR_ENV, str(data))  # the same for the whole process
    assert male_all() == 53.2 and P.claim("abstract.crc")["printed"] == "70.9"
    monkeypatch.setenv(P.DATA_DIR_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match="VAH_PAPER_DATA=.*nowhere'?: not a folder"):
        P.table1()
    with pytest.raises(DataError, match="not a folder"):
        with P.data_dir_override(tmp_path / "nowhere"):
            pass
