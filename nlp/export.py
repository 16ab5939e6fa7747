"""Export the claims and findings, with their current review decisions, for people who work in
Excel: CSV (UTF-8 with a BOM, so Excel reads the Chinese right) and .xlsx (one sheet each),
and one report's JSON result. Column headers are Chinese; a metric shows its key and its
Chinese name.

>>> data = claims_csv(store)                      # doctest: +SKIP
>>> Path("claims.csv").write_bytes(data)          # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Optional

from nlp.metrics import metric_zh
from nlp.schema import KIND_ZH
from nlp.store import Store

STATUS_ZH = {
    "match": "一致",
    "approx_match": "近似一致",
    "mismatch": "不一致",
    "ambiguous": "需复核",
    "unchecked": "未核对",
}
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


def kind_zh(kind: str) -> str:
    """The Chinese name of a finding kind (the key itself if unknown)."""
    return KIND_ZH.get(kind, kind)


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


def to_xlsx(store: Store, sha256: Optional[str] = None) -> bytes:
    """An Excel workbook with two sheets, 问题 (findings) and 声明 (claims), with decisions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, table in (("问题", finding_table(store, sha256)), ("声明", claim_table(store, sha256))):
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
