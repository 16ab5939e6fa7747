"""Reading .txt and .md reports: decoded text as it is, page furniture of form-feed pages
(text a PDF tool extracted), and markdown pipe tables located as tables.

``read(data, source, *, markdown=False) -> Raw``.
"""

from __future__ import annotations

import re
from typing import Optional

from nlp.errors import Errors, IngestError
from nlp.ingest._layout import Raw, RawTable, page_furniture
from nlp.ingest.decode import blank, decode

__all__ = ["read", "markdown_tables"]


def read(data: bytes, source: str, *, markdown: bool = False) -> Raw:
    """A .txt (or, with ``markdown``, a .md) report: its text, and its pipe tables."""
    if not data.strip():
        raise IngestError(Errors.E003, path=source)
    text, enc, warnings = decode(data, source)
    if blank(text):
        raise IngestError(Errors.E003, path=source)
    # Text extracted from a PDF (pdftotext) marks page breaks with form feeds: then the page
    # furniture can be found the way the PDF reader finds it.
    drop = page_furniture(text, _text_pages(text)) if text.count("\f") >= 2 else []
    raw = Raw(display=text, encoding=enc, drop=drop, warnings=warnings)
    if markdown:
        raw.tables = markdown_tables(text)
    return raw
def _text_pages(text: str) -> list[list[tuple[int, int, bool]]]:
    """Per form-feed page, the (start, end, True) of its non-blank lines."""
    pages: list[list[tuple[int, int, bool]]] = [[]]
    for mo in re.finditer(r"[^\n\r\f]*(?:\r\n|[\n\r\f]|$)", text):
        a = mo.start()
        body = mo.group(0).rstrip("\r\n\f")
        if body.strip():
            lead = len(body) - len(body.lstrip())
            pages[-1].append((a + lead, a + len(body.rstrip()), True))
        if mo.group(0).endswith("\f"):
            pages.append([])
        if mo.end() == len(text):
            break
    return pages


_MD_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_MD_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")


def _split_md_row(line: str, base: int) -> list[tuple[str, int, int]]:
    """Cells of a ``| a | b |`` line, with their display spans (stripped)."""
    cells: list[tuple[str, int, int]] = []
    i = line.index("|") + 1
    last_bar = line.rindex("|")
    while i <= last_bar:
        j = line.find("|", i, last_bar)
        while j != -1 and line[j - 1] == "\\":  # an escaped bar is text
            j = line.find("|", j + 1, last_bar)
        if j == -1:
            j = last_bar
        raw = line[i:j]
        lead = len(raw) - len(raw.lstrip())
        cell = raw.strip()
        cells.append((cell, base + i + lead, base + i + lead + len(cell)))
        i = j + 1
    return cells


def markdown_tables(display: str) -> list[RawTable]:
    """Pipe tables (a header row, a ``|---|`` rule, body rows) as SourceTables in place."""
    tables: list[RawTable] = []
    lines = display.split("\n")
    starts = []
    pos = 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    i = 0
    while i < len(lines) - 1:
        if _MD_ROW.match(lines[i].rstrip("\r")) and _MD_RULE.match(lines[i + 1].rstrip("\r")):
            block = [i]
            k = i + 2
            while k < len(lines) and _MD_ROW.match(lines[k].rstrip("\r")):
                block.append(k)
                k += 1
            rows = [_split_md_row(lines[j].rstrip("\r"), starts[j]) for j in block]
            width = max(len(r) for r in rows)
            grid = [[c[0] for c in r] + [""] * (width - len(r)) for r in rows]
            spans: list[list[Optional[tuple[int, int]]]] = [
                [(c[1], c[2]) for c in r] + [None] * (width - len(r)) for r in rows
            ]
            origin: list[list[Optional[tuple[int, int]]]] = [[None] * width for _ in rows]
            end = starts[block[-1]] + len(lines[block[-1]].rstrip("\r"))
            tables.append(RawTable(grid, spans, origin, starts[i], end))
            i = k
        else:
            i += 1
    return tables
