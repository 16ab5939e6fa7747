"""What a format reader hands over, and the layout knowledge the readers share.

A reader (``nlp.ingest.text``, ``.html``, ``.docx``, ``.pdf``) returns a :class:`Raw`: the
display text, the tables located in it as :class:`RawTable` grids, display ranges to leave out
(page furniture, line breaks of wrapped paragraphs) and warnings. :class:`Lines` builds display
text a line at a time and lays tables out as ``" | "`` rows; :func:`map_table` moves a table
onto the cleaned text. :func:`page_furniture` finds page numbers and running headers/footers
from the lines of each page (PDF pages, or form-feed pages of extracted text).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Optional, Sequence

from nlp.ingest.clean import text_span
from nlp.schema import SourceTable

__all__ = ["Raw", "RawTable", "Lines", "map_table", "page_furniture", "one_line"]


@dataclass
class RawTable:
    grid: list[list[str]]  # display strings, rectangular
    spans: list[list[Optional[tuple[int, int]]]]  # display spans, None for span copies
    origin: list[list[Optional[tuple[int, int]]]]  # for copies: the (r, c) they copy
    start: int
    end: int


@dataclass
class Raw:
    display: str
    encoding: Optional[str] = None
    tables: list[RawTable] = field(default_factory=list)
    drop: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR
    ocr_ranges: list[tuple[int, int]] = field(default_factory=list)  # their display ranges
def map_table(t: RawTable, text: str, offsets: Sequence[int]) -> SourceTable:
    """Move a display-located table onto the clean text."""
    spans = [_text_spans(offsets, row) for row in t.spans]
    rows: list[list[str]] = [
        [text[sp[0]:sp[1]] if sp is not None else "" for sp in row] for row in spans
    ]
    for r, row in enumerate(t.origin):
        if not any(row):  # most rows: no span copies
            continue
        for c, org in enumerate(row):
            if org is not None and spans[r][c] is None:
                rows[r][c] = rows[org[0]][org[1]]
    a, b = text_span(offsets, (t.start, t.end)) or (0, 0)
    return SourceTable(
        rows=tuple(tuple(r) for r in rows),
        start=a,
        end=b,
        cell_spans=tuple(tuple(r) for r in spans),
    )


def _text_spans(offsets: Sequence[int], spans: list) -> list[Optional[tuple[int, int]]]:
    """:func:`~nlp.ingest.clean.text_span` of each of a row's display spans (None stays None)."""
    out: list[Optional[tuple[int, int]]] = []
    for sp in spans:
        if sp is None:
            out.append(None)
            continue
        a = bisect_left(offsets, sp[0])
        b = bisect_left(offsets, sp[1])
        out.append((a, b if b > a else a))
    return out


class Lines:
    """Builds display text line by line and lays tables out as ``" | "`` rows."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pos = 0  # where the next line starts
        self.tables: list[RawTable] = []

    def add(self, line: str) -> tuple[int, int]:
        start = self.pos
        self.lines.append(line)
        self.pos += len(line) + 1
        return start, start + len(line)

    def add_table(self, grid: list[list[str]], copy: list[list[Optional[tuple[int, int]]]]) -> None:
        """``grid``: expanded cell strings (one line each); ``copy[r][c]``: the origin cell of
        a span copy, else None. Rows whose cells are all copies still get a (short) line."""
        if not grid:
            return
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        copy = [c + [None] * (width - len(c)) for c in copy]
        start = self.pos
        spans: list[list[Optional[tuple[int, int]]]] = []
        end = start
        for r, row in enumerate(grid):
            line = ""
            row_spans: list[Optional[tuple[int, int]]] = []
            first = True
            prev_empty = False
            for c, cell in enumerate(row):
                if copy[r][c] is not None:
                    row_spans.append(None)
                    continue
                if not first:
                    line += "| " if prev_empty else " | "
                a = len(line)
                line += cell
                row_spans.append((self.pos + a, self.pos + len(line)))
                first = False
                prev_empty = cell == ""
            stripped = line.rstrip()
            if len(stripped) < len(line):  # keep spans of trailing empty cells inside the stripped line
                row_spans = [
                    None if sp is None else (min(sp[0], self.pos + len(stripped)), min(sp[1], self.pos + len(stripped)))
                    for sp in row_spans
                ]
            _, end = self.add(stripped)
            spans.append(row_spans)
        self.tables.append(RawTable(grid, spans, copy, start, end))

    def text(self) -> str:
        return "\n".join(self.lines)


def one_line(e: BaseException) -> str:
    """An exception as one short line (for E005's detail)."""
    s = " ".join(str(e).split()) or type(e).__name__
    return s[:200]


# ---------------------------------------------------------------------------
# Page furniture
# ---------------------------------------------------------------------------

_PAGE_NO = re.compile(
    r"^\s*(?:[-—–~_－]{0,3}\s*\d{1,3}\s*[-—–~_－]{0,3}|\d{1,3}\s*/\s*\d{1,3}"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?:(?i:of)|/)\s*\d{1,4})?)\s*$"
)


def page_furniture(display: str, page_lines: list[list[tuple[int, int, bool]]]) -> list[tuple[int, int]]:
    """Display ranges of page furniture: page numbers on a page's first or last lines, and
    header/footer lines repeated (digits aside) at the top or bottom of most pages."""
    drop: list[tuple[int, int]] = []
    edge_lines: list[list[tuple[int, int]]] = []
    for lines in page_lines:
        if not lines:
            edge_lines.append([])
            continue
        # only lines at the page's edges, before the first / after the last table
        head = []
        for a, b, is_text in lines[:2]:
            if not is_text:
                break
            head.append((a, b))
        tail = []
        for a, b, is_text in reversed(lines[-2:]):
            if not is_text:
                break
            tail.append((a, b))
        edges = head + [x for x in tail if x not in head]
        edge_lines.append(edges)
        for a, b in edges:
            if _PAGE_NO.match(display[a:b]):
                drop.append((a, min(b + 1, len(display))))
    # Running headers/footers: a page's first or last line, not long, the same (digits aside)
    # on at least half the pages and on three or more (on both pages of a two-page file).
    npages = len(page_lines)
    if npages >= 2:
        counts: dict[str, int] = {}
        firsts_lasts: list[list[tuple[int, int]]] = []
        for edges, lines in zip(edge_lines, page_lines):
            ends = [x for x in (lines[:1] + lines[-1:]) if x[2]]
            fl = [(a, b) for a, b, _ in ends if b - a <= 80]
            firsts_lasts.append(fl)
            for key in {re.sub(r"\d+", "#", display[a:b].strip()) for a, b in fl}:
                if key:
                    counts[key] = counts.get(key, 0) + 1
        need = 2 if npages == 2 else max(3, (npages + 1) // 2)
        repeated = {k for k, n in counts.items() if n >= need}
        for fl in firsts_lasts:
            for a, b in fl:
                if re.sub(r"\d+", "#", display[a:b].strip()) in repeated:
                    drop.append((a, min(b + 1, len(display))))
    return sorted(set(drop))
