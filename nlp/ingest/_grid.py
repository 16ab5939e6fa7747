"""Tables as grids, whatever drew them: cell boxes (a PDF's ruled table, the rules found on a
scanned page) and the chars or OCR boxes in them, merged cells expanded; and a table a page
break cut in two, mended. Pure Python over plain dicts (``nlp.ingest.pdf`` hands them in)."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any, Optional

from nlp.ingest.clean import join_cell_lines
from nlp.text import figure_column, is_figure

__all__ = ["grid_of", "stitch"]


def _cluster(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _nearest(grid: list[float], v: float) -> int:
    i = bisect_left(grid, v)
    if i == len(grid) or (i > 0 and v - grid[i - 1] < grid[i] - v):
        i -= 1
    return i


def grid_of(boxes: list, chars: list[dict], text_of) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]], set[int]]:
    """A table as a rectangular grid, merged cells expanded.

    ``boxes``: the cell boxes (x0, top, x1, bottom) pdfplumber found, or the ruled cells of a
    page image; ``chars``: dicts with x0, x1, top, bottom (the PDF's chars, or OCR text boxes);
    ``text_of(chars)``: a cell's text. The grid lines are all the cell edges (within 1.5 pt of
    each other taken as one); each slot belongs to the cell box that covers it, the slot at the box's top left is
    the cell, the others are its copies. Chars go to the cell under their centre. Rows or
    columns that hold no cell of their own (slivers from edges a hair apart) are dropped.
    Returns (grid, copy, ids of the chars read into cells)."""
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    nrows, ncols = len(ys) - 1, len(xs) - 1
    if nrows < 1 or ncols < 1:
        return [], [], set()
    owner: list[list[Optional[int]]] = [[None] * ncols for _ in range(nrows)]
    origin: dict[int, tuple[int, int]] = {}
    for k, (x0, top, x1, bottom) in enumerate(boxes):
        c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
        r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] is None:
                    owner[r][c] = k
        origin[k] = (r0, c0)
    own = [[owner[r][c] is not None and origin[owner[r][c]] == (r, c) for c in range(ncols)]
           for r in range(nrows)]
    keep_r = [r for r in range(nrows) if any(own[r])]
    keep_c = [c for c in range(ncols) if any(own[r][c] for r in range(nrows))]

    buckets: dict[int, list[dict]] = {}
    used: set[int] = set()
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        c = bisect_left(xs, cx) - 1
        r = bisect_left(ys, cy) - 1
        if 0 <= r < nrows and 0 <= c < ncols and owner[r][c] is not None:
            buckets.setdefault(owner[r][c], []).append(ch)
            used.add(id(ch))
    texts = {k: text_of(v) for k, v in buckets.items()}

    new_r = {r: i for i, r in enumerate(keep_r)}
    new_c = {c: j for j, c in enumerate(keep_c)}
    grid: list[list[str]] = []
    copy: list[list[Optional[tuple[int, int]]]] = []
    for r in keep_r:
        g_row: list[str] = []
        c_row: list[Optional[tuple[int, int]]] = []
        for c in keep_c:
            k = owner[r][c]
            if k is None:
                g_row.append("")
                c_row.append(None)
                continue
            g_row.append(texts.get(k, ""))
            o = origin[k]
            c_row.append(None if o == (r, c) else (new_r[o[0]], new_c[o[1]]))
        grid.append(g_row)
        copy.append(c_row)
    return grid, copy, used


# ---------------------------------------------------------------------------
# A table continued on the next page
# ---------------------------------------------------------------------------

_FURNITURE_LINES = 3
_FURNITURE_CHARS = 30
"""Text between a page's last table and the next page's first one that is this short (a page
number, a running footer or header) does not end the table."""

def _only_furniture(blocks: list[tuple[str, Any]]) -> bool:
    lines = [ln["text"].strip() for kind, payload in blocks if kind == "text" for ln in payload]
    lines = [t for t in lines if t]
    return len(lines) <= _FURNITURE_LINES and all(len(t) <= _FURNITURE_CHARS for t in lines)


def stitch(pages: list[list[tuple[str, Any]]]) -> None:
    """Mend a row that Word let break across a page: the table goes on at the top of the next
    page (its header rows repeated or not), and the first row there holds no figure, only the
    end of the last row's label (``2.没有现成信息需要另行`` | ``制作``). That end is put back on the
    label, and the row dropped. Tables of the same width with only page furniture between them
    are one table; anything else between them, or a first row with figures, leaves them be."""
    for n in range(len(pages) - 1):
        here, there = pages[n], pages[n + 1]
        i = max((k for k, b in enumerate(here) if b[0] == "table"), default=None)
        j = min((k for k, b in enumerate(there) if b[0] == "table"), default=None)
        if i is None or j is None or not _only_furniture(here[i + 1:] + there[:j]):
            continue
        (g1, c1), (g2, c2) = here[i][1], there[j][1]
        if not g1 or not g2 or len(g1[0]) != len(g2[0]):
            continue
        k = 0  # the header rows repeated on the new page
        while k < min(len(g1), len(g2)) - 1 and g2[k] == g1[k]:
            k += 1
        first = figure_column(g1, lambda r, c: c1[r][c] is None)
        if k >= len(g2) or first == 0 or not any(is_figure(x) for x in g1[-1][first:]):
            continue
        row = g2[k]
        if any(x.strip() for x in row[first:]):
            continue  # the row has figures of its own: a whole row, not the end of one
        ends = [c for c in range(first) if c2[k][c] is None and row[c].strip()]
        if not ends:
            continue
        for c in ends:
            r0, col0 = c1[-1][c] or (len(g1) - 1, c)
            text = join_cell_lines([g1[r0][col0], row[c]])
            for r, (g_row, c_row) in enumerate(zip(g1, c1)):
                for cc in range(len(g_row)):
                    if (r, cc) == (r0, col0) or c_row[cc] == (r0, col0):
                        g_row[cc] = text
        _drop_row(g2, c2, k)


def _drop_row(grid: list[list[str]], copy: list[list[Optional[tuple[int, int]]]], k: int) -> None:
    """Remove row ``k`` of a grid, keeping its merges right: a merged cell that started in the
    row starts in the row below it instead."""
    for c in range(len(grid[k])):
        if copy[k][c] is not None:
            continue
        heir: Optional[tuple[int, int]] = None
        for r in range(k + 1, len(grid)):
            for cc, org in enumerate(copy[r]):
                if org == (k, c):
                    copy[r][cc] = heir
                    heir = heir or (r, cc)
    del grid[k], copy[k]
    for c_row in copy:
        for c, org in enumerate(c_row):
            if org is not None and org[0] > k:
                c_row[c] = (org[0] - 1, org[1])
