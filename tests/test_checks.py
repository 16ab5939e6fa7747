"""Table checks: each fires on a broken table, stays quiet on a correct one, and ids are stable.

Tables are built by hand from the schema's Table/Cell (the checks are pure functions); the
seed tests at the end run the real reader when nlp.tables is there.
"""

from __future__ import annotations

import hashlib
from typing import Optional

import pytest

from nlp.checks import CHECKS, DEFAULT_CHECKS, CheckContext, register_check, run_checks
from nlp.errors import XxgkError
from nlp.schema import (
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    TABLE_A_2019,
    TABLE_A_2021,
    TABLE_B_2019,
    TABLE_B_2021,
    TABLE_C,
    Cell,
    Document,
    ReportMeta,
    Section,
    Sections,
    Table,
    TableDef,
    Tables,
)

SHA = "0" * 64


def ctx(year: Optional[int] = 2021, sections: Optional[Sections] = None, sha: str = SHA) -> CheckContext:
    meta = ReportMeta(title=None, agency=None, year=year, script="hans")
    return CheckContext(sha256=sha, meta=meta, sections=sections)


def make_table(definition: TableDef, values: dict[str, list], raws: Optional[dict[tuple[str, str], str]] = None,
               **kw) -> Table:
    """A table whose rows are given as lists of values (None = blank); other rows are zeros."""
    raws = raws or {}
    cells = {}
    pos = 0
    for rd in definition.rows:
        cols = definition.cols_of(rd)
        vals = values.get(rd.key, [0] * len(cols))
        for col, v in zip(cols, vals):
            raw = raws.get((rd.key, col), "" if v is None else str(v))
            cells[(rd.key, col)] = Cell(value=v, raw=raw, start=pos, end=pos + len(raw))
            pos += len(raw) + 3
    return Table(definition=definition, cells=cells, start=0, end=pos, **kw)


def good_b(definition: TableDef = TABLE_B_2021, **rows: list) -> Table:
    base = {
        "new": [1, 0, 0, 0, 0, 0, 1],
        "granted": [1, 0, 0, 0, 0, 0, 1],
        "closed": [1, 0, 0, 0, 0, 0, 1],
    }
    base.update(rows)
    return make_table(definition, base)


def good_c(**rows: list) -> Table:
    base = {"reconsideration": [10, 0, 1, 1, 12], "litigation_direct": [1, 0, 1, 2, 4], "litigation_after": [7, 0, 1, 0, 8]}
    base.update(rows)
    return make_table(TABLE_C, base)


def good_a(**rows: list) -> Table:
    base = {"normative_docs": [4, 2, 11], "licensing": [64142], "penalty": [1034], "fees": [803]}
    base.update(rows)
    return make_table(TABLE_A_2021, base)


def tables(template: str = "2021", **kw) -> Tables:
    return Tables(template=template, **kw)


def run(name: str, t: Tables, c: Optional[CheckContext] = None):
    return CHECKS[name](t, c or ctx())


# ---------------------------------------------------------------------------
# Registry and runner
# ---------------------------------------------------------------------------


def test_registry_holds_every_default_check_under_a_versioned_name():
    assert set(DEFAULT_CHECKS) <= set(CHECKS)
    assert all(name.rsplit(".", 1)[1].startswith("v") for name in CHECKS)


def test_register_check_rejects_unversioned_names():
    with pytest.raises(ValueError):
        register_check("table_b.row_sum")


def test_all_checks_quiet_on_a_correct_report():
    t = tables(active=good_a(), requests=good_b(), review=good_c())
    for name in DEFAULT_CHECKS:
        assert run(name, t) == [], name


def test_run_checks_runs_named_checks_and_rejects_unknown_names():
    text = "报告"
    doc = Document("x.txt", SHA, "txt", text, text, tuple(range(len(text) + 1)))
    secs = Sections(meta=ReportMeta(None, None, 2021, "hans"), sections=())
    bad = tables(active=good_a(), requests=good_b(new=[2, 0, 0, 0, 0, 0, 1]), review=good_c())
    all_f = run_checks(doc, secs, bad)
    assert {f.check for f in all_f} >= {"table_b.row_sum.v1", "table_b.balance.v1"}
    only = run_checks(doc, secs, bad, names=["table_b.row_sum.v1"])
    assert [f.check for f in only] == ["table_b.row_sum.v1"]
    with pytest.raises(XxgkError) as err:
        run_checks(doc, secs, bad, names=["no.such.v1"])
    assert err.value.code == "E042"


# ---------------------------------------------------------------------------
# Table B
# ---------------------------------------------------------------------------


def test_row_sum_fires_with_cells_and_arithmetic():
    t = tables(requests=good_b(granted=[1, 1, 0, 0, 0, 0, 1]))
    (f,) = run("table_b.row_sum.v1", t)
    assert f.kind == "table_arithmetic" and f.severity == "error"
    assert "予以公开" in f.message and "2" in f.message and "1" in f.message
    cells = f.evidence["cells"]
    assert len(cells) == 7
    assert {"table", "row", "col", "value", "raw", "start", "end"} <= set(cells[0])
    assert f.evidence["difference"] == 1
    assert f.span == (cells[0]["start"], cells[-1]["end"])


def test_row_sum_skips_rows_with_blanks_and_blank_check_lists_them():
    t = tables(requests=good_b(new=[1, None, 0, 0, 0, 0, 5]))
    assert run("table_b.row_sum.v1", t) == []
    (f,) = run("cells.blank.v1", t)
    assert f.kind == "blank_cell" and f.evidence["count"] == 1
    assert f.evidence["cells"][0]["row"] == "new" and f.evidence["cells"][0]["col"] == "commercial"


def test_closed_total_fires_per_column():
    t = tables(requests=good_b(closed=[2, 0, 0, 0, 0, 0, 2], new=[2, 0, 0, 0, 0, 0, 2]))
    found = run("table_b.closed_total.v1", t)
    assert {f.evidence["totals"][0]["col"] for f in found} == {"natural_person", "total"}
    assert all(f.severity == "error" for f in found)
    # the parts are (一)(二) and every row under (三)–(六): 2 + 8 + 3 + 5 + 3 = 21 rows
    assert len(found[0].evidence["parts"]) == 21


def test_closed_total_2019_single_other_row():
    t = tables("2019", requests=good_b(TABLE_B_2019, other=[1, 0, 0, 0, 0, 0, 1],
                                          closed=[2, 0, 0, 0, 0, 0, 2], new=[2, 0, 0, 0, 0, 0, 2]))
    assert run("table_b.closed_total.v1", t) == []
    assert run("table_b.row_sum.v1", t) == []
    assert run("table_b.balance.v1", t) == []


def test_closed_total_with_blank_part_is_a_warning():
    t = tables(requests=good_b(**{"denied.state_secret": [None, 0, 0, 0, 0, 0, 0], "closed": [3, 0, 0, 0, 0, 0, 3],
                                  "new": [3, 0, 0, 0, 0, 0, 3]}))
    found = run("table_b.closed_total.v1", t)
    natural = [f for f in found if f.evidence["totals"][0]["col"] == "natural_person"]
    assert natural and natural[0].severity == "warning"
    assert natural[0].evidence["blank_as_zero"] == ["denied.state_secret/natural_person"]


def test_balance_fires():
    t = tables(requests=good_b(carried_in=[1, 0, 0, 0, 0, 0, 1]))
    found = run("table_b.balance.v1", t)
    assert {f.evidence["parts"][0]["col"] for f in found} == {"natural_person", "total"}
    f = found[0]
    assert "本年新收" in f.message and "结转下年度" in f.message
    assert f.evidence["sum_parts"] == 2 and f.evidence["sum_totals"] == 1


# ---------------------------------------------------------------------------
# Table C and table A
# ---------------------------------------------------------------------------


def test_table_c_totals():
    assert run("table_c.totals.v1", tables(review=good_c())) == []
    (f,) = run("table_c.totals.v1", tables(review=good_c(litigation_after=[7, 0, 1, 0, 9])))
    assert f.kind == "table_arithmetic" and f.severity == "error"
    assert "复议后起诉" in f.message and "8" in f.message and "9" in f.message
    assert [c["col"] for c in f.evidence["cells"]] == list(REVIEW_COLUMNS)


def test_table_a_values():
    a = make_table(
        TABLE_A_2021,
        {"rules": [-1, 0, 0], "normative_docs": [1.5, 0, 2], "licensing": [None], "fees": [12.5]},
        raws={("licensing", "decisions"): "若干"},
    )
    found = {f.evidence["cells"][0]["row"]: f for f in run("table_a.values.v1", tables(active=a))}
    assert set(found) == {"rules", "normative_docs", "licensing"}  # fees in 万元 may be a fraction
    assert found["rules"].severity == "error" and "-1" in found["rules"].message
    assert found["licensing"].kind == "damaged_cell" and "若干" in found["licensing"].message


def test_table_a_2019_change_may_be_negative():
    a = make_table(TABLE_A_2019, {"licensing": [5, -2, 3]})
    assert run("table_a.values.v1", tables("2019", active=a)) == []


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def test_damaged_double_zero_and_text_cells():
    b = make_table(TABLE_B_2021, {"new": [1, 0, 0, 0, 0, 0, 1], "granted": [1, 0, 0, 0, 0, 0, 1],
                                  "closed": [1, 0, 0, 0, 0, 0, 1], "denied.query_matter": [0, 0, 0, 0, 0, 0, 0],
                                  "carried_out": [0, None, 0, 0, 0, 0, 0]},
                   raws={("denied.query_matter", "research"): "00", ("carried_out", "commercial"): "见附件"})
    found = run("cells.damaged.v1", tables(requests=b))
    where = {(f.evidence["cells"][0]["row"], f.evidence["cells"][0]["col"]): f for f in found}
    assert set(where) == {("denied.query_matter", "research"), ("carried_out", "commercial")}
    f = where[("denied.query_matter", "research")]
    assert f.kind == "damaged_cell" and f.severity == "warning"
    assert "00" in f.message and "科研机构" in f.message and "属于行政查询事项" in f.message
    assert f.evidence["cells"][0]["raw"] == "00" and f.evidence["cells"][0]["value"] == 0
    # arithmetic uses the 0 and stays quiet
    assert run("table_b.row_sum.v1", tables(requests=b)) == []


def test_blank_one_finding_per_table():
    b = make_table(TABLE_B_2021, {"new": [1, None, None, 0, 0, 0, 1], "granted": [1, 0, 0, 0, 0, 0, 1],
                                  "closed": [1, 0, 0, 0, 0, 0, 1], "carried_in": [None, 0, 0, 0, 0, 0, 0]},
                   raws={("carried_in", "natural_person"): "—"})
    c = good_c(reconsideration=[None, 0, 0, 0, 0])
    found = run("cells.blank.v1", tables(requests=b, review=c))
    assert [f.evidence["table"] for f in found] == ["requests", "review"]
    assert found[0].evidence["count"] == 3 and "3个空白" in found[0].message
    assert found[0].severity == "warning"
    a = good_a(licensing=[None])
    (fa,) = run("cells.blank.v1", tables(active=a))
    assert fa.severity == "info"


def test_uncertain_split():
    b = good_b()
    cells = dict(b.cells)
    for col in REQUEST_COLUMNS:
        old = cells[("new", col)]
        cells[("new", col)] = Cell(old.value, old.raw, old.start, old.end, uncertain=True, note="glued run 1000001")
    alt = {"row": "new", "values": [10, 0, 0, 0, 0, 0, 1]}
    b2 = Table(definition=b.definition, cells=cells, start=b.start, end=b.end, shape="glued", alternatives=(alt,))
    (f,) = run("cells.uncertain.v1", tables(requests=b2))
    assert f.kind == "uncertain_split" and f.severity == "warning"
    assert f.evidence["alternatives"] == [alt]
    assert len(f.evidence["cells"]) == 7 and f.evidence["notes"] == ["glued run 1000001"]
    assert run("cells.uncertain.v1", tables(requests=good_b())) == []


def test_uncertain_split_one_finding_per_glued_run():
    a = good_a()
    alt = {"table": "active", "cells": [["normative_docs", "issued"], ["normative_docs", "repealed"],
                                       ["normative_docs", "in_force"]],
           "raw": "4211", "chosen": [4, 2, 11], "options": [[42, 1, 1], [4, 21, 1]], "n_options": 3,
           "reason": "no arithmetic links these cells"}
    a2 = Table(definition=a.definition, cells=a.cells, start=a.start, end=a.end, alternatives=(alt,))
    (f,) = run("cells.uncertain.v1", tables(active=a2))
    assert "4211" in f.message and "4/2/11" in f.message and "3种" in f.message
    assert [c["col"] for c in f.evidence["cells"]] == ["issued", "repealed", "in_force"]
    assert f.evidence["alternatives"][0]["options"] == [[42, 1, 1], [4, 21, 1]]


# ---------------------------------------------------------------------------
# Missing tables, template
# ---------------------------------------------------------------------------


def _sections_with_headings() -> Sections:
    secs = (
        Section("active", "二、主动公开政府信息情况", 10, 23, 24),
        Section("requests", "三、收到和处理政府信息公开申请情况", 24, 41, 41),
        Section("review", "四、政府信息公开行政复议、行政诉讼情况", 41, 61, 61),
    )
    return Sections(meta=ReportMeta(None, None, 2021, "hans"), sections=secs)


def test_missing_tables_empty_sections():
    secs = _sections_with_headings()
    t = Tables(template="2021", empty_sections=("active", "requests", "review"))
    found = run("tables.missing.v1", t, ctx(2021, secs))
    assert [f.evidence["table"] for f in found] == ["active", "requests", "review"]
    assert all(f.kind == "missing_table" and f.severity == "error" for f in found)
    assert "只有标题" in found[0].message and found[0].span == (10, 24)


def test_missing_table_without_section():
    found = run("tables.missing.v1", tables(requests=good_b(), review=good_c()), ctx(2022))
    assert [f.evidence["table"] for f in found] == ["active"]


@pytest.mark.parametrize("template,year", [("pre2019", 2016), ("unknown", 2012), ("pre2019", None)])
def test_no_missing_table_before_2019(template, year):
    assert run("tables.missing.v1", Tables(template=template), ctx(year)) == []


@pytest.mark.parametrize(
    "year,template,b_def,fires",
    [
        (2022, "2019", TABLE_B_2019, True),
        (2020, "2021", TABLE_B_2021, True),
        (2019, "2019", TABLE_B_2019, False),
        (2024, "2021", TABLE_B_2021, False),
        (None, "2019", TABLE_B_2019, False),
    ],
)
def test_template_year(year, template, b_def, fires):
    t = tables(template, requests=good_b(b_def))
    found = run("template.year.v1", t, ctx(year))
    assert bool(found) == fires
    if fires:
        assert found[0].kind == "template" and str(year) in found[0].message


def test_template_tables_in_a_pre2019_report():
    (f,) = run("template.year.v1", tables("2021", review=good_c()), ctx(2016))
    assert f.evidence["expected"] == "pre2019"


# ---------------------------------------------------------------------------
# Stable ids
# ---------------------------------------------------------------------------


def test_ids_are_stable_and_depend_on_report_and_locus():
    bad = tables(requests=good_b(granted=[1, 1, 0, 0, 0, 0, 1], partial=[0, 1, 0, 0, 0, 0, 0]))
    first = run("table_b.row_sum.v1", bad)
    again = run("table_b.row_sum.v1", bad)
    assert [f.id for f in first] == [f.id for f in again]
    assert len({f.id for f in first}) == 2  # two rows, two loci, two ids
    other_report = run("table_b.row_sum.v1", bad, ctx(sha="1" * 64))
    assert {f.id for f in other_report}.isdisjoint({f.id for f in first})


def test_id_survives_a_new_version_of_the_check():
    bad = tables(requests=good_b(granted=[1, 1, 0, 0, 0, 0, 1]))

    @register_check("table_b.row_sum.v2")
    def row_sum_v2(t, c):
        return [f.__class__(**{**f.__dict__, "check": "table_b.row_sum.v2"})
                for f in CHECKS["table_b.row_sum.v1"](t, c)]

    try:
        from nlp.schema import finding
        (f1,) = run("table_b.row_sum.v1", bad)
        f2 = finding("table_b.row_sum.v2", f1.kind, f1.severity, f1.message, sha256=SHA, locus="requests:granted")
        assert f1.id == f2.id
    finally:
        del CHECKS["table_b.row_sum.v2"]


# ---------------------------------------------------------------------------
# The seeds, through the real reader
# ---------------------------------------------------------------------------


def _read_seed(prefix: str):
    tables_mod = pytest.importorskip("nlp.tables")
    from conftest import seed_path
    from nlp.ingest import ingest
    from nlp.sections import find_sections

    doc = ingest(seed_path(prefix))
    secs = find_sections(doc)
    return doc, secs, tables_mod.parse_tables(doc, secs)


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_seed_tables_add_up(prefix):
    doc, secs, tb = _read_seed(prefix)
    found = run_checks(doc, secs, tb)
    assert [f.message for f in found if f.kind == "table_arithmetic"] == []
    assert [f.message for f in found if f.kind in ("missing_table", "template")] == []


@pytest.mark.parametrize("prefix,row,col", [("001", "denied.query_matter", "research"),
                                             ("002", "denied.process_info", "other")])
def test_seed_double_zero_cells_found(prefix, row, col):
    doc, secs, tb = _read_seed(prefix)
    damaged = [f for f in run_checks(doc, secs, tb) if f.kind == "damaged_cell"]
    cells = [(c["row"], c["col"], c["raw"]) for f in damaged for c in f.evidence["cells"]]
    assert (row, col, "00") in cells
    hit = next(c for f in damaged for c in f.evidence["cells"] if (c["row"], c["col"]) == (row, col))
    if hit["start"] is not None:
        assert doc.text[hit["start"] : hit["end"]].strip() == "00"


def test_seed_003_missing_tables():
    doc, secs, tb = _read_seed("003")
    missing = [f for f in run_checks(doc, secs, tb) if f.kind == "missing_table"]
    assert sorted(f.evidence["table"] for f in missing) == ["active", "requests", "review"]
    assert all(f.severity == "error" for f in missing)


def test_seed_004_pre2019_has_no_missing_table_finding():
    doc, secs, tb = _read_seed("004")
    found = run_checks(doc, secs, tb)
    assert [f for f in found if f.kind in ("missing_table", "template")] == []


def test_blank_counts_cells_the_reader_did_not_find():
    b = good_b()
    cells = {k: v for k, v in b.cells.items() if k[0] != "carried_in"}
    b2 = Table(definition=b.definition, cells=cells, start=b.start, end=b.end)
    (f,) = run("cells.blank.v1", tables(requests=b2))
    assert f.evidence["count"] == 7 and all(c["absent"] for c in f.evidence["cells"])
    assert "未读到" in f.message
    assert run("table_b.row_sum.v1", tables(requests=b2)) == []


def _report_with_problems(body: str):
    from nlp.sections import find_sections
    from nlp.schema import Document

    text = f"2022年某县政府信息公开工作年度报告\n一、总体情况\n本年主动公开信息12条。\n五、存在的主要问题及改进情况\n{body}\n六、其他需要报告的事项\n本年度未收取信息处理费。\n"
    doc = Document(source="t.txt", sha256="s", format="txt", display_text=text, text=text, offsets=tuple(range(len(text) + 1)))
    return doc, find_sections(doc)


@pytest.mark.parametrize("body,fires", [("无。", True), ("暂无", True), ("", True),
                                        ("一是公开内容不够全面。下一步将加强培训。", False)])
def test_section_five_that_says_only_nothing_is_reported(body, fires):
    doc, secs = _report_with_problems(body)
    found = [f for f in run_checks(doc, secs, Tables(template="2021"), names=["sections.problems_empty.v1"])]
    assert bool(found) == fires
    if fires:
        assert found[0].kind == "section_content" and found[0].severity == "warning"
