"""Reading .pdf reports (pdfplumber over pdfminer: the only module that imports them).

Each page is read top to bottom as text blocks and tables: ``find_tables`` gives the cell
boxes, merged cells are expanded into a rectangular grid (:func:`_pdf_grid`), chars go to the
cell under their centre, and the rest of the page is read as text lines. Lines of a paragraph
wrapped at the right margin are joined, page numbers and running headers/footers are left out
(:func:`nlp.ingest._layout.page_furniture`). A PDF whose pages are images is E006.
``read(data, source) -> Raw``.
"""

from __future__ import annotations

import io
import logging
import re
from bisect import bisect_left
from typing import Any, Optional

import pdfplumber
from pdfplumber.utils import extract_text

from nlp.errors import Errors, IngestError
from nlp.ingest import ocr
from nlp.ingest._layout import Lines, Raw, one_line, page_furniture
from nlp.ingest.clean import join_cell_lines
from nlp.text import figure_column, is_cjk, is_figure

__all__ = ["read"]


def read(data: bytes, source: str) -> Raw:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:
        raise IngestError(Errors.E005, path=source, fmt="PDF", detail=one_line(e)) from e

    out = Lines()
    warnings: list[str] = []
    page_lines: list[list[tuple[int, int, bool]]] = []  # per page: (start, end, is_text_line)
    joins: list[tuple[int, int]] = []  # line breaks inside a wrapped paragraph
    pages: list[list[tuple[str, Any]]] = []
    scanned: list[int] = []  # pages that are an image with (almost) no text
    ocr_pages: list[int] = []  # the scanned pages read by OCR
    can_ocr = ocr.available()
    n_chars = n_unmapped = 0
    quiet = _QuietPdfminer()
    try:
        with pdf, quiet:
            for pno, page in enumerate(pdf.pages, start=1):
                chars = page.chars
                _align_baselines(chars)
                n_chars += len(chars)
                # glyphs with no Unicode mapping come out as "(cid:123)": no usable text
                n_unmapped += sum(1 for ch in chars if ch.get("text", "").startswith("(cid:"))
                if sum(1 for ch in chars if ch.get("text", "").strip()) < 5 and page.images:
                    scanned.append(pno)
                pages.append(list(_pdf_page_blocks(page, pno, warnings)))
            if scanned and can_ocr:
                # a scan: its image pages are read by OCR (all of them, once most pages are
                # images; a typed cover page stays as it is)
                for pno in scanned:
                    pages[pno - 1] = list(_ocr_page_blocks(pdf.pages[pno - 1]))
                    ocr_pages.append(pno)
    except IngestError:
        raise
    except Exception as e:
        raise IngestError(Errors.E005, path=source, fmt="PDF", detail=one_line(e)) from e

    _stitch(pages)
    geometry = _text_geometry([b[1] for blocks in pages for b in blocks if b[0] == "text"])
    ocr_ranges: list[tuple[int, int]] = []
    for pno, blocks in enumerate(pages, start=1):
        this_page: list[tuple[int, int, bool]] = []
        page_start = out.pos
        for kind, payload in blocks:
            if kind == "text":
                prev: Optional[tuple[dict, int]] = None
                for ln in payload:
                    text = " ".join(ln["text"].split())
                    if not text:
                        continue
                    a, b = out.add(text)
                    this_page.append((a, b, True))
                    if prev is not None and _wraps(prev[0], ln, geometry):
                        joins.append((prev[1], prev[1] + 1))
                    prev = (ln, b)
            else:
                grid, copy = payload
                n_before = out.pos
                out.add_table(grid, copy)
                this_page.append((n_before, out.pos - 1, False))
        page_lines.append(this_page)
        if pno in ocr_pages:
            ocr_ranges.append((page_start, out.pos))

    display = out.text()
    if not display.strip() or (not n_chars and not ocr_pages):
        raise IngestError(Errors.E006, path=source, detail=ocr.INSTALL_HINT if scanned else "no text found")
    if n_unmapped > n_chars / 2:
        raise IngestError(Errors.E006, path=source, detail="its glyphs have no Unicode mapping: OCR it first")
    if scanned and len(scanned) * 2 >= len(pages) and not any(b[1] for p in ocr_pages for b in pages[p - 1]):
        # a scanned report with a typed cover or stamp page: the report itself has no text
        detail = "OCR found no text on its image pages" if ocr_pages else ocr.INSTALL_HINT
        raise IngestError(Errors.E006, path=source, detail=detail)
    if ocr_pages:
        warnings.append(f"page(s) {', '.join(map(str, ocr_pages))} are images: their text was read by OCR "
                        "(RapidOCR) and is uncertain")
    elif scanned:
        warnings.append(f"page(s) {', '.join(map(str, scanned))} are images without text (scanned?); "
                        f"{ocr.INSTALL_HINT}")
    if n_unmapped:
        warnings.append(f"{n_unmapped} of {n_chars} PDF glyphs have no Unicode mapping ((cid:…))")
    drop = page_furniture(display, page_lines) + joins
    return Raw(display=display, encoding=None, tables=out.tables, drop=drop, warnings=warnings,
               ocr_pages=ocr_pages, ocr_ranges=ocr_ranges)


_SENTENCE_END = tuple("。！？：；!?:;」』”")
_STARTS_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十\d]+[章节条部])"
)


def _text_geometry(blocks: list[list[dict]]) -> tuple[float, float, float]:
    """(left margin, right margin, typical char width) of the document's text lines: the most
    common line start, the furthest line end, the median width of a char. (0, 0, 0) when the
    text block is too narrow to tell wrapped lines from short ones (under 25 chars)."""
    lines = [ln for blk in blocks for ln in blk if len(ln["text"].strip()) >= 2]
    widths = sorted((ln["x1"] - ln["x0"]) / len(ln["text"]) for ln in lines if len(ln["text"]) >= 5)
    if not widths:
        return 0.0, 0.0, 0.0
    char_w = widths[len(widths) // 2]
    starts: dict[int, int] = {}
    for ln in lines:
        starts[round(ln["x0"])] = starts.get(round(ln["x0"]), 0) + 1
    left = float(max(starts, key=lambda k: starts[k]))
    right = max(ln["x1"] for ln in lines if len(ln["text"]) >= 10) if any(
        len(ln["text"]) >= 10 for ln in lines) else 0.0
    if right - left < 25 * char_w:
        return 0.0, 0.0, 0.0
    return left, right, char_w


def _wraps(line: dict, nxt: dict, geometry: tuple[float, float, float]) -> bool:
    """Does ``line`` run on into ``nxt`` (a paragraph the PDF wrapped at the margin)? The line
    reaches the right margin (within three chars), does not end a sentence, and the next line
    starts at the left margin, in the same font size, close below, and is not a new item
    (一、 (二) 3.)."""
    left, right, w = geometry
    text, following = line["text"].rstrip(), nxt["text"].lstrip()
    if not text or not following or w <= 0:
        return False
    if line["x1"] < right - 3 * w or abs(nxt["x0"] - left) > 0.6 * w:
        return False
    if text.endswith(_SENTENCE_END) or _STARTS_ITEM.match(following):
        return False
    if not (is_cjk(text[-1]) or is_cjk(following[0]) or text[-1].isdigit()):
        return False  # Latin words would run together without a space
    h1, h2 = line["bottom"] - line["top"], nxt["bottom"] - nxt["top"]
    if abs(h1 - h2) > 0.15 * max(h1, h2):
        return False  # another font size: a title over its text
    return nxt["top"] - line["bottom"] < 2 * h1


class _QuietPdfminer:
    """pdfminer logs a warning for every glyph of a font without a bounding box (Chromium's
    PDFs): keep that out of the user's terminal while a PDF is read."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("pdfminer")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc) -> None:
        self.logger.setLevel(self.level)


def _align_baselines(chars: list[dict]) -> None:
    """Put every upright char's box on its baseline (``top = baseline - size``).

    pdfminer derives a char's top from its font's ascent, so in a line mixing fonts (Latin
    digits in one font, Chinese in another: ``平潭综合实验区2024年度…``) the tops differ by
    more than pdfplumber's line tolerance at title sizes, and the digits land on a line of
    their own. The baseline, from the text matrix, is the same for the whole line."""
    for c in chars:
        m = c.get("matrix")
        if not m or not c.get("upright", True) or abs(m[1]) > 1e-6 or abs(m[2]) > 1e-6:
            continue
        size = c.get("size") or (c["bottom"] - c["top"])
        baseline = c["top"] + c["y1"] - m[5]  # the baseline in top-down page coordinates
        shift = (baseline - size) - c["top"]
        if abs(shift) < 1e-3:
            continue
        c["top"] += shift
        c["bottom"] = c["top"] + size
        if "doctop" in c:
            c["doctop"] += shift


def _pdf_page_blocks(page, pno: int, warnings: list[str]):
    """The page as blocks top to bottom: ("text", [line dicts of pdfplumber's
    ``extract_text_lines``]) and ("table", (grid, copy))."""
    tables = []
    in_cells: set[int] = set()
    try:
        found = page.find_tables()
    except Exception:
        found = []
    for t in found:
        try:
            x0, top, x1, bottom = t.bbox
            inside = [c for c in page.chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                      and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            grid, copy, used = _pdf_grid(t, inside)
        except Exception:
            warnings.append(f"page {pno}: a table could not be read as a grid; kept as text")
            continue
        if len(grid) < 2 or max(len(r) for r in grid) < 2 or not any(any(c for c in r) for r in grid):
            continue  # a box or a rule, not a table: its text stays in the text flow
        tables.append((t.bbox, grid, copy))
        in_cells.update(used)
    tables.sort(key=lambda x: x[0][1])

    def in_table(obj) -> bool:
        # chars read into a cell; those in a table's box but in no cell (a merged cell cut by
        # the page end has no closing edge) stay in the text flow, after the table
        return id(obj) in in_cells

    def band_text(lo: float, hi: float) -> str:
        def keep(obj) -> bool:
            if obj.get("object_type") != "char":
                return False
            cy = (obj["top"] + obj["bottom"]) / 2
            return lo <= cy < hi and not in_table(obj)

        return page.filter(keep).extract_text_lines(return_chars=False)

    if not tables:
        yield "text", page.extract_text_lines(return_chars=False)
        return
    lo = float("-inf")
    for bbox, grid, copy in tables:
        yield "text", band_text(lo, bbox[1])
        yield "table", (grid, copy)
        lo = bbox[1]
    yield "text", band_text(lo, float("inf"))


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


def _pdf_grid(t, chars: list[dict]) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]], set[int]]:
    """The table pdfplumber found, as a grid (see :func:`_grid_of`); a cell's text is its
    chars as pdfplumber lays them out, its lines joined."""
    return _grid_of([tuple(b) for b in t.cells], chars,
                    lambda found: join_cell_lines(extract_text(found).split("\n")))


def _grid_of(boxes: list, chars: list[dict], text_of) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]], set[int]]:
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


def _stitch(pages: list[list[tuple[str, Any]]]) -> None:
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


# ---------------------------------------------------------------------------
# Pages that are images: OCR
# ---------------------------------------------------------------------------

OCR_DPI = (150, 300)
"""A scanned page is rendered at its image's own resolution, within these bounds (dpi)."""


def _scan_dpi(page) -> float:
    """The resolution of the page's largest image (a scan's page is one image)."""
    best = 0.0
    for im in page.images:
        width_pt = float(im["x1"]) - float(im["x0"])
        src = im.get("srcsize") or (0, 0)
        if width_pt > 0 and src[0]:
            best = max(best, float(src[0]) / (width_pt / 72))
    return min(max(best or OCR_DPI[0], OCR_DPI[0]), OCR_DPI[1])


def _ocr_text(boxes: list[dict]) -> str:
    """The text of OCR boxes: in lines top to bottom (boxes whose middles are within half a
    box height of each other), each line left to right, the lines joined the CJK way."""
    return join_cell_lines(" ".join(b["text"] for b in line) for line in _ocr_lines(boxes))


def _ocr_lines(boxes: list[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for b in sorted(boxes, key=lambda b: (b["top"] + b["bottom"]) / 2):
        mid = (b["top"] + b["bottom"]) / 2
        if lines:
            last = lines[-1]
            lmid = sum((x["top"] + x["bottom"]) / 2 for x in last) / len(last)
            h = max(x["bottom"] - x["top"] for x in last)
            if abs(mid - lmid) <= 0.5 * max(h, b["bottom"] - b["top"]):
                last.append(b)
                continue
        lines.append([b])
    return [sorted(line, key=lambda b: b["x0"]) for line in lines]


def _join_boxes(line: list[dict]) -> str:
    out = ""
    for b in line:
        t = b["text"].strip()
        if out and t and not (is_cjk(out[-1]) and is_cjk(t[0])):
            out += " "
        out += t
    return out


def _ocr_page_blocks(page):
    """A scanned page read by OCR, as the blocks :func:`_pdf_page_blocks` gives for a text
    layer: its ruled tables as grids (cells from the rules drawn on the image, their text the
    OCR boxes whose middles are in them), the other OCR boxes as text lines."""
    dpi = _scan_dpi(page)
    read = ocr.read_image(page.to_image(resolution=dpi).original)
    k = 72 / dpi  # image pixels to points
    items = [{"x0": b.x0 * k, "x1": b.x1 * k, "top": b.top * k, "bottom": b.bottom * k, "text": b.text,
              "score": b.score} for b in read.boxes]
    tables = []
    used: set[int] = set()
    for cells in read.tables:
        boxes = [(x0 * k, top * k, x1 * k, bottom * k) for x0, top, x1, bottom in cells]
        grid, copy, inside = _grid_of(boxes, items, _ocr_text)
        if len(grid) < 2 or not any(any(c for c in r) for r in grid):
            continue
        tables.append((min(b[1] for b in boxes), grid, copy))
        used |= inside
    rest = [b for b in items if id(b) not in used]
    lines = [{"text": _join_boxes(line), "x0": min(b["x0"] for b in line), "x1": max(b["x1"] for b in line),
              "top": min(b["top"] for b in line), "bottom": max(b["bottom"] for b in line)}
             for line in _ocr_lines(rest)]
    tables.sort(key=lambda t: t[0])
    lo = float("-inf")
    for top, grid, copy in tables:
        yield "text", [ln for ln in lines if lo <= (ln["top"] + ln["bottom"]) / 2 < top]
        yield "table", (grid, copy)
        lo = top
    yield "text", [ln for ln in lines if (ln["top"] + ln["bottom"]) / 2 >= lo]

