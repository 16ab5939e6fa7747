"""parse_tables: the seeds against EXPECTED.md, the template, pre-2019 reports, and one table in every shape."""

from __future__ import annotations

import pytest

from builders import (
    SEED_A,
    SEED_B,
    SEED_C,
    canonical_rows,
    glued_b,
    read,
    shaped_html,
    shaped_report,
    text_doc,
)
from nlp.ingest import ingest
from nlp.sections import find_sections
from nlp.tables import parse_tables


SEEDS = ("000", "001", "002")


@pytest.mark.parametrize("with_sections", [True, False], ids=["sections", "no-sections"])
@pytest.mark.parametrize("prefix", SEEDS)
def test_seed_tables_read_exactly(prefix, with_sections):
    _, t = read("seed", prefix, with_sections)
    assert t.active is not None and t.requests is not None and t.review is not None
    assert t.active.to_json() == SEED_A[prefix]
    assert t.requests.to_json()["rows"] == SEED_B[prefix]
    assert t.review.to_json() == SEED_C[prefix]
    assert t.empty_sections == ()
    assert not any(c.uncertain for tb in t.all() for c in tb.cells.values())


@pytest.mark.parametrize("prefix, template", [("000", "2021"), ("001", "2019"), ("002", "2021")])
def test_seed_template(prefix, template):
    _, t = read("seed", prefix)
    assert t.template == template
    assert t.requests.definition.template == template
    assert t.active.definition.template == template


def test_seed_003_table_sections_are_empty():
    for with_sections in (True, False):
        _, t = read("seed", "003", with_sections)
        assert t.active is None and t.requests is None and t.review is None
        assert set(t.empty_sections) == {"active", "requests", "review"}
        assert t.template == "2021"


def test_seed_004_is_pre2019_without_tables():
    _, t = read("seed", "004")
    assert t.template == "pre2019"
    assert t.all() == [] and t.empty_sections == ()


@pytest.mark.parametrize("prefix", ["012", "021"])
def test_pre2019_statistics_table_is_not_a_standard_table(prefix):
    _, t = read("corpus", prefix)
    assert t.template == "pre2019" and t.all() == [] and t.empty_sections == ()
    _, t = read("corpus", prefix, with_sections=False)
    assert t.all() == []


def test_statistics_table_is_not_a_standard_table_whatever_the_year():
    doc, _ = read("corpus", "012")
    assert "指标名称" in doc.text and "行政复议数" in doc.text
    undated = text_doc(doc.text.replace("2018", "").replace("2019", ""))
    t = parse_tables(undated)
    assert t.all() == []
    assert t.template == "unknown"


def test_template_from_year_when_there_are_no_tables():
    t = parse_tables(text_doc("某某局2020年政府信息公开工作年度报告\n一、总体情况\n本年度无。"))
    assert t.template == "2019" and t.all() == []
    t = parse_tables(text_doc("某某局2015年政府信息公开工作年度报告\n一、概述\n本年度无。"))
    assert t.template == "pre2019"
    t = parse_tables(text_doc("某某局政府信息公开工作年度报告\n一、总体情况\n本年度无。"))
    assert t.template == "unknown"


@pytest.mark.parametrize("kind, prefix", [("seed", "000"), ("seed", "001"), ("seed", "002"), ("corpus", "002"),
                                          ("corpus", "006"), ("corpus", "008"), ("corpus", "017")])
def test_every_cell_points_at_its_raw_text(kind, prefix):
    doc, t = read(kind, prefix)
    for table in t.all():
        for cell in table.cells.values():
            assert cell.start is not None and doc.text[cell.start:cell.end] == cell.raw


@pytest.mark.parametrize("shape", ["cell_per_line", "pipes", "row_per_line", "markdown", "spaced", "glued", "html"])
def test_every_shape_gives_the_same_tables(shape, tmp_path):
    if shape == "html":
        path = tmp_path / "report.html"
        path.write_text(shaped_html(list(canonical_rows(SEED_A["002"], SEED_B["002"], SEED_C["002"]))), encoding="utf-8")
        doc = ingest(path)
        t = parse_tables(doc, find_sections(doc))
    else:
        doc = text_doc(shaped_report(shape), fmt="md" if shape == "markdown" else "txt")
        t = parse_tables(doc)
    assert t.template == "2021"
    assert t.active.to_json() == SEED_A["002"]
    assert t.requests.to_json()["rows"] == SEED_B["002"]
    assert t.review.to_json() == SEED_C["002"]
    assert t.requests.shape.startswith(shape if shape != "glued" else "glued")
    for table in t.all():
        for cell in table.cells.values():
            assert doc.text[cell.start:cell.end] == cell.raw
    if shape != "glued":
        assert not any(c.uncertain for tb in t.all() for c in tb.cells.values())


def test_rows_not_found_are_noted():
    _, t = read("seed", "002")
    assert not any("rows not found" in n for n in t.notes)
    text = "2022年度政府信息公开工作年度报告\n" + glued_b({}).replace("1.属于国家秘密0000000", "")
    t = parse_tables(text_doc(text))
    assert not t.requests.has_row("denied.state_secret")
    assert any("rows not found: denied.state_secret" in n for n in t.notes)
