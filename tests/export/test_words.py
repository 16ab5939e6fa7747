"""Evidence in words (nlp.export.words): cells and figures named, never JSON; another
report named in words and linked when asked."""

from __future__ import annotations

from nlp import export
from nlp.store import Store


def test_evidence_in_words_names_cells_and_figures_never_json(store: Store):
    error = next(f for f in store.findings() if f["severity"] == "error")
    lines = export.evidence_lines(error["evidence"], export.figures(store, error["sha256"]))
    assert ("单元格", "表C 复议后起诉 · 结果维持 = 7") in lines
    assert all("{" not in detail and "[" not in detail for _, detail in lines)
    assert export.cell_label("requests", "denied.process_info", "other") == "表B 不予公开·属于四类过程性信息 · 其他"


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
