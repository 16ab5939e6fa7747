"""The print shop: every gold report printed the way agencies publish it, as test fixtures.

    .venv/bin/python scripts/printshop.py --out tests/fixtures/printshop [--gold DIR] [--corpus DIR]

For each ``gold/*.json`` it writes ``<out>/<report>/``:

- ``report.docx``: a Word-style document (python-docx): the report's title, preamble and
  narrative sections as its own text (read through ``nlp.ingest`` + ``nlp.sections``), the six
  section headings, and tables A, B, C drawn as the State Council template draws them, with
  the template's merged cells (``gridSpan``/``vMerge``), filled with the gold's figures;
- ``report.pdf``: that DOCX through LibreOffice headless (``soffice --convert-to pdf``);
- ``report.scan.pdf``: the PDF's pages rasterised in grayscale, turned a fraction of a degree,
  with a little noise, as JPEG pages of an image-only PDF (no text layer);
- ``gold.json``: a copy of the gold file the figures came from;

and, for one report each, ``report.doc`` (Word 97 through LibreOffice) and ``report.wps``
(the Word 97 binary of a Kingsoft WPS Writer file, see tests/fixtures/printshop/README.md).

The layouts vary from report to report (``SHAPES``, given out in the gold files' sorted
order) so that the fixtures cover the hard shapes of issue 9: label columns narrow enough to
wrap labels over two or three lines, table B running over a page break with and without its
header rows repeated, page-number footers of three kinds, blank cells where the gold has
``null``. The script needs LibreOffice (Debian: ``libreoffice-writer-nogui``) and CJK fonts
(``fonts-noto-cjk``); CI does not run it: its outputs are committed.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from docx import Document as new_docx  # noqa: E402
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Cm, Pt, Twips  # noqa: E402

from gold_accuracy import GOLD_DIR, find_report, gold_row  # noqa: E402
from nlp.schema import B_GROUP_ZH, TABLE_A_2019, TABLE_A_2021, TABLE_B_2019, TABLE_B_2021, TABLE_C  # noqa: E402

# ---------------------------------------------------------------------------
# The template's printed text (国办公开办函〔2021〕30号 and its 2019 edition)
# ---------------------------------------------------------------------------

SECTION_HEADINGS = {
    "overview": "一、总体情况",
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}

A_BLOCKS = {  # table A: the 第二十条 item each row is published under
    "rules": "（一）", "normative_docs": "（一）",
    "licensing": "（五）", "other_services": "（五）",
    "penalty": "（六）", "coercion": "（六）",
    "fees": "（八）",
    "procurement": "（九）",
}
A_SCALAR_HEADER = {  # the column title of a row the gold gives as one figure (2021 template)
    "licensing": "本年处理决定数量",
    "penalty": "本年处理决定数量",
    "coercion": "本年处理决定数量",
    "fees": "本年收费金额（单位：万元）",
}

B_LABELS = {  # table B rows printed in full
    "new": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "closed": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
    "other": "（六）其他处理",  # the 2019 template's single row
}
B_GROUP_ORDINAL = {"denied": "（三）", "unavailable": "（四）", "not_processed": "（五）", "other": "（六）"}
B_RESULTS = "三、本年度办理结果"
B_BALANCE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
B_APPLICANT_ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
C_RESULT_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

# Fonts an agency's Word file names; LibreOffice here substitutes Noto CJK for them (see
# ``FONTCONFIG``), as a reader's machine without them would.
F_TITLE, F_HEADING, F_SUBHEADING, F_BODY, F_TABLE = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体"

FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  {aliases}
</fontconfig>
"""
FONT_SUBSTITUTES = {
    F_TITLE: "Noto Serif CJK SC", F_BODY: "Noto Serif CJK SC", F_SUBHEADING: "Noto Serif CJK SC",
    F_TABLE: "Noto Serif CJK SC", F_HEADING: "Noto Sans CJK SC",
}


# ---------------------------------------------------------------------------
# Shapes: how one report is laid out
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """The layout choices of one printed report (widths in cm)."""

    name: str
    b_label_widths: tuple[float, float, float]  # table B: 三、… | (三)… | 1.… columns
    b_value_width: float
    a_label_width: float
    b_new_page: bool  # section 三 starts a page: table B fits on it
    b_header_repeat: bool  # the header rows are repeated on the page table B continues on
    b_row_height: float  # minimum row height of table B's body rows
    footer: str  # dash | of_pages | plain | none
    b_spacer: bool = False  # (一) (二) (七) in the second column beside an empty cell, not merged
    b_rows_split: bool = True  # Word's "allow row to break across pages" (its default)
    body_pt: float = 16  # 公文 三号; many reports are set smaller
    table_pt: float = 10.5
    b_misprints: tuple[tuple[str, str], ...] = ()  # (gold row key, label as misprinted)
    b_blank_total: bool = False  # table B's 总计 column printed blank (the gold keeps the sums)

    def describe(self) -> str:
        bits = [self.name]
        if self.b_new_page:
            bits.append("table B on one page")
        else:
            bits.append("table B across a page break, header rows " + ("repeated" if self.b_header_repeat else "not repeated")
                        + (", a row may be cut by the break" if self.b_rows_split else ", rows kept whole"))
        if self.b_spacer:
            bits.append("table B's (一) (二) (七) labels not merged: an empty bordered cell beside each")
        if self.b_misprints:
            bits.append("table B labels misprinted: " + "; ".join(f"{k} as {v}" for k, v in self.b_misprints))
        if self.b_blank_total:
            bits.append("table B's 总计 column printed blank")
        bits.append(f"footer {self.footer}, body {self.body_pt:g} pt, tables {self.table_pt:g} pt")
        return "; ".join(bits)


SHAPES: tuple[Shape, ...] = (
    Shape("narrow labels", (0.9, 1.3, 2.6), 1.4, 2.0, b_new_page=False, b_header_repeat=True,
          b_row_height=0.7, footer="dash"),
    Shape("standard", (1.0, 1.6, 3.9), 1.3, 3.0, b_new_page=False, b_header_repeat=False,
          b_row_height=0.9, footer="of_pages", body_pt=14, b_rows_split=False),
    Shape("wide labels", (1.2, 2.0, 5.5), 1.0, 3.6, b_new_page=True, b_header_repeat=False,
          b_row_height=0.0, footer="plain", body_pt=12, table_pt=9.0, b_spacer=True),
    Shape("standard, no footer", (1.0, 1.6, 3.9), 1.3, 3.0, b_new_page=False, b_header_repeat=True,
          b_row_height=0.9, footer="none", body_pt=14, b_rows_split=False),
)

@dataclass(frozen=True)
class Variant:
    """A constructed layout the gold reports do not have: one report printed again in a shape
    the reader must also read (``<out>/variants/<name>/``, DOCX and PDF)."""

    name: str
    base: str  # the gold report it is printed from
    shape: Shape
    what: str
    single_other: bool = False  # table B's (六)其他处理 as the first 2019 edition's one row


def _single_other(gold: dict[str, Any]) -> dict[str, Any]:
    """The gold with table B's (六)其他处理 rows summed into the 2019 edition's one row, in place:
    with the 2021 table A kept, a hybrid report."""
    out = json.loads(json.dumps(gold))
    rows = out["table_requests"]
    parts = [k for k in rows if k.startswith("其他处理/")]
    merged = {}
    for k, v in rows.items():
        if k in parts:
            if "其他处理" not in merged:
                merged["其他处理"] = [sum(x for x in col if x is not None) if any(x is not None for x in col) else None
                                  for col in zip(*(rows[p] for p in parts))]
            continue
        merged[k] = v
    out["table_requests"] = merged
    out["template"] = "hybrid"
    return out


VARIANTS: tuple[Variant, ...] = (
    Variant("misprinted_label", "006_pingtan_2024",
            Shape("standard, misprinted labels", (1.0, 1.6, 3.9), 1.3, 3.0, b_new_page=False, b_header_repeat=False,
                  b_row_height=0.9, footer="of_pages", body_pt=14, b_rows_split=False,
                  b_misprints=(("无法提供/1.本机关不掌握相关政府信息", "1.本机关不掌握政府信息"),
                               ("不予公开/2.其他法律行政法规禁止公开", "2.其他法律行政法规禁上公开"))),
            "two table B labels printed with characters lost (相关) or misprinted (止 as 上)"),
    Variant("hybrid", "017_shuyang_fgj_2023",
            Shape("standard, hybrid", (1.0, 1.6, 3.9), 1.3, 3.0, b_new_page=True, b_header_repeat=False,
                  b_row_height=0.0, footer="plain", body_pt=14),
            "the 2021 table A with the first 2019 edition's table B: (六)其他处理 one row", single_other=True),
    Variant("blank_total", "002_shuyang_county_gov_2025",
            Shape("narrow labels, blank 总计", (0.9, 1.3, 2.6), 1.4, 2.0, b_new_page=False, b_header_repeat=True,
                  b_row_height=0.7, footer="dash", b_blank_total=True),
            "table B's 总计 column printed blank (gold.json keeps the sums the reader must derive)"),
)

PAGE_W, PAGE_H = 21.0, 29.7
MARGINS = (3.7, 3.5, 2.8, 2.6)  # top, bottom, left, right: GB/T 9704 公文 margins
TEXT_W = PAGE_W - MARGINS[2] - MARGINS[3]


# ---------------------------------------------------------------------------
# The report's own text
# ---------------------------------------------------------------------------


@dataclass
class ReportText:
    title: str
    preamble: list[str]
    headings: dict[str, str]  # section key -> heading as printed in the report
    bodies: dict[str, list[str]]  # narrative sections -> paragraphs


_CRAWLER_FIELD = re.compile(r"^\s*[\w\u4e00-\u9fff]{1,8}\s*[:：]")
_SUBITEM = re.compile(r"\s+(?=[（(][一二三四五六七八九十]+[）)])")


def _paragraphs(display: str) -> list[str]:
    """The paragraphs of a stretch of the report's text: a line each (markdown markup and
    table rows out); a line that is a whole flattened section is cut before its （一） items."""
    out: list[str] = []
    for line in display.splitlines():
        line = re.sub(r"^\s*#+\s*", "", line).replace("**", "").strip()
        if not line or " | " in line or line.startswith("|") or set(line) <= set("=-—_ "):
            continue
        out.extend(s.strip() for s in _SUBITEM.split(line) if s.strip())
    return out


def _preamble(paragraphs: Sequence[str], title: str) -> list[str]:
    """The preamble without crawler debris (``标题: …``, ``来源: http…`` lines) and without
    the title again: the sentences."""
    keep = []
    squeezed_title = re.sub(r"\s+", "", title)
    for p in paragraphs:
        flat = re.sub(r"\s+", "", p)
        if flat == squeezed_title or "http" in p or "=====" in p:
            continue
        if _CRAWLER_FIELD.match(p) and "。" not in p:
            continue
        if "。" in p or len(flat) >= 30:
            keep.append(p)
    return keep


def report_text(path: Path) -> ReportText:
    """Title, preamble, headings and narrative paragraphs of the report at ``path``, through
    the project's reader (read-only)."""
    from nlp.ingest import ingest
    from nlp.sections import find_sections

    doc = ingest(path)
    secs = find_sections(doc)
    title = secs.meta.title or ""
    headings: dict[str, str] = {}
    bodies: dict[str, list[str]] = {}
    preamble: list[str] = []
    for s in secs.sections:
        a, b = doc.to_display(s.start, s.end)
        body_a = doc.to_display(s.body_start, s.end)[0] if s.body_start < s.end else b
        if s.key == "preamble":
            preamble = _preamble(_paragraphs(doc.display_text[a:b]), title)
            continue
        heading = " ".join(doc.display_text[a:body_a].split()) or s.heading
        headings[s.key] = heading
        if s.key in ("overview", "problems", "other"):
            bodies[s.key] = _paragraphs(doc.display_text[body_a:b])
    return ReportText(title=title, preamble=preamble, headings=headings, bodies=bodies)


# ---------------------------------------------------------------------------
# DOCX helpers
# ---------------------------------------------------------------------------


def _fonts(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _para(doc, text: str, *, font: str = F_BODY, size: float = 16, bold: bool = False,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, before: float = 0,
          page_break: bool = False):
    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.alignment = align
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(round(size * 1.75))
    pf.space_before = Pt(before)
    pf.space_after = Pt(0)
    pf.first_line_indent = Pt(2 * size) if indent else None
    pf.page_break_before = page_break
    _fonts(p.add_run(text), font, size, bold)
    return p


def _field(paragraph, instr: str, font: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) as fldChar runs, with a placeholder result."""
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        _fonts(run, font, size)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._element.append(el)


def _footer(section, kind: str) -> None:
    if kind == "none":
        return
    p = section.footer.paragraphs[0]
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font, size = F_TABLE, 14
    if kind == "dash":  # 公文: — 1 —
        _fonts(p.add_run("— "), font, size)
        _field(p, "PAGE", font, size)
        _fonts(p.add_run(" —"), font, size)
    elif kind == "of_pages":
        size = 10.5
        _fonts(p.add_run("第 "), font, size)
        _field(p, "PAGE", font, size)
        _fonts(p.add_run(" 页 共 "), font, size)
        _field(p, "NUMPAGES", font, size)
        _fonts(p.add_run(" 页"), font, size)
    else:
        size = 10.5
        _field(p, "PAGE", font, size)


class Grid:
    """A python-docx table built as a grid: merge rectangles, then write the merged cells."""

    def __init__(self, doc, n_rows: int, widths: Sequence[float], pt: float) -> None:
        self.table = doc.add_table(rows=n_rows, cols=len(widths))
        self.table.style = "Table Grid"
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        self.pt = pt
        for i, w in enumerate(widths):
            self.table.columns[i].width = Twips(round(w * 1440 / 2.54))  # whole twips: no sliver columns in a .doc
            for cell in self.table.columns[i].cells:
                cell.width = Twips(round(w * 1440 / 2.54))
        tbl_pr = self.table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)

    def put(self, r0: int, c0: int, text: str, r1: Optional[int] = None, c1: Optional[int] = None, *,
            align=WD_ALIGN_PARAGRAPH.CENTER, bold: bool = False) -> None:
        cell = self.table.cell(r0, c0)
        if (r1 is not None and r1 != r0) or (c1 is not None and c1 != c0):
            cell = cell.merge(self.table.cell(r1 if r1 is not None else r0, c1 if c1 is not None else c0))
        for extra in cell.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
        p = cell.paragraphs[0]
        p.paragraph_format.alignment = align
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = 1.0
        if text:
            _fonts(p.add_run(text), F_TABLE, self.pt, bold)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    def row_height(self, r: int, cm: float) -> None:
        if cm > 0:
            self.table.rows[r].height = Cm(cm)
            self.table.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST

    def keep_rows_whole(self) -> None:
        for row in self.table.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))

    def repeat_header(self, rows: int) -> None:
        for r in range(rows):
            tr_pr = self.table.rows[r]._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:tblHeader"))


def _fmt(v: Any) -> str:
    """A gold figure as an agency prints it; ``None`` (a blank cell in the source) stays blank."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


# ---------------------------------------------------------------------------
# The three tables
# ---------------------------------------------------------------------------


def _a_template(active: dict[str, Any]) -> str:
    """2021 when the document rows have the 2021 columns (本年制发件数), else 2019."""
    for v in active.values():
        if isinstance(v, dict):
            return "2021" if any("制发" in k for k in v) else "2019"
    return "2021"


def table_a(doc, active: dict[str, Any], shape: Shape) -> None:
    """Table A: four columns; a 第二十条第(X)项 row over each block (spanning all four), its
    header row, its rows; a row of one figure has the figure spanning three columns."""
    tdef = TABLE_A_2021 if _a_template(active) == "2021" else TABLE_A_2019
    blocks: list[tuple[str, list[tuple[str, str, Any]]]] = []
    for gkey, val in active.items():
        rd = gold_row(tdef, gkey)
        label = gkey.split("/")[-1].split("_")[0]
        block = A_BLOCKS[rd.key]
        if not blocks or blocks[-1][0] != block:
            blocks.append((block, []))
        blocks[-1][1].append((rd.key, label, val))
    n_rows = sum(2 + len(rows) for _, rows in blocks)
    value_w = (TEXT_W - shape.a_label_width) / 3
    g = Grid(doc, n_rows, [shape.a_label_width] + [value_w] * 3, shape.table_pt)
    r = 0
    for block, rows in blocks:
        g.put(r, 0, f"第二十条第{block}项", c1=3, bold=True)
        first = rows[0][2]
        heads = list(first.keys()) if isinstance(first, dict) else [A_SCALAR_HEADER[rows[0][0]]]
        g.put(r + 1, 0, "信息内容")
        for j, h in enumerate(heads):
            g.put(r + 1, 1 + j, h, c1=3 if j == len(heads) - 1 else None)
        for i, (_, label, val) in enumerate(rows):
            vals = list(val.values()) if isinstance(val, dict) else [val]
            g.put(r + 2 + i, 0, label)
            for j, v in enumerate(vals):
                g.put(r + 2 + i, 1 + j, _fmt(v), c1=3 if j == len(vals) - 1 else None)
        r += 2 + len(rows)


def _b_body(requests: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """Table B's body rows in the gold's order: ``{"key", "label", "group", "sub", "values"}``."""
    template = "2021" if any(k.startswith("其他处理/") for k in requests) else "2019"
    tdef = TABLE_B_2021 if template == "2021" else TABLE_B_2019
    rows = []
    for gkey, vals in requests.items():
        if gkey == "columns":
            continue
        rd = gold_row(tdef, gkey)
        group = rd.parent
        if group:
            label = B_GROUP_ORDINAL[group] + B_GROUP_ZH[group]
            sub = gkey.split("/", 1)[1]
        else:
            label, sub = B_LABELS[rd.key], None
        rows.append({"key": rd.key, "gkey": gkey, "label": label, "group": group, "sub": sub, "values": vals})
    return template, rows


def table_b(doc, requests: dict[str, Any], shape: Shape) -> None:
    """Table B as the template draws it: the 勾稽关系 note over three header rows and the three
    label columns; 申请人情况 over 自然人 | 法人或其他组织 (商业企业 … 其他) | 总计; 一、二、四 across
    the three label columns; 三、本年度办理结果 down the first column over every result row;
    (三)…(六) down the second over their numbered rows; (一) (二) (七) and a single-row (六)
    across the second and third columns (the spacer cell a text layer shows), or, with
    ``shape.b_spacer``, in the second column beside an empty cell of their own."""
    _, body = _b_body(requests)
    misprinted = dict(shape.b_misprints)
    widths = list(shape.b_label_widths) + [shape.b_value_width] * 7
    head = 3
    g = Grid(doc, head + len(body), widths, shape.table_pt)
    g.put(0, 0, B_BALANCE, r1=2, c1=2)
    g.put(0, 3, "申请人情况", c1=9)
    g.put(1, 3, "自然人", r1=2)
    g.put(1, 4, "法人或其他组织", c1=8)
    g.put(1, 9, "总计", r1=2)
    for j, name in enumerate(B_APPLICANT_ORGS):
        g.put(2, 4 + j, name)
    if not shape.b_rows_split:
        g.keep_rows_whole()
    if shape.b_header_repeat:
        g.repeat_header(head)
    results = [i for i, row in enumerate(body) if row["key"] not in ("new", "carried_in", "carried_out")]
    if results:
        g.put(head + results[0], 0, B_RESULTS, r1=head + results[-1])
    i = 0
    while i < len(body):
        row = body[i]
        r = head + i
        if row["group"]:
            n = 1
            while i + n < len(body) and body[i + n]["group"] == row["group"]:
                n += 1
            g.put(r, 1, row["label"], r1=r + n - 1)
            for k in range(n):
                sub = misprinted.get(body[i + k]["gkey"], body[i + k]["sub"])
                g.put(r + k, 2, sub, align=WD_ALIGN_PARAGRAPH.LEFT)
        else:
            n = 1
            if row["key"] in ("new", "carried_in", "carried_out"):
                g.put(r, 0, row["label"], c1=2, align=WD_ALIGN_PARAGRAPH.LEFT)
            elif shape.b_spacer:
                g.put(r, 1, row["label"], align=WD_ALIGN_PARAGRAPH.LEFT)
                g.put(r, 2, "")
            else:
                g.put(r, 1, row["label"], c1=2, align=WD_ALIGN_PARAGRAPH.LEFT)
        for k in range(n):
            for j, v in enumerate(body[i + k]["values"]):
                blank = shape.b_blank_total and j == len(body[i + k]["values"]) - 1
                g.put(r + k, 3 + j, "" if blank else _fmt(v))
            g.row_height(r + k, shape.b_row_height)
        i += n


def table_c(doc, review: dict[str, Any], shape: Shape) -> None:
    """Table C: 行政复议 (five columns, over two header rows) | 行政诉讼 (ten), under it
    未经复议直接起诉 | 复议后起诉 (five each), then 结果维持 … 总计 three times, then the figures."""
    order = [gold_row(TABLE_C, k) for k in review if k != "columns"]
    values = {rd.key: v for rd, v in zip(order, (v for k, v in review.items() if k != "columns"))}
    g = Grid(doc, 4, [TEXT_W / 15] * 15, min(shape.table_pt, 9.0))
    g.put(0, 0, "行政复议", r1=1, c1=4)
    g.put(0, 5, "行政诉讼", c1=14)
    g.put(1, 5, "未经复议直接起诉", c1=9)
    g.put(1, 10, "复议后起诉", c1=14)
    for block in range(3):
        for j, name in enumerate(C_RESULT_COLS):
            g.put(2, 5 * block + j, name)
    for block, key in enumerate(("reconsideration", "litigation_direct", "litigation_after")):
        for j, v in enumerate(values.get(key, [None] * 5)):
            g.put(3, 5 * block + j, _fmt(v))


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def build_docx(gold: dict[str, Any], text: ReportText, shape: Shape, out: Path) -> None:
    doc = new_docx()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(PAGE_W), Cm(PAGE_H)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Cm(m) for m in MARGINS)
    sec.footer_distance = Cm(2.4)
    _footer(sec, shape.footer)
    normal = doc.styles["Normal"]
    normal.font.name = F_BODY
    normal.element.get_or_add_rPr()

    _para(doc, text.title, font=F_TITLE, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)
    for p in text.preamble:
        _para(doc, p, size=shape.body_pt)

    def heading(key: str, page_break: bool = False) -> None:
        _para(doc, text.headings.get(key, SECTION_HEADINGS[key]), font=F_HEADING, size=shape.body_pt,
              before=6, page_break=page_break)

    def narrative(key: str) -> None:
        heading(key)
        for p in text.bodies.get(key, []):
            sub = re.match(r"^[（(][一二三四五六七八九十]+[）)]", p) and len(p) <= 40
            short_end = key == "other" and len(p) <= 25 and not p.endswith("。")
            _para(doc, p, font=F_SUBHEADING if sub else F_BODY, size=shape.body_pt,
                  align=WD_ALIGN_PARAGRAPH.RIGHT if short_end else WD_ALIGN_PARAGRAPH.JUSTIFY,
                  indent=not short_end)

    narrative("overview")
    if gold.get("table_active"):
        heading("active")
        table_a(doc, gold["table_active"], shape)
    if gold.get("table_requests"):
        heading("requests", page_break=shape.b_new_page)
        table_b(doc, gold["table_requests"], shape)
    if gold.get("table_review"):
        heading("review")
        table_c(doc, gold["table_review"], shape)
    narrative("problems")
    narrative("other")
    props = doc.core_properties
    props.title = text.title
    props.author = "xxgk-audit print shop"
    props.comments = f"printed from {gold.get('file', '')} and its gold file by scripts/printshop.py"
    if isinstance(gold.get("year"), int):  # published early the next year, as reports are
        props.created = props.modified = datetime.datetime(gold["year"] + 1, 1, 15, 9, 0, 0)
    doc.save(str(out))


# ---------------------------------------------------------------------------
# LibreOffice and the scanner
# ---------------------------------------------------------------------------


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("LibreOffice is not installed: apt-get install --no-install-recommends "
                         "libreoffice-writer-nogui fonts-noto-cjk")
    return exe


def convert(src: Path, fmt: str, outdir: Path, work: Path) -> Path:
    """``soffice --headless --convert-to fmt`` into ``outdir``, with a private profile and the
    font substitutes of ``FONTCONFIG``; returns the file written."""
    profile = work / "lo-profile"
    fonts_conf = work / "fonts.conf"
    if not fonts_conf.exists():
        aliases = "\n  ".join(
            f'<alias binding="same"><family>{a}</family><prefer><family>{b}</family></prefer></alias>'
            for a, b in FONT_SUBSTITUTES.items()
        )
        fonts_conf.write_text(FONTCONFIG.format(aliases=aliases), encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(fonts_conf), HOME=str(work))
    cmd = [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), str(src)]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    ext = fmt.split(":", 1)[0]
    out = outdir / f"{src.stem}.{ext}"
    if res.returncode != 0 or not out.exists():
        raise RuntimeError(f"soffice failed on {src}: {res.stdout} {res.stderr}")
    return out


def scan(pdf: Path, out: Path, seed: int, dpi: int = 150, quality: int = 40) -> None:
    """An image-only copy of ``pdf`` as from an office scanner: each page rendered in grayscale
    at ``dpi``, on slightly grey paper, turned under half a degree, a little blurred and noisy,
    stored as a JPEG page."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    pages = []
    src = pdfium.PdfDocument(str(pdf))
    try:
        for i in range(len(src)):
            img = src[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            angle = float(rng.uniform(-0.45, 0.45))
            img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            img = img.filter(ImageFilter.GaussianBlur(0.6))
            a = np.asarray(img, dtype=np.float32)
            a = a * (236 / 255) + 6  # paper is not white, toner not black
            a += rng.normal(0, 3, a.shape)
            pages.append(Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L"))
    finally:
        src.close()
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=dpi, quality=quality)
    out.write_bytes(buf.getvalue())


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def print_report(gold_path: Path, shape: Shape, outdir: Path, work: Path, corpus: Optional[Path],
                 extras: Sequence[str] = ()) -> dict[str, Any]:
    """Print one gold report into ``outdir``; returns what was made."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = report_text(find_report(gold, gold_path.parent, corpus))
    outdir.mkdir(parents=True, exist_ok=True)
    docx_path = outdir / "report.docx"
    build_docx(gold, text, shape, docx_path)
    pdf = convert(docx_path, "pdf", outdir, work)
    seed = int(hashlib.sha256(gold_path.stem.encode()).hexdigest()[:8], 16)
    scan(pdf, outdir / "report.scan.pdf", seed)
    made = ["report.docx", "report.pdf", "report.scan.pdf"]
    if "doc" in extras or "wps" in extras:
        doc = convert(docx_path, "doc:MS Word 97", work, work)
        if "doc" in extras:
            shutil.copyfile(doc, outdir / "report.doc")
            made.append("report.doc")
        if "wps" in extras:
            # Kingsoft WPS Writer's .wps is the Word 97 binary (with extensions of its own
            # LibreOffice skips); LibreOffice has no WPS export, so this is its Word 97 file
            # under the name Kingsoft gives it. See the fixtures' README.
            shutil.copyfile(doc, outdir / "report.wps")
            made.append("report.wps")
        doc.unlink()
    shutil.copyfile(gold_path, outdir / "gold.json")
    made.append("gold.json")
    return {"report": gold_path.stem, "shape": shape.describe(), "files": made}


def print_variant(v: Variant, gold_path: Path, outdir: Path, work: Path, corpus: Optional[Path]) -> list[str]:
    """Print one constructed variant: its DOCX and PDF, and the gold its cells must read as."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = report_text(find_report(gold, gold_path.parent, corpus))
    if v.single_other:
        gold = _single_other(gold)
    outdir.mkdir(parents=True, exist_ok=True)
    build_docx(gold, text, v.shape, outdir / "report.docx")
    convert(outdir / "report.docx", "pdf", outdir, work)
    (outdir / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ["report.docx", "report.pdf", "gold.json"]


def versions() -> dict[str, str]:
    """The tools that made the fixtures, for the manifest."""
    from importlib.metadata import version

    out = {pkg: version(pkg) for pkg in ("python-docx", "pypdfium2", "pillow", "numpy")}
    lo = subprocess.run([soffice(), "--version"], capture_output=True, text=True, timeout=120)
    out["libreoffice"] = lo.stdout.strip()
    dpkg = shutil.which("dpkg-query")
    for deb in ("libreoffice-writer-nogui", "fonts-noto-cjk"):
        if dpkg:
            res = subprocess.run([dpkg, "-W", "-f=${Version}", deb], capture_output=True, text=True)
            if res.returncode == 0 and res.stdout:
                out[deb] = res.stdout
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "printshop")
    ap.add_argument("--gold", type=Path, default=GOLD_DIR, help="folder of gold/*.json")
    ap.add_argument("--corpus", type=Path, default=None, help="folder of the reports the gold names")
    ap.add_argument("--only", choices=("all", "reports", "variants"), default="all",
                    help="print only the gold reports, or only the constructed variants (the other "
                         "files, and their part of manifest.json, are left as they are)")
    args = ap.parse_args(argv)
    golds = sorted(args.gold.glob("*.json"))
    if not golds:
        raise SystemExit(f"no gold files in {args.gold}")
    old_manifest = args.out / "manifest.json"
    manifest: dict[str, Any] = json.loads(old_manifest.read_text(encoding="utf-8")) if old_manifest.exists() else {}
    manifest.update({"command": "scripts/printshop.py --out tests/fixtures/printshop", "versions": versions()})
    manifest.setdefault("reports", {})
    with tempfile.TemporaryDirectory(prefix="printshop-") as tmp:
        work = Path(tmp)
        if args.only in ("all", "variants"):
            manifest["variants"] = {}
            for v in VARIANTS:
                gp = args.gold / f"{v.base}.json"
                made = print_variant(v, gp, args.out / "variants" / v.name, work, args.corpus)
                manifest["variants"][v.name] = {"base": v.base, "what": v.what, "shape": asdict(v.shape),
                                                "files": made}
                print(f"variants/{v.name}: {', '.join(made)} ({v.what})")
        for i, gp in enumerate(golds if args.only in ("all", "reports") else []):
            shape = SHAPES[i % len(SHAPES)]
            # one Word 97 and one WPS file, on two different reports
            extras = [x for x, k in (("doc", 1), ("wps", 3)) if i == k % len(golds)]
            made = print_report(gp, shape, args.out / gp.stem, work, args.corpus, extras)
            manifest["reports"][gp.stem] = {"shape": asdict(shape), "files": made["files"]}
            print(f"{made['report']}: {', '.join(made['files'])} ({made['shape']})")
    (args.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
