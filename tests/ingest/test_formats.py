"""Seed 002 rewritten into the other shapes reports are published in — an HTML page whose
tables have rowspan/colspan (the State Council template's layout), the same page in GBK, a
DOCX with merged cells, a PDF drawn here — gives the same three tables as the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import report_blocks, template_grids, to_docx, to_html, to_pdf
from conftest import seed_path
from nlp.ingest import ingest
from nlp.schema import Tables
from nlp.sections import find_sections
from nlp.tables import parse_tables


def _tables_of(path: Path) -> Tables:
    doc = ingest(path)
    return parse_tables(doc, find_sections(doc))


def _values(t: Tables) -> dict:
    return {name: (tb.to_json() if tb else None) for name, tb in (("active", t.active), ("requests", t.requests), ("review", t.review))}


@pytest.fixture(scope="module")
def seed002():
    path = seed_path("002")
    tables = _tables_of(path)
    assert tables.requests is not None and tables.requests.value("new", "total") == 100
    return path, tables, report_blocks(path), template_grids(tables)


@pytest.mark.parametrize("shape", ["html-utf8", "html-gbk", "html-gbk-no-declaration", "docx", "pdf"])
def test_other_shapes_give_the_same_tables(seed002, tmp_path, shape):
    path, tables, blocks, grids = seed002
    if shape == "html-utf8":
        out = tmp_path / "r.html"
        out.write_text(to_html(blocks, grids, "utf-8"), encoding="utf-8")
    elif shape == "html-gbk":
        out = tmp_path / "r.html"
        out.write_bytes(to_html(blocks, grids, "gbk").encode("gbk"))
    elif shape == "html-gbk-no-declaration":
        out = tmp_path / "r.htm"
        out.write_bytes(to_html(blocks, grids, "gbk").replace('<meta charset="gbk">', "").encode("gbk"))
    elif shape == "docx":
        out = tmp_path / "r.docx"
        to_docx(blocks, grids, out)
    else:
        out = tmp_path / "r.pdf"
        to_pdf(blocks, grids, out)
    got = _tables_of(out)
    assert got.template == tables.template
    assert _values(got) == _values(tables)
