"""The statistics table (统计表) of the reports of 2008–2018: read as a table of its own, its
arithmetic checked, the narrative reconciled against it."""

from __future__ import annotations

from builders import read, text_doc
from nlp.checks import run_checks
from nlp.schema import TABLE_STATS, Tables
from nlp.sections import find_sections
from nlp.tables import parse_tables

HEADER = "政府信息公开情况统计表\n指标名称 | 计量单位 | 2015年度 | 历年累计\n"


def _stats_doc(rows: list[str], year: int = 2015) -> str:
    return (f"某县{year}年政府信息公开工作年度报告\n一、概述\n{year}年,全县主动公开政府信息。\n"
            + HEADER.replace("2015", str(year)) + "\n".join(rows) + "\n")


def test_corpus_2012_spaced_table_is_read_with_both_columns():
    _, t = read("corpus", "021")
    s = t.stats
    assert t.template == "pre2019" and s is not None and s.definition.name == "stats"
    assert s.to_json()["active"] == {"year": 739, "cumulative": 4359}
    assert s.to_json()["active.website"] == {"year": 739, "cumulative": 4359}
    assert s.to_json()["requests"] == {"year": 0, "cumulative": 0}
    assert {"requests.fax", "requests.email", "replies.denied", "reconsideration", "litigation"} <= set(s.to_json())
    assert not any(c.uncertain for c in s.cells.values())
    assert t.all() == []  # not one of the standard tables


def test_corpus_2018_glued_table_is_cut_by_the_narrative_and_its_parts():
    doc, t = read("corpus", "012")
    s = t.stats
    assert s.shape == "glued"
    assert s.row_values("active") == [2069, 12106]
    # the narrative says 2069; still several cuts fit the row: uncertain, ranked for review
    assert s.cells[("active", "year")].uncertain and "2069" in s.cells[("active", "year")].note
    (alt,) = s.alternatives
    assert alt["chosen"] == [2069, 12106] and alt["ranked"][0]["narrative"] == [2069]
    assert [r["values"] for r in alt["ranked"]][0] == [2069, 12106] and len(alt["ranked"]) > 1
    # a part at most its whole: 政府网站公开数 has one cut only, so it is settled
    assert s.row_values("active.website") == [2069, 12106]
    assert not s.cells[("active.website", "year")].uncertain
    assert s.row_values("requests.letter_fax") == [0, 0]
    assert not [f for f in run_checks(doc, find_sections(doc), t) if f.kind == "table_arithmetic"]


def test_seed_2016_has_no_statistics_table():
    _, t = read("seed", "004")
    assert t.template == "pre2019" and t.stats is None


def test_a_one_column_table_and_its_arithmetic():
    rows = ["主动公开信息数 | 条 | 120 | 100",  # 本年 above 历年累计
            "其中:1.网站公开数 | 条 | 130 | 300",  # a part above its whole
            "受理依申请公开信息总数 | 件 | 9 | 20",
            "其中:1.当面申请数 | 件 | 3 | 10", "2.网上申请数 | 件 | 5 | 10",  # 3 + 5 != 9; 10 + 10 = 20
            "行政复议数 | 件 | 0 | 1"]
    doc = text_doc(_stats_doc(rows))
    secs = find_sections(doc)
    t = parse_tables(doc, secs)
    assert t.stats.row_values("requests.online") == [5, 10]
    found = run_checks(doc, secs, t)
    cum = [f for f in found if f.check == "stats.cumulative.v1"]
    assert [f.evidence["cells"][0]["row"] for f in cum] == ["active"] and "120" in cum[0].message
    parts = sorted((f.evidence["cells"][-1]["row"], f.evidence["cells"][0]["col"]) for f in found if f.check == "stats.parts.v1")
    assert parts == [("active", "cumulative"), ("active", "year"), ("requests", "year")]
    # in the table's row order whatever the hash seed (the groups were once a set)
    order = [f.evidence["cells"][-1]["row"] for f in found if f.check == "stats.parts.v1"]
    assert order == sorted(order, key=[rd.key for rd in t.stats.definition.rows].index)
    one = text_doc(_stats_doc([]).replace(" | 历年累计", "").replace("2015年度", "统计数") +
                   "主动公开信息数 | 条 | 56\n受理依申请公开信息总数 | 件 | 2\n行政复议数 | 件 | 0\n")
    s = parse_tables(one).stats
    assert s.definition.columns == ("year",) and s.to_json() == {
        "active": {"year": 56}, "requests": {"year": 2}, "reconsideration": {"year": 0}}


def test_a_sentence_naming_rows_is_not_the_table():
    text = ("某县2015年政府信息公开工作年度报告\n一、概述\n全年主动公开信息数120条,受理依申请公开信息总数9件,"
            "行政复议数0件。\n")
    assert parse_tables(text_doc(text)).stats is None


def test_last_years_table_settles_a_glued_row():
    rows = ["主动公开信息数条1201320"]  # 120 | 1320, or 12 | 01320 (no: a leading zero), or 1201 | 320 …
    doc = text_doc(_stats_doc(rows + ["受理依申请公开信息总数条00", "行政复议数件00"], year=2016))
    alone = parse_tables(doc).stats
    assert alone.cells[("active", "year")].uncertain
    from nlp.schema import Cell, Table
    last = Tables(template="pre2019", stats=Table(TABLE_STATS, {("active", "year"): Cell(100, "100"),
                                                                 ("active", "cumulative"): Cell(1200, "1200")}))
    s = parse_tables(doc, previous=last).stats
    assert s.row_values("active") == [120, 1320]  # 1200 + 120 = 1320: the two years chain
    assert not s.cells[("active", "year")].uncertain and "last year" in s.cells[("active", "year")].note
