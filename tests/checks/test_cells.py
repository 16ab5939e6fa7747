"""The cell checks (nlp/checks/cells.py): damaged numbers, blanks (never a 0) and uncertain
splits of glued digits, on hand-built tables and on the seeds' ``00`` cells."""

from __future__ import annotations

import pytest

from builders import good_a, good_b, good_c, make_table, read_tables, run_check, tables_of
from conftest import seed_path
from nlp.checks import run_checks
from nlp.schema import REQUEST_COLUMNS, TABLE_B_2021, Cell, Table


def test_row_sum_skips_rows_with_blanks_and_blank_check_lists_them():
    t = tables_of(requests=good_b(new=[1, None, 0, 0, 0, 0, 5]))
    assert run_check("table_b.row_sum.v1", t) == []
    (f,) = run_check("cells.blank.v1", t)
    assert f.kind == "blank_cell" and f.evidence["count"] == 1
    assert f.evidence["cells"][0]["row"] == "new" and f.evidence["cells"][0]["col"] == "commercial"


def test_damaged_double_zero_and_text_cells():
    b = make_table(TABLE_B_2021, {"new": [1, 0, 0, 0, 0, 0, 1], "granted": [1, 0, 0, 0, 0, 0, 1],
                                  "closed": [1, 0, 0, 0, 0, 0, 1], "denied.query_matter": [0, 0, 0, 0, 0, 0, 0],
                                  "carried_out": [0, None, 0, 0, 0, 0, 0]},
                   raws={("denied.query_matter", "research"): "00", ("carried_out", "commercial"): "见附件"}, located=True)
    found = run_check("cells.damaged.v1", tables_of(requests=b))
    where = {(f.evidence["cells"][0]["row"], f.evidence["cells"][0]["col"]): f for f in found}
    assert set(where) == {("denied.query_matter", "research"), ("carried_out", "commercial")}
    f = where[("denied.query_matter", "research")]
    assert f.kind == "damaged_cell" and f.severity == "warning"
    assert "00" in f.message and "科研机构" in f.message and "属于行政查询事项" in f.message
    assert f.evidence["cells"][0]["raw"] == "00" and f.evidence["cells"][0]["value"] == 0
    # arithmetic uses the 0 and stays quiet
    assert run_check("table_b.row_sum.v1", tables_of(requests=b)) == []


def test_blank_one_finding_per_table():
    b = make_table(TABLE_B_2021, {"new": [1, None, None, 0, 0, 0, 1], "granted": [1, 0, 0, 0, 0, 0, 1],
                                  "closed": [1, 0, 0, 0, 0, 0, 1], "carried_in": [None, 0, 0, 0, 0, 0, 0]},
                   raws={("carried_in", "natural_person"): "—"}, located=True)
    c = good_c(reconsideration=[None, 0, 0, 0, 0])
    found = run_check("cells.blank.v1", tables_of(requests=b, review=c))
    assert [f.evidence["table"] for f in found] == ["requests", "review"]
    assert found[0].evidence["count"] == 3 and "3个空白" in found[0].message
    assert found[0].severity == "warning"
    a = good_a(licensing=[None])
    (fa,) = run_check("cells.blank.v1", tables_of(active=a))
    assert fa.severity == "info"


def test_uncertain_split():
    b = good_b()
    cells = dict(b.cells)
    for col in REQUEST_COLUMNS:
        old = cells[("new", col)]
        cells[("new", col)] = Cell(old.value, old.raw, old.start, old.end, uncertain=True, note="glued run 1000001")
    alt = {"row": "new", "values": [10, 0, 0, 0, 0, 0, 1]}
    b2 = Table(definition=b.definition, cells=cells, start=b.start, end=b.end, shape="glued", alternatives=(alt,))
    (f,) = run_check("cells.uncertain.v1", tables_of(requests=b2))
    assert f.kind == "uncertain_split" and f.severity == "warning"
    assert f.evidence["alternatives"] == [alt]
    assert len(f.evidence["cells"]) == 7 and f.evidence["notes"] == ["glued run 1000001"]
    assert run_check("cells.uncertain.v1", tables_of(requests=good_b())) == []


def test_uncertain_split_one_finding_per_glued_run_check():
    a = good_a()
    alt = {"table": "active", "cells": [["normative_docs", "issued"], ["normative_docs", "repealed"],
                                       ["normative_docs", "in_force"]],
           "raw": "4211", "chosen": [4, 2, 11], "options": [[42, 1, 1], [4, 21, 1]], "n_options": 3,
           "reason": "no arithmetic links these cells"}
    a2 = Table(definition=a.definition, cells=a.cells, start=a.start, end=a.end, alternatives=(alt,))
    (f,) = run_check("cells.uncertain.v1", tables_of(active=a2))
    assert "4211" in f.message and "4/2/11" in f.message and "3种" in f.message
    assert [c["col"] for c in f.evidence["cells"]] == ["issued", "repealed", "in_force"]
    assert f.evidence["alternatives"][0]["options"] == [[42, 1, 1], [4, 21, 1]]


def test_blank_counts_cells_the_reader_did_not_find():
    b = good_b()
    cells = {k: v for k, v in b.cells.items() if k[0] != "carried_in"}
    b2 = Table(definition=b.definition, cells=cells, start=b.start, end=b.end)
    (f,) = run_check("cells.blank.v1", tables_of(requests=b2))
    assert f.evidence["count"] == 7 and all(c["absent"] for c in f.evidence["cells"])
    assert "未读到" in f.message
    assert run_check("table_b.row_sum.v1", tables_of(requests=b2)) == []


@pytest.mark.parametrize("prefix,row,col", [("001", "denied.query_matter", "research"),
                                             ("002", "denied.process_info", "other")])
def test_seed_double_zero_cells_found(prefix, row, col):
    doc, secs, tb = read_tables(seed_path(prefix))
    damaged = [f for f in run_checks(doc, secs, tb) if f.kind == "damaged_cell"]
    cells = [(c["row"], c["col"], c["raw"]) for f in damaged for c in f.evidence["cells"]]
    assert (row, col, "00") in cells
    hit = next(c for f in damaged for c in f.evidence["cells"] if (c["row"], c["col"]) == (row, col))
    if hit["start"] is not None:
        assert doc.text[hit["start"] : hit["end"]].strip() == "00"
