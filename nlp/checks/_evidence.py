"""What findings show: cells with their place in the text, spans, numbers written back, and
claims in brief. One formatting of a figure (``nlp.numbers.format_number``, a blank cell is
空白) for every check.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from nlp.numbers import format_number as _fmt
from nlp.reconcile import check_claim
from nlp.checks.registry import CheckContext, NotAssessable
from nlp.schema import TABLE_SHORT, TABLE_TITLES, Cell, Claim, Number, Table, Tables, column_zh, row_zh

__all__ = ["BLANK_RAW", "_fmt", "cell_ev", "claim_brief", "claim_evidence", "col_label", "eq", "is_blank",
           "narrative_spans", "pre2019", "require_table", "require_tables", "row_label", "span_of", "where"]

BLANK_RAW = {"", "-", "—", "——", "–", "－", "/", "／", "\\", "无", "空"}
"""What a cell with no figure is written as."""


def pre2019(ctx: CheckContext) -> bool:
    """A report of 2018 or before (no standard tables then)."""
    return ctx.tables.template == "pre2019" or (ctx.year is not None and ctx.year <= 2018)


def require_table(ctx: CheckContext, name: str) -> Table:
    """The table ``name`` of the report, or :class:`NotAssessable` saying why there is none."""
    t = ctx.tables.get(name)
    if t is not None:
        return t
    if pre2019(ctx):
        raise NotAssessable("2019年以前的报告没有标准表格")
    raise NotAssessable(f"报告中没有读到{TABLE_TITLES.get(name, name)}表")


def require_tables(ctx: CheckContext, with_stats: bool = False) -> list[Table]:
    """Every table the report has (``with_stats``: and its pre-2019 统计表), or
    :class:`NotAssessable` when it has none."""
    found = ctx.tables.all() + ([ctx.tables.stats] if with_stats and ctx.tables.stats is not None else [])
    if found:
        return found
    raise NotAssessable("2019年以前的报告没有标准表格" if pre2019(ctx) else "报告中没有读到标准表格")


def col_label(table: Table, col: str) -> str:
    return column_zh(table.name, col)


def row_label(table: Table, row: str) -> str:
    return row_zh(table.definition, row)


def where(table: Table, row: str, col: str) -> str:
    """``表B「本年新收」行「总计」列``."""
    return f"{TABLE_SHORT[table.name]}「{row_label(table, row)}」行「{col_label(table, col)}」列"


def is_blank(cell: Optional[Cell]) -> bool:
    return cell is None or (cell.value is None and cell.raw.strip() in BLANK_RAW)


def cell_ev(table: Table, row: str, col: str) -> dict[str, Any]:
    """A cell as evidence: table, row, col, value, raw text and its place in ``Document.text``."""
    c = table.cells.get((row, col))
    return {
        "table": table.name,
        "row": row,
        "col": col,
        "value": None if c is None else c.value,
        "raw": None if c is None else c.raw,
        "start": None if c is None else c.start,
        "end": None if c is None else c.end,
    }


def span_of(cells: Iterable[dict[str, Any]]) -> Optional[tuple[int, int]]:
    """The stretch of text the evidence cells cover, if any was located."""
    cells = list(cells)
    starts = [c["start"] for c in cells if c.get("start") is not None]
    ends = [c["end"] for c in cells if c.get("end") is not None]
    return (min(starts), max(ends)) if starts and ends else None


def eq(a: Number, b: Number) -> bool:
    return abs(a - b) < 1e-6


def claim_brief(c: Claim) -> dict:
    """A claim in a finding's evidence: id, text, number and where the number is."""
    return {"claim_id": c.id, "text": c.text, "number_text": c.number_text, "value": c.value,
            "approx": c.approx, "qualifier": c.qualifier, "unit": c.unit, "span": [c.num_start, c.num_end]}


def claim_evidence(c: Claim, tables: Tables, confidence_floor: Optional[float] = None) -> dict:
    """A reconciled claim in full: its status and explanation, and the table figures with their cells.
    ``confidence_floor``: the run's (the figures do not depend on it; given, the settings are not read again)."""
    check = check_claim(c, tables, confidence_floor=confidence_floor)  # the figures, for their cells; status is the claim's own
    return {
        "claim_id": c.id,
        "text": c.text,
        "span": [c.start, c.end],
        "number_text": c.number_text,
        "value": c.value,
        "unit": c.unit,
        "metric": c.metric,
        "confidence": c.confidence,
        "status": c.status,
        "table_value": c.table_value,
        "reading": c.reading,
        "explanation": c.evidence,
        "figures": [f.to_json(tables) for f in check.figures],
        "related_figures": [f.to_json(tables) for f in check.related],
    }


def narrative_spans(ctx: CheckContext) -> list[tuple[int, int]]:
    """The stretches of the text outside the parsed tables (made once a report: ``CheckContext.narrative_spans``)."""
    return ctx.narrative_spans
