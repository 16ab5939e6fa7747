"""Table checks: small pure functions over the parsed tables, registered by versioned name.

    run_checks(Document, Sections, Tables, names=None) -> list[Finding]

Each check is a function ``(tables, ctx) -> list[Finding]`` registered under a versioned
name with ``@register_check("table_b.row_sum.v1")`` (spaCy's registry way); ``CHECKS`` maps
the names to the functions and ``DEFAULT_CHECKS`` is the tuple ``run_checks`` runs when no
names are given. A new version of a check is registered beside the old one under ``.v2``;
the finding id depends on the check's base name, not its version, so a reviewer's decision
survives the upgrade.

Every finding carries, in ``evidence``, the cells it used (table, row, col, value, raw,
start, end), the arithmetic in words and, as ``span``, where in ``Document.text`` the cells
are. Messages are in Chinese and show the numbers.

Blank cells: a row sum of table B with a blank cell is not checked (``cells.blank`` reports
the blanks). The other sums are checked with blanks counted as 0 when their total is
written; a failure that depends on a blank is a warning, not an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

from nlp.errors import Errors, XxgkError
from nlp.schema import (
    TABLE_SHORT,
    column_zh,
    row_zh,
    B_GROUPS,
    B_RESULT_ROWS_TOP,
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    TABLE_TITLES,
    Cell,
    Document,
    Finding,
    Number,
    ReportMeta,
    Sections,
    Table,
    Tables,
    finding,
)

__all__ = ["CHECKS", "DEFAULT_CHECKS", "CheckContext", "register_check", "run_checks"]


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides the tables: the report's hash (for stable ids), its
    metadata (year) and its sections (to point at a heading)."""

    sha256: str
    meta: Optional[ReportMeta] = None
    sections: Optional[Sections] = None
    text: str = ""  # Document.text, for checks of a section's content

    @property
    def year(self) -> Optional[int]:
        return self.meta.year if self.meta is not None else None


CheckFn = Callable[[Tables, CheckContext], list[Finding]]
CHECKS: dict[str, CheckFn] = {}


def register_check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check under a versioned name (``"table_b.row_sum.v1"``); returns it unchanged."""
    if not re.fullmatch(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*\.v\d+", name):
        raise ValueError(f"check name {name!r} must look like 'area.what.v1'")

    def deco(fn: CheckFn) -> CheckFn:
        CHECKS[name] = fn
        return fn

    return deco


# ---------------------------------------------------------------------------
# Labels and evidence
# ---------------------------------------------------------------------------

_BLANK_RAW = {"", "-", "—", "——", "–", "－", "/", "／", "\\", "无", "空"}
_DAMAGED_NUMBER = re.compile(r"[0０][0-9０-９]+")
# table A columns where the figure is money or a signed change, not a count
_A_NOT_COUNT = {"amount_10k_yuan", "change"}
_A_MAY_BE_NEGATIVE = {"change"}


def _col_label(table: Table, col: str) -> str:
    return column_zh(table.name, col)


def _row_label(table: Table, row: str) -> str:
    return row_zh(table.definition, row)


def _where(table: Table, row: str, col: str) -> str:
    return f"{TABLE_SHORT[table.name]}「{_row_label(table, row)}」行「{_col_label(table, col)}」列"


def _fmt(v: Optional[Number]) -> str:
    if v is None:
        return "空白"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _is_blank(cell: Optional[Cell]) -> bool:
    return cell is None or (cell.value is None and cell.raw.strip() in _BLANK_RAW)


def _cell_ev(table: Table, row: str, col: str) -> dict[str, Any]:
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


def _span(cells: Iterable[dict[str, Any]]) -> Optional[tuple[int, int]]:
    starts = [c["start"] for c in cells if c.get("start") is not None]
    ends = [c["end"] for c in cells if c.get("end") is not None]
    return (min(starts), max(ends)) if starts and ends else None


def _eq(a: Number, b: Number) -> bool:
    return abs(a - b) < 1e-6


def _terms(table: Table, cells: list[dict[str, Any]], by: str) -> str:
    """``1 + 0 + 2`` — or, for a long sum, only its non-zero terms named by row/col."""
    if len(cells) <= 7:
        return " + ".join(_fmt(c["value"]) for c in cells)
    name = (lambda c: _row_label(table, c["row"])) if by == "row" else (lambda c: _col_label(table, c["col"]))
    nonzero = [f"{name(c)}{_fmt(c['value'])}" for c in cells if c["value"]]
    return " + ".join(nonzero) if nonzero else "各项均为0"


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
    tot_cells = [_cell_ev(table, r, c) for r, c in totals]
    if any(c["value"] is None for c in tot_cells):
        return []
    part_cells = [_cell_ev(table, r, c) for r, c in parts]
    if all(c["value"] is None for c in part_cells):
        return []
    blanks = [c for c in part_cells if c["value"] is None]
    lhs = sum(c["value"] for c in part_cells if c["value"] is not None)
    rhs = sum(c["value"] for c in tot_cells)
    if _eq(lhs, rhs):
        return []
    diff = lhs - rhs
    lhs_words = f"{_terms(table, part_cells, by)} = {_fmt(lhs)}"
    rhs_words = f"{' + '.join(_fmt(c['value']) for c in tot_cells)} = {_fmt(rhs)}" if len(tot_cells) > 1 else _fmt(rhs)
    note = f";其中{len(blanks)}个空白单元格按0计" if blanks else ""
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
            "warning" if blanks else "error",
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
            span=_span(cells),
        )
    ]


# ---------------------------------------------------------------------------
# Table B
# ---------------------------------------------------------------------------


@register_check("table_b.row_sum.v1")
def table_b_row_sum(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """Table B: on every row the six applicant columns add up to 总计 (rows with a blank are skipped)."""
    t = tables.requests
    if t is None:
        return []
    out: list[Finding] = []
    applicants = REQUEST_COLUMNS[:-1]
    for rd in t.definition.rows:
        if not t.has_row(rd.key):
            continue
        if any(_is_blank(t.cells.get((rd.key, c))) or t.value(rd.key, c) is None for c in REQUEST_COLUMNS):
            continue
        out += _sum_finding(
            "table_b.row_sum.v1",
            ctx,
            t,
            locus=f"requests:{rd.key}",
            scope=f"表B「{_row_label(t, rd.key)}」行",
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


@register_check("table_b.closed_total.v1")
def table_b_closed_total(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """Table B, per column: (七)总计 = (一) + (二) + every row under (三)(四)(五)(六)."""
    t = tables.requests
    if t is None:
        return []
    rows = _b_result_rows(t)
    out: list[Finding] = []
    for col in REQUEST_COLUMNS:
        out += _sum_finding(
            "table_b.closed_total.v1",
            ctx,
            t,
            locus=f"requests:closed:{col}",
            scope=f"表B「{_col_label(t, col)}」列",
            parts=[(r, col) for r in rows],
            parts_name="办理结果(一)至(六)各项之和",
            totals=[("closed", col)],
            totals_name="(七)总计",
            by="row",
        )
    return out


@register_check("table_b.balance.v1")
def table_b_balance(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """Table B, per column, the template's 勾稽关系: 一 + 二 = 三(七)总计 + 四."""
    t = tables.requests
    if t is None:
        return []
    out: list[Finding] = []
    for col in REQUEST_COLUMNS:
        out += _sum_finding(
            "table_b.balance.v1",
            ctx,
            t,
            locus=f"requests:balance:{col}",
            scope=f"表B「{_col_label(t, col)}」列",
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


@register_check("table_c.totals.v1")
def table_c_totals(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """Table C: each of the three 总计 is the sum of the four figures before it."""
    t = tables.review
    if t is None:
        return []
    out: list[Finding] = []
    for rd in t.definition.rows:
        out += _sum_finding(
            "table_c.totals.v1",
            ctx,
            t,
            locus=f"review:{rd.key}",
            scope=f"表C「{_row_label(t, rd.key)}」",
            parts=[(rd.key, c) for c in REVIEW_COLUMNS[:-1]],
            parts_name="维持+纠正+其他+尚未审结",
            totals=[(rd.key, "total")],
            totals_name="总计",
        )
    return out


# ---------------------------------------------------------------------------
# Table A
# ---------------------------------------------------------------------------


@register_check("table_a.values.v1")
def table_a_values(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """Table A: negative figures, fractions where a count is expected, text where a number is.

    Damaged numbers such as ``00`` and blanks are left to ``cells.damaged`` and ``cells.blank``.
    """
    t = tables.active
    if t is None:
        return []
    out: list[Finding] = []
    for rd in t.definition.rows:
        for col in t.definition.cols_of(rd):
            cell = t.cells.get((rd.key, col))
            if cell is None or _is_blank(cell):
                continue
            ev = _cell_ev(t, rd.key, col)
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
                    f"{_where(t, rd.key, col)}{problem}",
                    sha256=ctx.sha256,
                    locus=f"active:{rd.key}:{col}",
                    evidence={"table": "active", "cells": [ev], "problem": problem},
                    span=_span([ev]),
                )
            )
    return out


# ---------------------------------------------------------------------------
# Cells of every table
# ---------------------------------------------------------------------------


def _expected_cells(t: Table) -> Iterable[tuple[str, str]]:
    for rd in t.definition.rows:
        for col in t.definition.cols_of(rd):
            yield rd.key, col


@register_check("cells.damaged.v1")
def cells_damaged(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """A cell written as a damaged number (``00``, ``007``), or text where a number belongs
    (value None, raw not blank; in table A that is ``table_a.values``' finding)."""
    out: list[Finding] = []
    for t in tables.all():
        for row, col in _expected_cells(t):
            cell = t.cells.get((row, col))
            if cell is None:
                continue
            raw = cell.raw.strip()
            if cell.value is not None and _DAMAGED_NUMBER.fullmatch(raw):
                problem = f"写作“{raw}”,按{_fmt(cell.value)}计,数字格式有误"
            elif cell.value is None and raw not in _BLANK_RAW and t.name != "active":
                problem = f"写作“{raw}”,不是数字"
            else:
                continue
            ev = _cell_ev(t, row, col)
            out.append(
                finding(
                    "cells.damaged.v1",
                    "damaged_cell",
                    "warning",
                    f"{_where(t, row, col)}{problem}",
                    sha256=ctx.sha256,
                    locus=f"{t.name}:{row}:{col}",
                    evidence={"table": t.name, "cells": [ev], "problem": problem},
                    span=_span([ev]),
                )
            )
    return out


@register_check("cells.label.v1")
def cells_label(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """A row whose printed label is not the template's: characters lost or misprinted
    (``本机关不掌握政府信息`` for ``本机关不掌握相关政府信息``). The row was read by the nearest
    label; the finding shows the label as printed and how far it is off."""
    out: list[Finding] = []
    for t in tables.all() + ([tables.stats] if tables.stats is not None else []):
        for rd in t.definition.rows:
            cols = [c for c in t.definition.cols_of(rd) if (rd.key, c) in t.cells]
            printed = next((t.cells[(rd.key, c)] for c in cols if t.cells[(rd.key, c)].label), None)
            if printed is None:
                continue
            evs = [_cell_ev(t, rd.key, c) for c in cols]
            template_label = rd.labels[0]
            out.append(
                finding(
                    "cells.label.v1",
                    "damaged_label",
                    "warning",
                    f"{TABLE_SHORT[t.name]}「{_row_label(t, rd.key)}」行的标签印作“{printed.label}”,"
                    f"与模板的“{template_label}”相差{printed.label_distance}个字",
                    sha256=ctx.sha256,
                    locus=f"{t.name}:{rd.key}:label",
                    evidence={"table": t.name, "row": rd.key, "printed": printed.label,
                              "template": template_label, "distance": printed.label_distance, "cells": evs},
                    span=_span(evs),
                )
            )
    return out


@register_check("cells.blank.v1")
def cells_blank(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """Blank cells (no figure: empty, —, /), one finding per table listing them. A blank is
    not a 0; in tables B and C it keeps sums from being checked (warning), in A it is info."""
    out: list[Finding] = []
    for t in tables.all():
        expected = list(_expected_cells(t))
        total = len(expected)
        blanks = [(r, c) for r, c in expected if _is_blank(t.cells.get((r, c)))]
        if not blanks:
            continue
        cells = [_cell_ev(t, r, c) | {"absent": (r, c) not in t.cells} for r, c in blanks]
        n_absent = sum(1 for c in cells if c["absent"])
        absent_note = f";其中{n_absent}个是表中未读到的单元格" if n_absent else ""
        listed = "、".join(f"「{_row_label(t, r)}」行「{_col_label(t, c)}」列" for r, c in blanks[:6])
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
                span=_span(cells),
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


@register_check("cells.uncertain.v1")
def cells_uncertain(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """Cells the glued-text splitter could not cut with certainty: one finding per glued run
    (``Table.alternatives``: the reading taken and the other cuts that fit), and one per row
    for cells marked ``uncertain`` that no alternative covers."""
    out: list[Finding] = []
    for t in tables.all():
        order = [rd.key for rd in t.definition.rows]
        covered: set[tuple[str, str]] = set()
        for alt in t.alternatives:
            if not isinstance(alt, dict):
                continue
            rcs = _alt_cells(t, alt)
            covered.update(rcs)
            rows = sorted({r for r, _ in rcs}, key=order.index)
            cells = [_cell_ev(t, r, c) for r, c in rcs]
            label = "、".join(f"「{_row_label(t, r)}」" for r in rows) or ""
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
                    span=_span(cells) or ((t.start, t.end) if t.start is not None and t.end is not None else None),
                )
            )
        rest: dict[str, list[str]] = {}
        for r, c in _expected_cells(t):
            cell = t.cells.get((r, c))
            if cell is not None and cell.uncertain and (r, c) not in covered:
                rest.setdefault(r, []).append(c)
        for row, cols in rest.items():
            cells = [_cell_ev(t, row, c) for c in cols]
            notes = sorted({n for c in cols if (n := t.cells[(row, c)].note)})
            out.append(
                finding(
                    "cells.uncertain.v1",
                    "uncertain_split",
                    "warning",
                    f"{TABLE_SHORT[t.name]}「{_row_label(t, row)}」行的数字拆分不确定;"
                    f"采用的读法为 {'/'.join(_fmt(c['value']) for c in cells)},请人工核对",
                    sha256=ctx.sha256,
                    locus=f"{t.name}:{row}:uncertain",
                    evidence={"table": t.name, "cells": cells, "alternatives": [], "notes": notes},
                    span=_span(cells),
                )
            )
    return out


# ---------------------------------------------------------------------------
# Tables present, template fits the year
# ---------------------------------------------------------------------------

_TABLE_NAMES = ("active", "requests", "review")
_TABLE_FULL = {"active": "表A(主动公开政府信息情况)", "requests": "表B(收到和处理政府信息公开申请情况)",
               "review": "表C(行政复议、行政诉讼情况)"}


def _is_pre2019(tables: Tables, ctx: CheckContext) -> bool:
    return tables.template == "pre2019" or (ctx.year is not None and ctx.year <= 2018)


@register_check("tables.missing.v1")
def tables_missing(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """A standard table the template needs is missing, or its section heading is there with
    no table. Nothing for a report of 2018 or before (no standard tables then)."""
    if _is_pre2019(tables, ctx):
        return []
    out: list[Finding] = []
    for name in _TABLE_NAMES:
        if tables.get(name) is not None and name not in tables.empty_sections:
            continue
        sec = ctx.sections.get(name) if ctx.sections is not None else None
        title = _TABLE_FULL[name]
        if name in tables.empty_sections:
            heading = sec.heading if sec is not None else ""
            message = f"“{heading}”一节只有标题,没有{title}" if heading else f"{title}所在章节只有标题,没有表格"
        elif sec is not None:
            message = f"“{sec.heading}”一节没有读到{title}"
        else:
            message = f"报告缺少{title}及其所在章节"
        evidence: dict[str, Any] = {
            "table": name,
            "template": tables.template,
            "year": ctx.year,
            "section": None if sec is None else {"heading": sec.heading, "start": sec.start, "end": sec.end},
            "cells": [],
        }
        out.append(
            finding(
                "tables.missing.v1",
                "missing_table",
                "error",
                message,
                sha256=ctx.sha256,
                locus=f"{name}:missing",
                evidence=evidence,
                span=(sec.start, sec.end) if sec is not None else None,
            )
        )
    return out


@register_check("template.year.v1")
def template_year(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """The template does not fit the year: the 2019 template in a report for 2021 or later,
    the 2021 template for 2019/2020, standard tables in a report for 2018 or before. Only where
    the form really is the other edition: a hybrid report (table A of one edition, table B of
    the other) is not taken for the old form."""
    year = ctx.year
    if year is None:
        return []
    used = {t.definition.template for t in tables.all()} & {"2019", "2021"}
    if not used:
        used = {tables.template} & {"2019", "2021"}
    problem = None
    if year <= 2018 and tables.all():
        problem = f"{year}年度的报告不应有2019年后的标准表格,却读到了{'、'.join(TABLE_SHORT[t.name] for t in tables.all())}"
        expected = "pre2019"
    elif year >= 2021 and used == {"2019"}:
        problem = f"{year}年度的报告应使用2021年版表格,却使用了2019年版"
        expected = "2021"
    elif year in (2019, 2020) and used == {"2021"}:
        problem = f"{year}年度的报告应使用2019年版表格,却使用了2021年版"
        expected = "2019"
    if problem is None:
        return []
    return [
        finding(
            "template.year.v1",
            "template",
            "warning",
            f"表格模板与年度不符:{problem}",
            sha256=ctx.sha256,
            locus="template",
            evidence={
                "year": year,
                "year_evidence": ctx.meta.year_evidence if ctx.meta else None,
                "template": tables.template,
                "templates_read": sorted(used),
                "expected": expected,
                "cells": [],
            },
        )
    ]


_NOTHING_SAID = re.compile(r"^(?:本(?:年度|年)?|今年)?(?:暂)?(?:无|没有)(?:存在的?主要问题|问题|其他需要报告的事项)?$")


@register_check("sections.problems_empty.v1")
def problems_empty(tables: Tables, ctx: CheckContext) -> list[Finding]:
    """Section 五 (存在的主要问题及改进情况) that says nothing but 无: the template asks for the
    problems and how they were improved (a quality check of the peer system)."""
    sec = ctx.sections.get("problems") if ctx.sections is not None else None
    if sec is None or not ctx.text:
        return []
    body = _PUNCT_SPACE.sub("", ctx.text[sec.body_start:sec.end])
    if body and not _NOTHING_SAID.match(body):
        return []
    what = "为空" if not body else f"只写了“{ctx.text[sec.body_start:sec.end].strip()}”"
    return [
        finding(
            "sections.problems_empty.v1",
            "section_content",
            "warning",
            f"“{sec.heading.strip()}”一节{what},未说明存在的问题及改进情况",
            sha256=ctx.sha256,
            locus="problems",
            evidence={"section": "problems", "heading": sec.heading, "body": ctx.text[sec.body_start:sec.end].strip()},
            span=(sec.start, sec.end),
        )
    ]


_PUNCT_SPACE = re.compile(r"[\s,，、.。:：;；!！()（）\-—_|*#]+")


DEFAULT_CHECKS: tuple[str, ...] = (
    "table_b.row_sum.v1",
    "table_b.closed_total.v1",
    "table_b.balance.v1",
    "table_c.totals.v1",
    "table_a.values.v1",
    "cells.damaged.v1",
    "cells.blank.v1",
    "cells.uncertain.v1",
    "cells.label.v1",
    "tables.missing.v1",
    "template.year.v1",
    "sections.problems_empty.v1",
)


def run_checks(
    doc: Document, sections: Sections, tables: Tables, names: Optional[Sequence[str]] = None
) -> list[Finding]:
    """Run the named checks (``DEFAULT_CHECKS`` when ``names`` is None) over one report.

    Parameters
    ----------
    doc, sections, tables:
        The outputs of ``ingest``, ``find_sections`` and ``parse_tables`` for one report.
    names:
        Registered check names (``CHECKS``), in the order to run them.

    Returns
    -------
    list[Finding]
        The findings of every check, in check order. Raises ``XxgkError`` (E042) for a name
        that is not registered.
    """
    ctx = CheckContext(sha256=doc.sha256, meta=sections.meta, sections=sections, text=doc.text)
    out: list[Finding] = []
    for name in DEFAULT_CHECKS if names is None else names:
        fn = CHECKS.get(name)
        if fn is None:
            raise XxgkError(Errors.E042, name=name, known=", ".join(sorted(CHECKS)))
        out.extend(fn(tables, ctx))
    return out
