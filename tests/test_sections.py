"""find_sections: the six sections, the preamble, and the title/agency/year of a report."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import corpus_path, seed_path
from nlp.schema import SECTION_KEYS, Document
from nlp.sections import find_sections, is_table_heading

from nlp.ingest import ingest


def make_doc(text: str, script: str = "hans", source: str = "t.txt") -> Document:
    """A Document whose cleaned text is the given text (offsets are the identity)."""
    return Document(
        source=source,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format="txt",
        display_text=text,
        text=text,
        offsets=tuple(range(len(text) + 1)),
        script=script,
    )


def read(path: Path) -> Document:
    return ingest(path)


def keys(secs) -> list[str]:
    return [s.key for s in secs.sections]


ALL = ["preamble", *SECTION_KEYS]

# ---------------------------------------------------------------------------
# Seeds and corpus
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_seed_has_all_six_sections_in_order(prefix):
    doc = read(seed_path(prefix))
    secs = find_sections(doc)
    assert keys(secs) == ALL
    # contiguous, ordered, and each starts with its heading's numeral
    for a, b in zip(secs.sections, secs.sections[1:]):
        assert a.end == b.start
    for s in secs.sections[1:]:
        assert s.start < s.body_start <= s.end or s.body_start == s.end
        assert doc.text[s.start : s.start + len(s.heading)] == s.heading
    assert secs.sections[-1].end == len(doc.text)


def test_seed_000_table_b_labels_and_subheadings_are_not_sections():
    doc = read(seed_path("000"))
    secs = find_sections(doc)
    req = secs.get("requests")
    body = doc.text[req.start : req.end]
    # the table's numbered rows stay inside section 三
    assert "本年新收政府信息公开申请数量" in body
    assert "结转下年度继续办理" in body
    assert secs.get("review").heading.startswith("四、政府信息公开行政复议")
    # the two (二) sub-headings of 一 stay inside the overview
    ov = doc.text[secs.get("overview").start : secs.get("overview").end]
    assert ov.count("(二)") + ov.count("（二）") == 2


def test_seed_003_empty_table_sections_are_found():
    secs = find_sections(read(seed_path("003")))
    for key in ("active", "requests", "review"):
        s = secs.get(key)
        assert s is not None
        assert s.end - s.body_start < 5  # heading only, no table
    assert secs.meta.year == 2021
    assert "常州市机关事务管理局" in (secs.meta.agency or "")


def test_seed_004_pre2019_outline_maps_what_fits():
    doc = read(seed_path("004"))
    secs = find_sections(doc)
    assert secs.get("overview").heading.endswith("概述")
    assert secs.get("active").heading.endswith("主动公开情况")
    assert "依申请" in secs.get("requests").heading
    assert "复议" in secs.get("review").heading
    assert "问题" in secs.get("problems").heading
    assert secs.get("other") is None  # not in the report: not invented
    assert secs.meta.year == 2016
    assert secs.meta.agency == "开远市人民政府"


@pytest.mark.parametrize(
    "prefix,present,absent",
    [
        ("012", ["overview", "active", "requests", "review", "problems"], ["other"]),
        ("021", ["overview", "active", "requests", "problems"], ["review", "other"]),
        ("008", list(SECTION_KEYS), []),
    ],
)
def test_corpus_glued_single_line_reports(prefix, present, absent):
    secs = find_sections(read(corpus_path(prefix)))
    for k in present:
        assert secs.get(k) is not None, k
    for k in absent:
        assert secs.get(k) is None, k


def test_corpus_008_typo_heading_is_review():
    secs = find_sections(read(corpus_path("008")))
    assert "行政法复议" in secs.get("review").heading
    # the glued table rows 二、上年结转… / 四、结转下年度… sit inside 三
    req = secs.get("requests")
    assert req.end == secs.get("review").start


@pytest.mark.parametrize(
    "prefix,title,agency,year",
    [
        ("000", "2021年奎屯市政府信息公开年度报告", "奎屯市人民政府", 2021),
        ("001", "遂宁经济技术开发区管理委员会政府信息公开工作年度报告", "遂宁经济技术开发区管理委员会", 2019),
        ("002", "太原市万柏林区人民政府2024年度政府信息公开工作年度报告", "太原市万柏林区人民政府", 2024),
    ],
)
def test_seed_meta(prefix, title, agency, year):
    meta = find_sections(read(seed_path(prefix))).meta
    assert meta.title == title
    assert meta.agency == agency
    assert meta.year == year
    assert meta.year_evidence


def test_corpus_meta_keeps_zone_names():
    meta = find_sections(read(corpus_path("008"))).meta
    assert meta.agency == "平潭综合实验区"
    assert meta.year == 2022


# ---------------------------------------------------------------------------
# Synthetic reports: the variants the brief names
# ---------------------------------------------------------------------------

VARIANT = """\
某某县2022年政府信息公开工作年度报告
本报告依据条例编制。
一、概述
2022年,全县共主动公开信息100条。
(二)依申请公开情况。
(二)其他工作。
三、主动公开政府信息情况
规章 | 0 | 0 | 0 |
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |
三、本年度办理结果 |
四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
四、因政府信息公开工作被申请行政复议和提起行政诉讼情况
0 | 0 | 0 | 0 | 0 |
五、存在的主要问题及改进情况
问题不少。
六、其他需要报告的事项
无。
"""


def test_variant_headings_numbering_slips_and_table_rows():
    doc = make_doc(VARIANT)
    secs = find_sections(doc)
    assert keys(secs) == ALL
    assert secs.get("overview").heading == "一、概述"
    assert secs.get("active").heading == "三、主动公开政府信息情况"  # wrong numeral, right words
    assert secs.get("review").heading.startswith("四、因政府信息公开工作被申请行政复议")
    req = secs.get("requests")
    assert "结转下年度继续办理" in doc.text[req.body_start : req.end]
    assert secs.meta.agency == "某某县人民政府"
    assert secs.meta.year == 2022


def test_inline_headings_on_one_line_with_full_width_and_typo():
    text = (
        "标题：某某市2023年度政府信息公开年度报告\n"
        "本报告编制说明。 一、总体情况 2023年，我市认真开展工作。 二、主动公开政府信息情况"
        "第二十条第（一）项 规章 0 0 0 三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 "
        "713000074二、上年结转政府信息公开申请数量 1000001 四、结转下年度继续办理 0000000 "
        "四、政府信息公开行政法复议、行政诉讼情况 0 0 0 0 0 五、存在的主要问题及改进情况 不足。"
        " 六、其他需要报告的事项 无。"
    )
    secs = find_sections(make_doc(text))
    assert keys(secs) == ALL
    assert secs.get("active").heading == "二、主动公开政府信息情况"
    assert secs.get("review").heading == "四、政府信息公开行政法复议、行政诉讼情况"
    assert secs.get("problems").heading == "五、存在的主要问题及改进情况"
    ov = secs.get("overview")
    assert text[ov.body_start :].lstrip().startswith("2023年")
    assert secs.meta.title == "某某市2023年度政府信息公开年度报告"
    assert secs.meta.agency == "某某市人民政府"


def test_traditional_headings_are_matched():
    text = "一、總體情況\n甲。\n二、主動公開政府信息情況\n三、收到和處理政府信息公開申請情況\n四、政府信息公開行政復議、行政訴訟情況\n"
    secs = find_sections(make_doc(text, script="hant"))
    assert keys(secs) == ["overview", "active", "requests", "review"]
    assert secs.meta.script == "hant"


@pytest.mark.parametrize("heading", [
    "一 、概 述",  # data/pages p053, p116: set out with spaces
    "一、综述",  # p324
    "一、基本工作情况",  # p090, p261
    "一、工作开展情况",  # p333
    "一、年度重点工作情况",  # p165
    "一、主要任务落实情况",  # p118
    "一、政府信息和政务公开主要工作情况",  # p162
])
def test_older_overview_headings(heading):
    text = f"某某县2016年政府信息公开工作年度报告\n本报告由某某县人民政府编制。\n{heading}\n(一)加强组织领导。\n二、主动公开政府信息情况\n甲。\n"
    secs = find_sections(make_doc(text))
    assert keys(secs) == ["preamble", "overview", "active"]
    assert secs.get("overview").heading == heading


@pytest.mark.parametrize("heading", ["一、健全组织、强化领导", "一、及时发布政务信息,接受监督主动服务"])  # p020, p318
def test_a_first_heading_of_other_words_is_the_overview(heading):
    text = f"某某县2015年政府信息公开工作年度报告\n本报告由某某县人民政府编制。\n{heading}\n我县成立领导小组。\n二、政府信息主动公开情况\n甲。\n"
    secs = find_sections(make_doc(text))
    assert keys(secs) == ["preamble", "overview", "active"]
    assert secs.get("overview").heading == heading
    assert text[secs.get("overview").body_start:].startswith("我县成立领导小组")
    first_is_active = "本报告由某某县人民政府编制。\n一、主动公开信息情况\n甲。\n二、依申请公开信息情况\n乙。\n"  # p092
    assert keys(find_sections(make_doc(first_is_active))) == ["preamble", "active", "requests"]


@pytest.mark.parametrize("lead", ["", "一、\n"])
def test_a_report_that_opens_its_overview_with_its_first_subsection(lead):
    # data/pages p023 (no heading of the overview), p190 (a bare 一、)
    text = ("本报告由高楼乡人民政府按照《中华人民共和国政府信息公开条例》要求编制。\n"
            f"{lead}（一）主动公开情况\n2023年主动公开信息52条。\n（二）依申请公开情况\n未收到申请。\n")
    secs = find_sections(make_doc(text))
    assert keys(secs) == ["preamble", "overview"]
    ov = secs.get("overview")
    assert ov.heading == "" and text[ov.start:].startswith(lead + "（一）主动公开情况")
    no_subsections = "本报告由高楼乡人民政府编制。\n2023年主动公开信息52条。\n"
    assert keys(find_sections(make_doc(no_subsections))) == ["preamble"]


def test_a_cited_notice_about_the_reports_is_not_the_title():
    # data/pages p097: its own title lacks 政府; the statistics period gives the year
    text = ("根据《省政府办公厅关于做好2020年度政府信息公开工作年度报告编制和发布工作的通知》文件精神,结合实际, 现向社会公布"
            "2021年度大冶市市场监督管理局信息公开工作年度报告。本年度报告中使用数据统计期限为2021年1月1日至2021年12月31日。\n"
            "一、总体情况\n2021年,我局主动公开信息。\n")
    secs = find_sections(make_doc(text))
    assert secs.meta.title is None and secs.meta.year == 2021


def test_the_years_of_cited_plans_do_not_make_the_report_year():
    # data/pages p128: the year it writes once beside the years of the plans it cites
    text = ("重庆市农业农村委员会2021年政府信息公开工作年度报告\n一、总体情况\n今年,市农业农村委公开《重庆市推进农业农村现代化“十四五”"
            "规划(2021—2025年)》《重庆市农产品加工业发展规划(2021—2025年)》等规划。公开2021年部门预算、2020年部门决算。2021年公开信息。\n")
    body = text.split("\n", 1)[1]  # without its title: the year most written in the overview
    secs = find_sections(make_doc(body))
    assert secs.meta.year == 2021  # not 2025, written four times in the plans' names
    only_cited = "一、总体情况\n编辑发布《2023年东城区政务公开工作要点》。\n"  # data/pages p160: a cited year is all there is
    assert find_sections(make_doc(only_cited)).meta.year == 2023


@pytest.mark.parametrize("preamble, title, agency", [
    # data/pages p125, p074, p101, p255: the title named in a sentence of the preamble
    ("根据《中华人民共和国政府信息公开条例》要求,现公布清远市农业农村局2021年政府信息公开工作年度报告。",
     "清远市农业农村局2021年政府信息公开工作年度报告", "清远市农业农村局"),
    ("特向社会公布2017年国家税务总局政府信息公开年度报告。", "2017年国家税务总局政府信息公开年度报告", "国家税务总局"),
    ("本报告是根据《条例》的规定,由广州市荔湾区人民政府编制的2016年度政府信息公开年度报告。",
     "广州市荔湾区人民政府2016年度政府信息公开年度报告", "广州市荔湾区人民政府"),
    ("编制本报告现向社会公开安乐乡2019年政府信息公开工作年度报告。", "安乐乡2019年政府信息公开工作年度报告", "安乐乡人民政府"),
    # p043, p111, …: the format it follows is no title; p106: nor is 我局
    ("根据《国务院办公厅政府信息与政务公开办公室关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》要求编制本报告。",
     None, None),
    ("现公布我局2022年政府信息公开工作年度报告。", "我局2022年政府信息公开工作年度报告", None),
])
def test_title_and_agency_named_in_the_preamble(preamble, title, agency):
    text = preamble + "\n一、总体情况\n2021年主动公开信息。\n"
    meta = find_sections(make_doc(text)).meta
    assert meta.title == title and meta.agency == agency


def test_an_empty_publisher_field_is_no_agency():
    # data/pages p072: 发布机构 is empty, 发布日期 follows
    text = "发布机构 发布日期 2026-01-16 18:22:45\n一、总体情况\n2025年主动公开信息。\n"
    assert find_sections(make_doc(text)).meta.agency is None


def test_no_headings_is_all_preamble():
    text = "这是一段没有标题的文字。\n第二段。\n"
    secs = find_sections(make_doc(text))
    assert keys(secs) == ["preamble"]
    assert secs.sections[0].end == len(text)
    assert secs.meta.title is None


def test_year_from_statistics_period_then_overview_frequency():
    text = (
        "某某局政府信息公开工作年度报告\n本报告所列数据统计期限从2025年1月1日至2025年12月31日止。\n"
        "一、总体情况\n2024年底以来,2025年,2025年。\n"
    )
    meta = find_sections(make_doc(text)).meta
    assert meta.year == 2025 and "统计期限" in meta.year_evidence
    assert meta.agency == "某某局"

    text2 = "某某局政府信息公开工作年度报告\n一、总体情况\n2020年全年,2020年底,2019年。\n"
    meta2 = find_sections(make_doc(text2)).meta
    assert meta2.year == 2020 and "2020" in meta2.year_evidence


def test_two_line_title_joins_agency_line():
    text = "某某经济开发区管理委员会\n政府信息公开工作年度报告\n一、总体情况\n2019年,我区。\n"
    meta = find_sections(make_doc(text)).meta
    assert meta.title == "某某经济开发区管理委员会政府信息公开工作年度报告"
    assert meta.agency == "某某经济开发区管理委员会"
    assert meta.year == 2019


def test_page_title_site_suffix_is_cut():
    text = "标题:某某县发展和改革局2023年政府信息公开年度报告-某某县发改局\n一、总体情况\n2023年。\n"
    meta = find_sections(make_doc(text)).meta
    assert meta.title == "某某县发展和改革局2023年政府信息公开年度报告"
    assert meta.agency == "某某县发展和改革局"
    assert meta.year == 2023


def test_corpus_html_meta():
    meta = find_sections(read(corpus_path("017"))).meta
    assert meta.agency == "沭阳县发展和改革局"
    assert meta.year == 2023


def test_list_of_contents_in_the_preamble_is_not_the_outline():
    text = (
        "某某区2022年度政府信息公开工作年度报告 本报告包括:一、总体情况;二、主动公开政府信息情况;"
        "三、收到和处理政府信息公开申请情况;四、政府信息公开行政复议、行政诉讼情况;"
        "五、存在的主要问题及改进情况;六、其它需要说明的事项。 一、总体工作情况 2022年,我区。"
        " 二、主动公开政府信息情况 规章 0 0 0 三、收到和处理政府信息公开申请情况 表 "
        "四、政府信息公开行政复议、行政诉讼情况 0 五、存在的主要问题及改进情况 无。 六、其它需要说明的事项 无。"
    )
    secs = find_sections(make_doc(text))
    assert keys(secs) == ALL
    ov = secs.get("overview")
    assert ov.heading.startswith("一、总体工作情况")
    assert "本报告包括" in text[: secs.get("overview").start]
    assert secs.get("other").heading == "六、其它需要说明的事项"


def test_year_from_the_whole_text_when_the_overview_has_none():
    text = "某某局政府信息公开工作年度报告\n一、总体情况\n全年主动公开信息。\n二、主动公开政府信息情况\n2023年,2023年。\n"
    meta = find_sections(make_doc(text)).meta
    assert meta.year == 2023 and "全文" in meta.year_evidence


def test_table_headings_are_answered_by_the_sections():
    text = ("某某局2022年政府信息公开工作年度报告\n一、总体情况\n无。\n三、收到和处理政府信息公开申请情况\n无。\n"
            "二、主动公开政府信息情况\n无。\n")
    secs = find_sections(make_doc(text))
    # out of order: one of the two is no section, but the second-chance search finds both
    assert (secs.get("active") is None) != (secs.get("requests") is None)
    for key in ("active", "requests"):
        assert secs.has_heading(key) and secs.has_heading(key, strict=True)
    assert not secs.has_heading("review")
    assert secs.has_heading("overview") and not secs.has_heading("overview", strict=True)
    assert is_table_heading("review", "四、政府信息公开行政复议、行政诉讼情况")
    assert is_table_heading("active", "二、主動公開政府信息情況")  # traditional forms too
    assert not is_table_heading("active", "主动公开政府信息1300条")
