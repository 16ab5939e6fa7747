"""How a finding, its evidence and a review read in Chinese words: the labels of severities,
decisions, kinds and check results, a table cell's name, and ``evidence_lines`` (what the
app, the exports and the 问题清单 show as evidence).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional

from nlp.metrics import metric_zh
from nlp.schema import KIND_ZH, STATUS_ZH, TABLE_DEFS, TABLE_SHORT, column_zh, row_zh


SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
DECISION_ZH = {"confirmed_defect": "确认问题", "false_alarm": "误报", "needs_follow_up": "需跟进"}

CHECK_STATUS_ZH = {"pass": "通过", "fail": "发现问题", "not_assessable": "无法判断"}


def kind_zh(kind: str) -> str:
    """The Chinese name of a finding kind (the key itself if unknown)."""
    return KIND_ZH.get(kind, kind)


# ---------------------------------------------------------------------------
# evidence in words (the app, the exports and the 问题清单 show it so)
# ---------------------------------------------------------------------------


def _fmt(v: Any) -> str:
    if v is None:
        return "空白"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def cell_label(table: str, row: str, col: Optional[str] = None) -> str:
    """A table cell (or row) in words: ``表B 本年新收政府信息公开申请数量 · 自然人``."""
    for (name, _), definition in TABLE_DEFS.items():
        if name == table and any(r.key == row for r in definition.rows):
            label = row_zh(definition, row)
            break
    else:
        label = row
    out = f"{TABLE_SHORT.get(table, table)} {label}"
    return f"{out} · {column_zh(table, col)}" if col else out


def _cell_text(c: dict[str, Any], figures: Optional[dict[tuple[str, str, str], Any]] = None) -> str:
    raw = c.get("raw")
    value = c["value"] if "value" in c else (figures or {}).get((c["table"], c["row"], c.get("col")))
    text = f"{cell_label(c['table'], c['row'], c.get('col'))} = {_fmt(value)}"
    if raw not in (None, "") and str(raw).strip() != _fmt(c.get("value")):
        text += f"(原文“{str(raw).strip()}”)"
    return text


def _claim_text(c: dict[str, Any]) -> str:
    return f"「{c.get('text', '')}」= {_fmt(c.get('value'))}{c.get('unit') or ''}"


_EVIDENCE_ZH = {
    "explanation": "说明", "relation": "关系", "arithmetic": "算式", "problem": "问题",
    "count": "数量", "of": "共计", "difference": "相差", "parts_sum": "分项之和",
    "stated_percent": "写明的占比(%)", "computed_percent": "计算的占比(%)",
    "difference_pp": "相差(百分点)", "values": "数值", "words": "原文", "clause": "分句",
    "unit": "量词", "template": "模板", "year": "年度", "marker": "提示词", "metric": "指标",
    "table_value": "表格数值", "value": "报告数值", "text": "原文", "status": "状态",
    "sum": "合计", "total": "总计", "sum_parts": "分项之和", "sum_totals": "总计之和",
    "similarity": "相似度", "similarity_this": "本报告文字见于对方的比例", "similarity_other": "对方文字见于本报告的比例",
    "unit_name": "报告单位", "other_unit_name": "另一单位", "organ": "所写单位", "organ_name": "所写单位(全称)",
    "sentence": "原句", "place": "地名", "section": "章节", "figure": "数字", "this_year_value": "本年度数值",
    "last_year_value": "上年度数值", "expected": "应为", "stated": "报告数值", "column": "列",
    "sections": "比对的章节", "this_year": "本年度", "last_year": "上年度", "earlier_year": "往年",
}
_YEAR_CELL_TABLE = {"carried_in": "requests", "carried_out": "requests"}
"""The table of a row a cross-year finding names without its table (表B 上年结转, 结转下年度)."""
_EVIDENCE_SKIP = {
    "claim_id", "span", "start", "end", "confidence", "table", "direction", "tolerance_pp",
    "absent", "uncertain", "label", "missing", "zh", "approx", "qualifier", "notes", "reading",
    "number_text", "unit", "report", "reports", "other_unit", "organ_unit", "unit_region", "divisions",
}
_REPORT_ROLES = {"previous": "对比的往年报告", "other": "另一单位的同年报告"}
"""Evidence keys naming another report (``{"sha256", "source", "year"}``), and what it is to the finding."""


def report_ref_text(ref: dict[str, Any], unit: str = "") -> str:
    """A report named in evidence, in words: ``沭阳县发改局 2023年度 · 2023.html · SHA256 4f01c10d5c24``."""
    name = Path(str(ref.get("source") or "")).name
    year = f"{ref['year']}年度" if ref.get("year") else ""
    head = " ".join(x for x in (unit, year) if x)
    return " · ".join(x for x in (head, name, f"SHA256 {str(ref.get('sha256', ''))[:12]}") if x)


def _as_cell(c: Any) -> Optional[dict[str, Any]]:
    """A cell reference as a dict: ``{"table", "row", "col", …}`` or ``[table, row, col]``."""
    if isinstance(c, dict) and "row" in c and "table" in c:
        return c
    if isinstance(c, (list, tuple)) and len(c) == 3 and all(isinstance(x, str) for x in c):
        return {"table": c[0], "row": c[1], "col": c[2]}
    return None


def evidence_lines(evidence: Any, figures: Optional[dict[tuple[str, str, str], Any]] = None,
                   link: Optional[Callable[[str], str]] = None) -> list[tuple[str, str]]:
    """A finding's evidence in words, as ``(what, detail)`` pairs in Chinese: the table cells
    it names with their figures, the sentences with theirs, the arithmetic and the
    explanation — no JSON. A cell the evidence names without its figure takes it from
    ``figures`` (``(table, row, col) -> value``, e.g. the report's stored cells). Another
    report the evidence names (a cross-year finding's other year, a cross-unit finding's other
    unit) is named in words, as a Markdown link to ``link(sha256)`` when ``link`` is given (the
    app's ``/report?sha=…``). Unknown keys are kept, as ``key: value``."""
    if not isinstance(evidence, dict):
        return [("证据", _fmt(evidence))] if evidence not in (None, "", [], {}) else []
    out: list[tuple[str, str]] = []
    cells_keys = ("cells", "parts", "totals")
    skip = set(_EVIDENCE_SKIP)
    if "claim_id" in evidence and "text" in evidence:  # the finding of one claim: say it once
        out.append(("叙述", _claim_text(evidence)))
        skip |= {"text", "value"}
    if evidence.get("parts") or evidence.get("totals"):
        skip.add("cells")  # the same cells again
    if evidence.get("clause") == evidence.get("words"):
        skip.add("clause")
    for key, value in evidence.items():
        if key in skip or value in (None, "", [], {}):
            continue
        if key == "section" and isinstance(value, dict):
            out.append(("章节", str(value.get("heading", ""))))
        elif key.startswith("similarity") and isinstance(value, (int, float)):
            out.append((_EVIDENCE_ZH.get(key, key), f"{value:.1%}"))
        elif key in ("this_year", "last_year") and isinstance(value, dict) and value.get("row") in _YEAR_CELL_TABLE:
            cell = {"table": _YEAR_CELL_TABLE[value["row"]], **value}
            out.append((_EVIDENCE_ZH[key], _cell_text(cell)))
        elif key in _REPORT_ROLES and isinstance(value, dict) and "sha256" in value:
            unit = str(evidence.get("other_unit_name") or "") if key == "other" else ""
            words = report_ref_text(value, unit)
            out.append((_REPORT_ROLES[key], f"[{words}]({link(value['sha256'])})" if link else words))
        elif key in cells_keys and isinstance(value, list) and value and _as_cell(value[0]):
            name = {"cells": "单元格", "parts": "分项", "totals": "总计"}[key]
            shown = [c for c in map(_as_cell, value[:8]) if c]
            out += [(name, _cell_text(c, figures)) for c in shown]
            if len(value) > len(shown):
                out.append((name, f"…另有 {len(value) - len(shown)} 个"))
        elif key in cells_keys and isinstance(value, list) and value and isinstance(value[0], dict) and "claim_id" in value[0]:
            out += [("分项" if key == "parts" else "叙述", _claim_text(c)) for c in value]
        elif key in ("claims", "total", "part") and isinstance(value, (dict, list)):
            items = value if isinstance(value, list) else [value]
            name = {"claims": "叙述", "total": "总数", "part": "分项"}[key]
            out += [(name, _claim_text(c)) for c in items if isinstance(c, dict)]
        elif key in ("figures", "related_figures") and isinstance(value, list):
            name = "表格数字" if key == "figures" else "相关数字"
            for fig in value:
                if not isinstance(fig, dict):
                    continue
                cells = [c for c in fig.get("cells", []) if isinstance(c, dict) and "row" in c]
                where = " + ".join(_cell_text(c) for c in cells[:6]) or str(fig.get("zh", ""))
                note = f"({fig['missing']})" if fig.get("missing") else ""
                out.append((name, f"{fig.get('zh') or fig.get('reading')}: {_fmt(fig.get('value'))}{note} — {where}"))
        elif key == "alternatives" and isinstance(value, list):
            for alt in value[:3]:
                options = ["/".join(_fmt(x) for x in o) for o in alt.get("options", [])[:6]]
                more = " 等" if len(alt.get("options", [])) > 6 else ""
                out.append(("其他拆分", f"“{alt.get('raw', '')}”可读作 " + "、".join(options) + more))
        elif key == "metric":
            out.append(("指标", metric_zh(str(value))))
        elif key == "status":
            out.append(("状态", STATUS_ZH.get(str(value), str(value))))
        elif isinstance(value, list) and all(isinstance(x, (int, float, str)) for x in value):
            out.append((_EVIDENCE_ZH.get(key, key), "、".join(_fmt(x) for x in value)))
        elif isinstance(value, (dict, list)):
            out.append((_EVIDENCE_ZH.get(key, key), json.dumps(value, ensure_ascii=False)))
        else:
            out.append((_EVIDENCE_ZH.get(key, key), _fmt(value)))
    return out


def evidence_text(evidence: Any) -> str:
    """``evidence_lines`` as one text, one ``what: detail`` a line."""
    return "\n".join(f"{k}: {v}" for k, v in evidence_lines(evidence))
