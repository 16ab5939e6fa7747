"""Reading .docx reports (python-docx: the only module that imports it).

Paragraphs and tables in document order, content controls walked into, Word's automatic list
numbering (``一、`` ``(二)``, not in the paragraph text) written out, table cells merged by
``gridSpan``/``vMerge`` expanded into a rectangular grid. ``read(data, source) -> Raw``.
"""

from __future__ import annotations

import io
import re
from typing import Optional

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from nlp.errors import Errors, IngestError
from nlp.ingest._layout import Lines, Raw, one_line
from nlp.ingest.clean import join_cell_lines

__all__ = ["read"]


def read(data: bytes, source: str) -> Raw:
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise IngestError(Errors.E005, path=source, fmt="DOCX", detail=one_line(e)) from e

    out = Lines()
    P, TBL, SDT, SDTC = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")

    numbering = _DocxNumbering(d)

    def visit(parent_el) -> None:
        for child in parent_el.iterchildren():
            if child.tag == P:
                label = numbering.label(child)
                text = Paragraph(child, d).text
                if label and text.strip():
                    sep = " " if label[-1].isalnum() and text.strip()[0].isalnum() else ""
                    text = label + sep + text.strip()
                for line in text.replace("\r", "\n").replace("\v", "\n").split("\n"):
                    if line.strip():
                        out.add(line.strip())
            elif child.tag == TBL:
                grid, copy = _docx_grid(Table(child, d))
                if grid and any(any(c for c in r) for r in grid):
                    out.add_table(grid, copy)
            elif child.tag == SDT:
                content = child.find(SDTC)
                if content is not None:
                    visit(content)

    try:
        visit(d.element.body)
    except Exception as e:
        raise IngestError(Errors.E005, path=source, fmt="DOCX", detail=one_line(e)) from e
    display = out.text()
    if not display.strip():
        raise IngestError(Errors.E008, path=source, detail="the DOCX file holds no text")
    return Raw(display=display, encoding=None, tables=out.tables)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (the counting form of list labels)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if not rest else ("零" + _CN_DIGITS[rest] if rest < 10 else (
            _CN_DIGITS[rest // 10] + "十" + (_CN_DIGITS[rest % 10] if rest % 10 else "")))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for v, r in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                 (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


def _format_list_number(n: int, fmt: str) -> str:
    """A Word ``w:numFmt`` applied to ``n``."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
               "taiwaneseCounting", "koreanCounting", "ideographDigital", "taiwaneseDigital",
               "japaneseDigitalTenThousand"):
        return _cn_number(n)
    if fmt == "chineseLegalSimplified":
        return _cn_number(n).translate(str.maketrans("一二三四五六七八九十百〇", "壹贰叁肆伍陆柒捌玖拾佰零"))
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        ch = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return ch.upper() if fmt == "upperLetter" else ch
    if fmt in ("lowerRoman", "upperRoman") and n >= 1:
        r = _roman(n)
        return r.lower() if fmt == "lowerRoman" else r
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _DocxNumbering:
    """Word's automatic list numbering (``一、`` ``(二)`` ``3.``), which is not in the paragraph
    text: headings numbered this way would otherwise lose their numerals."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, list]] = {}  # numId -> ilvl -> [start, fmt, text]
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num: dict[str, tuple[Optional[str], Optional[int]]] = {}
        try:
            numbering = document.part.numbering_part.element
        except Exception:  # no numbering part: nothing is numbered
            return
        abstract: dict[Optional[str], dict[int, list]] = {}
        for an in numbering.findall(_W + "abstractNum"):
            lv: dict[int, list] = {}
            for lvl in an.findall(_W + "lvl"):
                lv[int(lvl.get(_W + "ilvl", "0"))] = [
                    int(_wval(lvl.find(_W + "start"), "1") or 1),
                    _wval(lvl.find(_W + "numFmt"), "decimal"),
                    _wval(lvl.find(_W + "lvlText"), ""),
                ]
            abstract[an.get(_W + "abstractNumId")] = lv
        for num in numbering.findall(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            lv = {k: list(v) for k, v in abstract.get(_wval(ref, None), {}).items()}
            for ov in num.findall(_W + "lvlOverride"):
                il = int(ov.get(_W + "ilvl", "0"))
                so = ov.find(_W + "startOverride")
                if so is not None and il in lv:
                    lv[il][0] = int(_wval(so, "1") or 1)
            self.levels[num.get(_W + "numId")] = lv
        try:
            styles = document.styles.element.findall(_W + "style")
        except Exception:
            styles = []
        based: dict[str, Optional[str]] = {}
        own: dict[str, tuple[Optional[str], Optional[int]]] = {}
        for st in styles:
            sid = st.get(_W + "styleId")
            based[sid] = _wval(st.find(_W + "basedOn"), None)
            npr = st.find(_W + "pPr/" + _W + "numPr")
            if npr is not None:
                il = _wval(npr.find(_W + "ilvl"), None)
                own[sid] = (_wval(npr.find(_W + "numId"), None), int(il) if il else None)
        for sid in based:
            cur, hops = sid, 0
            while cur is not None and cur not in own and hops < 10:
                cur, hops = based.get(cur), hops + 1
            if cur in own:
                self.style_num[sid] = own[cur]

    def label(self, p) -> str:
        """The list label of paragraph element ``p`` (counting it), or ""."""
        if not self.levels:
            return ""
        ppr = p.find(_W + "pPr")
        num_id: Optional[str] = None
        ilvl: Optional[int] = None
        if ppr is not None:
            style = _wval(ppr.find(_W + "pStyle"), None)
            if style in self.style_num:
                num_id, ilvl = self.style_num[style]
            npr = ppr.find(_W + "numPr")
            if npr is not None:
                num_id = _wval(npr.find(_W + "numId"), num_id)
                il = _wval(npr.find(_W + "ilvl"), None)
                if il is not None:
                    ilvl = int(il)
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return ""
        ilvl = ilvl or 0
        lv = self.levels[num_id]
        if ilvl not in lv:
            return ""
        cnt = self.counters.setdefault(num_id, {})
        cnt[ilvl] = cnt.get(ilvl, lv[ilvl][0] - 1) + 1
        for deeper in [k for k in cnt if k > ilvl]:
            del cnt[deeper]
        if lv[ilvl][1] in ("bullet", "none"):
            return ""

        def rep(mo: "re.Match[str]") -> str:
            k = int(mo.group(1)) - 1
            if k not in lv:
                return ""
            return _format_list_number(cnt.get(k, lv[k][0]), lv[k][1])

        return re.sub(r"%(\d)", rep, lv[ilvl][2]).strip()


def _wval(el, default):
    if el is None:
        return default
    return el.get(_W + "val", default)


def _docx_grid(table) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]]]:
    """The table's layout grid with merged cells (gridSpan, vMerge) expanded."""
    keep = []  # hold the lxml proxies so their ids stay unique
    origin_of: dict[int, tuple[int, int]] = {}
    grid: list[list[str]] = []
    copy: list[list[Optional[tuple[int, int]]]] = []
    for r, row in enumerate(table.rows):
        g_row: list[str] = []
        c_row: list[Optional[tuple[int, int]]] = []
        before = getattr(row, "grid_cols_before", 0) or 0
        for _ in range(before):
            g_row.append("")
            c_row.append(None)
        for cell in row.cells:
            tc = cell._tc
            keep.append(tc)
            key = id(tc)
            if key in origin_of:
                org = origin_of[key]
                g_row.append(grid[org[0]][org[1]] if org[0] < r else g_row[org[1]])
                c_row.append(org)
            else:
                origin_of[key] = (r, len(g_row))
                g_row.append(join_cell_lines(_docx_cell_lines(tc)))
                c_row.append(None)
        grid.append(g_row)
        copy.append(c_row)
    width = max((len(r) for r in grid), default=0)
    for g_row, c_row in zip(grid, copy):
        g_row.extend([""] * (width - len(g_row)))
        c_row.extend([None] * (width - len(c_row)))
    return grid, copy


def _docx_cell_lines(tc) -> list[str]:
    """The lines of a DOCX cell: its paragraphs, and the rows of any table nested in it (cells
    joined by spaces), in order. python-docx's ``cell.text`` leaves nested tables out."""
    lines: list[str] = []
    for child in tc.iterchildren():
        if child.tag == _W + "p":
            lines.extend(_docx_para_text(child).replace("\r", "\n").split("\n"))
        elif child.tag == _W + "tbl":
            for tr in child.iter(_W + "tr"):
                cells = [" ".join(_docx_cell_lines(c)).strip() for c in tr.iterchildren(_W + "tc")]
                lines.append(" ".join(c for c in cells if c))
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                lines.extend(_docx_cell_lines(content))
    return lines


def _docx_para_text(p) -> str:
    """A paragraph's text as python-docx gives it (runs, hyperlinks, tabs, breaks)."""
    return Paragraph(p, None).text
