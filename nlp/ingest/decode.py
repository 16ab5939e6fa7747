"""Decoding report bytes into text: BOMs, UTF-8, a declared charset, the GB family, and what
charset-normalizer finds, with a garbage ratio that tells text from binary (E004).

``decode(data, source, declared=None) -> (text, encoding, warnings)``; ``blank(text)``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Optional

from nlp.errors import Errors, IngestError

__all__ = ["decode", "blank", "GARBAGE_RATIO"]

GARBAGE_RATIO = 0.05
"""Decoded text with more than this share of control, replacement, private-use or unassigned
characters is not text (E004)."""

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CHARSET_ALIASES = {
    "gb2312": "gbk", "gb_2312": "gbk", "gb_2312-80": "gbk", "x-gbk": "gbk", "cp936": "gbk",
    "ms936": "gbk", "936": "gbk", "euc-cn": "gbk", "hz-gb-2312": "gbk", "gbk": "gbk",
    "gb18030": "gb18030", "utf8": "utf-8", "utf-8": "utf-8", "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "unicode": "utf-8",
}


def _norm_charset(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    n = _CHARSET_ALIASES.get(n, n)
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


_SURELY_BAD = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ue000-\uf8ff\ud800-\udfff]")
# The characters that may be garbage: _SURELY_BAD's, and those outside ASCII and the common CJK
# blocks (their Unicode category tells).
_UNCOMMON = re.compile(r"[^\t\n\x0c\r\x20-\x7e\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def _garbage_ratio(text: str) -> float:
    """Share of characters no report contains: controls, U+FFFD, private use, unassigned."""
    if not text:
        return 0.0
    bad = 0
    for ch in set(_UNCOMMON.findall(text)):
        if _SURELY_BAD.match(ch) or (unicodedata.category(ch) in ("Cc", "Cn") and ch not in "\x85"):
            bad += text.count(ch)
    return bad / len(text)


def _plausible_cjk(text: str) -> bool:
    """Guard against a wrong legacy decoding of binary data: most non-ASCII characters of a
    report are common CJK ideographs or punctuation."""
    non_ascii = [ch for ch in text[:20000] if ord(ch) >= 0x80]
    if len(non_ascii) < 20:
        return True
    common = sum(
        1 for ch in non_ascii
        if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        or "\u2000" <= ch <= "\u206f" or ch in "\u00a0\u00b7\u00d7"
    )
    return common / len(non_ascii) >= 0.6


def decode(data: bytes, source: str, declared: Optional[str] = None) -> tuple[str, str, list[str]]:
    """Decode report bytes. Returns ``(text, encoding, warnings)``; raises E004."""
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc, warnings

    # Strict UTF-8 first: GBK text is almost never valid UTF-8, so success is strong evidence
    # whatever a <meta> says. Then the declared charset, then the GB family.
    order: list[str] = ["utf-8"]
    d = _norm_charset(declared)
    if d and d not in order:
        order.append(d)
    for enc in ("gbk", "gb18030"):
        if enc not in order:
            order.append(enc)
    if data.count(b"\x00") > len(data) // 8:  # UTF-16 without a BOM?
        order[1:1] = ["utf-16-le", "utf-16-be"]

    try:
        text = data.decode("utf-8")
        if _garbage_ratio(text) <= GARBAGE_RATIO:
            return text, "utf-8", warnings
    except UnicodeDecodeError:
        # UTF-8 but for a character cut at the end or a few bad bytes? Check before the legacy
        # codecs: UTF-8 Chinese often decodes "strictly" as GBK mojibake, while GBK text read
        # as UTF-8 gives a replacement character nearly every other character.
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(3, len(text) // 1000) and _garbage_ratio(text) <= GARBAGE_RATIO:
            warnings.append(f"{bad} undecodable byte sequence(s) replaced (utf-8)")
            return text, "utf-8", warnings

    for enc in order[1:]:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _garbage_ratio(text) <= GARBAGE_RATIO and _plausible_cjk(text):
            return text, enc, warnings

    # A file cut in the middle of a character, or with a few bad bytes: the candidate with the
    # fewest replacement characters, if there are few.
    best: Optional[tuple[int, str, str]] = None
    for enc in order:
        try:
            text = data.decode(enc, errors="replace")
        except LookupError:
            continue
        bad = text.count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, enc, text)
    if best is not None:
        bad, enc, text = best
        if bad <= max(3, len(text) // 1000) and _garbage_ratio(text) <= GARBAGE_RATIO and (
            enc == "utf-8" or _plausible_cjk(text)
        ):
            warnings.append(f"{bad} undecodable byte sequence(s) replaced ({enc})")
            return text, enc, warnings

    try:
        from charset_normalizer import from_bytes

        match = from_bytes(data).best()
    except Exception:  # pragma: no cover - the sniffer itself failing is not the user's problem
        match = None
    if match is not None:
        text = str(match)
        if _garbage_ratio(text) <= GARBAGE_RATIO and _plausible_cjk(text):
            warnings.append(f"encoding guessed as {match.encoding}")
            return text, match.encoding, warnings
    detail = "not UTF-8, GBK or GB18030, and no other encoding fits; binary data?"
    raise IngestError(Errors.E004, path=source, detail=detail)




_NOT_BLANK = re.compile(r"[^\s\u200b-\u200d\u2060\ufeff]")


def blank(text: str) -> bool:
    """Nothing but whitespace and zero-width characters (found at the first other character,
    not by removing them all from a copy of the page)."""
    return _NOT_BLANK.search(text) is None
