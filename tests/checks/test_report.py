"""The report checks (nlp/checks/report.py): standard tables missing, the template against the
year, a section 五 that says nothing."""

from __future__ import annotations

import pytest

from builders import doc_of, good_b, good_c, read_tables, run_check, tables_of
from conftest import seed_path
from nlp.checks import NotAssessable, run_checks
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
    with pytest.raises(NotAssessable) as why:
        run_check("tables.missing.v1", Tables(template=template), year=year)
    assert "2018" in str(why.value)


@pytest.mark.parametrize(
    "year,template,b_def,fires",
    [
        (2022, "2019", TABLE_B_2019, True),
        (2020, "2021", TABLE_B_2021, True),
        (2019, "2019", TABLE_B_2019, False),
        (2024, "2021", TABLE_B_2021, False),
    ],
)
def test_template_year(year, template, b_def, fires):
    t = tables_of(template, requests=good_b(b_def))
    found = run_check("template.year.v1", t, year=year)
    assert bool(found) == fires
    if fires:
        assert found[0].kind == "template" and str(year) in found[0].message


def test_template_year_without_a_year_is_not_assessable():
    with pytest.raises(NotAssessable):
        run_check("template.year.v1", tables_of("2019", requests=good_b(TABLE_B_2019)), year=None)


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


# ---------------------------------------------------------------------------
# Section rules (issue 11): 五 only a sentence, 六 and the 信息处理费, the outline, a blank period
# ---------------------------------------------------------------------------

SEED_002 = seed_path("002").read_text("utf-8")
FIVE_002 = SEED_002[SEED_002.index("五、存在的主要问题及改进情况"):SEED_002.index("六、其他需要报告的事项")]
SIX_002 = SEED_002[SEED_002.index("六、其他需要报告的事项"):]


def checked(text: str, name: str, **kw):
    """The findings of one check over a report text through the reader (sections, tables)."""
    from builders import text_doc
    from nlp.checks import CHECKS, CheckContext
    from nlp.tables import parse_tables

    doc = text_doc(text)
    secs = find_sections(doc)
    tables = kw.pop("tables", None) or parse_tables(doc, secs)
    return CHECKS[name](CheckContext(doc, secs, tables, None))


def page_text(pid: str) -> str:
    from conftest import ROOT

    return (ROOT / "data" / "pages" / f"{pid}.txt").read_text("utf-8")


@pytest.mark.parametrize("five,fires", [
    # seed 002's own first sentence of 五, alone
    ("五、存在的主要问题及改进情况\n2024年,我区政府信息公开工作取得了一定成绩,但与上级和群众的要求仍有不小差距。\n", True),
    ("五、存在的主要问题及改进情况\n无明显问题。\n", True),  # the peer notes' variant: v1 was silent
    ("五、存在的主要问题及改进情况\n无。\n", True),
    (FIVE_002, False),
    # data/pages p020's 五 (2015): two sentences under two sub-headings
    ("五、存在的主要问题和下步工作措施\n(一)存在的问题\n信息公开的内容还需进一步规范。\n(二)下步工作措施\n"
     "进一步建立、健全政府信息公开的工作机制,深化主动公开内容,切实提高信息公开的及时性、准确性。\n", False),
])
def test_section_five_that_is_only_a_sentence(five, fires):
    found = checked(SEED_002.replace(FIVE_002, five), "sections.problems_empty.v2")
    assert bool(found) == fires, [f.message for f in found]
    if fires:
        (f,) = found
        assert f.kind == "section_content" and f.severity == "warning" and "五、存在的主要问题" in f.message
        import hashlib

        from nlp.schema import finding  # the id v1 gives the same report: decisions carry over
        sha = hashlib.sha256(SEED_002.replace(FIVE_002, five).encode("utf-8")).hexdigest()
        assert f.id == finding("sections.problems_empty.v1", "", "", "", sha256=sha, locus="problems").id


def test_a_five_cut_short_is_not_judged_by_its_sentences():
    # data/pages p172: the opening stops inside 五 (“…仍存在一些亟需解决的问”)
    with pytest.raises(NotAssessable):
        checked(page_text("p172"), "sections.problems_empty.v2")


def test_an_old_outline_with_a_one_sentence_section_five_is_left_to_v1():
    old = SEED_002.replace(FIVE_002, "五、存在的主要问题及改进情况\n信息公开的内容还需进一步规范。\n")
    old = old.replace("2024年", "2016年").replace("2024年度", "2016年度")
    doc_year = find_sections(doc_of(old)).meta.year
    assert doc_year == 2016
    assert checked(old, "sections.problems_empty.v2", tables=Tables(template="pre2019")) == []


FEE_SENTENCE = "(二)2024年度全区各级行政机关未收取政府信息公开信息处理费。"


def test_section_six_silent_on_the_fee():
    silent = SEED_002.replace(FEE_SENTENCE, "")
    (f,) = checked(silent, "sections.fee.v1")
    assert f.kind == "fee_statement" and f.severity == "warning" and "未说明是否收取信息处理费" in f.message
    # 六's other sentence is about table A's 行政事业性收费: not the 信息处理费
    assert "行政事业性收费" in f.evidence["body"]
    assert checked(SEED_002, "sections.fee.v1") == []


def test_the_fee_said_elsewhere_is_info_and_older_reports_are_not_asked():
    moved = SEED_002.replace(FEE_SENTENCE, "").replace("(二)扎实做好依申请公开\n", "(二)扎实做好依申请公开\n" + FEE_SENTENCE + "\n")
    (f,) = checked(moved, "sections.fee.v1")
    assert f.severity == "info" and "其他部分" in f.message
    with pytest.raises(NotAssessable):
        checked(seed_path("001").read_text("utf-8"), "sections.fee.v1")  # a 2019 report


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_seeds_that_say_no_fee_was_charged_pass(prefix):
    doc, secs, tb = read_tables(seed_path(prefix))
    from nlp.checks import CHECKS, CheckContext

    assert CHECKS["sections.fee.v1"](CheckContext(doc, secs, tb, None)) == []


def _with_unpaid(text: str, n: int) -> Tables:
    from builders import text_doc
    from dataclasses import replace as _replace
    from nlp.schema import Cell
    from nlp.tables import parse_tables

    doc = text_doc(text)
    t = parse_tables(doc, find_sections(doc))
    cells = dict(t.requests.cells)
    cells[("other.no_fee", "total")] = Cell(n, str(n))
    return _replace(t, requests=_replace(t.requests, cells=cells))


def test_no_fee_notice_said_while_table_b_counts_unpaid_fee_notices():
    text = SEED_002.replace(FEE_SENTENCE, "(二)2024年度全区各级行政机关未发出收费通知,未收取信息处理费。")
    (f,) = checked(text, "sections.fee.v1", tables=_with_unpaid(text, 2))
    assert f.severity == "warning" and "未发出收费通知" in f.message and "2 件" in f.message
    assert f.evidence["cells"][0]["row"] == "other.no_fee"
    assert checked(text, "sections.fee.v1") == []  # the table's row is 0: no contradiction


def test_no_fee_charged_while_notices_went_unpaid_is_a_prompt_not_a_contradiction():
    (f,) = checked(SEED_002, "sections.fee.v1", tables=_with_unpaid(SEED_002, 3))
    assert f.severity == "info" and "发出过收费通知" in f.message


def test_a_section_missing():
    (f,) = checked(SEED_002.replace(FIVE_002, ""), "sections.outline.v1")
    assert f.kind == "section_outline" and f.evidence == {**f.evidence, "section": "problems", "what": "missing"}
    assert "缺少第五部分" in f.message
    assert checked(SEED_002, "sections.outline.v1") == []
    (g,) = checked(SEED_002.replace(SIX_002, ""), "sections.outline.v1")  # the report ends after 五
    assert g.evidence["section"] == "other"


def test_sections_out_of_order_and_numbered_against_the_template():
    swapped = SEED_002.replace(FIVE_002, "").rstrip("\n") + "\n" + FIVE_002
    found = checked(swapped, "sections.outline.v1")
    assert [f.evidence["what"] for f in found] == ["out_of_order"]
    assert "顺序错乱" in found[0].message and "六、其他需要报告的事项" in found[0].message
    renumbered = SEED_002.replace("六、其他需要报告的事项", "七、其他需要报告的事项")
    (f,) = checked(renumbered, "sections.outline.v1")
    assert f.evidence["what"] == "numbered" and "第六部分" in f.message


@pytest.mark.parametrize("pid", ["p017", "p109", "p198"])
def test_a_text_cut_short_or_starting_late_is_not_missing_its_parts(pid):
    # p017, p198: openings that stop inside 五 / 四; p109: a PDF's page 8, starting at 四
    assert checked(page_text(pid), "sections.outline.v1") == []


@pytest.mark.parametrize("sentence,fires", [
    ("本报告所列数据的统计期限自  年 月 日起至  年 月 日止。", True),
    ("本报告所列数据的统计期限自2024年 月 日起至2024年12月31日止。", True),
    ("本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。", False),
    ("本报告中所列数据的统计期限自2022年1月1日起至12月31日止。", False),  # data/pages p011: 12月31日 without its year
    ("本报告中所列数据统计期限自202211日至20221231日止。", False),  # data/pages p178: 年 and 月 lost by the transcription
])
def test_a_statistics_period_left_blank(sentence, fires):
    text = SEED_002.replace("一、总体情况", sentence + "\n一、总体情况", 1)
    found = checked(text, "sections.period_blank.v1")
    assert bool(found) == fires
    if fires:
        assert found[0].kind == "blank_period" and "统计期限未填写完整" in found[0].message
