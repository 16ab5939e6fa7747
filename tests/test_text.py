"""nlp.text: the one fold, the label key, wide characters."""

from __future__ import annotations

import doctest

import nlp.text
from nlp.text import FOLD_TABLE, fold, is_cjk, norm_label


def test_doctests():
    assert doctest.testmod(nlp.text).failed == 0


def test_fold_is_length_preserving_and_idempotent():
    s = "（二）１２，５％　總計　萬元\u00a0ｘ"
    assert len(fold(s)) == len(s)
    assert fold(fold(s)) == fold(s)
    assert all(len(chr(v)) == 1 for v in FOLD_TABLE.values())
    text = "plain ASCII and 简体 only"
    assert fold(text) is text  # nothing to fold: the same string


def test_fold_covers_full_width_forms_and_traditional_key_words():
    assert fold("０１２３４５６７８９") == "0123456789"
    assert fold("ＡＢｃ（）［］：；，．％＋－／") == "ABc()[]:;,.%+-/"
    assert fold("總體情況 萬億 兩個項") == "总体情况 万亿 两个项"


def test_norm_label_drops_ordinals_remarks_and_punctuation():
    assert norm_label("1.属于国家秘密") == "属于国家秘密"
    assert norm_label("（七）总计") == "总计"
    assert norm_label("一、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量"
    assert norm_label("危及“三安全一稳定”") == "危及三安全一稳定"
    assert norm_label("部分公开(区分处理的,") == "部分公开"  # a remark cut by a line end
    assert norm_label("第二十条第(一)项") == "第二十条第项"


def test_is_cjk():
    assert is_cjk("中") and is_cjk("，") and is_cjk("“")
    assert not is_cjk("a") and not is_cjk("1") and not is_cjk("")
