"""Exports: CSV with a BOM and Chinese headers, an .xlsx with four sheets, a report's JSON —
each carrying the current review decisions; the evidence in words; the 问题清单 and the 通报
read back from their DOCX."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from nlp import export
from nlp.store import Store
from result_factory import make_result


@pytest.fixture
def store():
    s = Store(":memory:")
    sha = s.save(make_result())
    claim = next(c for c in s.claims(sha) if c["metric"] == "litigation.total")
    s.record_decision(claim["id"], "claim", sha, "confirmed_defect", "诉讼应为13件", "李审")
    finding = s.findings(sha)[0]
    s.record_decision(finding["id"], "finding", sha, "false_alarm", "原表如此", "王审")
    return s


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


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_evidence_in_words_names_cells_and_figures_never_json(store: Store):
    error = next(f for f in store.findings() if f["severity"] == "error")
    lines = export.evidence_lines(error["evidence"], export.figures(store, error["sha256"]))
    assert ("单元格", "表C 复议后起诉 · 结果维持 = 7") in lines
    assert all("{" not in detail and "[" not in detail for _, detail in lines)
    assert export.cell_label("requests", "denied.process_info", "other") == "表B 不予公开·属于四类过程性信息 · 其他"


def test_issue_list_docx_carries_the_confirmed_problems_their_evidence_and_figures(store: Store):
    sha = store.overview()[0]["sha256"]
    error = next(f for f in store.findings(sha) if f["severity"] == "error")
    store.record_decision(error["id"], "finding", sha, "confirmed_defect", "请更正表C 复议后起诉的总计", "王审")
    text = _docx_text(export.issue_list_docx(store, sha))
    assert "某某区人民政府2024年度政府信息公开工作年度报告问题清单" in text
    assert "表格运算不符" in text and "请更正表C 复议后起诉的总计" in text
    assert "表C 复议后起诉 · 结果维持 = 7" in text  # the table figures the finding names
    # the claim 李审 confirmed, with both figures; the finding only judged a false alarm is not sent
    assert "申请行政诉讼8件" in text and "表格数值\n13" in text
    info = next(f for f in store.findings(sha) if f["severity"] == "info")
    assert info["message"] not in text
    assert "王审" in text and "李审" in text


def test_circular_docx_sums_up_by_unit_and_kind(tmp_path):
    s = Store(":memory:")
    a = s.save(make_result("a", agency="甲区人民政府", year=2023))
    b = s.save(make_result("b", agency="乙县人民政府", year=2024, litigation_status="mismatch"))
    for sha in (a, b):
        error = next(f for f in s.findings(sha) if f["severity"] == "error")
        s.record_decision(error["id"], "finding", sha, "confirmed_defect", "", "王审")
    claim = next(c for c in s.claims(b) if c["metric"] == "litigation.total")
    s.record_decision(claim["id"], "claim", b, "confirmed_defect", "", "王审")
    summary = export.circular_summary(s)
    assert (summary["reports"], summary["with_problems"], summary["problems"]) == (2, 2, 3)
    assert [u["unit"] for u in summary["units"]] == ["乙县人民政府", "甲区人民政府"]
    assert {k["kind"]: (k["problems"], k["units"]) for k in summary["kinds"]}["表格运算不符"] == (2, 2)
    text = _docx_text(export.circular_docx(s))
    assert "本次共核查政府信息公开工作年度报告 2 份,经复核确认存在问题的 2 份,确认问题共 3 项" in text
    assert "乙县人民政府" in text and "表格运算不符2项" not in text and "表格运算不符1项" in text


def test_another_report_named_in_evidence_is_named_in_words_and_linked_when_asked():
    """A cross-year finding's other year and a cross-unit finding's other unit, as
    nlp.checks.crossyear and nlp.checks.crossunit write them."""
    prev = {"sha256": "a" * 64, "source": "/data/wbl_2023.txt", "year": 2023}
    me = {"sha256": "b" * 64, "source": "/data/wbl_2024.txt", "year": 2024}
    carried = {"report": me, "previous": prev, "reports": [prev, me], "column": "total",
               "this_year": {"row": "carried_in", "col": "total", "value": 10},
               "last_year": {"row": "carried_out", "col": "total", "value": 8}}
    lines = dict(export.evidence_lines(carried))
    assert lines["对比的往年报告"] == f"2023年度 · wbl_2023.txt · SHA256 {'a' * 12}"
    assert lines["本年度"] == "表B 上年结转政府信息公开申请数量 · 总计 = 10"
    assert lines["上年度"].endswith("= 8") and not any("sha256" in v for v in lines.values())
    linked = dict(export.evidence_lines(carried, link=lambda sha: f"/report?sha={sha}"))
    assert linked["对比的往年报告"] == f"[2023年度 · wbl_2023.txt · SHA256 {'a' * 12}](/report?sha={'a' * 64})"
    reissued = {"similarity": 0.9946, "other_unit_name": "太原市小店区人民政府", "report": me, "other": prev, "reports": [me, prev]}
    lines = dict(export.evidence_lines(reissued))
    assert lines["相似度"] == "99.5%" and lines["另一单位的同年报告"].startswith("太原市小店区人民政府 2023年度 · wbl_2023.txt")
