"""The report checks (nlp/checks/report.py): standard tables missing, the template against the
year, a section 五 that says nothing."""

from __future__ import annotations

import pytest

from builders import doc_of, good_b, good_c, read_tables, run_check, tables_of
from conftest import seed_path
from nlp.checks import run_checks
from nlp.sections import find_sections
from nlp.schema import TABLE_B_2019, TABLE_B_2021, ReportMeta, Section, Sections, Tables


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
    found = run_check("tables.missing.v1", t, sections=secs)
    assert [f.evidence["table"] for f in found] == ["active", "requests", "review"]
    assert all(f.kind == "missing_table" and f.severity == "error" for f in found)
    assert "只有标题" in found[0].message and found[0].span == (10, 24)


def test_missing_table_without_section():
    found = run_check("tables.missing.v1", tables_of(requests=good_b(), review=good_c()), year=2022)
    assert [f.evidence["table"] for f in found] == ["active"]


@pytest.mark.parametrize("template,year", [("pre2019", 2016), ("unknown", 2012), ("pre2019", None)])
def test_no_missing_table_before_2019(template, year):
    assert run_check("tables.missing.v1", Tables(template=template), year=year) == []


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
    t = tables_of(template, requests=good_b(b_def))
    found = run_check("template.year.v1", t, year=year)
    assert bool(found) == fires
    if fires:
        assert found[0].kind == "template" and str(year) in found[0].message


def test_template_tables_in_a_pre2019_report():
    (f,) = run_check("template.year.v1", tables_of("2021", review=good_c()), year=2016)
    assert f.evidence["expected"] == "pre2019"


def test_seed_003_missing_tables():
    doc, secs, tb = read_tables(seed_path("003"))
    missing = [f for f in run_checks(doc, secs, tb) if f.kind == "missing_table"]
    assert sorted(f.evidence["table"] for f in missing) == ["active", "requests", "review"]
    assert all(f.severity == "error" for f in missing)


def test_seed_004_pre2019_has_no_missing_table_finding():
    doc, secs, tb = read_tables(seed_path("004"))
    found = run_checks(doc, secs, tb)
    assert [f for f in found if f.kind in ("missing_table", "template")] == []


def _report_with_problems(body: str):
    text = f"2022年某县政府信息公开工作年度报告\n一、总体情况\n本年主动公开信息12条。\n五、存在的主要问题及改进情况\n{body}\n六、其他需要报告的事项\n本年度未收取信息处理费。\n"
    doc = doc_of(text)
    return doc, find_sections(doc)


@pytest.mark.parametrize("body,fires", [("无。", True), ("暂无", True), ("", True),
                                        ("一是公开内容不够全面。下一步将加强培训。", False)])
def test_section_five_that_says_only_nothing_is_reported(body, fires):
    doc, secs = _report_with_problems(body)
    found = [f for f in run_checks(doc, secs, Tables(template="2021"), names=["sections.problems_empty.v1"])]
    assert bool(found) == fires
    if fires:
        assert found[0].kind == "section_content" and found[0].severity == "warning"
