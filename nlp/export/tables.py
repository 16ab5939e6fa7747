"""The store's claims, findings, corrections and checklists as tables with Chinese headers:
CSV (UTF-8 with a BOM, so Excel reads the Chinese right), .xlsx (one sheet each) and one
report's JSON result.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Optional

from nlp.metrics import metric_zh
from nlp.schema import STATUS_ZH
from nlp.store import Store
from nlp.export.words import CHECK_STATUS_ZH, DECISION_ZH, SEVERITY_ZH, cell_label, kind_zh


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
