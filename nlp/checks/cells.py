"""The cells of every table: damaged numbers (``00``), blanks (not a 0), and glued digits the
reader could not cut with certainty."""

from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from nlp.checks._evidence import BLANK_RAW, _fmt, cell_ev, col_label, is_blank, require_tables, row_label, span_of, where
from nlp.checks.registry import CheckContext, register
from nlp.schema import TABLE_SHORT, Cell, Finding, Table, finding

_DAMAGED_NUMBER = re.compile(r"[0０][0-9０-９]+")
_ZEROS = ("0", "０")
"""What a damaged number starts with (tested before ``_DAMAGED_NUMBER``, with its length: most
cells are not, and most of those that are are a lone 0)."""


def _expected_cells(t: Table) -> Iterable[tuple[str, str]]:
    for rd in t.definition.rows:
        for col in t.definition.cols_of(rd):
            yield rd.key, col


def _template_cells(ctx: CheckContext, t: Table) -> list[tuple[str, str, Optional[Cell]]]:
    """``(row, col, cell)`` for every cell of ``t``'s template (cell None where none was read),
    made once a report for the checks that walk them all (damaged, blank): ``ctx.memo``."""
    key = ("template_cells", t.name)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = [(r, c, t.cells.get((r, c))) for r, c in _expected_cells(t)]
    return found


@register("cells.damaged.v1", kind="damaged_cell", severity="warning", title="表格单元格数字格式无误")
def cells_damaged(ctx: CheckContext) -> list[Finding]:
    """A cell written as a damaged number (``00``, ``007``), or text where a number belongs
    (value None, raw not blank; in table A that is ``table_a.values``' finding)."""
    out: list[Finding] = []
    for t in require_tables(ctx):
        for row, col, cell in _template_cells(ctx, t):
            if cell is None:
                continue
            raw = cell.raw.strip()
            if cell.value is not None and raw[:1] in _ZEROS and len(raw) > 1 and _DAMAGED_NUMBER.fullmatch(raw):
                problem = f"写作“{raw}”,按{_fmt(cell.value)}计,数字格式有误"
            elif cell.value is None and raw not in BLANK_RAW and t.name != "active":
                problem = f"写作“{raw}”,不是数字"
            else:
                continue
            ev = cell_ev(t, row, col)
            out.append(
                finding(
                    "cells.damaged.v1",
                    "damaged_cell",
                    "warning",
                    f"{where(t, row, col)}{problem}",
                    sha256=ctx.sha256,
                    locus=f"{t.name}:{row}:{col}",
                    evidence={"table": t.name, "cells": [ev], "problem": problem},
                    span=span_of([ev]),
                )
            )
    return out


@register("cells.blank.v1", kind="blank_cell", severity=("warning", "info"), title="表格单元格均已填写")
def cells_blank(ctx: CheckContext) -> list[Finding]:
    """Blank cells (no figure: empty, —, /), one finding per table listing them. A blank is
    not a 0; in tables B and C it keeps sums from being checked (warning), in A it is info."""
    out: list[Finding] = []
    for t in require_tables(ctx):
        expected = _template_cells(ctx, t)
        total = len(expected)
        blanks = [(r, c) for r, c, cell in expected if is_blank(cell)]
        if not blanks:
            continue
        cells = [cell_ev(t, r, c) | {"absent": (r, c) not in t.cells} for r, c in blanks]
        n_absent = sum(1 for c in cells if c["absent"])
        absent_note = f";其中{n_absent}个是表中未读到的单元格" if n_absent else ""
        by_row: dict[str, list[str]] = {}
        for r, c in blanks[:6]:  # each row named once, with its blank columns
            by_row.setdefault(r, []).append(c)
        listed = ";".join(f"「{row_label(t, r)}」行的{'、'.join(col_label(t, c) for c in cols)}列"
                          for r, cols in by_row.items())
        more = f"等{len(blanks)}处" if len(blanks) > 6 else ""
        out.append(
            finding(
                "cells.blank.v1",
                "blank_cell",
                "info" if t.name == "active" else "warning",
                f"{TABLE_SHORT[t.name]}{total}个单元格中有{len(blanks)}个空白(未填数字,不按0计{absent_note}):{listed}{more}",
                sha256=ctx.sha256,
                locus=f"{t.name}:blank",
                evidence={"table": t.name, "count": len(blanks), "of": total, "cells": cells},
                span=span_of(cells),
            )
        )
    return out


def _alt_cells(t: Table, alt: dict[str, Any]) -> list[tuple[str, str]]:
    """The (row, col) cells an alternative reading covers: its ``cells`` list, or every cell
    of its ``row``."""
    keys = {rd.key for rd in t.definition.rows}
    out: list[tuple[str, str]] = []
    for rc in alt.get("cells") or ():
        if isinstance(rc, (list, tuple)) and len(rc) == 2 and rc[0] in keys:
            out.append((str(rc[0]), str(rc[1])))
    row = alt.get("row")
    if not out and isinstance(row, str) and row in keys:
        out = [(row, c) for c in t.definition.cols_of(t.definition.row(row))]
    return out


def _why_uncertain(reason: str) -> str:
    r = reason.lower()
    if "several" in r:
        return "不止一种拆分都符合表内勾稽关系"
    if "no cut" in r:
        return "没有一种拆分符合表内勾稽关系"
    if "no arithmetic" in r:
        return "这些单元格没有勾稽关系可以判定拆分"
    return "拆分方式不唯一"


@register("cells.uncertain.v1", kind="uncertain_split", severity="warning", title="粘连数字拆分确定")
def cells_uncertain(ctx: CheckContext) -> list[Finding]:
    """Cells the glued-text splitter could not cut with certainty: one finding per glued run
    (``Table.alternatives``: the reading taken and the other cuts that fit), and one per row
    for cells marked ``uncertain`` that no alternative covers."""
    out: list[Finding] = []
    for t in require_tables(ctx, with_stats=True):
        order = [rd.key for rd in t.definition.rows]
        covered: set[tuple[str, str]] = set()
        for alt in t.alternatives:
            if not isinstance(alt, dict):
                continue
            rcs = _alt_cells(t, alt)
            covered.update(rcs)
            rows = sorted({r for r, _ in rcs}, key=order.index)
            cells = [cell_ev(t, r, c) for r, c in rcs]
            label = "、".join(f"「{row_label(t, r)}」" for r in rows) or ""
            chosen = alt.get("chosen") or [c["value"] for c in cells]
            n = alt.get("n_options")
            raw = alt.get("raw")
            message = (
                f"{TABLE_SHORT[t.name]}{label}行的数字粘连在一起" + (f"(“{raw}”)" if raw else "")
                + (f",有{n}种拆分方式" if n else "") + f",{_why_uncertain(str(alt.get('reason', '')))};"
                f"采用的读法为 {'/'.join(_fmt(v) for v in chosen)},请人工核对"
            )
            out.append(
                finding(
                    "cells.uncertain.v1",
                    "uncertain_split",
                    "warning",
                    message,
                    sha256=ctx.sha256,
                    locus=f"{t.name}:{'+'.join(rows)}:uncertain",
                    evidence={
                        "table": t.name,
                        "cells": cells,
                        "alternatives": [alt],
                        "notes": sorted({n for r, c in rcs if (n := getattr(t.cells.get((r, c)), "note", None))}),
                    },
                    span=span_of(cells) or ((t.start, t.end) if t.start is not None and t.end is not None else None),
                )
            )
        rest: dict[str, list[str]] = {}
        if not any(cell.uncertain and not cell.ocr for cell in t.cells.values()):
            continue  # no uncertain cell left to report (the usual case: decided without the template's cells)
        for r, c in _expected_cells(t):
            cell = t.cells.get((r, c))
            if cell is not None and cell.uncertain and not cell.ocr and (r, c) not in covered:
                rest.setdefault(r, []).append(c)
        for row, cols in rest.items():
            cells = [cell_ev(t, row, c) for c in cols]
            notes = sorted({n for c in cols if (n := t.cells[(row, c)].note)})
            out.append(
                finding(
                    "cells.uncertain.v1",
                    "uncertain_split",
                    "warning",
                    f"{TABLE_SHORT[t.name]}「{row_label(t, row)}」行的数字拆分不确定;"
                    f"采用的读法为 {'/'.join(_fmt(c['value']) for c in cells)},请人工核对",
                    sha256=ctx.sha256,
                    locus=f"{t.name}:{row}:uncertain",
                    evidence={"table": t.name, "cells": cells, "alternatives": [], "notes": notes},
                    span=span_of(cells),
                )
            )
    return out


@register("cells.label.v1", kind="damaged_label", severity="warning", title="表格行标签与模板一致")
def cells_label(ctx: CheckContext) -> list[Finding]:
    """A row whose printed label is not the template's: characters lost or misprinted
    (``本机关不掌握政府信息`` for ``本机关不掌握相关政府信息``). The row was read by the nearest
    label; the finding shows the label as printed and how far it is off."""
    out: list[Finding] = []
    for t in require_tables(ctx, with_stats=True):
        if not any(cell.label for cell in t.cells.values()):
            continue  # no label printed otherwise than the template's (the usual case): no row to walk
        for rd in t.definition.rows:
            cols = [c for c in t.definition.cols_of(rd) if (rd.key, c) in t.cells]
            printed = next((t.cells[(rd.key, c)] for c in cols if t.cells[(rd.key, c)].label), None)
            if printed is None:
                continue
            evs = [cell_ev(t, rd.key, c) for c in cols]
            template_label = rd.labels[0]
            out.append(
                finding(
                    "cells.label.v1",
                    "damaged_label",
                    "warning",
                    f"{TABLE_SHORT[t.name]}「{row_label(t, rd.key)}」行的标签印作“{printed.label}”,"
                    f"与模板的“{template_label}”相差{printed.label_distance}个字",
                    sha256=ctx.sha256,
                    locus=f"{t.name}:{rd.key}:label",
                    evidence={"table": t.name, "row": rd.key, "printed": printed.label,
                              "template": template_label, "distance": printed.label_distance, "cells": evs},
                    span=span_of(evs),
                )
            )
    return out


@register("cells.ocr.v1", kind="ocr_cell", severity="warning", title="表格数字不是由扫描图像识别而来")
def cells_ocr(ctx: CheckContext) -> list[Finding]:
    """Cells read by OCR from a scanned page: one finding per table, for a reviewer to hold the
    figures against the scan (OCR misreads digits; every such cell is ``uncertain``)."""
    out: list[Finding] = []
    for t in require_tables(ctx, with_stats=True):
        if not any(cell.ocr for cell in t.cells.values()):
            continue  # no cell read by OCR (the usual case: decided without the template's cells)
        ocr = [(r, c) for r, c in _expected_cells(t) if (cell := t.cells.get((r, c))) is not None and cell.ocr]
        if not ocr:
            continue
        evs = [cell_ev(t, r, c) for r, c in ocr]
        out.append(
            finding(
                "cells.ocr.v1",
                "ocr_cell",
                "warning",
                f"{TABLE_SHORT[t.name]}的{len(ocr)}个数字是从扫描图像中用OCR识别出来的,可能有误,请对照原件核对",
                sha256=ctx.sha256,
                locus=f"{t.name}:ocr",
                evidence={"table": t.name, "cells": evs},
                span=span_of(evs),
            )
        )
    return out



@register("cells.derived.v1", kind="blank_cell", severity="warning", title="表格总计列(行)已填写")
def cells_derived(ctx: CheckContext) -> list[Finding]:
    """A 总计 column or row left blank: the reader derived its figures from the cells they add
    up (``Cell.derived``), so the narrative can still be checked; the blank is reported, one
    finding per table, naming the derived cells."""
    out: list[Finding] = []
    for t in require_tables(ctx):
        if not any(cell.derived for cell in t.cells.values()):
            continue  # no cell derived (the usual case)
        derived = [(r, c) for r, c in _expected_cells(t) if (cell := t.cells.get((r, c))) is not None and cell.derived]
        if not derived:
            continue
        evs = [cell_ev(t, r, c) for r, c in derived]
        rows = {r for r, _ in derived}
        cols = {c for _, c in derived}
        line = (f"「{col_label(t, next(iter(cols)))}」列" if len(cols) == 1
                else f"「{row_label(t, next(iter(rows)))}」行" if len(rows) == 1 else "总计")
        out.append(
            finding(
                "cells.derived.v1",
                "blank_cell",
                "warning",
                f"{TABLE_SHORT[t.name]}的{line}空白(未填数字);已按各分项相加推算出{len(derived)}个总计,"
                "推算值在表中标为“推算”,用于核对叙述",
                sha256=ctx.sha256,
                locus=f"{t.name}:derived",
                evidence={"table": t.name, "cells": evs, "derived": [list(k) for k in derived]},
                span=span_of(evs),
            )
        )
    return out
