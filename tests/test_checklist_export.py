"""The checklist of every check that ran on a report, in the exports: CSV (UTF-8 with a BOM,
Chinese headers) and the Excel workbook's sheet 检查清单."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from builders import _checker
from conftest import seed_path
from nlp import export
from nlp.checks import DEFAULT_CHECKS
from nlp.store import Store


def _read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_checklist_of_a_checked_report_in_csv_and_excel():
    s = Store(":memory:")
    sha = s.save(_checker().check(seed_path("003")))  # 2021, its three table sections published empty
    rows = _read_csv(export.checklist_csv(s, sha))
    assert [r["检查"] for r in rows] == list(DEFAULT_CHECKS)
    missing = next(r for r in rows if r["检查"] == "tables.missing.v1")
    assert (missing["结果"], missing["问题数"], missing["最高严重程度"]) == ("发现问题", "3", "错误")
    row_sum = next(r for r in rows if r["检查"] == "table_b.row_sum.v1")
    assert row_sum["结果"] == "无法判断" and "表B" in row_sum["无法判断的原因"]
    assert next(r for r in rows if r["检查"] == "sections.fee.v1")["结果"] == "通过"  # 六: 未收取任何费用
    assert {r["报告SHA256"] for r in rows} == {sha} and rows[0]["机关"] == "常州市机关事务管理局"
    assert export.checklist_summary(s.checklist(sha)) == {
        status: sum(r["结果"] == zh for r in rows) for status, zh in export.CHECK_STATUS_ZH.items()}
    sheet = list(load_workbook(io.BytesIO(export.to_xlsx(s, sha)))["检查清单"].values)
    assert sheet[0][:5] == ("报告文件", "报告标题", "机关", "年度", "检查") and len(sheet) == len(rows) + 1
