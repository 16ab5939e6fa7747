"""ingest(path) -> Document: dispatch by the bytes and the name, the offset map, the errors (E001-E008)."""

from __future__ import annotations

import hashlib
import re

import pytest

from builders import (
    CORPUS_FILES,
    SEED_FILES,
    assert_offsets_consistent,
    assert_tables_consistent,
    cjk_pdf,
    ingest_raises,
    needs_data,
    seed,
)
from nlp.errors import XxgkError
from nlp.ingest import ingest
from nlp.ingest.clean import clean


@needs_data
@pytest.mark.parametrize("path", SEED_FILES + CORPUS_FILES, ids=lambda p: p.name)
def test_every_seed_and_corpus_file_ingests(path):
    doc = ingest(path)
    data = path.read_bytes()
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.source == str(path)
    assert doc.format == {".txt": "txt", ".md": "md", ".html": "html"}[path.suffix]
    assert doc.encoding and doc.encoding.replace("_", "-").startswith("utf-8")
    assert len(doc.text) > 1000
    assert_offsets_consistent(doc)
    assert_tables_consistent(doc)
    # folded: no full-width digits or punctuation, no NBSP or zero-width chars
    assert not re.search(r"[\uff01-\uff5e\u00a0\u200b\u3000\ufeff]", doc.text)
    assert doc.script == "hans" or path.name.startswith("003")


@needs_data
def test_offsets_map_a_text_span_back_to_its_display_span():
    doc = ingest(seed("003"))
    i = doc.text.index("网站查询")
    a, b = doc.to_display(i, i + len("网站查询"))
    assert doc.display_text[a:b] == "網(wǎng)站查詢"
    # every char of the clean text comes from the display char its offset names
    j = doc.text.index("市机关事务管理局")
    for k in range(j, j + 8):
        src = doc.display_text[doc.offsets[k]]
        assert src == doc.text[k] or clean(src)[0] == doc.text[k]

    doc0 = ingest(seed("000"))
    i = doc0.text.index("815")
    a, b = doc0.to_display(i, i + 3)
    assert doc0.display_text[a:b] == "815"


def test_broken_pdf_and_docx_are_e005(tmp_path):
    for name in ("bad.pdf", "bad.docx"):
        p = tmp_path / name
        p.write_bytes(b"this is not what the name says\n" * 10)
        with pytest.raises(XxgkError) as e:
            ingest(p)
        assert e.value.code == "E005" and str(p) in str(e.value)


def test_missing_file_is_e001(tmp_path):
    ingest_raises(tmp_path / "nope.txt", "E001")


def test_unsupported_suffix_is_e002(tmp_path):
    p = tmp_path / "report.xlsx"
    p.write_bytes(b"PK\x03\x04")
    assert ".xlsx" in ingest_raises(p, "E002")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf \n", "\u3000\u00a0\n".encode()])
def test_empty_file_is_e003(tmp_path, content):
    for name in ("empty.txt", "empty.md", "empty.html"):
        p = tmp_path / name
        p.write_bytes(content)
        ingest_raises(p, "E003")


def test_file_over_the_limit_is_e007_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: instant, and never read
    assert "limit is 20971520" in ingest_raises(big, "E007")
    small = tmp_path / "small.html"
    small.write_bytes(b"<p>" + "报告".encode() * 100 + b"</p>")
    ingest_raises(small, "E007", max_bytes=100)
    monkeypatch.setenv("XXGK_MAX_BYTES", "100")
    ingest_raises(small, "E007")
    assert ingest(small, max_bytes=10_000).text.startswith("报告")


def test_a_pdf_saved_under_a_text_name_is_read_as_pdf(tmp_path):
    pytest.importorskip("reportlab")
    p = tmp_path / "report.pdf"
    cjk_pdf(p, [["某某市2021年政府信息公开工作年度报告", "一、总体情况"]])
    wrong = tmp_path / "report.html"
    wrong.write_bytes(p.read_bytes())
    doc = ingest(wrong)
    assert doc.format == "pdf" and "一、总体情况" in doc.text
    assert "PDF" in doc.warnings[0]
