"""The table checks (nlp/checks/tables.py): each fires on a broken table with its cells and
arithmetic, and stays quiet on a correct one; the seeds' tables add up."""

from __future__ import annotations

import pytest

from builders import good_b, good_c, make_table, read_tables, run_check, tables_of
from conftest import seed_path
from nlp.checks import run_checks
from nlp.schema import REVIEW_COLUMNS, TABLE_A_2019, TABLE_A_2021, TABLE_B_2019


def test_row_sum_fires_with_cells_and_arithmetic():
    t = tables_of(requests=good_b(granted=[1, 1, 0, 0, 0, 0, 1]))
    (f,) = run_check("table_b.row_sum.v1", t)
    assert f.kind == "table_arithmetic" and f.severity == "error"
    assert "予以公开" in f.message and "2" in f.message and "1" in f.message
    cells = f.evidence["cells"]
    assert len(cells) == 7
    assert {"table", "row", "col", "value", "raw", "start", "end"} <= set(cells[0])
    assert f.evidence["difference"] == 1
    assert f.span == (cells[0]["start"], cells[-1]["end"])


def test_closed_total_fires_per_column():
    t = tables_of(requests=good_b(closed=[2, 0, 0, 0, 0, 0, 2], new=[2, 0, 0, 0, 0, 0, 2]))
    found = run_check("table_b.closed_total.v1", t)
    assert {f.evidence["totals"][0]["col"] for f in found} == {"natural_person", "total"}
    assert all(f.severity == "error" for f in found)
    # the parts are (一)(二) and every row under (三)–(六): 2 + 8 + 3 + 5 + 3 = 21 rows
    assert len(found[0].evidence["parts"]) == 21


def test_closed_total_2019_single_other_row():
    t = tables_of("2019", requests=good_b(TABLE_B_2019, other=[1, 0, 0, 0, 0, 0, 1],
                                          closed=[2, 0, 0, 0, 0, 0, 2], new=[2, 0, 0, 0, 0, 0, 2]))
    assert run_check("table_b.closed_total.v1", t) == []
    assert run_check("table_b.row_sum.v1", t) == []
    assert run_check("table_b.balance.v1", t) == []


def test_closed_total_with_blank_part_is_a_warning():
    t = tables_of(requests=good_b(**{"denied.state_secret": [None, 0, 0, 0, 0, 0, 0], "closed": [3, 0, 0, 0, 0, 0, 3],
                                  "new": [3, 0, 0, 0, 0, 0, 3]}))
    found = run_check("table_b.closed_total.v1", t)
    natural = [f for f in found if f.evidence["totals"][0]["col"] == "natural_person"]
    assert natural and natural[0].severity == "warning"
    assert natural[0].evidence["blank_as_zero"] == ["denied.state_secret/natural_person"]


def test_balance_fires():
    t = tables_of(requests=good_b(carried_in=[1, 0, 0, 0, 0, 0, 1]))
    found = run_check("table_b.balance.v1", t)
    assert {f.evidence["parts"][0]["col"] for f in found} == {"natural_person", "total"}
    f = found[0]
    assert "本年新收" in f.message and "结转下年度" in f.message
    assert f.evidence["sum_parts"] == 2 and f.evidence["sum_totals"] == 1


def test_table_c_totals():
    assert run_check("table_c.totals.v1", tables_of(review=good_c())) == []
    (f,) = run_check("table_c.totals.v1", tables_of(review=good_c(litigation_after=[7, 0, 1, 0, 9])))
    assert f.kind == "table_arithmetic" and f.severity == "error"
    assert "复议后起诉" in f.message and "8" in f.message and "9" in f.message
    assert [c["col"] for c in f.evidence["cells"]] == list(REVIEW_COLUMNS)


def test_table_a_values():
    a = make_table(
        TABLE_A_2021,
        {"rules": [-1, 0, 0], "normative_docs": [1.5, 0, 2], "licensing": [None], "fees": [12.5]},
        raws={("licensing", "decisions"): "若干"}, located=True,
    )
    found = {f.evidence["cells"][0]["row"]: f for f in run_check("table_a.values.v1", tables_of(active=a))}
    assert set(found) == {"rules", "normative_docs", "licensing"}  # fees in 万元 may be a fraction
    assert found["rules"].severity == "error" and "-1" in found["rules"].message
    assert found["licensing"].kind == "damaged_cell" and "若干" in found["licensing"].message


def test_table_a_2019_change_may_be_negative():
    a = make_table(TABLE_A_2019, {"licensing": [5, -2, 3]}, located=True)
    assert run_check("table_a.values.v1", tables_of("2019", active=a)) == []


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_seed_tables_add_up(prefix):
    doc, secs, tb = read_tables(seed_path(prefix))
    found = run_checks(doc, secs, tb)
    assert [f.message for f in found if f.kind == "table_arithmetic"] == []
    assert [f.message for f in found if f.kind in ("missing_table", "template")] == []
