"""The 问题清单 and the 通报 (nlp.export.documents) read back from their DOCX."""

from __future__ import annotations

import io

from nlp import export
from nlp.store import Store
from result_factory import make_result


def _docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


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
