"""ingest(path) -> Document: every input format, the cleaning and its offset map, the errors."""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import zlib
from pathlib import Path

import pytest

from conftest import CORPUS as CORPUS_DIR
from conftest import SAMPLES
from nlp._clean import RADICALS_SUPPLEMENT, clean
from nlp.errors import XxgkError
from nlp.ingest import ingest

SEEDS = sorted(SAMPLES.glob("*.txt"))
CORPUS = sorted(p for p in CORPUS_DIR.glob("*.*") if p.name != "README.md" and p.is_file())
PINYIN_DEBRIS = re.compile(r"[\u4e00-\u9fff]\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")

needs_data = pytest.mark.skipif(not SEEDS or not CORPUS, reason="seeds/corpus not present")


def seed(prefix: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


def corpus(prefix: str) -> Path:
    return next(p for p in CORPUS if p.name.startswith(prefix))


def assert_offsets_consistent(doc) -> None:
    assert len(doc.offsets) == len(doc.text) + 1
    assert doc.offsets[-1] == len(doc.display_text)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:]))
    assert all(0 <= o <= len(doc.display_text) for o in doc.offsets)


def assert_tables_consistent(doc) -> None:
    for t in doc.source_tables:
        assert t.rows, "a SourceTable has rows"
        width = len(t.rows[0])
        assert all(len(r) == width for r in t.rows), "grid is rectangular"
        assert len(t.cell_spans) == len(t.rows)
        assert 0 <= t.start <= t.end <= len(doc.text)
        for row, spans in zip(t.rows, t.cell_spans):
            assert len(spans) == width
            for cell, sp in zip(row, spans):
                if sp is not None:
                    assert doc.text[sp[0]:sp[1]] == cell
                    assert t.start <= sp[0] <= sp[1] <= t.end


# ---------------------------------------------------------------------------
# The shared seeds and corpus
# ---------------------------------------------------------------------------


@needs_data
@pytest.mark.parametrize("path", SEEDS + CORPUS, ids=lambda p: p.name)
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
def test_seed_003_comes_out_simplified_without_pinyin_debris():
    doc = ingest(seed("003"))
    assert doc.script == "hant"
    assert "根據(jù)" in doc.display_text
    assert "根据" in doc.text and "根據" not in doc.text
    assert "(jù)" not in doc.text and "(guī)" not in doc.text
    assert not PINYIN_DEBRIS.search(doc.text)
    for word in ("规范", "发布", "网站", "机关事务管理局", "公开"):
        assert word in doc.text
    # real parentheses stay
    assert "(常机管〔2021〕46号)" in doc.text
    assert "(一)" in doc.text and "(试行)" in doc.text


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


@needs_data
def test_seed_000_keeps_its_pipes_and_lines():
    doc = ingest(seed("000"))
    lines = doc.text.split("\n")
    assert "0 |" in lines and "21500 |" in lines and "|||" in lines
    assert doc.text.count("\n") == doc.display_text.count("\n")


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


@needs_data
def test_html_reencoded_as_gbk_decodes_identically(tmp_path):
    src = corpus("006")
    utf8 = ingest(src)
    html = src.read_text(encoding="utf-8")
    with_meta = tmp_path / "gbk_meta.html"
    with_meta.write_bytes(html.replace('<meta charset="utf-8">', '<meta charset="gbk">').encode("gbk"))
    no_meta = tmp_path / "gbk_nometa.html"
    no_meta.write_bytes(html.replace('<meta charset="utf-8">', "").encode("gbk"))
    http_equiv = tmp_path / "gb2312_http_equiv.htm"
    http_equiv.write_bytes(
        html.replace(
            '<meta charset="utf-8">',
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        ).encode("gb18030")
    )
    for p in (with_meta, no_meta, http_equiv):
        doc = ingest(p)
        assert doc.encoding in ("gbk", "gb18030")
        assert doc.text == utf8.text
        assert doc.source_tables == utf8.source_tables


@needs_data
def test_txt_in_gbk_and_with_bom_decodes(tmp_path):
    text = seed("002").read_text(encoding="utf-8")
    ref = ingest(seed("002"))
    g = tmp_path / "r.txt"
    g.write_bytes(text.encode("gb18030"))
    b = tmp_path / "b.txt"
    b.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert ingest(g).text == ref.text
    assert ingest(g).encoding in ("gbk", "gb18030")
    doc = ingest(b)
    assert doc.text == ref.text
    assert_offsets_consistent(doc)


@needs_data
def test_markdown_pipe_tables_become_source_tables():
    doc = ingest(corpus("002"))
    assert doc.format == "md"
    assert_tables_consistent(doc)
    rows = [r for t in doc.source_tables for r in t.rows]
    assert ("行政规范性文件", "6", "1", "32") in rows


# ---------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------


def test_cleaning_folds_full_width_radicals_and_spaces():
    display = "２０２１年，收到申请１２件；\u00a0 \u200b网站\t|\r\n⻚面⻛险⺠生⻓期 \u3000 \n- 3 -\n第 3 页 共 9 页\n⼆、⾏政"
    text, offsets, script = clean(display)
    assert text == "2021年,收到申请12件; 网站\t|\n页面风险民生长期\n二、行政"
    assert len(offsets) == len(text) + 1
    assert display[offsets[text.index("12")]:offsets[text.index("12") + 2]] == "１２"
    assert script == "hans"


def test_radicals_supplement_mapping_covers_the_block():
    assert RADICALS_SUPPLEMENT["⻛"] == "风" and RADICALS_SUPPLEMENT["⻚"] == "页"
    assert RADICALS_SUPPLEMENT["⺠"] == "民" and RADICALS_SUPPLEMENT["⻓"] == "长"
    assert len(RADICALS_SUPPLEMENT) >= 100
    assert all(0x2E80 <= ord(k) <= 0x2EFF for k in RADICALS_SUPPLEMENT)


def test_pinyin_debris_rule_is_general_and_spares_real_parentheses():
    display = "依據(jù)條例(以下簡稱《條例》)和(一)項,2021年(2021)規定(ding)與說明(說明)及(PDF)版,綠(lǜ)色"
    text, _, script = clean(display)
    assert text == "依据条例(以下简称《条例》)和(一)项,2021年(2021)规定(ding)与说明(说明)及(PDF)版,绿色"
    assert script == "hant"


def test_length_changing_conversion_keeps_the_offset_map():
    display = "「資訊」與「軟體」ﬁle 1½ ㈠ 第一"
    text, offsets, _ = clean(display)
    assert text == "「资讯」与「软体」file 11⁄2 (一) 第一"
    assert len(offsets) == len(text) + 1
    assert all(a <= b for a, b in zip(offsets, offsets[1:]))
    i = text.index("第一")
    assert display[offsets[i]:offsets[i + 2]] == "第一"
    i = text.index("(一)")
    assert display[offsets[i]:offsets[i + 3]] == "㈠"
    # OpenCC's tw2sp rewrites 網際網路 (4 chars) as 互联网 (3): that line is converted char by
    # char instead, so every char of the text still names its source char
    display = "透過網際網路公開\n資訊系統"
    text, offsets, _ = clean(display, opencc_config="tw2sp")
    assert text == "透过网际网路公开\n信息系统"
    assert [display[o] for o in offsets[:-1]] == list("透過網際網路公開\n資訊系統")


# ---------------------------------------------------------------------------
# DOCX and PDF, built here
# ---------------------------------------------------------------------------


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


def _cjk_pdf(path: Path, pages: list[list[str]], table_on: int = -1) -> None:
    """A PDF with a CID font (STSong-Light), a page number footer, and optionally a ruled
    3x3 table whose first column merges its last two rows."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    w, h = A4
    for n, lines in enumerate(pages, start=1):
        c.setFont("STSong-Light", 9)
        c.drawString(72, h - 40, "某某市人民政府办公室文件")
        c.setFont("STSong-Light", 12)
        y = h - 90
        for line in lines:
            c.drawString(72, y, line)
            y -= 20
        if n - 1 == table_on:
            x0, y0, cw, rh = 72, y - 20, 120, 24
            c.line(x0, y0, x0 + 3 * cw, y0)
            c.line(x0, y0 - rh, x0 + 3 * cw, y0 - rh)
            c.line(x0 + cw, y0 - 2 * rh, x0 + 3 * cw, y0 - 2 * rh)
            c.line(x0, y0 - 3 * rh, x0 + 3 * cw, y0 - 3 * rh)
            for k in range(4):
                c.line(x0 + k * cw, y0, x0 + k * cw, y0 - 3 * rh)
            cells = {(0, 0): "信息内容", (0, 1): "本年制发件数", (0, 2): "现行有效件数",
                     (1, 0): "行政规范性文件", (1, 1): "4", (1, 2): "11", (2, 1): "5", (2, 2): "12"}
            for (r, k), v in cells.items():
                c.drawString(x0 + k * cw + 4, y0 - r * rh - 16, v)
            c.drawString(72, y0 - 3 * rh - 30, "表格之后的正文。")
        c.setFont("STSong-Light", 10)
        c.drawCentredString(w / 2, 30, f"- {n} -")
        c.showPage()
    c.save()


def test_pdf_text_layer_tables_and_page_furniture(tmp_path):
    pytest.importorskip("reportlab")
    p = tmp_path / "report.pdf"
    _cjk_pdf(
        p,
        [
            ["某某市2021年政府信息公开工作年度报告", "一、总体情况", "主动公开信息815条。"],
            ["二、主动公开政府信息情况"],
            ["三、收到和处理政府信息公开申请情况", "本年新收申请12件。"],
        ],
        table_on=1,
    )
    doc = ingest(p)
    assert doc.format == "pdf"
    # pdfplumber reads the Chinese of the CID font back
    assert "主动公开信息815条。" in doc.text
    # page furniture: page numbers and the running header are out of text, kept in display
    assert "- 2 -" in doc.display_text and "- 2 -" not in doc.text
    assert "某某市人民政府办公室文件" in doc.display_text and "某某市人民政府办公室文件" not in doc.text
    lines = doc.text.split("\n")
    i = lines.index("二、主动公开政府信息情况")
    assert lines[i + 1:i + 5] == [
        "信息内容 | 本年制发件数 | 现行有效件数",
        "行政规范性文件 | 4 | 11",
        "5 | 12",
        "表格之后的正文。",
    ]
    (table,) = doc.source_tables
    assert table.rows == (
        ("信息内容", "本年制发件数", "现行有效件数"),
        ("行政规范性文件", "4", "11"),
        ("行政规范性文件", "5", "12"),
    )
    assert table.cell_spans[2][0] is None
    assert_tables_consistent(doc)
    assert lines.index("三、收到和处理政府信息公开申请情况") > i


def test_pdf_without_text_layer_is_e006(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    p = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(p))
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(XxgkError) as e:
        ingest(p)
    assert e.value.code == "E006" and str(p) in str(e.value)


def test_broken_pdf_and_docx_are_e005(tmp_path):
    for name in ("bad.pdf", "bad.docx"):
        p = tmp_path / name
        p.write_bytes(b"this is not what the name says\n" * 10)
        with pytest.raises(XxgkError) as e:
            ingest(p)
        assert e.value.code == "E005" and str(p) in str(e.value)


# ---------------------------------------------------------------------------
# Bad inputs
# ---------------------------------------------------------------------------


def _raises(path, code, **kw):
    with pytest.raises(XxgkError) as e:
        ingest(path, **kw)
    msg = str(e.value)
    assert e.value.code == code, msg
    assert msg.startswith(code) and str(path) in msg and "\n" not in msg
    return msg


def test_missing_file_is_e001(tmp_path):
    _raises(tmp_path / "nope.txt", "E001")


def test_unsupported_suffix_is_e002(tmp_path):
    p = tmp_path / "report.xlsx"
    p.write_bytes(b"PK\x03\x04")
    assert ".xlsx" in _raises(p, "E002")


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf \n", "\u3000\u00a0\n".encode()])
def test_empty_file_is_e003(tmp_path, content):
    for name in ("empty.txt", "empty.md", "empty.html"):
        p = tmp_path / name
        p.write_bytes(content)
        _raises(p, "E003")


def test_binary_garbage_named_txt_is_e004(tmp_path):
    p = tmp_path / "garbage.txt"
    p.write_bytes(os.urandom(64 * 1024))
    _raises(p, "E004")
    z = tmp_path / "zeros.txt"
    z.write_bytes(b"\x00\x01\x02\x03" * 4096)
    _raises(z, "E004")


@needs_data
def test_truncated_html_still_reads(tmp_path):
    data = corpus("006").read_bytes()
    half = len(data) // 2
    while data[half] & 0xC0 != 0x80:  # cut inside a multi-byte character, mid-page
        half += 1
    cut = tmp_path / "cut.html"
    cut.write_bytes(data[:half])
    doc = ingest(cut)
    assert doc.encoding == "utf-8" and doc.warnings
    assert "一、总体情况" in doc.text
    full = ingest(corpus("006")).text
    assert doc.text[:-1] == full[: len(doc.text) - 1]
    assert_offsets_consistent(doc)
    assert_tables_consistent(doc)
    empty = tmp_path / "tags_only.html"
    empty.write_bytes(b"<html><head><title></title><script>var a=1;</script></head><body><div>")
    _raises(empty, "E008")


def test_file_over_the_limit_is_e007_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: instant, and never read
    assert "limit is 20971520" in _raises(big, "E007")
    small = tmp_path / "small.html"
    small.write_bytes(b"<p>" + "报告".encode() * 100 + b"</p>")
    _raises(small, "E007", max_bytes=100)
    monkeypatch.setenv("XXGK_MAX_BYTES", "100")
    _raises(small, "E007")
    assert ingest(small, max_bytes=10_000).text.startswith("报告")


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


def test_utf16_without_bom_and_preformatted_html(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes("一、总体情况\n本年度主动公开信息815条。\n".encode("utf-16-le"))
    doc = ingest(p)
    assert doc.encoding == "utf-16-le" and "815条" in doc.text
    h = tmp_path / "pre.html"
    h.write_text("<p>统计表</p><pre>指标名称   本年度   累计\n主动公开   12       34\n</pre>", encoding="utf-8")
    assert ingest(h).text.split("\n") == ["统计表", "指标名称 本年度 累计", "主动公开 12 34"]


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


def _label_and_numbers(row: tuple[str, ...]) -> tuple[str, ...]:
    """A table row reduced to its last label and the numbers after it."""
    nums: list[str] = []
    for cell in reversed(row):
        if not re.fullmatch(r"[\d.]*", cell):
            return (cell, *reversed(nums))
        nums.append(cell)
    return tuple(reversed(nums))


@needs_data
@pytest.mark.slow
def test_pdf_printed_by_chromium_reads_like_the_html(tmp_path):
    """A real-world PDF: the HTML report printed by Chromium (radical look-alike glyphs, Latin
    digits in another font, tables across pages, running header and footer)."""
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("chromium not installed")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / 'profile'}",
         f"--print-to-pdf={pdf}", corpus("006").resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    html = ingest(corpus("006"))
    doc = ingest(pdf)
    assert doc.format == "pdf"
    # radical look-alikes (⼈ ⺠ ⾏ …) in the text layer, standard characters in the text
    assert re.search(r"[\u2e80-\u2fdf]", doc.display_text)
    assert not re.search(r"[\u2e80-\u2fdf]", doc.text)
    assert "中华人民共和国政府信息公开条例" in doc.text
    # the title keeps its year although the digits are in another font
    assert doc.text.startswith("平潭综合实验区2024年度政府信息公开工作年度报")
    # the browser's running header/footer (date, title, file URL, "1/5") is not in the text
    assert "file://" in doc.display_text and "file://" not in doc.text
    assert_offsets_consistent(doc)
    assert_tables_consistent(doc)
    want = {_label_and_numbers(r) for t in html.source_tables for r in t.rows}
    got = {_label_and_numbers(r) for t in doc.source_tables for r in t.rows}
    numeric = {r for r in want if len(r) > 1}
    assert len(numeric) >= 30
    assert numeric <= got, sorted(numeric - got)


def test_pdf_paragraphs_wrapped_at_the_margin_are_joined_in_text(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    first = "本年度本机关坚持以公开为常态不公开为例外的原则持续推进政务公开工作通过"  # 34 chars
    second = "门户网站主动公开各类信息其中包括机构职能政策文件规划计划财政资金共计"  # 33 chars
    third = "5条。其中政策文件" + "解读" * 5 + "。"
    lines = [
        ("一、总体情况", 16),
        (first, 12),  # the full measure
        (second + "81", 12),  # ends near the margin, in the middle of the number 815
        (third, 12),
        ("(一)主动公开", 12),
        ("全年收到申请12件。", 12),
    ]
    p = tmp_path / "wrapped.pdf"
    c = canvas.Canvas(str(p), pagesize=A4)
    y = A4[1] - 80
    for text, size in lines:
        c.setFont("STSong-Light", size)
        c.drawString(72, y, text)
        y -= size * 1.6
    c.showPage()
    c.save()
    doc = ingest(p)
    assert "81\n5条" in doc.display_text
    assert doc.text.split("\n") == [
        "一、总体情况",
        first + second + "81" + third,
        "(一)主动公开",
        "全年收到申请12件。",
    ]
    i = doc.text.index("815条")
    a, b = doc.to_display(i, i + 4)
    assert doc.display_text[a:b] == "81\n5条"


def test_a_pdf_saved_under_a_text_name_is_read_as_pdf(tmp_path):
    pytest.importorskip("reportlab")
    p = tmp_path / "report.pdf"
    _cjk_pdf(p, [["某某市2021年政府信息公开工作年度报告", "一、总体情况"]])
    wrong = tmp_path / "report.html"
    wrong.write_bytes(p.read_bytes())
    doc = ingest(wrong)
    assert doc.format == "pdf" and "一、总体情况" in doc.text
    assert "PDF" in doc.warnings[0]


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


def test_pdf_mostly_scanned_is_e006_and_partly_scanned_warns(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    def png(w=40, h=40) -> bytes:  # a grey square, written by hand (no imaging library needed)
        raw = b"".join(b"\x00" + b"\x80" * w for _ in range(h))
        def chunk(tag, data):
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    image = ImageReader(io.BytesIO(png()))

    def build(path, text_pages, image_pages):
        c = canvas.Canvas(str(path))
        for k in range(text_pages):
            c.setFont("STSong-Light", 12)
            for j, line in enumerate(["某某市2021年政府信息公开工作年度报告", "一、总体情况"][: k + 1]):
                c.drawString(72, 700 - 20 * j, line + "。" * k)
            c.drawString(72, 600, "正文" * (k + 2))
            c.showPage()
        for _ in range(image_pages):
            c.drawImage(image, 72, 72, 400, 600)
            c.showPage()
        c.save()

    mostly = tmp_path / "mostly_scanned.pdf"
    build(mostly, 1, 3)
    with pytest.raises(XxgkError) as e:
        ingest(mostly)
    assert e.value.code == "E006"
    partly = tmp_path / "partly_scanned.pdf"
    build(partly, 3, 1)
    doc = ingest(partly)
    assert "一、总体情况" in doc.text
    assert any("page(s) 4" in w for w in doc.warnings)
