"""``xxgk report`` (nlp/cli/report.py): the 问题清单 of named reports and the 通报, written from
the store's decisions, read back from the DOCX files."""

from __future__ import annotations

from docx import Document

from conftest import xxgk
from nlp.store import Store
from result_factory import make_result


def _text(path) -> str:
    doc = Document(str(path))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_report_writes_the_issue_lists_and_the_circular(tmp_path):
    db = tmp_path / "review.sqlite"
    with Store(db) as store:
        a = store.save(make_result("a", agency="甲区人民政府", year=2023))
        b = store.save(make_result("b", agency="乙县人民政府", year=2024))
        error = next(f for f in store.findings(b) if f["severity"] == "error")
        store.record_decision(error["id"], "finding", b, "confirmed_defect", "请核对表C", "王审")
    out = tmp_path / "docs"
    proc = xxgk("report", b[:10], "--summary", "--out", str(out), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    [issue_list] = sorted(out.glob("问题清单_*.docx"))
    assert issue_list.name == f"问题清单_乙县人民政府_2024_{b[:8]}.docx"
    text = _text(issue_list)
    assert "乙县人民政府2024年度政府信息公开工作年度报告问题清单" in text and "请核对表C" in text
    assert "表C 复议后起诉 · 结果维持 = 7" in text
    circular = _text(out / "通报.docx")
    assert "本次共核查政府信息公开工作年度报告 2 份,经复核确认存在问题的 1 份,确认问题共 1 项" in circular
    # --all: every report with a confirmed problem (only b)
    proc = xxgk("report", "--all", "--out", str(tmp_path / "all"), "--db", str(db))
    assert proc.returncode == 0 and len(list((tmp_path / "all").glob("*.docx"))) == 1
    assert a[:8] not in proc.stdout


def test_report_names_what_it_cannot_find(tmp_path):
    db = tmp_path / "review.sqlite"
    Store(db).save(make_result())
    proc = xxgk("report", "no-such-report", "--db", str(db))
    assert proc.returncode == 2 and "E036" in proc.stderr and "no-such-report" in proc.stderr
    proc = xxgk("report", "--summary", "--db", str(tmp_path / "typo.sqlite"))
    assert proc.returncode == 2 and "E031" in proc.stderr
    assert not (tmp_path / "typo.sqlite").exists()
