"""Text helpers every reading stage shares: one fold, one label key, one test for wide characters.

``fold(s)`` maps full-width forms to ASCII (``１２`` → ``12``, ``（`` → ``(``), the ideographic
space and NBSP to a space, and the traditional forms of the words the readers look for
(heading words, number words, table labels) to simplified, one character for one: offsets into
the folded string are offsets into ``s``. ``ingest`` already NFKC-normalises and converts the
script of ``Document.text``; the fold keeps ``find_sections``, ``parse_tables`` and
``find_quantities`` right on text that did not come through it (a hand-built Document, a
sentence).

``norm_label(s)`` is a table row label as the tables stage compares it with
``RowDef.labels``: folded, without spaces, ordinals (``一、`` ``(三)`` ``2.``), remarks in
brackets or punctuation.

>>> fold("（二）１２，５％　總計")
'(二)12,5% 总计'
>>> norm_label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
'部分公开'
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["fold", "norm_label", "is_cjk", "is_figure", "figure_column", "FOLD_TABLE"]

_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH[0x00A0] = 0x20

# Traditional forms of the characters the heading, title, year, number and label patterns use
# (each pair: traditional, simplified).
_TRAD = (
    "總总 體体 況况 開开 動动 請请 處处 訴诉 訟讼 復复 議议 問问 題题 進进 報报 們们 關关 機机 務务 個个 "
    "項项 費费 發发 實实 當当 點点 經经 構构 產产 門门 應应 與与 對对 為为 於于 時时 後后 從从 達达 辦办 "
    "規规 範范 結结 統统 計计 續续 據据 網网 頁页 號号 區区 縣县 鎮镇 鄉乡 聯联 設设 獲获 沒没 現现 補补 "
    "類类 齊齐 並并 屬属 護护 權权 決决 幾几 會会 員员 間间 標标 團团 業业 單单 變变 廣广 園园 試试 驗验 "
    "綜综 濟济 術术 導导 說说 須须 條条 歷历 歲岁 週周 華华 書书 組组 織织 執执 檔档 詢询 樓楼 萬万 億亿 "
    "兩两 餘余 郵邮 編编 電电 話话 約约 層层 將将"
).split()

FOLD_TABLE = str.maketrans({**_FULLWIDTH, **{ord(p[0]): ord(p[1]) for p in _TRAD}})
"""The one fold: a ``str.translate`` table, one character to one."""

_FOLDABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in FOLD_TABLE) + "]")


def fold(s: str) -> str:
    """``s`` with full-width forms, wide spaces and traditional key characters folded (same
    length, so offsets are kept). Returns ``s`` itself when there is nothing to fold."""
    if _FOLDABLE.search(s) is None:
        return s
    return s.translate(FOLD_TABLE)


_ORDINAL = re.compile(
    r"^(?:第?[一二三四五六七八九十]+[、.,]"
    r"|[(\[【][一二三四五六七八九十\d]+[)\]】][、.]?"
    r"|\d{1,2}[、.](?!\d)"
    r"|[一二三四五六七八九十]+(?=[(]))"
)
_PAREN = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]")
_OPEN_TAIL = re.compile(r"[(\[【][^()\[\]【】]*$")
_CLOSE_HEAD = re.compile(r"^[^()\[\]【】]*[)\]】]")
_BRACKET = re.compile(r"[()\[\]【】]")
_PUNCT = re.compile(r"[\s,，、.。:：;；!！?？\"'“”‘’《》<>〈〉()\[\]{}【】〔〕\-—–―_|#*·•/\\]+")


@lru_cache(maxsize=8192)
def norm_label(s: str) -> str:
    """A label as compared with ``RowDef.labels``: no spaces, ordinals, remarks or punctuation.
    (Cached: the table reader asks for the same labels once per table form it tries.)"""
    s = "".join(fold(s).split())  # no whitespace (str.split's is the regex \s: every code point)
    while True:
        m = _ORDINAL.match(s)
        if not m or m.end() == 0:
            break
        s = s[m.end():]
    if _BRACKET.search(s) is not None:  # most labels hold no remark
        prev = None
        while prev != s:
            prev = s
            s = _PAREN.sub("", s)
        # a remark cut by a line end: "部分公开(区分处理的," | "不计其他情形)"
        s = _OPEN_TAIL.sub("", _CLOSE_HEAD.sub("", s))
    return _PUNCT.sub("", s)


_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
    (0x3000, 0x303F),  # CJK punctuation
    (0xFF00, 0xFFEF),  # full-width forms
    (0x2E80, 0x2FDF),  # radicals
)


def is_cjk(ch: str) -> bool:
    """Is ``ch`` a CJK ideograph or CJK/full-width punctuation (a wide character)?"""
    if not ch:
        return False
    o = ord(ch)
    return any(a <= o <= b for a, b in _CJK_RANGES) or ch in "“”‘’—…·"


_FIGURE = re.compile(
    r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万元|亿元|元|万|项|件|个|条|次|家|份|人次|%)?$"
)


def is_figure(cell: str) -> bool:
    """Is a table cell a figure (``12``, ``1,204``, ``9116.36``, ``1112万元``)?"""
    return _FIGURE.match(fold(cell).strip()) is not None


def figure_column(rows, own=None) -> int:
    """The first column of a grid's figures: the column where most rows holding a figure have
    their first one (0 when no row has one). ``own(r, c)``: is the slot a cell of its own (not
    a copy made by a merge); all are by default."""
    firsts: dict[int, int] = {}
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if (own is None or own(r, c)) and is_figure(cell):
                firsts[c] = firsts.get(c, 0) + 1
                break
    return max(firsts, key=lambda c: (firsts[c], -c)) if firsts else 0

