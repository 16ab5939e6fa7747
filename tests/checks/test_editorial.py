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


def test_a_sentence_repeated_with_other_punctuation_is_repeated_from_its_first_copy():
    other = SENTENCE.replace(",", "，").replace("、", " ")  # the same words: the same key
    body = "一、总体情况\n" + SENTENCE + "\n" + other + "\n" + other + "\n"
    found = run("editorial.repeated_sentence.v1", body)
    assert [f.evidence["first"][0] for f in found] == [body.index(SENTENCE)] * 2


def test_the_punctuation_a_sentence_key_drops_is_whitespace_and_the_listed_marks():
    import re

    from nlp.checks.editorial import _PUNCT, _PUNCT_CHARS

    spelled = re.compile(r"[\s，,、：:；;“”\"'‘’（）()《》〈〉【】\[\]—\-·.。！!？?|]")
    for ch in map(chr, range(0x110000)):
        assert bool(spelled.fullmatch(ch)) == (ch in _PUNCT_CHARS) == bool(_PUNCT.fullmatch(ch)), hex(ord(ch))


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


CORPUS_017 = None


def shuyang_fgj() -> str:
    """沭阳县发展和改革局's 2023 report (data/corpus/017), as the reader cleans it."""
    global CORPUS_017
    if CORPUS_017 is None:
        from nlp.ingest import ingest

        CORPUS_017 = ingest(ROOT / "data" / "corpus" / "017_shuyang_fgj_2023.html").text
    return CORPUS_017


OWN = "2024年,万柏林区人民政府坚持"


@pytest.mark.parametrize("text,agency,year,role,relation", [
    # constructed: a sister district of 太原市 substituted for the unit in seed 002's first sentence
    (SEED_002.replace(OWN, "2024年,小店区人民政府坚持"), "太原市万柏林区人民政府", 2024, "subject", "elsewhere"),
    # constructed: another bureau of 沭阳县 as the contact of 沭阳县发改局's report (corpus 017)
    (lambda: shuyang_fgj().replace("请与沭阳县发展和改革局联系", "请与沭阳县教育局联系"), "沭阳县发展和改革局", 2023,
     "contact", "sibling"),
    # constructed: a sister county's website as where the report is published (corpus 017)
    (lambda: shuyang_fgj().replace("年度报告通过沭阳县人民政府网站", "年度报告通过泗阳县人民政府网站"), "沭阳县发展和改革局", 2023,
     "website", "elsewhere"),
    # constructed: another bureau's guide as the one the report revised (data/pages p081, 邹城市交通运输局)
    (lambda: page("p081").replace("《邹城交通运输局政府信息公开指南》", "《邹城市教育局政府信息公开指南》"), "邹城市交通运输局", 2022,
     "guide", "sibling"),
])
def test_another_units_organ_named_where_the_report_speaks_of_itself(text, agency, year, role, relation):
    text = text() if callable(text) else text
    (f,) = run("editorial.other_unit.v1", text, year=year, agency=agency)
    assert (f.evidence["role"], f.evidence["relation"]) == (role, relation)
    assert f.severity == "warning" and f"“{f.evidence['organ']}”" in f.message and "请核实是否照抄其他单位的报告" in f.message


@pytest.mark.parametrize("text,agency,year", [
    (SEED_002, "太原市万柏林区人民政府", 2024),
    (SEED_002.replace(OWN, "2024年,太原市人民政府坚持"), "太原市万柏林区人民政府", 2024),  # the city above
    (SEED_002.replace(OWN, "2024年,万柏林区人民政府与小店区人民政府坚持"), "太原市万柏林区人民政府", 2024),  # named with it
    (SEED_002.replace("优化调整《万柏林区政府门户网站管理细则》", "转发《小店区人民政府关于政务公开的通知》"),
     "太原市万柏林区人民政府", 2024),  # a document it cites
    (lambda: shuyang_fgj(), "沭阳县发展和改革局", 2023),
    (lambda: shuyang_fgj().replace("请与沭阳县发展和改革局联系", "请与沭阳县发改局联系"), "沭阳县发展和改革局", 2023),  # its short name
    (lambda: page("p081"), "邹城市交通运输局", 2022),
    (lambda: page("p081").replace("《邹城交通运输局政府信息公开指南》", "《邹城市人民政府信息公开指南》"), "邹城市交通运输局", 2022),
])
def test_the_units_own_names_those_above_it_and_what_it_cites_stay_quiet(text, agency, year):
    text = text() if callable(text) else text
    assert run("editorial.other_unit.v1", text, year=year, agency=agency) == []


def test_another_unit_is_not_judged_when_the_reports_own_unit_is_unsure():
    # the title reader gave "平武县人民政府办公室关于" for data/pages p026 (a 统计局's report)
    with pytest.raises(NotAssessable, match="未能可靠识别"):
        run("editorial.other_unit.v1", page("p026"), year=2021, agency="平武县人民政府办公室关于")


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
