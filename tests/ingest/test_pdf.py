""".pdf: the text layer, tables as grids, page furniture, wrapped paragraphs, pages without text (E006)."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest

from builders import (
    assert_offsets_consistent,
    assert_tables_consistent,
    cjk_pdf,
    corpus,
    needs_data,
)
from nlp.errors import XxgkError
from nlp.ingest import ingest


def test_pdf_text_layer_tables_and_page_furniture(tmp_path):
    pytest.importorskip("reportlab")
    p = tmp_path / "report.pdf"
    cjk_pdf(
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


@pytest.mark.parametrize("with_ocr", [False, True], ids=["no-ocr-extra", "ocr-extra"])
def test_pdf_mostly_scanned_is_e006_and_partly_scanned_warns(tmp_path, monkeypatch, with_ocr):
    """Grey squares for image pages: OCR finds no text on them either."""
    pytest.importorskip("reportlab")
    from nlp.ingest import ocr

    if with_ocr and not ocr.available():
        pytest.skip("needs the OCR extra")
    monkeypatch.setattr(ocr, "available", lambda: with_ocr)
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


PRINTSHOP_PDFS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "printshop").glob("*/report.pdf"))


@pytest.mark.parametrize("path", PRINTSHOP_PDFS, ids=lambda p: p.parent.name)
def test_pdfium_text_layer_reads_as_pdfminer_does(path):
    """The fast path: PDFium's chars and rules handed to pdfplumber give the very text, tables,
    dropped lines and warnings that pdfminer's parse of every page gives (the print shop's
    Word-style PDFs, fonts with metrics: every page goes the fast way)."""
    import io

    import pdfplumber

    from nlp.ingest import pdf

    data = path.read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as doc, pdf._TextLayer(data) as layer:
        served = [layer.give(page, n) for n, page in enumerate(doc.pages, start=1)]
    assert all(served)
    fast, slow = pdf.read(data, path.name), pdf.read(data, path.name, pdfium=False)
    assert fast.display == slow.display
    assert fast.tables == slow.tables
    assert sorted(fast.drop) == sorted(slow.drop) and fast.warnings == slow.warnings


def test_pdfium_and_pdfminer_read_a_cid_font_pdf_alike(tmp_path):
    """A PDF with a font that is not embedded (reportlab's STSong-Light) and a ruled table with
    a merged cell: the same reading whichever way its pages go."""
    from nlp.ingest import pdf

    pytest.importorskip("reportlab")
    p = tmp_path / "report.pdf"
    cjk_pdf(p, [["某某市2021年政府信息公开工作年度报告", "一、总体情况", "主动公开信息815条。"],
                ["二、主动公开政府信息情况"]], table_on=1)
    data = p.read_bytes()
    fast, slow = pdf.read(data, p.name), pdf.read(data, p.name, pdfium=False)
    assert fast.display == slow.display and fast.tables == slow.tables
    assert sorted(fast.drop) == sorted(slow.drop)


ALL_PRINTSHOP_PDFS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "printshop").rglob("report.pdf"))


@pytest.mark.parametrize("pdfium", [True, False], ids=["pdfium", "pdfminer"])
@pytest.mark.parametrize("path", ALL_PRINTSHOP_PDFS, ids=lambda p: p.parent.name)
def test_page_layout_short_cuts_give_what_pdfplumber_gives(path, pdfium):
    """The reader's short cuts give what pdfplumber's own functions give, on every page and
    cell of the print shop's PDFs, with PDFium's chars and with pdfminer's: ``_cells`` the
    cells of ``intersections_to_cells`` in its order, ``_cell_text`` the text of
    ``extract_text`` (lines joined) for every cell, and ``_text_lines`` the lines of
    ``extract_text_lines`` for every page and for the page's upper and lower halves."""
    import pdfplumber
    from pdfplumber.table import intersections_to_cells
    from pdfplumber.utils import extract_text

    from nlp.ingest import pdf
    from nlp.ingest.clean import join_cell_lines

    data = path.read_bytes()
    n_tables = n_cells = 0
    with pdfplumber.open(io.BytesIO(data)) as doc, pdf._TextLayer(data if pdfium else None) as layer:
        for n, page in enumerate(doc.pages, start=1):
            layer.give(page, n)
            never = lambda: pytest.fail("pdfplumber asked")  # noqa: E731
            assert pdf._text_lines(page.chars, never) == page.extract_text_lines(return_chars=False)
            for half in (lambda o: o["top"] < page.height / 2, lambda o: o["top"] >= page.height / 2):
                band = page.filter(half)
                assert pdf._text_lines([c for c in page.chars if half(c)], never) == \
                    band.extract_text_lines(return_chars=False)
            finder = pdf._TableFinder(page)
            assert finder.cells == intersections_to_cells(finder.intersections)
            assert [t.bbox for t in finder.tables] == [t.bbox for t in page.find_tables()]
            for t in finder.tables:
                n_tables += 1
                for box in t.cells:
                    x0, top, x1, bottom = box
                    chars = [c for c in page.chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                             and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
                    n_cells += 1
                    assert pdf._cell_text(chars) == join_cell_lines(extract_text(chars).split("\n")), box
    assert n_tables and n_cells > 50


def _char(text, x0, x1, top=100.0, size=10.0):
    return {"text": text, "x0": x0, "x1": x1, "top": top, "bottom": top + size, "doctop": top,
            "upright": True, "size": size, "height": size, "width": x1 - x0}


@pytest.mark.parametrize("chars", [
    [_char("8", 10, 15), _char("1", 15, 20), _char("5", 20, 25)],            # a figure
    [_char("5", 20, 25), _char("8", 10, 15), _char("1", 15, 20)],            # out of order
    [_char("a", 10, 15), _char("b", 17, 22)],                                # a gap under x_tolerance
    [_char("a", 10, 15), _char("b", 18.5, 24)],                              # over it (3.5): two words
    [_char("a", 10, 15), _char(" ", 15, 18), _char("b", 18, 24)],            # a blank between
    [_char(" ", 5, 10), _char("a", 10, 15), _char(" ", 15, 18)],             # blanks around
    [_char("a", 10, 15), _char("b", 9, 14)],                                 # the next starts before
    [_char("ﬁ", 10, 15), _char("x", 15, 20)],                                # a ligature
    [_char("共", 10, 20), _char("计", 20, 30, top=102.5)],                   # within y_tolerance
    [_char("共", 10, 20), _char("计", 10, 20, top=115)],                     # two lines
    [_char("a", 10, 15), _char("b", 15, 20, top=103.5)],                     # a little over (two lines)
    [],
])
def test_cell_text_is_extract_texts(chars):
    from pdfplumber.utils import extract_text

    from nlp.ingest import pdf
    from nlp.ingest.clean import join_cell_lines

    assert pdf._cell_text(chars) == join_cell_lines(extract_text(chars).split("\n"))
