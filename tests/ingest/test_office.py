""".doc and .wps: converted by LibreOffice headless, then read as a .docx; without LibreOffice,
one clear error (E014) that names the fix. The files are the print shop's (a Word 97 binary
from LibreOffice, and the same bytes under Kingsoft's .wps name: tests/fixtures/printshop)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from nlp.errors import XxgkError
from nlp.ingest import ingest
from nlp.ingest.office import soffice
from nlp.sections import find_sections
from nlp.tables import parse_tables

PRINTSHOP = ROOT / "tests" / "fixtures" / "printshop"
DOC = next(PRINTSHOP.glob("*/report.doc"))
WPS = next(PRINTSHOP.glob("*/report.wps"))

needs_soffice = pytest.mark.skipif(soffice() is None, reason="needs LibreOffice (soffice); see README")


def _compare(path: Path) -> tuple[int, int, list[str]]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from gold_accuracy import compare_tables

    gold = json.loads((path.parent / "gold.json").read_text(encoding="utf-8"))
    doc = ingest(path)
    return compare_tables(gold, parse_tables(doc, find_sections(doc)))


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("path", [DOC, WPS], ids=["doc", "wps"])
def test_doc_and_wps_are_read_through_libreoffice(path):
    doc = ingest(path)
    assert doc.format == path.suffix[1:]
    assert any("LibreOffice" in w for w in doc.warnings)
    assert "二、主动公开政府信息情况" in doc.text or "主动公开政府信息情况" in doc.text
    equal, total, diffs = _compare(path)
    assert equal == total, diffs[:10]


def test_without_libreoffice_a_doc_is_e014_naming_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    assert soffice() is None
    for path in (DOC, WPS):
        with pytest.raises(XxgkError) as e:
            ingest(path)
        msg = str(e.value)
        assert e.value.code == "E014" and str(path) in msg and "\n" not in msg
        assert "libreoffice-writer-nogui" in msg and path.suffix in msg


def test_a_doc_that_is_a_web_page_is_read_as_html(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # HTML needs no LibreOffice
    page = tmp_path / "report.doc"
    page.write_text("<html><body><p>某局2022年政府信息公开工作年度报告</p><p>一、总体情况</p><p>全年主动公开信息12条。</p>"
                    "</body></html>", encoding="utf-8")
    doc = ingest(page)
    assert doc.format == "doc" and "全年主动公开信息12条" in doc.text
    assert any("HTML" in w for w in doc.warnings)


def test_a_word97_file_named_otherwise_is_taken_for_a_doc(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    wrong = tmp_path / "report.txt"
    shutil.copyfile(DOC, wrong)
    with pytest.raises(XxgkError) as e:
        ingest(wrong)
    assert e.value.code == "E014"  # sniffed as Word 97: LibreOffice is what it needs
