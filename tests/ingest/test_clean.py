"""The cleaned text: simplified script, pinyin debris out, full-width and radical forms folded, the offset map kept."""

from __future__ import annotations

import re


from builders import (
    needs_data,
    seed,
)
from nlp.ingest import ingest
from nlp.ingest.clean import RADICALS_SUPPLEMENT, clean


PINYIN_DEBRIS = re.compile(r"[\u4e00-\u9fff]\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")


@needs_data
def test_seed_003_comes_out_simplified_without_pinyin_debris():
    doc = ingest(seed("003"))
    assert doc.script == "hant"
    assert "根據(jù)" in doc.display_text
    assert "根据" in doc.text and "根據" not in doc.text
    assert "(jù)" not in doc.text and "(guī)" not in doc.text
    assert not PINYIN_DEBRIS.search(doc.text)
    for word in ("规范", "发布", "网站", "机关事务管理局", "公开"):
        assert word in doc.text
    # real parentheses stay
    assert "(常机管〔2021〕46号)" in doc.text
    assert "(一)" in doc.text and "(试行)" in doc.text


def test_cleaning_folds_full_width_radicals_and_spaces():
    display = "２０２１年，收到申请１２件；\u00a0 \u200b网站\t|\r\n⻚面⻛险⺠生⻓期 \u3000 \n- 3 -\n第 3 页 共 9 页\n⼆、⾏政"
    text, offsets, script = clean(display)
    assert text == "2021年,收到申请12件; 网站\t|\n页面风险民生长期\n二、行政"
    assert len(offsets) == len(text) + 1
    assert display[offsets[text.index("12")]:offsets[text.index("12") + 2]] == "１２"
    assert script == "hans"


def test_radicals_supplement_mapping_covers_the_block():
    assert RADICALS_SUPPLEMENT["⻛"] == "风" and RADICALS_SUPPLEMENT["⻚"] == "页"
    assert RADICALS_SUPPLEMENT["⺠"] == "民" and RADICALS_SUPPLEMENT["⻓"] == "长"
    assert len(RADICALS_SUPPLEMENT) >= 100
    assert all(0x2E80 <= ord(k) <= 0x2EFF for k in RADICALS_SUPPLEMENT)


def test_pinyin_debris_rule_is_general_and_spares_real_parentheses():
    display = "依據(jù)條例(以下簡稱《條例》)和(一)項,2021年(2021)規定(ding)與說明(說明)及(PDF)版,綠(lǜ)色"
    text, _, script = clean(display)
    assert text == "依据条例(以下简称《条例》)和(一)项,2021年(2021)规定(ding)与说明(说明)及(PDF)版,绿色"
    assert script == "hant"


def test_length_changing_conversion_keeps_the_offset_map():
    display = "「資訊」與「軟體」ﬁle 1½ ㈠ 第一"
    text, offsets, _ = clean(display)
    assert text == "「资讯」与「软体」file 11⁄2 (一) 第一"
    assert len(offsets) == len(text) + 1
    assert all(a <= b for a, b in zip(offsets, offsets[1:]))
    i = text.index("第一")
    assert display[offsets[i]:offsets[i + 2]] == "第一"
    i = text.index("(一)")
    assert display[offsets[i]:offsets[i + 3]] == "㈠"
    # OpenCC's tw2sp rewrites 網際網路 (4 chars) as 互联网 (3): that line is converted char by
    # char instead, so every char of the text still names its source char
    display = "透過網際網路公開\n資訊系統"
    text, offsets, _ = clean(display, opencc_config="tw2sp")
    assert text == "透过网际网路公开\n信息系统"
    assert [display[o] for o in offsets[:-1]] == list("透過網際網路公開\n資訊系統")



# A simplified report paragraph (no character of it converts); the tests below put words into it.
_HANS = "本机关全年共收到政府信息公开申请，按时办结，未发生行政复议和行政诉讼案件。"


def test_simplified_text_keeps_words_a_phrase_rule_would_rewrite():
    # OpenCC's t2s phrase table reads 打坏 as 打坯 and the surname of 沈重 as 沉重: right for a
    # traditional text, wrong for a simplified one, where the characters are already simplified
    display = _HANS + "\n沈重同志反映门窗被打坏一事，已答复。\n" + _HANS * 2
    text, offsets, script = clean(display)
    assert script == "hans"
    assert text == display.replace("，", ",")
    assert list(offsets) == list(range(len(display) + 1))


def test_traditional_text_keeps_the_whole_conversion():
    display = "沈重的打擊使本機關改進資訊公開工作，回覆申請人。"
    text, offsets, script = clean(display)
    assert script == "hant"
    assert text == "沉重的打击使本机关改进资讯公开工作,回复申请人。"
    assert list(offsets) == list(range(len(display) + 1))


def test_simplified_text_still_converts_a_quoted_traditional_name():
    display = _HANS * 2 + "\n申请人「張學友」来自臺北，沈重同志的门窗被打坏。\n" + _HANS
    text, offsets, script = clean(display)
    assert script == "hans"
    assert "\n申请人「张学友」来自台北,沈重同志的门窗被打坏。\n" in text
    assert list(offsets) == list(range(len(display) + 1))
    i = text.index("张学友")
    assert display[offsets[i]:offsets[i + 3]] == "張學友"


def test_length_changing_conversion_of_a_simplified_text_undoes_phrase_rules_too():
    # tw2sp shortens 網際網路 (that line goes char by char); the other lines keep their length,
    # and in a simplified text their phrase-rule changes are undone as well
    display = "透過網際網路\n" + _HANS * 3 + "\n沈重同志的门窗被打坏\n" + _HANS
    text, offsets, script = clean(display, opencc_config="tw2sp")
    assert script == "hans"
    assert text.startswith("透过网际网路\n") and "\n沈重同志的门窗被打坏\n" in text
    assert list(offsets) == list(range(len(display) + 1))
