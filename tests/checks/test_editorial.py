"""The editorial checks (nlp/checks/editorial.py), each on real sentences: one that fires and a
near one that stays quiet. Sentences come from the seeds and data/pages (the openings of 360
real reports); where a defect is injected, the sentence around it is real."""

from __future__ import annotations

import pytest

from builders import context, doc_of, sections_of, tables_of
from conftest import ROOT, seed_path
from nlp.checks import CHECKS, NotAssessable
from nlp.sections import find_sections
from nlp.units import identify

SEED_002 = seed_path("002").read_text("utf-8")


def run(name: str, text: str, *, year: int = 2024, agency: str = "太原市万柏林区人民政府", history=None):
    doc = doc_of(text)
    secs = find_sections(doc)
    secs = type(secs)(meta=sections_of(year, agency=agency).meta, sections=secs.sections)
    ctx = context(tables_of(), text=text)
    ctx = type(ctx)(doc, secs, tables_of(), [], ctx.settings, identify(agency), history)
    return CHECKS[name](ctx)


def page(pid: str) -> str:
    return (ROOT / "data" / "pages" / f"{pid}.txt").read_text("utf-8")


@pytest.mark.parametrize("text,fires", [
    (page("p139"), True),  # 一是…(二是 missing)…三是
    (page("p091"), True),
    (seed_path("000").read_text("utf-8"), True),  # (一)(二)(二)(三)…
    (SEED_002, False),  # 一是…二是…三是, and table B's (一)…(七) inside its table
    (page("p040"), False),  # ( 二) written with a space is still (二)
])
def test_enumeration(text, fires):
    found = run("editorial.enumeration.v1", text)
    assert bool(found) == fires, [f.message for f in found]
    if fires:
        assert "列举序号不连续" in found[0].message and found[0].evidence["markers"]


SENTENCE = "2024年,万柏林区人民政府认真贯彻、落实《中华人民共和国政府信息公开条例》,认真开展政府信息公开工作。"


@pytest.mark.parametrize("text,fires", [
    (SENTENCE.replace("信息公开工作", "信息公开公开工作"), True),
    (SENTENCE, False),
    ("通过新闻发布发布会等方式及时准确发布回应。", False),  # 发布 + 发布会: two words, not one doubled
    ("全年共召开会议十一十一次。", False),
])
def test_doubled_word(text, fires):
    found = run("editorial.doubled_word.v1", text)
    assert bool(found) == fires
    if fires:
        assert found[0].evidence["word"] == "公开" and "公开公开" in found[0].message


def test_repeated_sentence_and_the_title_repeated_by_the_page():
    body = "一、总体情况\n" + SENTENCE + "\n二、主动公开政府信息情况\n" + SENTENCE + "\n"
    (f,) = run("editorial.repeated_sentence.v1", body)
    assert "重复出现" in f.message and f.evidence["first"][0] < f.evidence["again"][0]
    title = "太原市万柏林区人民政府2024年度政府信息公开工作年度报告"
    assert run("editorial.repeated_sentence.v1", f"{title}\n{title}\n一、总体情况\n{SENTENCE}") == []
    near = SENTENCE.replace("认真开展", "扎实开展")  # the same long law's name, another sentence
    assert run("editorial.repeated_sentence.v1", "一、总体情况\n" + SENTENCE + "\n" + near) == []


def test_a_place_of_another_province_and_a_place_named_on_purpose():
    copied = SEED_002.replace("2024年,万柏林区人民政府坚持", "2024年,浙江省杭州市西湖区人民政府坚持")
    found = run("editorial.other_place.v1", copied)
    assert {f.evidence["place"] for f in found} == {"浙江省", "杭州市", "西湖区"}
    assert "外省" in found[0].message and "万柏林区" in found[0].message
    visit = SEED_002.replace("2024年,万柏林区人民政府坚持", "2024年,赴浙江省杭州市西湖区考察学习,万柏林区人民政府坚持")
    assert run("editorial.other_place.v1", visit) == []
    assert run("editorial.other_place.v1", SEED_002) == []
    with pytest.raises(NotAssessable):
        run("editorial.other_place.v1", SEED_002, agency="某区教育局")


def test_years_that_contradict_the_report_year():
    period = "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n"
    found = run("editorial.year.v1", period + SEED_002)
    assert [f.evidence["what"] for f in found] == ["统计期限的年份"] and found[0].evidence["year_written"] == 2023
    assert run("editorial.year.v1", period.replace("2023", "2024") + SEED_002) == []
    plan = SEED_002.replace("主要体现在", "下一步,2024年我区将继续加强培训。主要体现在")
    (f,) = run("editorial.year.v1", plan)
    assert f.evidence["what"] == "下一步工作计划的年份"
    assert run("editorial.year.v1", SEED_002.replace("主要体现在", "下一步,2025年我区将继续加强培训。主要体现在")) == []


def test_the_report_year_read_wrong_is_not_blamed_on_the_report():
    # p097: the year read is 2020 (from a notice's name); its period and own title say 2021
    assert run("editorial.year.v1", page("p097"), year=2020, agency="大冶市市场监督管理局") == []


def test_text_copied_from_the_previous_report():
    from nlp.checks.crossyear import YearReport

    doc = doc_of(SEED_002)
    secs = find_sections(doc)
    last = YearReport("a" * 64, "2023.txt", 2023, "140109:人民政府", text=SEED_002.replace("2024", "2023"),
                      sections=[{"key": s.key, "start": s.start, "body_start": s.body_start, "end": s.end}
                                for s in secs.sections])
    found = run("editorial.copied_text.v1", SEED_002, history=[last])
    assert {f.evidence["section"] for f in found} >= {"overview", "problems"}
    five = next(f for f in found if f.evidence["section"] == "problems")
    assert five.severity == "warning" and five.evidence["similarity"] > 0.95 and "%" in five.message
    other = YearReport("b" * 64, "x.txt", 2023, "140109:人民政府", text=page("p139"),
                       sections=[{"key": s.key, "start": s.start, "body_start": s.body_start, "end": s.end}
                                 for s in find_sections(doc_of(page("p139"))).sections])
    with pytest.raises(NotAssessable):
        run("editorial.copied_text.v1", SEED_002, history=[])
    assert [f for f in run("editorial.copied_text.v1", SEED_002, history=[other])] == []
