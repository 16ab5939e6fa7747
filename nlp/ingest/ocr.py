"""Reading page images: Chinese OCR (RapidOCR on onnxruntime: the only module that imports it)
and the table grid drawn on the page.

A scanned report is a PDF whose pages are images. :func:`read_image` turns one page image into
what the PDF reader reads from a text layer: text boxes (each with the recognizer's score) and
the cell boxes of every ruled table. The page is first turned straight (:func:`deskew`: the
angle whose row profile of dark pixels is sharpest, as a table's rules and the text lines make
it); rules are runs of dark pixels much longer than a character (:func:`ruled_tables`), and
two neighbouring slots of the grid they draw are one merged cell where no rule separates them.

OCR is an optional extra (``pip install 'xxgk-audit[ocr]'``: rapidocr-onnxruntime, whose wheel
ships its detection and recognition models, so it runs offline). :func:`available` says whether
it is installed; without it a scanned PDF is E006, which names the extra.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["available", "read_image", "deskew", "ruled_tables", "OcrBox", "OcrPage", "INSTALL_HINT"]

INSTALL_HINT = "install the OCR extra to read it: pip install 'xxgk-audit[ocr]'"

DARK = 170
"""Grey level (0–255) below which a pixel is ink: paper is near white, toner near black."""

RULE_MIN = 0.035
"""A rule is a run of ink at least this share of the page's width (or height) long: longer than
any character or dash of body text."""


@dataclass(frozen=True)
class OcrBox:
    """One text box the recognizer read: its box in image pixels, its text and its score."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    score: float


@dataclass(frozen=True)
class OcrPage:
    """A page image read: its text boxes and the cell boxes of each ruled table (pixels of
    the straightened image), and the angle it was turned by."""

    boxes: tuple[OcrBox, ...]
    tables: tuple[tuple[tuple[float, float, float, float], ...], ...]
    angle: float
    width: int
    height: int


def available() -> bool:
    """Is the OCR extra installed? (Looked up, not imported: a PDF with a text layer never
    loads the OCR engine.)"""
    from importlib.util import find_spec

    try:
        return find_spec("rapidocr_onnxruntime") is not None
    except (ImportError, ValueError):
        return False


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(use_cls=False, rec_batch_num=16)


def read_image(image: Any) -> OcrPage:
    """OCR one page image (a PIL image or a 2-D uint8 array, any resolution)."""
    gray = np.asarray(image.convert("L") if hasattr(image, "convert") else image, dtype=np.uint8)
    gray, angle = deskew(gray)
    tables = ruled_tables(gray)
    result, _ = _engine()(np.stack([gray] * 3, axis=-1))
    boxes = []
    for quad, text, score in result or ():
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        boxes.append(OcrBox(float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)), str(text), float(score)))
    boxes = _cell_by_cell(gray, boxes, tables)
    return OcrPage(tuple(boxes), tuple(tuple(t) for t in tables), angle, gray.shape[1], gray.shape[0])


INK_MIN = 10
"""A cell with this many ink pixels inside its rules holds something (a thin 1 is 20 or so)."""


def _overlap(box: OcrBox, cell: tuple[float, float, float, float]) -> float:
    """The share of the box inside the cell."""
    w = max(0.0, min(box.x1, cell[2]) - max(box.x0, cell[0]))
    h = max(0.0, min(box.bottom, cell[3]) - max(box.top, cell[1]))
    area = max(1e-6, (box.x1 - box.x0) * (box.bottom - box.top))
    return w * h / area


def _cell_by_cell(gray: np.ndarray, boxes: list[OcrBox], tables: list) -> list[OcrBox]:
    """Read again, one cell at a time, the table cells the page's reading left empty although
    they hold ink (a lone ``0`` or thin ``1`` the detector passed over on the whole page), and
    the cells a text box ran across (two figures read as one): each cell's crop, on a white
    margin, detected and recognised on its own."""
    ink = gray < DARK
    keep = list(boxes)
    todo: list[tuple[float, float, float, float]] = []
    for cells in tables:
        for box in list(keep):
            inside = [c for c in cells if _overlap(box, c) >= 0.25]
            if len(inside) > 1:
                keep.remove(box)
                todo.extend(inside)
        for c in cells:
            x0, top, x1, bottom = (int(round(v)) for v in c)
            if x1 - x0 < 10 or bottom - top < 10 or c in todo:
                continue
            if any(_overlap(b, c) >= 0.5 for b in keep):
                continue
            if int(ink[top + 4:bottom - 3, x0 + 4:x1 - 3].sum()) >= INK_MIN:
                todo.append(c)
    for c in todo:
        x0, top, x1, bottom = (int(round(v)) for v in c)
        crop = gray[top + 3:bottom - 2, x0 + 3:x1 - 2]
        if crop.size == 0:
            continue
        # on white paper with a margin, as the recogniser saw its training lines
        pad = np.full((crop.shape[0] + 16, crop.shape[1] + 16), 255, dtype=np.uint8)
        pad[8:-8, 8:-8] = crop
        got, _ = _engine()(np.stack([pad] * 3, axis=-1))
        read = [(_figure_like(str(item[1])), float(item[2])) for item in got or ()]
        if not any(t.strip() for t, _ in read):
            read = _tight(crop)  # a thin glyph alone (a 1) the detector does not box
        for text, score in read:
            if text.strip() and score >= 0.5:
                keep.append(OcrBox(float(x0 + 3), float(top + 3), float(x1 - 2), float(bottom - 2), text, score))
    return keep


def _tight(crop: np.ndarray) -> list[tuple[str, float]]:
    """Recognise the ink of a crop without detection: cut to the ink's box, on a white margin."""
    ys, xs = np.nonzero(crop < DARK)
    if len(ys) < INK_MIN:
        return []
    y0, y1 = max(0, ys.min() - 3), min(crop.shape[0], ys.max() + 4)
    x0, x1 = max(0, xs.min() - 3), min(crop.shape[1], xs.max() + 4)
    ink = crop[y0:y1, x0:x1]
    pad = np.full((ink.shape[0] + 16, ink.shape[1] + 24), 255, dtype=np.uint8)
    pad[8:-8, 12:-12] = ink
    got, _ = _engine()(np.stack([pad] * 3, axis=-1), use_det=False, use_cls=False)
    return [(_figure_like(str(item[0])), float(item[1])) for item in got or ()]


_ZERO_LIKE = str.maketrans({"o": "0", "O": "0", "〇": "0", "○": "0", "。": "0", "°": "0", "D": "0", "Q": "0"})


def _figure_like(text: str) -> str:
    """A lone cell's reading, where it is a figure: the recogniser reads a 0 alone in a cell
    as ``。``, ``o`` or ``〇`` (no line around it to tell); marks that are all such are one 0,
    and among digits each is a 0 (``1o`` is 10)."""
    t = text.strip()
    if not t or any("\u4e00" <= ch <= "\u9fff" for ch in t if ch not in "〇"):
        return text
    if not any(ch.isdigit() for ch in t):
        return "0" if all(ch in "oO〇○。°DQ" for ch in t) else text
    if all(ch.isdigit() or ch in "oO〇○。°,，." for ch in t):
        core = t.rstrip("。")
        return core.translate(_ZERO_LIKE)
    return text


# ---------------------------------------------------------------------------
# The page turned straight
# ---------------------------------------------------------------------------


def _sharpness(ink: np.ndarray) -> float:
    rows = ink.sum(axis=1).astype(np.float64)
    return float(np.square(np.diff(rows)).sum())


def deskew(gray: np.ndarray, max_angle: float = 2.0) -> tuple[np.ndarray, float]:
    """The image turned so that its lines are level, and the angle (degrees) it was turned by.

    The angle is the one whose row profile of ink changes most sharply (rules and text lines
    make steps in it): searched every 0.1° on a copy half the size, then every 0.025° around
    the best at full size. A straight page is returned as it is."""
    from PIL import Image

    img = Image.fromarray(gray)
    small = img.resize((max(1, img.width // 2), max(1, img.height // 2)))

    def best_of(im: Any, angles: list[float]) -> float:
        scored = [(_sharpness(np.asarray(im.rotate(a, resample=Image.BILINEAR, fillcolor=255)) < DARK), a)
                  for a in angles]
        return max(scored)[1]

    coarse = best_of(small, [k / 10 for k in range(int(-max_angle * 10), int(max_angle * 10) + 1)])
    angle = best_of(img, [coarse + k * 0.025 for k in range(-4, 5)])
    if abs(angle) < 0.0125:
        return gray, 0.0
    out = np.asarray(img.rotate(angle, resample=Image.BICUBIC, fillcolor=255), dtype=np.uint8)
    return out, angle


# ---------------------------------------------------------------------------
# Ruled tables
# ---------------------------------------------------------------------------


def _runs(line: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """Runs of True in a 1-D array at least ``min_len`` long: (start, end)."""
    padded = np.concatenate(([False], line, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2]) if b - a >= min_len]


def _rules(ink: np.ndarray, min_len: int) -> list[tuple[float, int, int]]:
    """Horizontal rules: (y, x0, x1); a rule a few pixels thick is one."""
    segs: list[tuple[int, int, int]] = []
    for y in range(ink.shape[0]):
        for a, b in _runs(ink[y], min_len):
            segs.append((y, a, b))
    out: list[list[float]] = []  # [y_sum, n, x0, x1, last_y]
    for y, a, b in segs:
        for r in out:
            if y - r[4] <= 2 and a < r[3] and b > r[2]:
                r[0] += y
                r[1] += 1
                r[2], r[3], r[4] = min(r[2], a), max(r[3], b), y
                break
        else:
            out.append([y, 1, a, b, y])
    return [(r[0] / r[1], int(r[2]), int(r[3])) for r in out]


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def ruled_tables(gray: np.ndarray) -> list[list[tuple[float, float, float, float]]]:
    """The cell boxes (x0, top, x1, bottom, in pixels) of each table drawn with rules on the
    page, top to bottom. Slots of the grid the rules draw that no rule separates are one cell
    (a merged cell)."""
    ink = gray < DARK
    h, w = ink.shape
    hrules = _rules(ink, max(8, int(RULE_MIN * w)))
    vrules = [(x, y0, y1) for x, y0, y1 in _rules(ink.T, max(8, int(RULE_MIN * h * 0.5)))]
    # a table: the rules that cross each other, connected
    nodes = [("h", r) for r in hrules] + [("v", r) for r in vrules]
    parent = list(range(len(nodes)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    nh = len(hrules)
    for i, (y, x0, x1) in enumerate(hrules):
        for j, (x, y0, y1) in enumerate(vrules):
            if x0 - 4 <= x <= x1 + 4 and y0 - 4 <= y <= y1 + 4:
                parent[find(nh + j)] = find(i)
    groups: dict[int, list[int]] = {}
    for k in range(len(nodes)):
        groups.setdefault(find(k), []).append(k)
    tables: list[list[tuple[float, float, float, float]]] = []
    for members in groups.values():
        rows = [hrules[k] for k in members if k < nh]
        cols = [vrules[k - nh] for k in members if k >= nh]
        if len(rows) < 2 or len(cols) < 2:
            continue
        cells = _cells(ink, _cluster([c[0] for c in cols], 4), _cluster([r[0] for r in rows], 4))
        if len(cells) >= 2:
            tables.append(cells)
    tables.sort(key=lambda t: min(c[1] for c in t))
    return tables


def _covered(ink: np.ndarray, fixed: float, lo: float, hi: float, vertical: bool) -> bool:
    """Is there a rule along ``fixed`` from ``lo`` to ``hi``: ink, within two pixels of the
    line, unbroken over nearly all the way? (A character's stroke is shorter than a cell.)"""
    a, b = int(round(lo)) + 2, int(round(hi)) - 2
    if b <= a:
        return True
    f = int(round(fixed))
    band = ink[a:b, max(0, f - 2):f + 3] if vertical else ink[max(0, f - 2):f + 3, a:b]
    hit = band.any(axis=1 if vertical else 0)
    runs = _runs(hit, 1)
    longest = max((e - s for s, e in runs), default=0)
    return longest >= 0.85 * len(hit)


def _cells(ink: np.ndarray, xs: list[float], ys: list[float]) -> list[tuple[float, float, float, float]]:
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not _covered(ink, xs[c + 1], ys[r], ys[r + 1], vertical=True):
                parent[find(r * nc + c + 1)] = find(r * nc + c)
            if r + 1 < nr and not _covered(ink, ys[r + 1], xs[c], xs[c + 1], vertical=False):
                parent[find((r + 1) * nc + c)] = find(r * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for slots in groups.values():
        r0, r1 = min(s[0] for s in slots), max(s[0] for s in slots) + 1
        c0, c1 = min(s[1] for s in slots), max(s[1] for s in slots) + 1
        cells.append((xs[c0], ys[r0], xs[c1], ys[r1]))
    return cells
