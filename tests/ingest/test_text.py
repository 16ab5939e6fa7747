""".txt and .md: lines and pipes kept, markdown tables as source tables, form-feed pages without their furniture."""

from __future__ import annotations



from builders import (
    assert_tables_consistent,
    corpus,
    needs_data,
    seed,
)
from nlp.ingest import ingest


@needs_data
def test_seed_000_keeps_its_pipes_and_lines():
    doc = ingest(seed("000"))
    lines = doc.text.split("\n")
    assert "0 |" in lines and "21500 |" in lines and "|||" in lines
    assert doc.text.count("\n") == doc.display_text.count("\n")


@needs_data
def test_markdown_pipe_tables_become_source_tables():
    doc = ingest(corpus("002"))
    assert doc.format == "md"
    assert_tables_consistent(doc)
    rows = [r for t in doc.source_tables for r in t.rows]
    assert ("行政规范性文件", "6", "1", "32") in rows


def test_text_with_form_feed_pages_loses_its_page_furniture(tmp_path):
    pages = [f"某某市人民政府文件\n第{i}部分,主动公开信息{i * 10}条。\n{i * 7}\n" for i in range(1, 5)]
    p = tmp_path / "pdftotext.txt"
    p.write_text("\f".join(pages), encoding="utf-8")
    doc = ingest(p)
    kept = [ln for ln in doc.text.split("\n") if ln]
    assert kept == [f"第{i}部分,主动公开信息{i * 10}条。" for i in range(1, 5)]
    assert doc.display_text.count("某某市人民政府文件") == 4


def test_text_without_pages_keeps_bare_numbers(tmp_path):
    # a bare number line can be a table cell (one cell a line): only "- 3 -"-like lines go
    p = tmp_path / "cells.txt"
    p.write_text("行政许可\n15\n- 3 -\n第 3 页 共 9 页\n行政处罚\n7\n", encoding="utf-8")
    assert ingest(p).text.split("\n") == ["行政许可", "15", "行政处罚", "7", ""]
