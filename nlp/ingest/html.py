"""Reading .html reports (BeautifulSoup over lxml: the only module that imports them).

The page is decoded (a valid UTF-8 page wins over its ``<meta>`` charset); scripts, styles,
navigation, hidden elements and link lists are dropped; the rest of the body is read in order,
a block a line. Layout tables (holding other tables or long text) are walked into; data tables
become tables, rowspan/colspan expanded. ``read(data, source) -> Raw``.
"""

from __future__ import annotations

import re
from typing import Optional

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

from nlp.errors import Errors, IngestError
from nlp.ingest._layout import Lines, Raw, one_line
from nlp.ingest.clean import join_cell_lines
from nlp.ingest.decode import blank, decode
from nlp.text import is_cjk

__all__ = ["read"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""", re.IGNORECASE)

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main "
    "menu nav ol p pre section summary ul tr td th tbody thead tfoot title option legend".split()
)
_DROP_TAGS = frozenset(
    "script style noscript template iframe object embed svg canvas nav select button input "
    "textarea map audio video head link meta".split()
)
_CHROME_WORDS = frozenset(
    "nav navbar navigation menu menubar footer breadcrumb breadcrumbs crumb crumbs share "
    "sharebar sidebar copyright toolbar topbar login search searchbar banner skip bdshare "
    "friendlink links".split()
)
_WS = re.compile(r"[ \t\r\n\f]+")


def read(data: bytes, source: str) -> Raw:
    if not data.strip():
        raise IngestError(Errors.E003, path=source)
    head = data[:8192]
    mo = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = mo.group(1).decode("ascii", "replace") if mo else None
    html, enc, warnings = decode(data, source, declared)
    if blank(html):
        raise IngestError(Errors.E003, path=source)

    try:
        soup = BeautifulSoup(html, "lxml", multi_valued_attributes=None)  # a class as written (split below)
    except Exception as e:  # lxml is lenient; this is a last resort
        raise IngestError(Errors.E005, path=source, fmt="HTML", detail=one_line(e)) from e

    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else ""
    for t in [e for e in _tags(soup) if e.name in _DROP_TAGS]:
        t.decompose()
    _drop_chrome(soup)

    out = Lines()
    walker = _HtmlWalker(out)
    walker.walk(soup.body or soup)
    walker.flush()
    display = out.text()
    title = _title_main(title)
    if title and title not in display[:4000]:
        # the <title> is all some pages say of the report's name: put it first
        shift = len(title) + 1
        display = title + "\n" + display
        for t in out.tables:
            t.start += shift
            t.end += shift
            t.spans = [[None if s is None else (s[0] + shift, s[1] + shift) for s in r] for r in t.spans]
    if not display.strip():
        raise IngestError(Errors.E008, path=source, detail="the HTML page holds no text")
    return Raw(display=display, encoding=enc, tables=out.tables, warnings=warnings)


def _title_main(title: str) -> str:
    """The report's name out of a page title like ``名称_栏目_站点`` (the longest part that has
    Chinese in it), or "" when the title has no Chinese."""
    parts = [p.strip() for p in re.split(r"\s*[_|｜]\s*|\s+[-—–]+\s+|\s*--+\s*", title)]
    parts = [p for p in parts if re.search(r"[\u4e00-\u9fff]", p)]
    return max(parts, key=len) if parts else ""


_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


_LIST_TAGS = frozenset("div ul ol dl section aside header footer span p".split())


def _link_counts(body) -> dict[int, tuple[int, int]]:
    """For every element holding links: (number of links, chars of link text) inside it."""
    counts: dict[int, tuple[int, int]] = {}
    for a in body.find_all("a"):
        n = len("".join(a.get_text().split()))
        for anc in a.parents:
            k, c = counts.get(id(anc), (0, 0))
            counts[id(anc)] = (k + 1, c + n)
    return counts


def _link_list(el, counts: dict[int, tuple[int, int]]) -> bool:
    """A block that is mostly links (three or more): menus, friend links, related articles."""
    if el.name not in _LIST_TAGS:
        return False
    n_links, linked = counts.get(id(el), (0, 0))
    if n_links < 3:
        return False
    text = len("".join(el.get_text().split()))
    return text > 0 and linked >= 0.75 * text


def _drop_chrome(soup) -> None:
    """Remove navigation, share bars, footers … named so by their class or id, hidden
    elements, and blocks of links, unless the element holds a large part of the page's text
    or a table (then it is the page, not chrome)."""
    body = soup.body or soup
    total = len(body.get_text()) or 1
    links = _link_counts(body)
    removed: set[int] = set()
    for el in _tags(body):
        attrs = el.attrs
        if el.name in ("body", "html", "table", "tr", "td", "th"):
            continue
        if any(id(a) in removed for a in el.parents):
            continue
        hidden = bool(_HIDDEN.search(str(attrs.get("style", "")))) or "hidden" in attrs
        names = []
        cls = attrs.get("class")
        if cls:
            names.extend(cls if isinstance(cls, list) else [cls])
        if attrs.get("id"):
            names.append(str(attrs["id"]))
        words = {w for n in names for w in re.split(r"[-_\s]+", str(n).lower()) if w}
        if not hidden and not words & _CHROME_WORDS and not _link_list(el, links):
            continue
        if len(el.get_text()) < 0.3 * total and el.find("table") is None:
            removed.add(id(el))
    for el in [e for e in _tags(body) if id(e) in removed]:
        el.decompose()


def _tags(root) -> list:
    """``root.find_all(True)``: every element under ``root``, in document order, without
    find_all's matching machinery (a third of an HTML report's reading went to it)."""
    return [e for e in root.descendants if isinstance(e, Tag)]


class _HtmlWalker:
    """Walks the DOM in order: inline text gathers into lines, blocks break lines, data tables
    become SourceTables, layout tables (holding other tables or long text) are walked into."""

    def __init__(self, out: Lines) -> None:
        self.out = out
        self.buf: list[str] = []

    def flush(self) -> None:
        if not self.buf:
            return
        line = _resolve_ws("".join(self.buf))
        self.buf = []
        if line.strip():
            self.out.add(line.strip())

    def walk(self, node) -> None:
        for child in list(node.children):
            if isinstance(child, NavigableString):
                if not isinstance(child, _NOT_TEXT):
                    self.buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name == "br":
                self.flush()
                continue
            if name == "table":
                self.flush()
                rows, nested = _own_rows(child)
                if _is_layout_table(rows, nested):
                    self.walk(child)
                else:
                    for cap in child.find_all("caption"):
                        if cap.find_parent("table") is child:
                            text = _cell_text(cap)
                            if text:
                                self.out.add(text)
                    grid, copy = _html_grid(rows)
                    if grid and any(any(c for c in r) for r in grid):
                        self.out.add_table(grid, copy)
                self.flush()
                continue
            if name in ("pre", "listing", "plaintext", "xmp"):
                # preformatted: its line breaks are the layout (often a table in spaces)
                self.flush()
                for line in child.get_text().replace("\r\n", "\n").split("\n"):
                    if line.strip():
                        self.out.add(line.rstrip())
                continue
            if name in _BLOCK_TAGS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)


_NOT_TEXT = (Comment, Doctype, Declaration, ProcessingInstruction, CData)
"""Strings of the parse tree that are not page text."""


def _resolve_ws(s: str) -> str:
    """Browser-like whitespace: runs collapse to one space, and a run holding a line break
    between two wide (CJK) characters disappears (source line wrapping inside Chinese text)."""

    def rep(mo: "re.Match[str]") -> str:
        run = mo.group(0)
        if "\n" in run or "\r" in run:
            a, b = mo.start(), mo.end()
            if a > 0 and b < len(s) and is_cjk(s[a - 1]) and is_cjk(s[b]):
                return ""
        return " "

    return _WS.sub(rep, s)


def _cell_text(td) -> str:
    """A cell's text as one line (its lines joined the CJK way)."""
    w = Lines()
    walker = _HtmlWalker(w)
    walker.walk(td)
    walker.flush()
    return join_cell_lines(w.lines)


def _own_rows(table) -> tuple[list, bool]:
    """The <tr> of this table, not of tables nested in it (document order; a walk, where
    ``find_all`` + ``find_parent`` cost a tenth of an HTML report's reading), and whether a
    table is nested in it."""
    rows: list = []
    nested = False

    def down(node) -> None:
        nonlocal nested
        for child in node.children:
            if isinstance(child, Tag):
                if child.name == "table":
                    nested = True
                    continue
                if child.name == "tr":
                    rows.append(child)
                down(child)

    down(table)
    return rows, nested


def _own_cells(tr) -> list:
    """``tr.find_all(["td", "th"], recursive=False)``."""
    return [c for c in tr.children if isinstance(c, Tag) and c.name in ("td", "th")]


def _is_layout_table(rows: list, nested: bool) -> bool:
    """Is a table (its own ``rows``; ``nested``: it holds another table) there for layout,
    not data?"""
    if nested:
        return True
    cells = [td for tr in rows for td in _own_cells(tr)]
    if not cells:
        return True
    if len(cells) == 1:
        return True
    longest = max(len(td.get_text()) for td in cells)
    return longest > 600


def _span(td, attr: str) -> int:
    v = td.get(attr)
    try:
        n = int(str(v).strip().rstrip(";")) if v is not None else 1
    except ValueError:
        n = 1
    return max(1, min(n, 200))


def _html_grid(rows: list) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]]]:
    """Expand rowspan/colspan of a table's own ``rows`` into a rectangular grid. Returns
    (grid, copy) where copy[r][c] is the (row, col) of the cell a spanned slot copies, or None
    for an original cell."""
    grid: dict[tuple[int, int], str] = {}
    copy: dict[tuple[int, int], Optional[tuple[int, int]]] = {}
    for r, tr in enumerate(rows):
        c = 0
        for td in _own_cells(tr):
            while (r, c) in grid:
                c += 1
            text = _cell_text(td)
            rs, cs = _span(td, "rowspan"), _span(td, "colspan")
            rs = min(rs, len(rows) - r)
            for dr in range(rs):
                for dc in range(cs):
                    key = (r + dr, c + dc)
                    if key in grid:
                        continue
                    grid[key] = text
                    copy[key] = None if (dr, dc) == (0, 0) else (r, c)
            c += cs
    if not grid:
        return [], []
    nrows = max(k[0] for k in grid) + 1
    ncols = max(k[1] for k in grid) + 1
    g = [[grid.get((r, c), "") for c in range(ncols)] for r in range(nrows)]
    cp = [[copy.get((r, c)) for c in range(ncols)] for r in range(nrows)]
    return g, cp
