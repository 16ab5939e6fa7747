"""Cleaning of decoded report text, with an exact map back to the text as shown.

``clean(display)`` returns the analysis text and ``offsets`` where ``offsets[i]`` is the index
in ``display`` of ``text[i]`` (``len(offsets) == len(text) + 1``; the last entry maps the end).
Every step is a local rewrite (a character or a short run replaced, removed or expanded), so the
map stays monotonic: a span of the clean text maps to one span of the display text.

Steps, in order:

1. drop the given display ranges (page furniture a reader found with layout knowledge);
2. line endings to ``\\n``; zero-width characters, soft hyphens and stray control characters out;
3. NFKC per character (full-width digits, letters and punctuation, NBSP and ideographic space,
   Kangxi radicals, compatibility ideographs), plus the CJK Radicals Supplement block
   (U+2E80–U+2EFF), which NFKC leaves alone (``⻛`` → ``风``);
4. pinyin debris a conversion tool put after characters (``根據(jù)`` → ``根據``);
5. traditional → simplified with OpenCC ``t2s``, aligned character by character: the whole
   conversion for a traditional text, only the characters that convert on their own for a
   simplified one (its phrase rules would rewrite simplified words: 打坏 → 打坯);
6. page-number lines (``- 3 -``, ``第 3 页 共 9 页``, ``Page 3 of 9``);
7. spaces: stripped at line ends, runs of spaces collapsed to one; line breaks, tabs and
   ``|`` separators are kept as they are.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from itertools import compress, count
from operator import ne
from typing import Callable, Iterable, Optional, Sequence, Union

from nlp.text import is_cjk

__all__ = ["clean", "text_span", "to_text_index", "is_cjk", "join_cell_lines", "RADICALS_SUPPLEMENT"]

# ---------------------------------------------------------------------------
# The CJK Radicals Supplement block: radical look-alikes some PDF producers emit for the
# standard characters. NFKC does not map them. Each radical goes to the unified ideograph it
# stands for (after Unicode's EquivalentUnifiedIdeograph.txt, with ⺼ read as 月, the form it
# has in print, and the few whose equivalent lies outside the BMP mapped to their base char).
# ---------------------------------------------------------------------------

RADICALS_SUPPLEMENT: dict[str, str] = {
    "\u2e81": "厂", "\u2e82": "乛", "\u2e83": "乚", "\u2e84": "乙", "\u2e85": "亻",
    "\u2e86": "冂", "\u2e87": "几", "\u2e88": "刀", "\u2e89": "刂", "\u2e8a": "卜",
    "\u2e8b": "㔾", "\u2e8c": "小", "\u2e8d": "小", "\u2e8e": "兀", "\u2e8f": "尣",
    "\u2e90": "尢", "\u2e91": "尢", "\u2e92": "巳", "\u2e93": "幺", "\u2e94": "彑",
    "\u2e95": "彐", "\u2e96": "忄", "\u2e97": "心", "\u2e98": "扌", "\u2e99": "攵",
    "\u2e9b": "旡", "\u2e9c": "日", "\u2e9d": "月", "\u2e9e": "歺", "\u2e9f": "母",
    "\u2ea0": "民", "\u2ea1": "氵", "\u2ea2": "氺", "\u2ea3": "灬", "\u2ea4": "爫",
    "\u2ea5": "爫", "\u2ea6": "丬", "\u2ea7": "牛", "\u2ea8": "犭", "\u2ea9": "王",
    "\u2eaa": "疋", "\u2eab": "目", "\u2eac": "示", "\u2ead": "礻", "\u2eae": "竹",
    "\u2eaf": "糹", "\u2eb0": "纟", "\u2eb1": "罓", "\u2eb2": "罒", "\u2eb3": "网",
    "\u2eb4": "网", "\u2eb5": "网", "\u2eb6": "羊", "\u2eb7": "羊", "\u2eb8": "羋",
    "\u2eb9": "耂", "\u2eba": "肀", "\u2ebb": "聿", "\u2ebc": "月", "\u2ebd": "臼",
    "\u2ebe": "艹", "\u2ebf": "艹", "\u2ec0": "艹", "\u2ec1": "虎", "\u2ec2": "衤",
    "\u2ec3": "覀", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec7": "角",
    "\u2ec8": "讠", "\u2ec9": "贝", "\u2eca": "足", "\u2ecb": "车", "\u2ecc": "辶",
    "\u2ecd": "辶", "\u2ece": "辶", "\u2ecf": "阝", "\u2ed0": "钅", "\u2ed1": "長",
    "\u2ed2": "镸", "\u2ed3": "长", "\u2ed4": "门", "\u2ed5": "阜", "\u2ed6": "阝",
    "\u2ed7": "雨", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风",
    "\u2edc": "飞", "\u2edd": "食", "\u2ede": "食", "\u2edf": "飠", "\u2ee0": "饣",
    "\u2ee1": "首", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼",
    "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾",
    "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯", "\u2eee": "齿", "\u2eef": "竜",
    "\u2ef0": "龙", "\u2ef1": "龜", "\u2ef2": "亀", "\u2ef3": "龟",
}

# Characters whose NFKC form or radical mapping may differ from themselves: everything outside
# ASCII, the CJK Unified Ideographs and the common CJK punctuation (、。《》〔〕“”—, the bulk of a
# report), which are NFKC-stable.
_CANDIDATE = re.compile(r"[^\x00-\x7f\u4e00-\u9fff\u3001-\u3011\u2014\u2018\u2019\u201c\u201d]")
# What steps 2 and 3 may change: the candidates, and the ASCII controls but tab and newline. One
# scan for it tells which of the steps have work to do, and how (see _fold_and_strip).
_SPECIAL = re.compile(r"[^\t\n\x20-\x7e\u4e00-\u9fff\u3001-\u3011\u2014\u2018\u2019\u201c\u201d]")

# CRLF as one. _NEWLINES, _PINYIN and _LINE_EDGE_SPACES start with a character they match, not
# with an alternation or a look-behind, so that the regex engine skips to the candidates instead
# of trying every position (~0.2 ms a report).
_NEWLINES = re.compile(r"[\r\x0b\x0c\x85\u2028\u2029](?:(?<=\r)\n)?")
# Zero-width characters, BOM, soft hyphen, Mongolian vowel separator, word joiner, bidi marks,
# and C0/C1 controls other than tab and newline.
_INVISIBLE = re.compile(
    r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u202a-\u202e"
    r"\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
)

# Pinyin debris: a CJK character, then "(" one syllable of latin letters carrying at least one
# tone-marked vowel ")". Real parentheses hold CJK text, numerals or plain latin words, none
# of which carry tone marks, so they stay.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_LETTERS = "a-zü" + _TONED
_COMBINING_TONES = "\u0300\u0301\u0304\u030c"
_PINYIN = re.compile(
    r"\((?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]\()"
    r"[" + _PINYIN_LETTERS + _COMBINING_TONES + r"]{1,8}\)",
    re.IGNORECASE,
)
_TONE_MARK = re.compile(r"[" + _TONED + _COMBINING_TONES + r"]", re.IGNORECASE)


def _drop_pinyin(mo: "re.Match[str]") -> str:
    return "" if _TONE_MARK.search(mo.group(0)) else mo.group(0)


# Lines that are only a page number (unambiguous in any input).
_PAGE_LINE = re.compile(
    r"^[ \t]*(?:"
    r"[-—–~_]{1,3}[ \t]*\d{1,4}[ \t]*[-—–~_]{1,3}"
    r"|第[ \t]*\d{1,4}[ \t]*页(?:[ \t]*[,/;]?[ \t]*共[ \t]*\d{1,4}[ \t]*页)?"
    r"|共[ \t]*\d{1,4}[ \t]*页[ \t]*[,/;]?[ \t]*第[ \t]*\d{1,4}[ \t]*页"
    r"|(?i:page)[ \t]*\d{1,4}(?:[ \t]*(?:(?i:of)|/)[ \t]*\d{1,4})?"
    r")[ \t]*(?:\n|$)",
    re.MULTILINE,
)
_LINE_EDGE_SPACES = re.compile(r"[ \t](?:(?<![^\n][ \t])[ \t]*|[ \t]*$)", re.MULTILINE)
"""Spaces at a line's start (the first not after another character of the line) or end."""
_SPACE_RUN = re.compile(r" {2,}")

def join_cell_lines(lines: Iterable[str]) -> str:
    """Join the wrapped lines of one table cell into one line: no separator between two wide
    (CJK) characters (``结果`` + ``纠正`` → ``结果纠正``), one space otherwise."""
    out = ""
    for ln in lines:
        ln = " ".join(ln.split())
        if not ln:
            continue
        if out and not (is_cjk(out[-1]) and is_cjk(ln[0])):
            out += " "
        out += ln
    return out


# ---------------------------------------------------------------------------
# A string with its map back to the display text
# ---------------------------------------------------------------------------


class _Mapped:
    """``s`` and ``m`` with ``m[i]`` the display index of ``s[i]``; ``len(m) == len(s) + 1``.
    ``m`` is a ``range`` while the map is the identity (no list is made for a text no step
    shortens or lengthens), a list once an edit changed a length."""

    __slots__ = ("s", "m")

    def __init__(self, s: str, m: Sequence[int]) -> None:
        self.s = s
        self.m = m

    def sub(self, pattern: "re.Pattern[str]", repl: Union[str, Callable[["re.Match[str]"], str]]) -> int:
        """Replace every match; a replacement of the same length maps char for char, any other
        maps all its chars to the start of the match. Returns the number of changes."""
        s, m = self.s, self.m
        edits: list[tuple[int, int, str]] = []
        for mo in pattern.finditer(s):
            a, b = mo.span()
            r = repl(mo) if callable(repl) else repl
            if r != s[a:b]:
                edits.append((a, b, r))
        if not edits:
            return 0
        parts: list[str] = []
        last = 0
        for a, b, r in edits:
            parts.append(s[last:a])
            parts.append(r)
            last = b
        parts.append(s[last:])
        self.s = "".join(parts)
        if any(len(r) != b - a for a, b, r in edits):  # else the map stays as it is
            maps: list[int] = []
            last = 0
            for a, b, r in edits:
                maps.extend(m[last:a])
                maps.extend(m[a:b] if len(r) == b - a else [m[a]] * len(r))
                last = b
            maps.extend(m[last:])
            self.m = maps
        return len(edits)


def _start(display: str, drop: Sequence[tuple[int, int]]) -> _Mapped:
    if not drop:
        return _Mapped(display, range(len(display) + 1))
    parts: list[str] = []
    m: list[int] = []
    pos = 0
    for a, b in sorted(drop):
        a = max(a, pos)
        if b <= a:
            continue
        parts.append(display[pos:a])
        m.extend(range(pos, a))
        pos = b
    parts.append(display[pos:])
    m.extend(range(pos, len(display) + 1))
    return _Mapped("".join(parts), m)


_NFKC_CACHE: dict[str, str] = {}


def _fold_char(mo: "re.Match[str]") -> str:
    return _fold(mo.group(0))


def _fold(ch: str) -> str:
    """NFKC of a candidate character, or the unified ideograph of a radical look-alike."""
    r = _NFKC_CACHE.get(ch)
    if r is None:
        r = RADICALS_SUPPLEMENT.get(ch)
        if r is None:
            r = unicodedata.normalize("NFKC", ch)
            # NFKC turns some marks into " " + combining mark (´ → " ́"); keep the original then.
            if r.startswith(" ") and len(r) > 1:
                r = ch
        _NFKC_CACHE[ch] = r
    return r


def _fold_and_strip(buf: _Mapped) -> None:
    """Steps 2 and 3 (line endings, invisible characters, NFKC and radicals), each run only
    where the text holds a character it treats. When every character to fold has a one-char
    form (full-width punctuation, the bulk of them), the map stays as it is and ``str.replace``
    replaces each (a form that is itself to fold would chain: then the fold's own ``sub``)."""
    special = set(_SPECIAL.findall(buf.s))
    if not special:
        return
    for pattern, repl in ((_NEWLINES, "\n"), (_INVISIBLE, "")):
        treated = {ch for ch in special if pattern.match(ch)}
        if treated:
            buf.sub(pattern, repl)
            special -= treated
    folds = {ch: r for ch in special if _CANDIDATE.match(ch) and (r := _fold(ch)) != ch}
    if not folds:
        return
    if all(len(r) == 1 and r not in folds for r in folds.values()):
        s = buf.s
        for ch, r in folds.items():
            s = s.replace(ch, r)
        buf.s = s
    else:
        buf.sub(_CANDIDATE, _fold_char)


def _has_edge_spaces(s: str) -> bool:
    """Does a line of ``s`` start or end with a space or tab (has ``_LINE_EDGE_SPACES`` a match)?"""
    return (
        s[:1] in (" ", "\t")
        or s[-1:] in (" ", "\t")
        or "\n " in s
        or "\n\t" in s
        or " \n" in s
        or "\t\n" in s
    )


_CONVERTERS: dict[str, object] = {}
_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")


OPENCC_CONFIG = "t2s"
"""OpenCC's "t2s", not "tw2sp": tw2sp also rewrites Taiwan vocabulary (資料 → 数据, 軟體 → 软件,
網際網路 → 互联网), changing words mainland reports use as they are; t2s converts the script
(資訊 → 资讯) and keeps the length, so the offset map stays one to one."""


def _converter(config: str):
    conv = _CONVERTERS.get(config)
    if conv is None:
        import opencc

        conv = _CONVERTERS[config] = opencc.OpenCC(config)
    return conv


def _t2s(buf: _Mapped, config: str = OPENCC_CONFIG) -> str:
    """Convert ``buf`` to simplified in place. Returns the script of the input, ``"hant"`` or
    ``"hans"`` (:func:`_script`, from the characters the full conversion changes).

    A traditional text keeps the full conversion, phrase rules included (沈重 → 沉重). In a
    simplified text only the characters that convert on their own are converted (a traditional
    name it quotes): OpenCC's phrase rules would rewrite simplified words (打坏 → 打坯, the
    surname of 沈重 → 沉重), so a change a phrase rule alone makes is undone there."""
    s = buf.s
    conv = _converter(config)
    out = conv.convert(s)
    if len(out) == len(s):
        if out == s:  # most simplified texts: nothing more to do
            return "hans"
        script = _script(s, sum(map(ne, s, out)))
        buf.s = out if script == "hant" else _alone_changes(s, out, conv)
        return script
    # A phrase rule changed the length somewhere: convert line by line, and the lines whose
    # length changed character by character, so each output char keeps its source index.
    lines: list[tuple[str, str]] = []  # (source line, converted line of the same length)
    maps: list[int] = []
    pos = 0
    for line in s.split("\n"):
        lo = conv.convert(line)
        if len(lo) == len(line):
            maps.extend(buf.m[pos : pos + len(line)])
        else:
            pieces = []
            for k, ch in enumerate(line):
                c = conv.convert(ch) or ch
                pieces.append(c)
                maps.extend([buf.m[pos + k]] * len(c))
            lo = "".join(pieces)
        lines.append((line, lo))
        maps.append(buf.m[pos + len(line)])  # the "\n" (or the end)
        pos += len(line) + 1
    out = "\n".join(lo for _, lo in lines)
    script = _script(s, sum(map(ne, s, out)))  # approximate where lengths moved
    if script == "hans":  # the char-by-char lines hold no phrase rule; the others may
        out = "\n".join(
            _alone_changes(line, lo, conv) if len(lo) == len(line) else lo for line, lo in lines
        )
    buf.s = out
    buf.m = maps
    return script


_BLOCK = 64


def _alone_changes(src: str, out: str, conv) -> str:
    """``out`` (the conversion of ``src``, of its length) with only the changes at the
    characters that convert on their own: the others are a phrase rule's and are undone.
    A simplified text changes few characters: blocks of ``_BLOCK`` chars are compared as
    strings, and only the blocks that differ char by char."""
    undo: list[int] = []
    for a in range(0, len(src), _BLOCK):
        b = a + _BLOCK
        if src[a:b] != out[a:b]:
            undo.extend(
                i for i in compress(count(a), map(ne, src[a:b], out[a:b])) if conv.convert(src[i]) == src[i]
            )
    if not undo:
        return out
    parts: list[str] = []
    last = 0
    for i in undo:
        parts.append(out[last:i])
        parts.append(src[i])
        last = i + 1
    parts.append(out[last:])
    return "".join(parts)


def _han_count(s: str) -> int:
    """How many CJK ideographs ``s`` holds (without a list of them all)."""
    return len(_NOT_HAN.sub("", s))


HANT_RATIO = 0.08
"""Share of CJK characters that ``t2s`` changes above which the input counts as traditional
(a traditional text changes about a quarter of its characters, a simplified one almost none)."""


def _script(s: str, changed: int) -> str:
    """``"hant"`` when the conversion changed at least ``HANT_RATIO`` of the CJK chars of ``s``."""
    if changed < 3:  # a simplified text changes (almost) none: its CJK chars need no count
        return "hans"
    cjk = _han_count(s)
    return "hant" if cjk and changed / cjk >= HANT_RATIO else "hans"


def clean(
    display: str, *, drop: Sequence[tuple[int, int]] = (), opencc_config: str = OPENCC_CONFIG
) -> tuple[str, Sequence[int], str]:
    """Clean ``display`` for analysis. Returns ``(text, offsets, script)``; ``offsets`` is a
    ``range`` when no step changed a length (the identity map), else a list.

    ``drop``: display ranges to leave out (page furniture, wrapped-line breaks found from the
    layout). ``opencc_config``: the OpenCC conversion (a length-changing one such as "tw2sp"
    falls back to per-character conversion on the lines it would shorten).
    ``script``: ``"hant"`` when the input is mostly traditional, else ``"hans"``.
    """
    buf = _start(display, drop)
    _fold_and_strip(buf)
    buf.sub(_PINYIN, _drop_pinyin)
    script = _t2s(buf, opencc_config)
    buf.sub(_PAGE_LINE, "")
    if _has_edge_spaces(buf.s):
        buf.sub(_LINE_EDGE_SPACES, "")
    if "  " in buf.s:
        buf.sub(_SPACE_RUN, " ")
    return buf.s, buf.m, script


def to_text_index(offsets: Sequence[int], display_index: int) -> int:
    """The index in the clean text of the first char at or after ``display_index``."""
    return bisect_left(offsets, display_index)


def text_span(offsets: Sequence[int], span: Optional[tuple[int, int]]) -> Optional[tuple[int, int]]:
    """Map a display ``[start, end)`` span to the clean text."""
    if span is None:
        return None
    a = bisect_left(offsets, span[0])
    b = bisect_left(offsets, span[1])
    return a, max(a, b)
