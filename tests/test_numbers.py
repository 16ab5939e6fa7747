"""nlp.numbers: values, units, qualifiers, and the numbers that are not claims."""

from __future__ import annotations

import pytest

from nlp.numbers import (
    approx_bounds,
    approx_consistent,
    cn_to_number,
    find_quantities,
    find_zeros,
    fold,
    format_number,
    magnitude_step,
    parse_number,
)


@pytest.mark.parametrize(
    "written, value",
    [("815", 815), ("1,234", 1234), ("１２３", 123), ("0.2", 0.2), ("3.5万", 35000), ("2亿", 200_000_000),
     ("一千三百", 1300), ("两万", 20000), ("十二", 12), ("〇", 0), ("二〇二一", 2021), ("一百零五", 105),
     ("1.1万", 11000), ("三千五百万", 35_000_000)],
)
def test_parse_number(written, value):
    assert parse_number(written) == value


def test_not_numbers():
    assert parse_number("abc") is None
    assert cn_to_number("三x") is None


@pytest.mark.parametrize(
    "written, value",
    [("一百一", 110), ("一千三", 1300), ("一万五", 15000), ("三万五千", 35000),  # colloquial tails (cn2an)
     ("二○二一", 2021), ("一○五", 105),  # ○ (a circle) as the zero 〇
     ("百", 100), ("千", 1000),  # a bare unit: cn2an refuses it, our grammar reads it
     ("一百零一", 101), ("壹佰贰拾", 120)],
)
def test_chinese_numerals(written, value):
    assert cn_to_number(written) == value
    assert parse_number(written) == value


def test_chinese_numerals_that_are_not_one_figure():
    assert cn_to_number("三四百") is None  # an estimate: three or four hundred
    assert cn_to_number("万") is None and cn_to_number("") is None


def test_a_colloquial_numeral_in_a_narrative():
    (q,) = find_quantities("全年受理申请一百一件")
    assert (q.value, q.unit) == (110, "件")


def test_fold_keeps_length():
    s = "新增主动公开信息８１５条，占１０％"
    assert len(fold(s)) == len(s)
    assert "815" in fold(s) and "10%" in fold(s)


def _one(text, kind="quantity"):
    qs = [q for q in find_quantities(text) if q.kind == kind]
    assert qs, f"no {kind} in {text!r}: {find_quantities(text)}"
    return qs[0]


@pytest.mark.parametrize(
    "text, value, unit, approx, qualifier",
    [
        ("新增主动公开信息815条", 815, "条", False, None),
        ("公开财政信息近70条", 70, "条", True, "近"),
        ("主动公开各类政府信息1300余条", 1300, "条", True, "余"),
        ("发布政府信息2800多条", 2800, "条", True, "多"),
        ("订阅户近1.1万人", 11000, "人", True, "近"),
        ("部门预算公开金额91957万元", 91957, "万元", False, None),
        ("受理申请约3.5万件", 35000, "件", True, "约"),
        ("发布信息一千三百条", 1300, "条", False, None),
        ("收到申请十二件", 12, "件", False, None),
        ("转接成功率97%", 97, "%", False, None),
        ("粉丝数达两万个", 20000, "个", False, "达"),
        ("办理申请逾200件", 200, "件", True, "逾"),
        ("发布信息超过1000条", 1000, "条", True, "超过"),
        ("发布信息1000条以上", 1000, "条", True, "以上"),
        ("发布信息1000条左右", 1000, "条", True, "左右"),
        ("全年累计发布解读类信息 21 条", 21, "条", False, None),
        ("受理申请１２件", 12, "件", False, None),
        ("共计1,234条", 1234, "条", False, None),
    ],
)
def test_quantities(text, value, unit, approx, qualifier):
    q = _one(text)
    assert (q.value, q.unit, q.approx, q.qualifier) == (value, unit, approx, qualifier)
    assert text[q.num_start:q.num_end] == q.number_text


def test_number_text_keeps_what_is_written():
    q = _one("主动公开各类政府信息1300余条")
    assert q.number_text == "1300余"
    q = _one("公开财政信息近70条")
    assert q.number_text == "近70"


@pytest.mark.parametrize(
    "text, number, kind",
    [
        ("2021年2月27日印发", "27", "date"),
        ("各部门于每月5日前报送", "5", "date"),
        ("(国办发[2021]12号)", "12", "docno"),
        ("(奎政办督查〔2021〕6号)", "6", "docno"),
        ("(常机管〔2021〕46号)", "46", "docno"),
        ("基本按照48小时办结机制完成", "48", "time"),
        ("依据条例第二十条规定", "二十", "ordinal"),
        ("电话:0519-85685811", "0519", "phone"),
        ("邮编:213022", "213022", "postcode"),
        ("地址:龙城大道1280号行政中心", "1280", "address"),
        ("行政中心3号楼B座223室", "3", "address"),
        ("行政中心3号楼B座223室", "223", "address"),
        ("滇ICP备2022007294号", "2022007294", "id"),
        ("索引号20240925-203618-472", "20240925", "id"),
        ("网站标识码:5325020004", "5325020004", "id"),
        ("完成全年目标任务114%", "114", "target_pct"),
        ("2016年,开远市", "2016", "year"),
        ("权重不得低于4%", "4", "rule"),
        # beside the counts the finder takes (test_counts_the_guide_calls_claims): still not claims
        ("。(2)组织开展条例宣传", "2", "list_number"),
        ("牢固树立“两个确立”", "两", "idiom"),
        ("推动工作上一个新台阶", "一", "idiom"),
        ("如图1,主动公开情况", "1", "bare"),
        ("电话:0431—8854972", "8854972", "bare"),
        ("建立24小时值班制度", "24", "time"),
    ],
)
def test_not_claims(text, number, kind):
    qs = [q for q in find_quantities(text) if text[q.num_start:q.num_end].endswith(number)
          or text.find(number, q.num_start) == q.num_start]
    assert qs, find_quantities(text)
    assert all(not q.is_claim for q in qs), qs
    assert qs[0].kind == kind


def test_a_year_does_not_swallow_a_count():
    q = _one("受理派单共计2084件")
    assert q.value == 2084 and q.unit == "件"


@pytest.mark.parametrize(
    "text, objects",
    [
        ("未收到政府信息公开行政复议、行政诉讼。", {"行政复议", "行政诉讼"}),
        ("本年度我市没有产生信息公开处理费。", {"收费"}),
        ("开远市尚未收到任何形式的政府信息公开申请。", {"申请"}),
        ("全年未收到依申请公开。", {"申请"}),
        ("无政府信息公开行政复议和行政诉讼案件发生;", {"行政复议", "行政诉讼"}),
        ("答复后,未收到申请人的行政复议和行政诉讼。", {"行政复议", "行政诉讼"}),
        ("本年度政府信息公开事项未收取任何费用。", {"收费"}),
        # docs/labelling.md §1 and §8.9: the verb after a phrase, other verbs, other objects
        ("我办未向申请人收取任何费用。", {"收费"}),
        ("全年未对依申请公开收取或减免费用。", {"收费"}),
        ("本年度依申请公开未收费。", {"收费"}),
        ("不存在信息公开的收费及减免情况。", {"收费"}),
        ("未因政府信息公开引起行政复议和行政诉讼。", {"行政复议", "行政诉讼"}),
        ("全年未收到关于政府信息公开的申请。", {"申请"}),
        ("未收到法人或其他组织的信息公开申请。", {"申请"}),
        ("全年未涉及“不予公开”的信息。", {"不予公开"}),
        ("本年度未接到群众的咨询。", {"咨询"}),
        ("全年未收到有关信息公开的投诉。", {"投诉"}),
        ("本年度未发生责任追究事项。", {"责任追究"}),
    ],
)
def test_zeros_in_words(text, objects):
    zs = find_zeros(text)
    assert len(zs) == 1
    assert zs[0].value == 0 and zs[0].kind == "zero"
    assert set(zs[0].objects) == objects


@pytest.mark.parametrize("text", ["申请人无正当理由逾期不补正", "全年网站运行良好,四个季度均未受到省委通报",
                                  "无其他需要报告的事项", "全年保障信息推动及时,无安全事故发生"])
def test_no_false_zeros(text):
    assert find_zeros(text) == []


def test_words_without_a_measure_are_not_quantities():
    assert [q for q in find_quantities("一是加强队伍建设,推行三同步制度") if q.is_claim] == []
    assert [q for q in find_quantities("按照“五个一律”原则,成为一个重要平台") if q.is_claim] == []
    assert [q for q in find_quantities("采购零件一批,收集意见数十条") if q.is_claim] == []


@pytest.mark.parametrize(
    "text, value, unit",
    [
        # a count in brackets after a word (list numbers start a clause: (2)组织开展…)
        ("共发布信息(128)条,其中", 128, "条"),
        ("共有(4512)人次浏览网站", 4512, "人次"),
        # a unit implicit in a list or at a cut: after a word, before a clause break or the end
        ("其中动态信息30条,预决算信息4,人事信息2条", 4, None),
        ("全年共收到申请7", 7, None),
        ("推进5大重点领域信息公开", 5, None),
        # two and one person are counts (两个文件, 一名工作人员); a ratio; a performance time
        ("起草了两个文件", 2, "个"),
        ("明确一名工作人员负责", 1, "名"),
        ("是上年的1.5倍", 1.5, "倍"),
        ("平均5个工作日办结", 5, "个工作日"),
        # a hotline's count after its number (12345热线…件)
        ("办理市民热线34567件", 34567, "件"),
    ],
)
def test_counts_the_guide_calls_claims(text, value, unit):
    qs = [q for q in find_quantities(text) if q.value == value]
    assert qs and qs[0].kind == "quantity" and qs[0].unit == unit, find_quantities(text)


def test_a_party_congress_is_no_count():
    assert [q for q in find_quantities("全面贯彻党的二十大精神") if q.is_claim] == []


@pytest.mark.parametrize("text, value, approx", [("办理申请十余件", 10, True), ("发布信息一百余条", 100, True),
                                                 ("收到申请0件", 0, False), ("公开信息1.2万余条", 12000, True)])
def test_more_counts(text, value, approx):
    q = _one(text)
    assert (q.value, q.approx) == (value, approx)


def test_docstring_examples():
    import doctest

    import nlp.numbers

    assert doctest.testmod(nlp.numbers).failed == 0


# ---------------------------------------------------------------------------
# What an approximate value admits
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, qualifier, figure, ok",
    [
        (70, "近", 70, True),
        (70, "近", 66, True),
        (70, "近", 59, False),  # below 0.85 × 70
        (70, "近", 71, False),
        (100, "不到", 100, False),
        (100, "约", 109, True),
        (100, "左右", 91, True),
        (100, "约", 111, False),
        (1300, "余", 1300, True),
        (1300, "余", 1399, True),
        (1300, "余", 1400, False),
        (1300, "余", 1299, False),
        (70, "多", 79, True),
        (1000, "以上", 1999, True),
        (1000, "超过", 1000, False),
        (10, "余", 19, True),
        (10, "余", 20, False),
    ],
)
def test_approx_consistency_per_qualifier(value, qualifier, figure, ok):
    assert approx_consistent(value, qualifier, figure) is ok


def test_magnitude_step():
    assert [magnitude_step(v) for v in (1300, 70, 1000, 12, 0, 15000)] == [100, 10, 1000, 1, 1, 1000]


def test_approx_bounds_are_half_open_where_the_words_say_so():
    assert approx_bounds(1300, "余") == (1300.0, 1400.0, False, True)
    assert approx_bounds(1000, "超过")[2] is True and approx_bounds(100, "不到")[3] is True
    assert approx_bounds(100, None) == pytest.approx((90.0, 110.0, False, False))


def test_format_number_writes_integers_plainly_and_a_blank_as_one_word():
    assert [format_number(v) for v in (3, 3.0, 12.34567, 0.5, None)] == ["3", "3", "12.3457", "0.5", "空白"]


@pytest.mark.parametrize(
    "text, want",
    [
        # a space between the figure and 万
        ("全年服务群众12.5 万人", [(125000, "人")]),
        ("门户网站累计访问量达830 万", [(8300000, None)]),
        ("项目资金830 万元", [(830, "万元")]),  # 万元 stays the unit (tables count in 万元)
        # two figures of one 由…缩至… phrase, the first without its unit
        ("办理时限由30分钟缩至12分钟", [(30, "分钟"), (12, "分钟")]),
        ("办理时限由30缩至12分钟", [(30, "分钟"), (12, "分钟")]),
        ("窗口从5个增加到12个", [(5, "个"), (12, "个")]),
        # counts glued to their measure words
        ("梳理权责事项15大项236小项", [(15, "大项"), (236, "小项")]),
    ],
)
def test_number_forms_of_real_narratives(text, want):
    got = [(q.value, q.unit) for q in find_quantities(text, with_zeros=False) if q.kind in ("quantity", "time")]
    assert got == want


def test_from_to_phrase_keeps_kinds_and_spans():
    a, b = find_quantities("办理时限由30缩至12分钟", with_zeros=False)
    assert (a.kind, b.kind) == ("time", "time") and a.number_text == "30" and b.number_text == "12"
    q, = [q for q in find_quantities("梳理权责事项15大项", with_zeros=False)]
    assert q.is_claim and q.text == "15大项"
