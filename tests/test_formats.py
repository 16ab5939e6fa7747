"""Seed 002 rewritten into the other shapes reports are published in — an HTML page whose
tables have rowspan/colspan (the State Council template's layout), the same page in GBK, a
DOCX with merged cells, a PDF drawn here — gives the same three tables as the text."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from conftest import seed_path
from nlp.ingest import ingest
from nlp.schema import (
    REQUEST_COLUMN_LABELS,
    REVIEW_COLUMN_LABELS,
    TABLE_A_2021,
    TABLE_B_2021,
    Tables,
)
from nlp.sections import find_sections
from nlp.tables import parse_tables

# A grid cell: (text, rowspan, colspan)
GridCell = tuple[str, int, int]


def _raw(tables: Tables, name: str, row: str, col: str) -> str:
    cell = tables.get(name).cells.get((row, col))
    return "" if cell is None or cell.value is None else cell.raw


def template_grids(t: Tables) -> list[list[list[GridCell]]]:
    """The three tables of a 2021-template report laid out as the template prints them."""
    a: list[list[GridCell]] = []
    heads = {"rules": ("第二十条第(一)项", ("本年制发件数", "本年废止件数", "现行有效件数")),
             "licensing": ("第二十条第(五)项", ("本年处理决定数量",)),
             "penalty": ("第二十条第(六)项", ("本年处理决定数量",)),
             "fees": ("第二十条第(八)项", ("本年收费金额(单位:万元)",))}
    for r in TABLE_A_2021.rows:
        if r.key in heads:
            block, cols = heads[r.key]
            a.append([(block, 1, 4)])
            a.append([("信息内容", 1, 1)] + [(c, 1, 4 - len(cols) if len(cols) == 1 else 1) for c in cols])
        cols = TABLE_A_2021.cols_of(r)
        vals = [_raw(t, "active", r.key, c) for c in cols]
        if len(vals) == 1:
            a.append([(r.labels[0], 1, 1), (vals[0], 1, 3)])
        else:
            a.append([(r.labels[0], 1, 1)] + [(v, 1, 1) for v in vals])

    def nums(row: str) -> list[GridCell]:
        return [(_raw(t, "requests", row, c), 1, 1) for c in TABLE_B_2021.columns]

    b: list[list[GridCell]] = [
        [("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        [(c, 1, 1) for c in REQUEST_COLUMN_LABELS[1:6]],
        [("一、本年新收政府信息公开申请数量", 1, 3)] + nums("new"),
        [("二、上年结转政府信息公开申请数量", 1, 3)] + nums("carried_in"),
    ]
    results = [r for r in TABLE_B_2021.rows if r.key not in ("new", "carried_in", "carried_out")]
    group_titles = {"denied": "(三)不予公开", "unavailable": "(四)无法提供", "not_processed": "(五)不予处理", "other": "(六)其他处理"}
    top_titles = {"granted": "(一)予以公开", "partial": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "closed": "(七)总计"}
    seen_group: dict[str, int] = {}
    for i, r in enumerate(results):
        row: list[GridCell] = []
        if i == 0:
            row.append(("三、本年度办理结果", len(results), 1))
        if r.parent:
            n = seen_group.get(r.parent, 0)
            if n == 0:
                size = sum(1 for x in results if x.parent == r.parent)
                row.append((group_titles[r.parent], size, 1))
            seen_group[r.parent] = n + 1
            row.append((f"{n + 1}.{r.labels[0]}", 1, 1))
        else:
            row.append((top_titles[r.key], 1, 2))
        b.append(row + nums(r.key))
    b.append([("四、结转下年度继续办理", 1, 3)] + nums("carried_out"))

    c: list[list[GridCell]] = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [(h, 2, 1) for h in REVIEW_COLUMN_LABELS] + [("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [(h, 1, 1) for h in REVIEW_COLUMN_LABELS] * 2,
        [(_raw(t, "review", row, col), 1, 1) for row in ("reconsideration", "litigation_direct", "litigation_after") for col in ("maintained", "corrected", "other", "pending", "total")],
    ]
    return [a, b, c]


def report_blocks(path: Path) -> list[object]:
    """The text report as a list of paragraphs (str) and table slots (int 0, 1, 2)."""
    blocks: list[object] = []
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if " | " in line or line.rstrip().endswith("|"):
            if not blocks or not isinstance(blocks[-1], int):
                blocks.append(n)
                n += 1
            continue
        if line.strip():
            blocks.append(line.strip())
    assert n == 3, "seed 002 has three tables"
    return blocks


def to_html(blocks, grids, charset: str) -> str:
    parts = [f'<html><head><meta charset="{charset}"><title>报告</title></head><body><div class="article">']
    for b in blocks:
        if isinstance(b, int):
            parts.append('<table border="1">')
            for row in grids[b]:
                parts.append("<tr>" + "".join(
                    f'<td rowspan="{rs}" colspan="{cs}">{html.escape(text)}</td>' for text, rs, cs in row) + "</tr>")
            parts.append("</table>")
        else:
            parts.append(f"<p>{html.escape(b)}</p>")
    parts.append("</div></body></html>")
    return "\n".join(parts)


def _expand(grid: list[list[GridCell]]) -> list[list[tuple[str, tuple[int, int]]]]:
    """Place each grid cell at its (row, col); returns per row the cells and their origin."""
    width = sum(cs for _, _, cs in grid[0])
    taken: dict[tuple[int, int], tuple[int, int]] = {}
    placed = []
    for r, row in enumerate(grid):
        col = 0
        out = []
        for text, rs, cs in row:
            while (r, col) in taken:
                col += 1
            for dr in range(rs):
                for dc in range(cs):
                    taken[(r + dr, col + dc)] = (r, col)
            out.append((text, r, col, rs, cs))
            col += cs
        placed.append(out)
    return placed, width


def to_docx(blocks, grids, path: Path) -> None:
    import docx

    d = docx.Document()
    for b in blocks:
        if not isinstance(b, int):
            d.add_paragraph(b)
            continue
        placed, width = _expand(grids[b])
        table = d.add_table(rows=len(grids[b]), cols=width)
        for row in placed:
            for text, r, c, rs, cs in row:
                cell = table.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
                cell.text = text
    d.save(str(path))


def to_pdf(blocks, grids, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    cell_style = ParagraphStyle("zh-cell", fontName="STSong-Light", fontSize=7, leading=8.5, wordWrap="CJK")
    story = []
    for b in blocks:
        if not isinstance(b, int):
            story.append(Paragraph(html.escape(b), style))
            continue
        placed, width = _expand(grids[b])
        data = [["" for _ in range(width)] for _ in grids[b]]
        spans = []
        for row in placed:
            for text, r, c, rs, cs in row:
                data[r][c] = Paragraph(html.escape(text), cell_style) if len(text) > 6 else text
                if rs > 1 or cs > 1:
                    spans.append(("SPAN", (c, r), (c + cs - 1, r + rs - 1)))
        widths = [60] * width if width > 4 else [120] * width
        if b == 1:
            widths = [40, 60, 150] + [38] * 7
        if b == 2:
            widths = [34] * 15
        tbl = Table(data, colWidths=widths)
        tbl.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 7), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)] + spans))
        story += [PageBreak(), tbl]  # a table with row spans must fit on one page
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


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
