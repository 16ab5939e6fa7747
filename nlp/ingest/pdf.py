"""Reading .pdf reports (pypdfium2 and pdfplumber over pdfminer: the only module that imports
them).

**The text layer** of a page comes from PDFium (pypdfium2, C): its chars and the rules drawn on
it are handed to pdfplumber as the page's objects, so pdfminer never parses the page's content
stream (most of the time a PDF took: a 5-page report 210 ms CPU before, about 60 ms now,
``scripts/bench_pdf.py``). PDFium's chars are pdfminer's: the same text, the same baseline and
left edge, the right edge at the glyph's advance (:func:`_pdfium_objects`); a test holds both
readings of the print shop's PDFs equal. A page PDFium cannot give that way is parsed by
pdfminer as before (``read(..., pdfium=False)`` reads every page so): rotated, text at an angle,
a form XObject, a page box not at the origin, a font PDFium has no metrics of (Chromium's
print-outs: no advance to end a char at), almost no text (a scan: pdfminer sees its images).

Each page is read top to bottom as text blocks and tables: on a page with ruled lines both ways
(a table candidate), pdfplumber's table finder gives the cell
boxes, merged cells are expanded into a rectangular grid (:func:`_pdf_grid`, ``_grid.py``), chars go to the
cell under their centre, and the rest of the page is read as text lines. Three of pdfplumber's
passes are done here the same way at less cost (:func:`_cells`, :func:`_cell_text`,
:func:`_text_lines`; tests hold each equal to pdfplumber's own): with them and PDFium's objects
read without pypdfium2's wrappers, reading the print shop's PDFs went from 651 to 464 M
instructions a PDF and checking them from 724 to 528 M, 6.2x -> 4.6x pypdfium2's own text
extraction (``scripts/bench_pdf.py --count``). Lines of a paragraph
wrapped at the right margin are joined, page numbers and running headers/footers are left out
(:func:`nlp.ingest._layout.page_furniture`). A PDF whose pages are images is E006.
``read(data, source) -> Raw``.
"""

from __future__ import annotations

import ctypes
import io
import itertools
import logging
import re
import threading
from operator import itemgetter
from typing import Any, Optional

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_c
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import extract_text, obj_to_bbox
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE as _X_TOLERANCE
from pdfplumber.utils.text import DEFAULT_Y_TOLERANCE as _Y_TOLERANCE
from pdfplumber.utils.text import LIGATURES as _LIGATURES

from nlp.errors import Errors, IngestError
from nlp.ingest import ocr
from nlp.ingest._grid import grid_of, stitch
from nlp.ingest._layout import Lines, Raw, one_line, page_furniture
from nlp.ingest.clean import join_cell_lines
from nlp.text import is_cjk

__all__ = ["read"]


def read(data: bytes, source: str, *, pdfium: bool = True) -> Raw:
    """The PDF's text and tables; ``pdfium``: take each page's text layer from PDFium where it
    can give it (False: pdfminer parses every page)."""
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
        with pdf, quiet, _TextLayer(data if pdfium else None) as layer:
            for pno, page in enumerate(pdf.pages, start=1):
                layer.give(page, pno)
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

    stitch(pages)
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


# ---------------------------------------------------------------------------
# The text layer from PDFium
# ---------------------------------------------------------------------------

_PDFIUM_LOCK = threading.Lock()
"""PDFium is not thread-safe: one PDF at a time is read through it in a process."""

MIN_CHARS = 5
"""A page with fewer visible chars than this may be a scan: pdfminer reads it (its images too)."""


class _TextLayer:
    """PDFium's reading of a PDF's pages, handed page by page to pdfplumber (:meth:`give`).

    A context manager: PDFium's document is opened on entry (under :data:`_PDFIUM_LOCK`) and
    closed on exit. With ``data`` None, or a PDF PDFium cannot open, every page is left to
    pdfminer."""

    def __init__(self, data: Optional[bytes]) -> None:
        self.data = data
        self.doc: Any = None

    def __enter__(self) -> "_TextLayer":
        if self.data is None:
            return self
        _PDFIUM_LOCK.acquire()
        try:
            self.doc = pypdfium2.PdfDocument(self.data)
        except Exception:
            self.doc = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.data is None:
            return
        try:
            if self.doc is not None:
                self.doc.close()
        finally:
            self.doc = None
            _PDFIUM_LOCK.release()

    def give(self, page, pno: int) -> bool:
        """Give pdfplumber's ``page`` PDFium's chars and rules as its objects, when PDFium reads
        the page as pdfminer would; True if it did."""
        if self.doc is None or pno > len(self.doc):
            return False
        try:
            pg = self.doc[pno - 1]
            width, height = pg.get_size()
            if (pg.get_rotation() or tuple(page.bbox) != (0, 0, page.width, page.height)
                    or tuple(page.mediabox) != (0, 0, page.width, page.height)
                    or abs(width - float(page.width)) > 0.01 or abs(height - float(page.height)) > 0.01):
                return False
            objects = _pdfium_objects(pg, float(page.height), float(page.initial_doctop), pno)
        except Exception:
            return False
        if objects is None or sum(1 for c in objects["char"] if c["text"].strip()) < MIN_CHARS:
            return False
        page._objects = objects  # pdfplumber's cache of the page's objects: pdfminer is not asked
        return True


_NO_TEXT = {0x0D, 0x0A, 0x02, 0xFFFE, 0xFFFF}
"""Line ends, soft hyphens PDFium makes up, and non-characters: not chars of the page."""


def _pdfium_objects(pg, height: float, doctop: float, pno: int) -> Optional[dict[str, list[dict]]]:
    """A page's chars and painted lines, rectangles and curves as pdfplumber's object dicts
    (top-down coordinates), or None when the page needs pdfminer (text at an angle, a form
    XObject whose inner coordinates PDFium does not flatten here).

    A char: its baseline from its origin, its box ``size`` high above it (as
    :func:`_align_baselines` puts pdfminer's), its left edge at the origin, its right edge
    PDFium's loose box; a full-width glyph drawn wider than its advance (PDFium's box then is
    the glyph's) ends at the advance, ``size`` wide, where pdfminer ends it. PDFium's line ends
    are left out, and the spaces it makes up, but between two Latin chars on one line (there
    it takes the page's own space glyph for one of its own)."""
    tp = pg.get_textpage()
    try:
        chars = _pdfium_chars(tp, height, doctop, pno)
    finally:
        tp.close()
    if chars is None:
        return None
    lines: list[dict] = []
    rects: list[dict] = []
    curves: list[dict] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    matrix = pdfium_c.FS_MATRIX()
    page = pg.raw
    # PDFium's own loop over the page's objects: pypdfium2's ``get_objects`` makes a Python
    # object of every one (a page holds a thousand text objects and a few dozen rules: that
    # wrapping cost more than reading the rules)
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        raw = pdfium_c.FPDFPage_GetObject(page, i)
        if not raw:
            raise ValueError(f"page {pno}: PDFium gave no object {i}")
        kind = pdfium_c.FPDFPageObj_GetType(raw)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return None
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPath_GetDrawMode(raw, fill, stroke)
        if not fill.value and not stroke.value:
            continue  # a path that paints nothing
        if not pdfium_c.FPDFPageObj_GetMatrix(raw, matrix):
            raise ValueError(f"page {pno}: PDFium gave no matrix of a path")
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        subpaths: list[list[tuple[float, float]]] = []
        for k in range(pdfium_c.FPDFPath_CountSegments(raw)):
            seg = pdfium_c.FPDFPath_GetPathSegment(raw, k)
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            pt = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
            if pdfium_c.FPDFPathSegment_GetType(seg) == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([pt])
            else:
                subpaths[-1].append(pt)
            if pdfium_c.FPDFPathSegment_GetClose(seg):
                subpaths[-1].append(subpaths[-1][0])
        for pts in subpaths:
            if len(pts) < 2:
                continue
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
            item = {"page_number": pno, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": doctop + top,
                    "width": x1 - x0, "height": bottom - top, "y0": height - bottom, "y1": height - top,
                    "pts": pts, "stroke": bool(stroke.value), "fill": bool(fill.value)}
            if len(pts) == 2:
                lines.append(item | {"object_type": "line"})
            elif len(pts) == 5 and pts[0] == pts[-1] and all(p[0] in (x0, x1) and p[1] in (top, bottom) for p in pts):
                rects.append(item | {"object_type": "rect"})
            else:
                curves.append(item | {"object_type": "curve"})
    return {"char": chars, "line": lines, "rect": rects, "curve": curves}


def _pdfium_chars(tp, height: float, doctop: float, pno: int) -> Optional[list[dict]]:
    """The chars of a PDFium text page (see :func:`_pdfium_objects`), or None for text at an
    angle or in a font PDFium has no metrics of (no advance to end a char at)."""
    c = pdfium_c
    tp = tp.raw  # the pointer itself: pypdfium2's wrapper would be asked for it at every call
    # the calls bound once: a page has thousands of chars, each asked eight things
    unicode_of, generated, angle_of, map_error = (c.FPDFText_GetUnicode, c.FPDFText_IsGenerated,
                                                  c.FPDFText_GetCharAngle, c.FPDFText_HasUnicodeMapError)
    loose_box, char_box, origin, font_size = (c.FPDFText_GetLooseCharBox, c.FPDFText_GetCharBox,
                                              c.FPDFText_GetCharOrigin, c.FPDFText_GetFontSize)
    box = c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    out: list[dict] = []
    for i in range(c.FPDFText_CountChars(tp)):
        u = unicode_of(tp, i)
        if u in _NO_TEXT:
            continue
        # PDFium makes up spaces and line ends only (CPDF_TextPage: kGenerated): a space is
        # the one char to ask whether it is generated
        if u == 0x20 and generated(tp, i) == 1:
            if out and out[-1]["text"] != " ":
                out.append(out[-1] | {"text": " ", "x0": out[-1]["x1"], "width": 0.0, "generated": True})
            continue
        if abs(angle_of(tp, i)) > 1e-3:
            return None
        text = "(cid:0)" if u == 0 or map_error(tp, i) == 1 else chr(u)
        loose_box(tp, i, box)
        char_box(tp, i, left, right, bottom, top)
        if (text.strip() and abs(box.left - left.value) < 0.01 and abs(box.right - right.value) < 0.01
                and abs(box.top - top.value) < 0.01):
            return None  # PDFium has no metrics of the char's font (its loose box is the glyph's)
        origin(tp, i, ox, oy)
        size = font_size(tp, i)
        x0, x1 = ox.value, box.right
        if right.value >= x1 - 0.01 and len(text) == 1 and "\u3000" <= text <= "\uffef":
            x1 = min(x1, x0 + size)  # a full-width glyph drawn past its advance
        x1 = max(x1, x0)
        baseline = height - oy.value
        out.append({"object_type": "char", "page_number": pno, "text": text, "x0": x0, "x1": x1,
                    "top": baseline - size, "bottom": baseline, "doctop": doctop + baseline - size,
                    "y0": oy.value, "y1": oy.value + size, "width": x1 - x0, "height": size,
                    "size": size, "upright": True})
    # PDFium takes a space glyph between Latin words for a gap it fills itself (pdfminer
    # keeps it: a word break); between CJK chars, or CJK and Latin, its spaces are gaps it saw
    # (pdfminer has no char there)
    keep = []
    for k, ch in enumerate(out):
        if ch.get("generated"):
            nxt = out[k + 1] if k + 1 < len(out) else None
            if (nxt is None or nxt.get("generated") or nxt["bottom"] != ch["bottom"]
                    or _wide(out[k - 1]["text"][-1]) or _wide(nxt["text"][0])):
                continue
            del ch["generated"]
        keep.append(ch)
    return keep


def _wide(ch: str) -> bool:
    """A CJK char: ideographs, radicals, CJK punctuation, full-width forms (U+2E80 on)."""
    return ord(ch) >= 0x2E80


def _table_candidate(page) -> bool:
    """Could the page hold a ruled table: lines both ways (pdfplumber's table pass is run on
    such pages only)?"""
    h = v = 0
    for e in page.edges:
        if e.get("orientation") == "h":
            h += 1
        elif e.get("orientation") == "v":
            v += 1
        if h >= 2 and v >= 2:
            return True
    return False


class _TableFinder(TableFinder):
    """pdfplumber's ``page.find_tables()`` (default settings): the same edges, intersections,
    cells and tables; only the pass from intersections to cells is :func:`_cells`, not
    pdfplumber's ``intersections_to_cells`` (pdfplumber is pinned: this follows 0.11.10)."""

    def __init__(self, page) -> None:  # not super().__init__: that finds the cells its slow way
        self.page = page
        self.settings = TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = _cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def _cells(intersections: dict) -> list[tuple]:
    """The cells the intersections of ruled lines make: pdfplumber's ``intersections_to_cells``
    (for each point in sorted order, the smallest box whose four corners are intersections
    joined by common edges, searched in its order, so the same cells in the same order),
    with each point's edges made a set once, not again at every comparison (a table of a few
    hundred intersections took most of a page's table pass there)."""
    v = {p: {obj_to_bbox(e) for e in i["v"]} for p, i in intersections.items()}
    h = {p: {obj_to_bbox(e) for e in i["h"]} for p, i in intersections.items()}

    def connects(p1: tuple, p2: tuple) -> bool:
        return ((p1[0] == p2[0] and not v[p1].isdisjoint(v[p2]))
                or (p1[1] == p2[1] and not h[p1].isdisjoint(h[p2])))

    points = sorted(intersections)
    same_x: dict[float, list[tuple]] = {}
    same_y: dict[float, list[tuple]] = {}
    for pt in points:  # each list in the points' sorted order
        same_x.setdefault(pt[0], []).append(pt)
        same_y.setdefault(pt[1], []).append(pt)
    cells = []
    for pt in points:
        below = [q for q in same_x[pt[0]] if q[1] > pt[1]]  # the later points straight below
        right = [q for q in same_y[pt[1]] if q[0] > pt[0]]  # and straight right
        cell = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return cells


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
        found = _TableFinder(page).tables if _table_candidate(page) else []
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

        return _text_lines([c for c in page.chars if keep(c)],
                           lambda: page.filter(keep).extract_text_lines(return_chars=False))

    if not tables:
        yield "text", _text_lines(page.chars, lambda: page.extract_text_lines(return_chars=False))
        return
    lo = float("-inf")
    for bbox, grid, copy in tables:
        yield "text", band_text(lo, bbox[1])
        yield "table", (grid, copy)
        lo = bbox[1]
    yield "text", band_text(lo, float("inf"))


def _pdf_grid(t, chars: list[dict]) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]], set[int]]:
    """The table pdfplumber found, as a grid (see :func:`nlp.ingest._grid.grid_of`); a cell's text is its
    chars as pdfplumber lays them out, its lines joined."""
    return grid_of([tuple(b) for b in t.cells], chars, _cell_text)


# pdfplumber's text layout (0.11.10, default settings, ``layout=False``), worked out here
# without its general machinery (WordExtractor, WordMap, TextMap, a regex over the page's
# text), which cost more than the table finder: the same words, lines and text. Tests hold
# each equal to pdfplumber's own on every page and cell of the print shop's PDFs, read
# through PDFium and through pdfminer.


_ltr = itemgetter("x0")  # pdfplumber's get_char_sort_key("ltr") is (x0, x0): the same order
_top = itemgetter("top")
_word_top = itemgetter(1)


def _plain(chars: list[dict]) -> bool:
    """Chars this module lays out itself: all upright, each with some text and no line break
    in it (else pdfplumber does, with its rules for vertical text)."""
    return all(c["upright"] and c["text"] and "\n" not in c["text"] for c in chars)


def _words(chars: list[dict]) -> list[tuple[str, float, list[dict]]]:
    """pdfplumber's ``WordExtractor.iter_extract_tuples`` for upright chars: the chars
    clustered into lines by their tops (:func:`_by_top`), each line left to right, a word
    break where the next char starts before the last one, more than ``x_tolerance`` after its
    end or more than ``y_tolerance`` above or below it, or at a blank (left out); ligatures
    expanded. (text, top, chars) per word, its top its chars' highest."""
    words: list[tuple[str, float, list[dict]]] = []

    def close(word: list[dict]) -> None:
        if word:
            words.append(("".join(_LIGATURES.get(c["text"], c["text"]) for c in word),
                          min(c["top"] for c in word), word))

    for line in _by_top(chars, _top):
        word: list[dict] = []
        for c in sorted(line, key=_ltr):
            if c["text"].isspace():
                close(word)
                word = []
            elif word and (c["x0"] < word[-1]["x0"] or c["x0"] > word[-1]["x1"] + _X_TOLERANCE
                           or abs(c["top"] - word[-1]["top"]) > _Y_TOLERANCE):
                close(word)
                word = [c]
            else:
                word.append(c)
        close(word)
    return words


def _clusters(values) -> dict[float, int]:
    """pdfplumber's ``make_cluster_dict(values, y_tolerance)``: the distinct values sorted, a
    new cluster where one is more than the tolerance above the one before; value -> cluster."""
    out: dict[float, int] = {}
    n = 0
    last: Optional[float] = None
    for v in sorted(set(values)):
        if last is None or v > last + _Y_TOLERANCE:
            n += 1
        out[v] = n - 1
        last = v
    return out


def _by_top(objs: list, top) -> list[list]:
    """pdfplumber's ``cluster_objects(objs, top, y_tolerance)``: the clusters of their tops
    (:func:`_clusters`) top to bottom, each in the objects' own order."""
    cluster = _clusters(map(top, objs))
    groups: list[list] = [[] for _ in range(len(set(cluster.values())))]
    for o in objs:
        groups[cluster[top(o)]].append(o)
    return groups


def _cell_text(chars: list[dict]) -> str:
    """A cell's text: its chars as pdfplumber's ``extract_text`` lays them out (words
    clustered into lines again by their tops, joined by a space), the lines joined
    (:func:`nlp.ingest.clean.join_cell_lines`)."""
    if not chars:
        return ""
    if not _plain(chars):
        return join_cell_lines(extract_text(chars).split("\n"))
    return join_cell_lines(" ".join(w[0] for w in line) for line in _by_top(_words(chars), _word_top))


def _text_lines(chars: list[dict], pdfplumbers) -> list[dict]:
    """The text lines of ``chars`` (a page's, or a band of them) as pdfplumber's
    ``extract_text_lines(return_chars=False)`` gives them: its words, a new line where the
    next word's top is in another cluster (its ``presorted`` order), a line's words joined by
    a space, with the box of its chars. ``pdfplumbers()``: pdfplumber's own, for chars not
    :func:`_plain`."""
    if not _plain(chars):
        return pdfplumbers()
    words = _words(chars)
    cluster = _clusters(map(_word_top, words))
    lines: list[dict] = []
    for _, group in itertools.groupby(words, lambda w: cluster[w[1]]):
        line = list(group)
        line_chars = [c for w in line for c in w[2]]
        lines.append({"text": " ".join(w[0] for w in line),
                      "x0": min(c["x0"] for c in line_chars), "top": min(c["top"] for c in line_chars),
                      "x1": max(c["x1"] for c in line_chars), "bottom": max(c["bottom"] for c in line_chars)})
    return lines


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
        grid, copy, inside = grid_of(boxes, items, _ocr_text)
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

