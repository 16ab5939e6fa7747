""".html: rowspan/colspan grids, blank cells, page chrome and layout tables, the page title."""

from __future__ import annotations

import re

import pytest

from builders import (
    assert_tables_consistent,
    corpus,
    ingest_raises,
    needs_data,
)
from nlp.ingest import ingest


@needs_data
@pytest.mark.parametrize("prefix", ["006", "017"])
def test_html_tables_expand_spans_into_a_rectangular_grid(prefix):
    doc = ingest(corpus(prefix))
    assert doc.format == "html"
    assert_tables_consistent(doc)
    rows = {r[0]: r for t in doc.source_tables for r in t.rows}
    # table B: the row label is spanned over three columns, the seven numbers follow
    new = next(r for t in doc.source_tables for r in t.rows if r[0].startswith("一、本年新收"))
    assert len(new) == 10 and new[1] == new[2] == new[0]
    assert all(re.fullmatch(r"\d*", c) for c in new[3:])
    # rowspan: every row under 三、本年度办理结果 carries the label in column 0
    b = next(t for t in doc.source_tables if any(r[0].startswith("一、本年新收") for r in t.rows))
    result_rows = [r for r in b.rows if r[0] == "三、本年度办理结果"]
    assert len(result_rows) >= 20
    spans_of_copies = [b.cell_spans[i][0] for i, r in enumerate(b.rows) if r[0] == "三、本年度办理结果"]
    assert spans_of_copies[0] is not None and all(s is None for s in spans_of_copies[1:])
    # table C: one row of 15 numbers under spanned headers
    c = next(t for t in doc.source_tables if t.rows[0][0] == "行政复议")
    assert len(c.rows[0]) == 15 and all(len(r) == 15 for r in c.rows)
    assert all(re.fullmatch(r"\d*", x) for x in c.rows[-1])
    # flattened into the text: one line a row, no spanned copy repeated
    assert "\n(七)总计 | " in doc.text
    assert rows  # labels present


@needs_data
def test_html_006_known_rows_have_their_numbers():
    doc = ingest(corpus("006"))
    rows = [r for t in doc.source_tables for r in t.rows]
    rule = next(r for r in rows if r[0] == "行政规范性文件")
    assert rule == ("行政规范性文件", "62", "33", "440")
    total = next(r for r in rows if "(七)总计" in r)
    assert total[-7:] == ("217", "1", "0", "0", "0", "0", "218")
    assert "行政规范性文件 | 62 | 33 | 440" in doc.text.split("\n")
    c = next(t for t in doc.source_tables if t.rows[0][0] == "行政复议")
    assert c.rows[-1] == ("2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19")
    # the HTML header cells "结果<br/>纠正" become one cell
    assert "结果纠正" in c.rows[1]


@needs_data
def test_html_017_blank_cells_stay_blank():
    doc = ingest(corpus("017"))
    rows = [r for t in doc.source_tables for r in t.rows]
    # the document-info table: 文号 and 关键词 are blank
    info = next(r for r in rows if r[0] == "文号")
    assert info == ("文号", "", "关键词", "")
    assert "文号 | | 关键词 |" in doc.text.split("\n")
    # table B: 26 requests from natural persons, the other applicant columns left blank
    new = next(r for r in rows if r[0].startswith("一、本年新收"))
    assert new[3:] == ("26", "", "", "", "", "", "26")
    assert "一、本年新收政府信息公开申请数量 | 26 | | | | | | 26" in doc.text.split("\n")
    assert ("规范性文件", "8", "0", "18") in rows


PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某县2022年政府信息公开工作年度报告_年度报告_某某县人民政府</title>
<style>.a{color:red}</style><script>var nav = "首页";</script></head>
<body>
<div class="header menu_hov"><ul class="nav"><li><a href="/">首页</a></li><li>政务公开</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开</div>
<div style="display:none">你好，注销</div>
<table width="100%"><tr><td>
  <div class="article_title">某某县2022年政府信息公开工作年度报告</div>
  <div class="TRS_Editor">
    <p style="text-indent:2em">一、总体情况&nbsp;</p>
    <p>2022年，全县主动公开政府信息<span>12</span><span>34</span>条，
    其中政策文件56件。</p>
    <p>二、主动公开政府信息情况</p>
    <table border="1"><tbody>
      <tr><td colspan="4"><p>第二十条第（一）项</p></td></tr>
      <tr><td><p>信息内容</p></td><td><p>本年</p><p>制发件数</p></td><td>本年废止件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td>０</td><td>&nbsp;</td><td>0</td></tr>
      <tr><td>行政规范性文件</td><td>5</td><td>1</td><td>32</td></tr>
    </tbody></table>
    <p>三、收到和处理政府信息公开申请情况</p>
  </div>
</td></tr></table>
<div class="share_box">分享到微信</div>
<div class="row"><p>其他</p><ul><li><a href="/a">信用中国</a></li><li><a href="/b">信用福建</a></li>
<li><a href="/c">海峡导报</a></li></ul></div>
<div id="footer">版权所有：某某县人民政府 网站标识码：1234567890</div>
</body></html>
"""


def test_html_page_chrome_layout_tables_and_whitespace(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(PAGE.encode("gbk"))
    doc = ingest(p)
    assert doc.encoding == "gbk"
    lines = doc.text.split("\n")
    assert lines == [
        "某某县2022年政府信息公开工作年度报告",
        "一、总体情况",
        "2022年,全县主动公开政府信息1234条,其中政策文件56件。",
        "二、主动公开政府信息情况",
        "第二十条第(一)项",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
        "规章 | 0 | | 0",
        "行政规范性文件 | 5 | 1 | 32",
        "三、收到和处理政府信息公开申请情况",
    ]
    # the layout table around the article is not a data table; the data table is
    (table,) = doc.source_tables
    assert table.rows[0] == ("第二十条第(一)项",) * 4
    assert table.cell_spans[0][1:] == (None, None, None)
    assert table.rows[2] == ("规章", "0", "", "0")
    assert_tables_consistent(doc)


def test_html_title_is_put_first_when_the_body_lacks_it(tmp_path):
    p = tmp_path / "t.html"
    p.write_text(
        "<html><head><meta charset='utf-8'><title>某区2023年政府信息公开工作年度报告 - 某区政府网</title>"
        "</head><body><p>一、总体情况</p><p>2023年，本区主动公开信息100条。</p></body></html>",
        encoding="utf-8",
    )
    doc = ingest(p)
    assert doc.text.split("\n")[:2] == ["某区2023年政府信息公开工作年度报告", "一、总体情况"]


@pytest.mark.parametrize("page", ["<!-- 注释 -->", "<!DOCTYPE html>", "<?xml version='1.0'?>", "<html><body></body></html>"])
def test_html_page_without_text_is_e008(tmp_path, page):
    p = tmp_path / "empty.html"
    p.write_text(page, encoding="utf-8")
    ingest_raises(p, "E008")
