""".docx: paragraphs and tables in order, automatic list numbering, nested tables."""

from __future__ import annotations


import pytest

from builders import (
    assert_tables_consistent,
)
from nlp.ingest import ingest


def test_docx_paragraphs_and_tables_in_document_order(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某某县2021年政府信息公开工作年度报告")
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=4, cols=3)
    vals = [["信息内容", "本年制发件数", "现行有效件数"], ["规范性文件", "4", "11"], ["", "5", "12"], ["规章", "０", ""]]
    for r, row in enumerate(vals):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    t.cell(1, 0).merge(t.cell(2, 0))  # a vertically merged label
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    p = tmp_path / "report.docx"
    d.save(str(p))

    doc = ingest(p)
    assert doc.format == "docx" and doc.encoding is None
    lines = doc.text.split("\n")
    assert lines == [
        "某某县2021年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "信息内容 | 本年制发件数 | 现行有效件数",
        "规范性文件 | 4 | 11",
        "5 | 12",
        "规章 | 0 |",
        "三、收到和处理政府信息公开申请情况",
    ]
    (table,) = doc.source_tables
    assert table.rows[2] == ("规范性文件", "5", "12")
    assert table.cell_spans[2][0] is None and table.cell_spans[1][0] is not None
    assert table.rows[3] == ("规章", "0", "")
    assert_tables_consistent(doc)
    assert doc.text[table.start:table.end].startswith("信息内容")


def test_docx_automatic_list_numbering_is_written_out(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        "</w:abstractNum>"
    ))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def para(text, level=None):
        p = d.add_paragraph(text)
        if level is not None:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    para("某某县2021年政府信息公开工作年度报告")
    para("总体情况", 0)
    para("主动公开", 1)
    para("依申请公开", 1)
    para("属于国家秘密", 2)
    para("主动公开政府信息情况", 0)
    para("制度建设", 1)
    p = tmp_path / "numbered.docx"
    d.save(str(p))
    assert ingest(p).text.split("\n") == [
        "某某县2021年政府信息公开工作年度报告",
        "一、总体情况",
        "(一)主动公开",
        "(二)依申请公开",
        "1.属于国家秘密",
        "二、主动公开政府信息情况",
        "(一)制度建设",
    ]


def test_docx_table_nested_in_a_cell_keeps_its_text(tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(1, 0).text = "信息内容", "数量", "规章"
    inner = t.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "本年 3", "累计 9"
    p = tmp_path / "nested.docx"
    d.save(str(p))
    doc = ingest(p)
    assert doc.source_tables[0].rows == (("信息内容", "数量"), ("规章", "本年 3 累计 9"))
    assert doc.text.split("\n") == ["信息内容 | 数量", "规章 | 本年 3 累计 9"]
