"""jieba's words of a stretch of the text, for the checks that ask whether characters are a
word of their own (``narrative.missing_number``, ``editorial.doubled_word``)."""

from __future__ import annotations

import logging


def tokens(text: str) -> list[tuple[str, int, int]]:
    """jieba's words of ``text``: ``(word, start, end)``. jieba's logger is set to WARNING when it
    is below (it logs the loading of its dictionary); not set every time: setting a logger's
    level clears the cache of every logger of the process."""
    import jieba

    if jieba.default_logger.getEffectiveLevel() < logging.WARNING:
        jieba.setLogLevel(logging.WARNING)
    return list(jieba.tokenize(text))


def jieba_block(text: str, s_lo: int, s_hi: int, pos: int) -> tuple[int, int]:
    """The stretch of the sentence ``text[s_lo:s_hi]`` that jieba cuts as one block around
    ``pos``: jieba splits a sentence at the characters outside ``jieba.re_han_default`` (，。 …)
    and cuts each block on its own, so the block's words are the sentence's words there (a
    block is much shorter to cut than its sentence)."""
    import jieba

    for m in jieba.re_han_default.finditer(text, s_lo, s_hi):
        if m.start() <= pos < m.end():
            return m.start(), m.end()
    return pos, pos + 1
