"""Arithmetic inside the standard tables: table B's row sums, (七)总计 and balance, table C's
totals, table A's values.

Every finding carries, in ``evidence``, the cells it used (table, row, col, value, raw, start,
end), the arithmetic in words and, as ``span``, where in ``Document.text`` the cells are.

Blank cells: a row sum of table B with a blank cell is not checked (``cells.blank`` reports
the blanks). The other sums are checked with blanks counted as 0 when their total is
written; a failure that depends on a blank is a warning, not an error.
"""

from __future__ import annotations

from typing import Any, Sequence

from nlp.checks._evidence import _fmt, cell_ev, col_label, eq, is_blank, require_table, row_label, span_of, where
from nlp.checks.registry import CheckContext, register
from nlp.schema import B_GROUPS, B_RESULT_ROWS_TOP, REQUEST_COLUMNS, REVIEW_COLUMNS, Finding, Table, finding

# table A columns where the figure is money or a signed change, not a count
_A_NOT_COUNT = {"amount_10k_yuan", "change"}
_A_MAY_BE_NEGATIVE = {"change"}


def _terms(table: Table, cells: list[dict[str, Any]], by: str) -> str:
    """``1 + 0 + 2`` — or, for a long sum, only its non-zero terms named by row/col."""
    if len(cells) <= 7:
        return " + ".join(_fmt(c["value"]) for c in cells)
    name = (lambda c: row_label(table, c["row"])) if by == "row" else (lambda c: col_label(table, c["col"]))
    nonzero = [f"{name(c)}{_fmt(c['value'])}" for c in cells if c["value"]]
    return " + ".join(nonzero) if nonzero else "各项均为0"


def _values(table: Table, keys: Sequence[tuple[str, str]]) -> list[Any]:
    """``table.value(row, col)`` of each ``(row, col)`` (None: blank or not read), read from its cells."""
    cells = table.cells
    return [None if (c := cells.get(k)) is None else c.value for k in keys]


def _sum_finding(
    check: str,
    ctx: CheckContext,
    table: Table,
    *,
    locus: str,
    scope: str,
    parts: Sequence[tuple[str, str]],
    parts_name: str,
    totals: Sequence[tuple[str, str]],
    totals_name: str,
    by: str = "col",
) -> list[Finding]:
    """One finding if ``sum(parts) != sum(totals)``, else none.

    Nothing is said when a total cell is blank or every part is. Blank parts count as 0 and
    make a failure a warning. ``scope`` (the row or column), ``parts_name`` and
    ``totals_name`` word the message; ``by`` says whether the parts differ by row or column.
    """
    tot_values = _values(table, totals)
    if None in tot_values:
        return []
    part_values = _values(table, parts)
    if part_values.count(None) == len(part_values):
        return []
    lhs = sum([v for v in part_values if v is not None])
    rhs = sum(tot_values)
    if eq(lhs, rhs):
        return []  # the usual case: decided on the values, no evidence made
    tot_cells = [cell_ev(table, r, c) for r, c in totals]
    part_cells = [cell_ev(table, r, c) for r, c in parts]
    blanks = [c for c in part_cells if c["value"] is None]
    diff = lhs - rhs
    lhs_words = f"{_terms(table, part_cells, by)} = {_fmt(lhs)}"
    rhs_words = f"{' + '.join(_fmt(c['value']) for c in tot_cells)} = {_fmt(rhs)}" if len(tot_cells) > 1 else _fmt(rhs)
    note = f";其中{len(blanks)}个空白单元格按0计" if blanks else ""
    # figures read by OCR from a scan may be misread: a warning to hold them against the page
    ocr = any(getattr(table.cells.get((r, c)), "ocr", False) for r, c in list(parts) + list(totals))
    if ocr:
        note += ";数字由OCR从扫描图像识别,请对照原件"
    message = f"{scope}:{parts_name} {lhs_words},与{totals_name} {rhs_words} 不符(相差{_fmt(abs(diff))}{note})"
    arithmetic = (
        f"{parts_name}: {' + '.join(_fmt(c['value']) for c in part_cells)} = {_fmt(lhs)}; "
        f"{totals_name}: {rhs_words}; 差 {_fmt(diff)}"
    )
    cells = part_cells + tot_cells
    return [
        finding(
            check,
            "table_arithmetic",
            "warning" if blanks or ocr else "error",
            message,
            sha256=ctx.sha256,
            locus=locus,
            evidence={
                "table": table.name,
                "relation": f"{parts_name} = {totals_name}",
                "parts": part_cells,
                "totals": tot_cells,
                "cells": cells,
                "sum_parts": lhs,
                "sum_totals": rhs,
                "difference": diff,
                "blank_as_zero": [f"{c['row']}/{c['col']}" for c in blanks],
                "arithmetic": arithmetic,
            },
            span=span_of(cells),
        )
    ]


# ---------------------------------------------------------------------------
# Table B
# ---------------------------------------------------------------------------


@register("table_b.row_sum.v1", kind="table_arithmetic", severity=("error", "warning"), title="表B每行六类申请人之和等于总计")
def table_b_row_sum(ctx: CheckContext) -> list[Finding]:
    """Table B: on every row the six applicant columns add up to 总计 (rows with a blank are skipped)."""
    t = require_table(ctx, "requests")
    out: list[Finding] = []
    applicants = REQUEST_COLUMNS[:-1]
    for rd in t.definition.rows:
        values = [None if (c := t.cells.get((rd.key, col))) is None else c.value for col in REQUEST_COLUMNS]
        if None in values:
            continue  # a blank (or unread) cell, or a row not read at all
        if eq(sum(values[:-1]), values[-1]):
            continue  # the usual case, decided on the values
        out += _sum_finding(
            "table_b.row_sum.v1",
            ctx,
            t,
            locus=f"requests:{rd.key}",
            scope=f"表B「{row_label(t, rd.key)}」行",
            parts=[(rd.key, c) for c in applicants],
            parts_name="六类申请人之和",
            totals=[(rd.key, "total")],
            totals_name="总计",
        )
    return out


def _b_result_rows(t: Table) -> list[str]:
    """The rows under 三、本年度办理结果 that add up to (七)总计: (一)(二) and every row of (三)–(六)."""
    return [
        rd.key
        for rd in t.definition.rows
        if rd.key in B_RESULT_ROWS_TOP or rd.parent in B_GROUPS or rd.key in B_GROUPS
    ]


@register("table_b.closed_total.v1", kind="table_arithmetic", severity=("error", "warning"), title="表B各列办理结果(一)至(六)之和等于(七)总计")
def table_b_closed_total(ctx: CheckContext) -> list[Finding]:
    """Table B, per column: (七)总计 = (一) + (二) + every row under (三)(四)(五)(六)."""
    t = require_table(ctx, "requests")
    rows = _b_result_rows(t)
    out: list[Finding] = []
    for col in REQUEST_COLUMNS:
        out += _sum_finding(
            "table_b.closed_total.v1",
            ctx,
            t,
            locus=f"requests:closed:{col}",
            scope=f"表B「{col_label(t, col)}」列",
            parts=[(r, col) for r in rows],
            parts_name="办理结果(一)至(六)各项之和",
            totals=[("closed", col)],
            totals_name="(七)总计",
            by="row",
        )
    return out


@register("table_b.balance.v1", kind="table_arithmetic", severity=("error", "warning"), title="表B各列本年新收+上年结转=办理结果总计+结转下年度")
def table_b_balance(ctx: CheckContext) -> list[Finding]:
    """Table B, per column, the template's 勾稽关系: 一 + 二 = 三(七)总计 + 四."""
    t = require_table(ctx, "requests")
    out: list[Finding] = []
    for col in REQUEST_COLUMNS:
        out += _sum_finding(
            "table_b.balance.v1",
            ctx,
            t,
            locus=f"requests:balance:{col}",
            scope=f"表B「{col_label(t, col)}」列",
            parts=[("new", col), ("carried_in", col)],
            parts_name="本年新收+上年结转",
            totals=[("closed", col), ("carried_out", col)],
            totals_name="(七)总计+结转下年度",
            by="row",
        )
    return out


# ---------------------------------------------------------------------------
# Table C
# ---------------------------------------------------------------------------


@register("table_c.totals.v1", kind="table_arithmetic", severity=("error", "warning"), title="表C复议、诉讼各行四项之和等于总计")
def table_c_totals(ctx: CheckContext) -> list[Finding]:
    """Table C: each of the three 总计 is the sum of the four figures before it."""
    t = require_table(ctx, "review")
    out: list[Finding] = []
    for rd in t.definition.rows:
        out += _sum_finding(
            "table_c.totals.v1",
            ctx,
            t,
            locus=f"review:{rd.key}",
            scope=f"表C「{row_label(t, rd.key)}」",
            parts=[(rd.key, c) for c in REVIEW_COLUMNS[:-1]],
            parts_name="维持+纠正+其他+尚未审结",
            totals=[(rd.key, "total")],
            totals_name="总计",
        )
    return out


# ---------------------------------------------------------------------------
# Table A
# ---------------------------------------------------------------------------


@register("table_a.values.v1", kind=("invalid_value", "damaged_cell"), severity=("error", "warning"), title="表A数值为非负整数(金额除外)")
def table_a_values(ctx: CheckContext) -> list[Finding]:
    """Table A: negative figures, fractions where a count is expected, text where a number is.

    Damaged numbers such as ``00`` and blanks are left to ``cells.damaged`` and ``cells.blank``.
    """
    t = require_table(ctx, "active")
    out: list[Finding] = []
    for rd in t.definition.rows:
        for col in t.definition.cols_of(rd):
            cell = t.cells.get((rd.key, col))
            if cell is None or is_blank(cell):
                continue
            ev = cell_ev(t, rd.key, col)
            v = cell.value
            problem = severity = None
            if v is None:
                problem, severity = f"写作“{cell.raw}”,不是数字", "warning"
            elif v < 0 and col not in _A_MAY_BE_NEGATIVE:
                problem, severity = f"为负数 {_fmt(v)}", "error"
            elif col not in _A_NOT_COUNT and not float(v).is_integer():
                problem, severity = f"为 {_fmt(v)},件数/决定数应为整数", "warning"
            if problem is None:
                continue
            out.append(
                finding(
                    "table_a.values.v1",
                    "invalid_value" if v is not None else "damaged_cell",
                    severity,
                    f"{where(t, rd.key, col)}{problem}",
                    sha256=ctx.sha256,
                    locus=f"active:{rd.key}:{col}",
                    evidence={"table": "active", "cells": [ev], "problem": problem},
                    span=span_of([ev]),
                )
            )
    return out


