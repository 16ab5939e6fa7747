"""A :class:`~nlp.schema.Table` from the readings chosen for its rows.

:class:`RowResult` is one row as read (its readings, the one chosen, the cells left uncertain
and why); :func:`make_table` turns the rows into cells with their offsets and raw text;
:func:`shape_of` names how the table was written; :func:`differing` lists the columns on
which readings disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Optional, Sequence

from nlp.schema import Cell, Document, RowDef, Table, TableDef
from nlp.tables._rows import Hit, label_distance
from nlp.tables._split import CUT, Reading
from nlp.tables._tokens import Tok, cell_value

__all__ = ["RowResult", "make_table", "shape_of", "differing", "derive_totals", "OCR_NOTE"]

OCR_NOTE = "read by OCR from a page image"


@dataclass
class RowResult:
    rd: RowDef
    cols: tuple[str, ...]
    hit: Optional[Hit]
    options: list[Reading]
    how: str
    chosen: int = 0
    uncertain_cols: frozenset[str] = frozenset()
    note: Optional[str] = None


def make_table(tdef: TableDef, results: list[RowResult], toks: Sequence[Tok], doc: Document,
               shape: str, alternatives: list[dict[str, Any]]) -> Table:
    cells: dict[tuple[str, str], Cell] = {}
    starts, ends = [], []
    for rr in results:
        if not rr.options:
            continue
        reading = rr.options[rr.chosen]
        label, distance = None, 0
        if rr.hit is not None and rr.hit.fuzzy:  # the label as printed, and how far off it is
            label = doc.text[toks[rr.hit.first].start:toks[rr.hit.last].end]
            distance = label_distance(label, rr.rd)
        for col, (tok, sl) in zip(rr.cols, reading.cells):
            if sl is None:
                a, b = tok.start, tok.end
            else:
                a, b = tok.start + sl[0], tok.start + sl[1]
            raw = doc.text[a:b] if b > a else ""
            value = cell_value(raw) if tok.kind == "num" else None
            if tok.kind == "num" and value is None:
                value = cell_value(tok.text if sl is None else tok.text[sl[0]:sl[1]])
            unc = col in rr.uncertain_cols
            note = rr.note
            ocr = doc.is_ocr(a) if doc.ocr_spans else False
            if ocr:  # read from a page image: uncertain, whatever the arithmetic says
                unc, note = True, note or OCR_NOTE
            cells[(rr.rd.key, col)] = Cell(value, raw, a, b, unc, note, ocr=ocr, label=label, label_distance=distance)
            starts.append(a)
            ends.append(b)
        if rr.hit is not None:
            starts.append(toks[rr.hit.first].start)
    return Table(
        definition=tdef,
        cells=cells,
        start=min(starts) if starts else None,
        end=max(ends) if ends else None,
        shape=shape,
        alternatives=tuple(alternatives),
    )


def shape_of(hits: Sequence[Hit], toks: Sequence[Tok], results: Sequence[RowResult]) -> str:
    shapes = [toks[h.first].shape for h in hits]
    if not shapes:
        return ""
    shape = max(dict.fromkeys(shapes), key=shapes.count)  # ties: the first seen
    if any(rr.how in CUT and rr.hit is not None and len(rr.options[rr.chosen].cells) > len(rr.hit.values)
           for rr in results if rr.options):
        shape = "glued" if shape == "text" else f"{shape}+glued"
    elif shape == "text":
        shape = "spaced"
    return shape


def differing(options: Sequence[Reading], idx: Sequence[int], cols: Sequence[str]) -> frozenset[str]:
    vals = [options[i].raw() for i in idx]
    out = set()
    for j, col in enumerate(cols):
        if len({tuple(v[j:j + 1]) for v in vals}) > 1:
            out.add(col)
    return frozenset(out)


# ---------------------------------------------------------------------------
# Totals left blank
# ---------------------------------------------------------------------------

_BLANK = ("", "-", "—", "——", "–", "/", "\\", "无", "空")


def _blank(cell: Optional[Cell]) -> bool:
    return cell is not None and cell.value is None and cell.raw.strip() in _BLANK


def derive_totals(table: Table, line: Sequence[tuple[str, Sequence[tuple[str, str]]]],
                  what: str) -> Table:
    """``table`` with a total line left blank filled in from its parts.

    ``line``: the total cells of one 总计 column or row, each ``(col or row, its part cells)``
    as ``(row, col)`` keys. Only when every total cell of the line that was read is blank and
    some part has a figure: each total becomes the sum of its parts' figures (a blank part
    counts 0), ``derived`` and marked so in its note; ``what`` names the line in the note."""
    totals = [(key, parts) for key, parts in line if key in table.cells]
    if not totals or not all(_blank(table.cells[key]) for key, _ in totals):
        return table
    if not any(table.value(*p) is not None for _, parts in totals for p in parts):
        return table
    cells = dict(table.cells)
    for key, parts in totals:
        got = [table.value(*p) for p in parts]
        value = sum(v for v in got if v is not None)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        old = cells[key]
        cells[key] = replace(old, value=value, derived=True,
                             note=f"{what} left blank: derived from the {len(parts)} cells it adds up"
                                  + (f"; {sum(v is None for v in got)} of them blank, counted 0" if None in got else ""))
    return replace(table, cells=cells)
