"""Export the claims and findings, with their current review decisions and the reviewers'
corrections, for people who work in Excel: CSV (UTF-8 with a BOM, so Excel reads the
Chinese right) and .xlsx (one sheet each), one report's JSON result, the store's tables as
Parquet for researchers' notebooks (``to_parquet``), and for the units the
Word documents a reviewer sends: a report's 问题清单 (``issue_list_docx``) and a batch's
通报 (``circular_docx``). Column headers are Chinese; a metric shows its key and its Chinese
name.

>>> data = claims_csv(store)                      # doctest: +SKIP
>>> Path("claims.csv").write_bytes(data)          # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any, Callable, Optional

from nlp.metrics import metric_zh
from nlp.schema import KIND_ZH, STATUS_ZH, TABLE_DEFS, TABLE_SHORT, column_zh, row_zh
from nlp.store import Store

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
DECISION_ZH = {"confirmed_defect": "确认问题", "false_alarm": "误报", "needs_follow_up": "需跟进"}

# (header, how to get the value from a store row)
_REPORT_COLUMNS: list[tuple[str, Any]] = [
    ("报告文件", "source"),
    ("报告标题", "title"),
    ("机关", "agency"),
    ("年度", "year"),
]
_DECISION_COLUMNS: list[tuple[str, Any]] = [
    ("需复核", lambda r: "是" if r["to_review"] else ""),
    ("复核结论", lambda r: DECISION_ZH.get(r["decision"], "") if r["decision"] else ""),
    ("复核意见", "comment"),
    ("复核人", "reviewer"),
    ("复核时间", "decided_at"),
    ("报告SHA256", "sha256"),
]

CLAIM_COLUMNS: list[tuple[str, Any]] = _REPORT_COLUMNS + [
    ("声明编号", "id"),
    ("原文", "text"),
    ("状态", lambda r: STATUS_ZH.get(r["status"], r["status"])),
    ("指标", lambda r: metric_zh(r["metric"])),
    ("指标键", "metric"),
    ("报告数值", "value"),
    ("数字原文", "number_text"),
    ("约数", lambda r: "是" if r["approx"] else ""),
    ("表格数值", "table_value"),
    ("依据", "evidence"),
    ("读法", "reading"),
    ("置信度", "confidence"),
    ("已更正", lambda r: "是" if r.get("correction_id") else ""),
    ("原读数", "original_value"),
    ("更正理由", "correction_reason"),
    ("更正人", "corrected_by"),
] + _DECISION_COLUMNS

FINDING_COLUMNS: list[tuple[str, Any]] = _REPORT_COLUMNS + [
    ("问题编号", "id"),
    ("严重程度", lambda r: SEVERITY_ZH.get(r["severity"], r["severity"])),
    ("类型", lambda r: kind_zh(r["kind"])),
    ("类型键", "kind"),
    ("检查", "check_name"),
    ("说明", "message"),
    ("证据", lambda r: json.dumps(r["evidence"], ensure_ascii=False)),
] + _DECISION_COLUMNS


CHECK_STATUS_ZH = {"pass": "通过", "fail": "发现问题", "not_assessable": "无法判断"}

CHECKLIST_COLUMNS: list[tuple[str, Any]] = _REPORT_COLUMNS + [
    ("检查", "check"),
    ("检查内容", "check_title"),
    ("结果", lambda r: CHECK_STATUS_ZH.get(r["status"], r["status"])),
    ("问题数", "findings"),
    ("最高严重程度", lambda r: SEVERITY_ZH.get(r["worst"], "") if r["worst"] else ""),
    ("无法判断的原因", "why"),
    ("报告SHA256", "sha256"),
]
"""The checklist of each report: every check that ran, pass / fail / not assessable and why."""


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


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, Any]]) -> list[list[Any]]:
    out = [[h for h, _ in columns]]
    for r in rows:
        out.append([get(r) if callable(get) else r.get(get) for _, get in columns])
    return out


def claim_table(store: Store, sha256: Optional[str] = None) -> list[list[Any]]:
    """The claims (of one report, or all) with decisions: a header row then one row each."""
    return _table(store.claims(sha256), CLAIM_COLUMNS)


def finding_table(store: Store, sha256: Optional[str] = None) -> list[list[Any]]:
    """The findings (of one report, or all) with decisions: a header row then one row each."""
    return _table(store.findings(sha256), FINDING_COLUMNS)


CORRECTION_COLUMNS: list[tuple[str, Any]] = _REPORT_COLUMNS + [
    ("更正编号", "id"),
    ("对象", lambda r: "单元格" if r["kind"] == "cell" else "声明"),
    ("单元格或声明", lambda r: cell_label(r["tbl"], r["row_key"], r["col_key"]) if r["kind"] == "cell" else r["claim_id"]),
    ("原读数", "original_value"),
    ("原文", "original_raw"),
    ("更正为", "value"),
    ("原指标", lambda r: metric_zh(r["original_metric"]) if r.get("original_metric") else ""),
    ("更正指标", lambda r: metric_zh(r["metric"]) if r.get("metric") else ""),
    ("撤销", lambda r: "是" if r["withdrawn"] else ""),
    ("理由", "reason"),
    ("更正人", "reviewer"),
    ("时间", "created_at"),
    ("报告SHA256", "report_sha256"),
]


def correction_table(store: Store, sha256: Optional[str] = None, history: bool = False) -> list[list[Any]]:
    """The corrections in force (every one ever made with ``history``): a header row, then one
    row each with the original reading, the corrected figure, who, when and why."""
    return _table(store.corrections(sha256, history=history), CORRECTION_COLUMNS)


def corrections_csv(store: Store, sha256: Optional[str] = None, history: bool = True) -> bytes:
    """The corrections as CSV bytes (UTF-8 with BOM); by default every one, withdrawals too."""
    return _csv(correction_table(store, sha256, history))


def _csv(table: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([["" if v is None else v for v in row] for row in table])
    return buf.getvalue().encode("utf-8-sig")


def claims_csv(store: Store, sha256: Optional[str] = None) -> bytes:
    """Claims with their decisions as CSV bytes (UTF-8 with BOM)."""
    return _csv(claim_table(store, sha256))


def findings_csv(store: Store, sha256: Optional[str] = None) -> bytes:
    """Findings with their decisions as CSV bytes (UTF-8 with BOM)."""
    return _csv(finding_table(store, sha256))


def checklist_table(store: Store, sha256: Optional[str] = None) -> list[list[Any]]:
    """The checklist (of one report, or all): a header row then one row per check that ran."""
    return _table(store.checklist(sha256), CHECKLIST_COLUMNS)


def checklist_summary(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many checks of a checklist (``Store.checklist`` rows) passed, failed, could not judge."""
    out = {status: 0 for status in CHECK_STATUS_ZH}
    for r in rows:
        out[r["status"]] = out.get(r["status"], 0) + 1
    return out


def checklist_csv(store: Store, sha256: Optional[str] = None) -> bytes:
    """The checklist of each report as CSV bytes (UTF-8 with BOM)."""
    return _csv(checklist_table(store, sha256))


def to_xlsx(store: Store, sha256: Optional[str] = None) -> bytes:
    """An Excel workbook with four sheets, 问题 (findings) and 声明 (claims) with decisions,
    更正 (every correction, withdrawals too) and 检查清单 (every check that ran on each report)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    sheets = (("问题", finding_table(store, sha256)), ("声明", claim_table(store, sha256)),
              ("更正", correction_table(store, sha256, history=True)), ("检查清单", checklist_table(store, sha256)))
    for title, table in sheets:
        ws = wb.create_sheet(title)
        for row in table:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, header in enumerate(table[0], start=1):
            width = max([len(str(header)) * 2] + [min(len(str(r[i - 1] or "")), 60) for r in table[1:]])
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(width + 2, 62))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_json(store: Store, sha256: str) -> Optional[bytes]:
    """One report's JSON result (report-json.md), UTF-8, or None if the store lacks it."""
    result = store.get_result(sha256)
    if result is None:
        return None
    return json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------------------
# Parquet: the store's tables for researchers' notebooks
# ---------------------------------------------------------------------------

_STR, _INT, _FLOAT, _BOOL = "string", "int64", "float64", "bool"
_DECIDED = [("decision", _STR), ("comment", _STR), ("reviewer", _STR), ("decided_at", _STR)]
PARQUET_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "reports": [("sha256", _STR), ("reader_version", _STR), ("pipeline_version", _STR), ("model_version", _STR),
                ("source", _STR), ("title", _STR), ("agency", _STR), ("year", _INT), ("template", _STR),
                ("script", _STR), ("format", _STR), ("checked_at", _STR)],
    "cells": [("sha256", _STR), ("seq", _INT), ("tbl", _STR), ("row_key", _STR), ("col_key", _STR),
              ("value", _FLOAT), ("raw", _STR), ("start", _INT), ("stop", _INT), ("uncertain", _BOOL),
              ("note", _STR), ("finding_ids", "list<string>")],
    "claims": [("sha256", _STR), ("reader_version", _STR), ("seq", _INT), ("id", _STR), ("status", _STR),
               ("metric", _STR), ("value", _FLOAT), ("table_value", _FLOAT), ("number_text", _STR), ("unit", _STR),
               ("approx", _BOOL), ("qualifier", _STR), ("confidence", _FLOAT), ("review_score", _FLOAT),
               ("needs_review", _BOOL), ("to_review", _BOOL), ("text", _STR), ("sentence", _STR), ("section", _STR),
               ("start", _INT), ("stop", _INT), ("display_start", _INT), ("display_stop", _INT),
               ("evidence", _STR), ("reading", _STR), ("found_by", _STR)] + _DECIDED,
    "findings": [("sha256", _STR), ("reader_version", _STR), ("seq", _INT), ("id", _STR), ("check_name", _STR),
                 ("kind", _STR), ("severity", _STR), ("message", _STR), ("evidence", _STR), ("to_review", _BOOL),
                 ("span_start", _INT), ("span_stop", _INT), ("display_start", _INT), ("display_stop", _INT),
                 ("claim_id", _STR)] + _DECIDED,
    "decisions": [("id", _INT), ("item_id", _STR), ("item_kind", _STR), ("report_sha256", _STR),
                  ("decision", _STR), ("comment", _STR), ("reviewer", _STR), ("created_at", _STR)],
    "corrections": [("id", _INT), ("report_sha256", _STR), ("target", _STR), ("kind", _STR), ("tbl", _STR),
                    ("row_key", _STR), ("col_key", _STR), ("claim_id", _STR), ("original_value", _FLOAT),
                    ("original_raw", _STR), ("original_metric", _STR), ("value", _FLOAT), ("metric", _STR),
                    ("withdrawn", _BOOL), ("reason", _STR), ("reviewer", _STR), ("created_at", _STR)],
}
"""Each Parquet file's columns and types: the store's rows, English names, typed (numbers as
float64, flags as bool, a cell's ``finding_ids`` as a list; a finding's ``evidence`` stays JSON
text). ``claims`` and ``findings`` carry their current decision (a claim's ``found_by``: the
rules or the model); ``decisions`` and ``corrections`` are every row ever recorded (the latest
per item or target applies)."""


def _arrow_schema(table: str) -> Any:
    import pyarrow as pa

    types = {_STR: pa.string(), _INT: pa.int64(), _FLOAT: pa.float64(), _BOOL: pa.bool_(),
             "list<string>": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in PARQUET_COLUMNS[table]])


def _typed(rows: list[dict[str, Any]], table: str) -> list[dict[str, Any]]:
    cols = PARQUET_COLUMNS[table]
    out = []
    for r in rows:
        row = {}
        for name, kind in cols:
            v = r.get(name)
            if v is not None:
                if kind == _BOOL:
                    v = bool(v)
                elif kind == _FLOAT:
                    v = float(v)
                elif kind == "list<string>" and isinstance(v, str):
                    v = json.loads(v)
                elif kind == _STR and not isinstance(v, str):
                    v = json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v)
            row[name] = v
        out.append(row)
    return out


def to_parquet(store: Store, folder: Any, tables: Optional[list[str]] = None) -> dict[str, Any]:
    """Write ``{table}.parquet`` into ``folder`` for each of reports, cells, claims, findings
    and decisions (or ``tables``), streaming the store a few hundred reports at a time.
    Returns the written paths by table.

    >>> paths = to_parquet(Store("xxgk.sqlite"), "out/")          # doctest: +SKIP
    >>> pandas.read_parquet(paths["claims"]).groupby("status").size()  # doctest: +SKIP
    """
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in tables or list(PARQUET_COLUMNS):
        schema = _arrow_schema(table)
        path = folder / f"{table}.parquet"
        tmp = path.with_name(path.name + ".part")
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            wrote = False
            for rows in store.export_rows(table):
                writer.write_table(pa.Table.from_pylist(_typed(rows, table), schema=schema))
                wrote = True
            if not wrote:
                writer.write_table(schema.empty_table())
        tmp.replace(path)
        written[table] = path
    return written


# ---------------------------------------------------------------------------
# 问题清单 (one report) and 通报 (a batch): Word documents to send
# ---------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FONT = "宋体"


def _docx():
    """A new Word document whose styles write Chinese in 宋体 (python-docx)."""
    from docx import Document as WordDocument
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = WordDocument()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Number", "Table Grid"):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        if name == "Normal":
            style.font.size = Pt(11)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), _FONT)
    return doc


def _table_rows(doc: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else _fmt(value) if isinstance(value, (int, float)) else str(value)


def _local(iso: Optional[str]) -> str:
    from datetime import datetime

    if not iso:
        return ""
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(iso)


def find_reports(store: Store, names: list[str]) -> list[str]:
    """The sha256 of each stored report ``names`` names — a sha256 or a prefix of one, a
    path as it was checked, or a file name — in order; E036 for a name that fits none."""
    from nlp.errors import Errors, XxgkError

    rows = store.overview()
    out = []
    for name in names:
        sha = store.resolve_sha(name)
        if sha is None:
            hits = [r["sha256"] for r in rows if name in (r["source"], Path(r["source"] or "").name)]
            sha = hits[0] if len(hits) == 1 else None
        if sha is None:
            raise XxgkError(Errors.E036, name=name, path=store.path)
        out.append(sha)
    return out


def document_name(report: dict[str, Any]) -> str:
    """A file name for a report's 问题清单: ``问题清单_单位_2024_1a2b3c4d.docx``."""
    unit = re.sub(r'[\\/:*?"<>|\s]+', "", _unit(report))[:40]
    year = f"_{report['year']}" if report.get("year") else ""
    return f"问题清单_{unit}{year}_{report['sha256'][:8]}.docx"


def figures(store: Store, sha256: str) -> dict[tuple[str, str, str], Any]:
    """A report's stored cells as ``(table, row, col) -> value`` (corrections applied)."""
    return {(c["tbl"], c["row_key"], c["col_key"]): c["value"] for c in store.cells(sha256)}


def confirmed_items(store: Store, sha256: str, decisions: tuple[str, ...] = ("confirmed_defect",)) -> list[dict[str, Any]]:
    """What reviewers decided (by default: confirmed as defects) in one report, as items of
    a 问题清单: each finding so decided, and each claim so decided that no decided finding
    already reports. Every item: ``kind`` (its Chinese name), ``severity``, ``message``,
    ``evidence`` (``evidence_lines``), ``comment``, ``reviewer``, ``decided_at``,
    ``decision``."""
    findings = [f for f in store.findings(sha256) if f["decision"] in decisions]
    reported = {f.get("claim_id") for f in findings}
    cells = figures(store, sha256) if findings else {}
    out = [{
        "id": f["id"], "kind": kind_zh(f["kind"]), "kind_key": f["kind"], "severity": SEVERITY_ZH.get(f["severity"], f["severity"]),
        "message": f["message"], "evidence": evidence_lines(f["evidence"], cells), "comment": f["comment"],
        "reviewer": f["reviewer"], "decided_at": f["decided_at"], "decision": f["decision"],
    } for f in findings]
    for c in store.claims(sha256):
        if c["decision"] in decisions and c["id"] not in reported:
            lines = [("叙述", f"「{c['text']}」= {_fmt(c['value'])}{c.get('unit') or ''}"),
                     ("指标", metric_zh(c["metric"])), ("表格数值", _fmt(c["table_value"])),
                     ("依据", c["evidence"] or "")]
            out.append({
                "id": c["id"], "kind": "叙述与表格不一致" if c["status"] == "mismatch" else "叙述数字需核实",
                "kind_key": "claim_" + c["status"], "severity": STATUS_ZH.get(c["status"], c["status"]),
                "message": f"「{c['text']}」报告数值 {_fmt(c['value'])},表格数值 {_fmt(c['table_value'])}",
                "evidence": lines, "comment": c["comment"], "reviewer": c["reviewer"],
                "decided_at": c["decided_at"], "decision": c["decision"],
            })
    return out


def _unit(report: dict[str, Any]) -> str:
    return report.get("agency") or Path(report.get("source") or "").stem or "(单位未识别)"


def issue_list_docx(store: Store, sha256: str) -> bytes:
    """A report's 问题清单 as a Word document, ready to send to its unit: the unit, the
    report, each problem reviewers confirmed with its evidence and table figures and the
    reviewer's comment, the items still to follow up, and the figures reviewers corrected.

    Raises KeyError for a report the store does not hold."""
    report = store.report(sha256)
    if report is None:
        raise KeyError(sha256)
    confirmed = confirmed_items(store, sha256)
    follow = confirmed_items(store, sha256, ("needs_follow_up",))
    corrections = store.corrections(sha256)
    doc = _docx()
    unit, year = _unit(report), report.get("year")
    doc.add_heading(f"{unit}{f'{year}年度' if year else ''}政府信息公开工作年度报告问题清单", level=0)
    _table_rows(doc, ["项目", "内容"], [
        ["单位", unit], ["报告", report.get("title") or ""], ["年度", year or "未识别"],
        ["文件", report.get("source") or ""], ["报告SHA256", sha256],
        ["确认问题", f"{len(confirmed)} 项"], ["需跟进事项", f"{len(follow)} 项"],
        ["复核人", "、".join(sorted({i["reviewer"] for i in confirmed + follow if i["reviewer"]})) or ""],
    ])
    doc.add_paragraph()
    if confirmed:
        doc.add_paragraph(f"经核查,贵单位{f'{year}年度' if year else ''}政府信息公开工作年度报告存在以下问题,请核实并更正:")
    else:
        doc.add_paragraph("经核查,复核人员尚未确认本报告存在问题。")
    for title, items in (("一、确认的问题", confirmed), ("二、需进一步核实的事项", follow)):
        if not items:
            continue
        doc.add_heading(title, level=1)
        for n, item in enumerate(items, 1):
            doc.add_heading(f"{n}. {item['kind']}({item['severity']})", level=2)
            doc.add_paragraph(item["message"])
            if item["evidence"]:
                _table_rows(doc, ["证据", "内容"], [[k, v] for k, v in item["evidence"]])
            note = f"复核意见: {item['comment']}" if item["comment"] else "复核意见: 无"
            doc.add_paragraph(f"{note}(复核人 {item['reviewer'] or '未署名'},{_local(item['decided_at'])})")
    if corrections:
        doc.add_heading("三、复核时更正的读数" if follow else "二、复核时更正的读数", level=1)
        doc.add_paragraph("以下数字系核对报告原件后更正的读数,上述问题按更正后的数字核对:")
        _table_rows(doc, ["单元格或声明", "原读数", "更正为", "理由", "更正人"], [[
            cell_label(k["tbl"], k["row_key"], k["col_key"]) if k["kind"] == "cell" else f"声明 {k['claim_id']}",
            _fmt(k["original_value"]), _fmt(k["value"]), k["reason"], k["reviewer"],
        ] for k in corrections])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def circular_summary(store: Store, **filters: Any) -> dict[str, Any]:
    """The figures of a batch's 通报: per unit (its reports and confirmed problems by kind)
    and per kind of problem (problems, units), over the reports the overview's filters keep."""
    reports = store.overview(**filters)
    units: dict[str, dict[str, Any]] = {}
    kinds: dict[str, dict[str, Any]] = {}
    for r in reports:
        unit = _unit(r)
        items = confirmed_items(store, r["sha256"])
        u = units.setdefault(unit, {"unit": unit, "reports": [], "problems": 0, "by_kind": {}})
        u["reports"].append({"title": r.get("title") or r.get("source"), "year": r.get("year"),
                             "problems": len(items), "to_review": r["open"]})
        u["problems"] += len(items)
        for item in items:
            u["by_kind"][item["kind"]] = u["by_kind"].get(item["kind"], 0) + 1
            k = kinds.setdefault(item["kind"], {"kind": item["kind"], "problems": 0, "units": set()})
            k["problems"] += 1
            k["units"].add(unit)
    return {
        "reports": len(reports),
        "with_problems": sum(1 for u in units.values() for rep in u["reports"] if rep["problems"]),
        "problems": sum(u["problems"] for u in units.values()),
        "units": sorted(units.values(), key=lambda u: (-u["problems"], u["unit"])),
        "kinds": sorted(({**k, "units": len(k["units"])} for k in kinds.values()), key=lambda k: (-k["problems"], k["kind"])),
    }


def circular_docx(store: Store, title: str = "政府信息公开工作年度报告核查情况通报", **filters: Any) -> bytes:
    """A batch's 通报 as a Word document: how many reports were checked and how many had
    confirmed problems, then the problems by unit (with the kinds found in each) and by
    kind of problem (how many, in how many units). ``filters``: those of ``Store.overview``
    (year, agency, …)."""
    s = circular_summary(store, **filters)
    doc = _docx()
    doc.add_heading(title, level=0)
    doc.add_paragraph(
        f"本次共核查政府信息公开工作年度报告 {s['reports']} 份,经复核确认存在问题的 {s['with_problems']} 份,"
        f"确认问题共 {s['problems']} 项。具体情况如下。")
    doc.add_heading("一、各单位情况", level=1)
    _table_rows(doc, ["单位", "报告", "确认问题", "问题类型", "尚待复核"], [[
        u["unit"], "、".join(f"{rep['year'] or ''}年度" if rep["year"] else str(rep["title"]) for rep in u["reports"]),
        u["problems"], "、".join(f"{k}{n}项" for k, n in sorted(u["by_kind"].items(), key=lambda kv: -kv[1])) or "无",
        sum(rep["to_review"] for rep in u["reports"]),
    ] for u in s["units"]])
    doc.add_heading("二、问题类型", level=1)
    if s["kinds"]:
        _table_rows(doc, ["问题类型", "问题数", "涉及单位数"], [[k["kind"], k["problems"], k["units"]] for k in s["kinds"]])
    else:
        doc.add_paragraph("尚无经复核确认的问题。")
    doc.add_heading("三、工作要求", level=1)
    doc.add_paragraph("请存在问题的单位对照问题清单逐项核实,更正年度报告中的错误,并做好解释说明工作。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
