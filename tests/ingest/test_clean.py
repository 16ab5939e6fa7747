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
