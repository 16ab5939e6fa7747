"""Exports as tables (nlp.export.tables): CSV with a BOM and Chinese headers, an .xlsx with
four sheets, a report's JSON — each carrying the current review decisions."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from nlp import export
from nlp.store import Store


def _read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_claims_csv_has_decisions_and_chinese_metric(store: Store):
    rows = _read_csv(export.claims_csv(store))
    assert len(rows) == 5
    lit = next(r for r in rows if r["指标键"] == "litigation.total")
    assert lit["指标"] == "行政诉讼数"
    assert (lit["状态"], lit["复核结论"], lit["复核意见"], lit["复核人"]) == ("需复核", "确认问题", "诉讼应为13件", "李审")
    assert lit["原文"] == "申请行政诉讼8件" and lit["报告数值"] == "8" and lit["表格数值"] == "13"
    assert all(r["复核结论"] == "" for r in rows if r is not lit)


def test_findings_csv(store: Store):
    rows = _read_csv(export.findings_csv(store))
    assert [r["严重程度"] for r in rows] == ["错误", "警告", "提示"]
    assert rows[0]["复核结论"] == "误报" and rows[0]["复核人"] == "王审"
    assert json.loads(rows[0]["证据"])["total"] == 9


def test_claims_name_their_report_file_not_the_claim_finder(store: Store):
    """Issue 13 item 1: 报告文件 was "model" (the claims table's own source column)."""
    rows = _read_csv(export.claims_csv(store))
    assert {r["报告文件"] for r in rows} == {"report-a.txt"}
    assert {c["source"] for c in store.claims()} == {"report-a.txt"}
    assert {c["found_by"] for c in store.claims()} == {"model"}


def test_xlsx_has_its_sheets_with_decisions(store: Store):
    wb = load_workbook(io.BytesIO(export.to_xlsx(store)))
    assert wb.sheetnames == ["问题", "声明", "更正", "检查清单"]
    assert list(wb["声明"].values)[1][0] == "report-a.txt"
    claims = list(wb["声明"].values)
    header = claims[0]
    assert "指标" in header and "指标键" in header and "复核结论" in header
    lit = next(r for r in claims[1:] if r[header.index("指标键")] == "litigation.total")
    assert lit[header.index("复核结论")] == "确认问题"
    assert len(list(wb["问题"].values)) == 4


def test_report_json(store: Store):
    sha = store.overview()[0]["sha256"]
    data = json.loads(export.report_json(store, sha))
    assert data["sha256"] == sha and data["report"]["year"] == 2024
    assert export.report_json(store, "0" * 64) is None
