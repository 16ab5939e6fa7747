"""Reading .html reports (lxml's HTML parser: the only module that imports it).

The page is decoded (a valid UTF-8 page wins over its ``<meta>`` charset); scripts, styles,
navigation, hidden elements and link lists are dropped; the rest of the body is read in order,
a block a line. Layout tables (holding other tables or long text) are walked into; data tables
become tables, rowspan/colspan expanded. ``read(data, source) -> Raw``.
"""

from __future__ import annotations

import re
from typing import Optional

from lxml import etree

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

    if html.startswith("\ufeff"):
        html = html[1:]
    try:
        parser = etree.HTMLParser(recover=True)
        parser.feed(html)
        root = parser.close()
    except Exception as e:  # lxml is lenient; this is a last resort
        raise IngestError(Errors.E005, path=source, fmt="HTML", detail=one_line(e)) from e
    if root is None:  # nothing but a comment, a doctype or a processing instruction
        raise IngestError(Errors.E008, path=source, detail="the HTML page holds no text")

    _fold_blank_strings(root)
    title_tag = next(root.iter("title"), None)
    title = " ".join(" ".join(title_tag.itertext()).split()) if title_tag is not None else ""
    for t in list(root.iter(*_DROP_TAGS)):
        _remove(t)
    body = next(root.iter("body"), root)
    ruby = next(body.iter(*_CONTAINERS), None) is not None
    _drop_chrome(body, ruby)

    out = Lines()
    walker = _HtmlWalker(out, ruby)
    walker.walk(body)
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

_CONTAINERS = frozenset("rt rp script style template".split())
"""Elements whose strings are of their own kind: an element's text leaves them out (ruby
annotations; scripts, styles and templates are dropped before any text is measured)."""

_SPACES = " \t\n\r\f"
_KEEP_SPACES = ("pre", "textarea")


def _fold_blank_strings(root) -> None:
    """A string of nothing but ASCII spaces, outside <pre>/<textarea>, becomes one line break
    (if it holds one) or one space: the page's indentation, as browsers and the readers before
    this one saw it. Done once on the parsed tree, before any element is dropped."""
    keep = {e for p in root.iter(*_KEEP_SPACES) for e in p.iter()}
    for node in root.iter():
        text = node.text
        if text and isinstance(node.tag, str) and not text.strip(_SPACES) and node not in keep:
            node.text = "\n" if "\n" in text else " "
        tail = node.tail
        if tail and not tail.strip(_SPACES) and node.getparent() not in keep:
            node.tail = "\n" if "\n" in tail else " "


def _text(el, ruby: bool = True) -> str:
    """The text of ``el`` and everything in it (comments left out; strings inside a ruby
    annotation only in the annotation's own text). ``ruby``: the page may hold one."""
    if not ruby:
        return el.text or "" if len(el) == 0 else "".join(el.itertext())
    if el.tag not in _CONTAINERS and next(el.iterancestors(*_CONTAINERS), None) is not None:
        return ""
    if next(el.iterdescendants(*_CONTAINERS), None) is None:
        return "".join(el.itertext())
    parts: list[str] = []

    def down(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag not in _CONTAINERS:
                down(child)
            if child.tail:
                parts.append(child.tail)

    down(el)
    return "".join(parts)


def _remove(el) -> None:
    """Drop ``el`` and everything in it; the text after it stays where it was."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _link_counts(body, ruby: bool) -> dict:
    """For every element holding links: (number of links, chars of link text) inside it."""
    counts: dict = {}
    for a in body.iterdescendants("a"):
        n = len("".join(_text(a, ruby).split()))
        for anc in a.iterancestors():
            k, c = counts.get(anc, (0, 0))
            counts[anc] = (k + 1, c + n)
    return counts


def _link_list(el, counts: dict, ruby: bool) -> bool:
    """A block that is mostly links (three or more): menus, friend links, related articles."""
    if el.tag not in _LIST_TAGS:
        return False
    n_links, linked = counts.get(el, (0, 0))
    if n_links < 3:
        return False
    text = len("".join(_text(el, ruby).split()))
    return text > 0 and linked >= 0.75 * text


_NEVER_CHROME = frozenset("body html table tr td th".split())


def _drop_chrome(body, ruby: bool) -> None:
    """Remove navigation, share bars, footers … named so by their class or id, hidden
    elements, and blocks of links, unless the element holds a large part of the page's text
    or a table (then it is the page, not chrome)."""
    total = 0  # the page's text length, measured when an element first looks like chrome
    links = _link_counts(body, ruby)
    removed: set = set()
    for el in _tags(body):
        if el.tag in _NEVER_CHROME:
            continue
        if removed and any(a in removed for a in el.iterancestors()):
            continue  # inside an element already dropped
        if not _looks_like_chrome(el, links, ruby):
            continue
        total = total or len(_text(body, ruby)) or 1
        if len(_text(el, ruby)) < 0.3 * total and next(el.iterdescendants("table"), None) is None:
            removed.add(el)
    if removed:  # most pages: nothing named or made of links
        for el in [e for e in _tags(body) if e in removed]:
            _remove(el)


def _looks_like_chrome(el, links: dict, ruby: bool) -> bool:
    """Hidden, named like navigation by its class or id, or a block of links."""
    if el.keys():  # most elements of a report have no attributes
        attrs = el.attrib
        if _HIDDEN.search(str(attrs.get("style", ""))) or "hidden" in attrs:
            return True
        names = []
        cls = attrs.get("class")
        if cls:
            names.append(cls)
        if attrs.get("id"):
            names.append(str(attrs["id"]))
        if {w for n in names for w in re.split(r"[-_\s]+", str(n).lower()) if w} & _CHROME_WORDS:
            return True
    return _link_list(el, links, ruby)


def _tags(root) -> list:
    """Every element under ``root`` (and ``root``), in document order (no comments)."""
    return list(root.iter(etree.Element))


class _HtmlWalker:
    """Walks the DOM in order: inline text gathers into lines, blocks break lines, data tables
    become SourceTables, layout tables (holding other tables or long text) are walked into."""

    def __init__(self, out: Lines, ruby: bool) -> None:
        self.out = out
        self.ruby = ruby  # the page may hold ruby annotations (:func:`_text`)
        self.buf: list[str] = []

    def flush(self) -> None:
        if not self.buf:
            return
        line = _resolve_ws("".join(self.buf))
        self.buf = []
        if line.strip():
            self.out.add(line.strip())

    def walk(self, node) -> None:
        if node.text:
            self.buf.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                self._element(child)
            if child.tail:  # the text after an element or a comment
                self.buf.append(child.tail)

    def _element(self, child) -> None:
        name = child.tag
        if name == "br":
            self.flush()
            return
        if name == "table":
            self.flush()
            cells, nested = _own_cells(child)
            if _is_layout_table(cells, nested, self.ruby):
                self.walk(child)
            else:
                for cap in child.iterdescendants("caption"):
                    if next(cap.iterancestors("table"), None) is child:
                        text = _cell_text(cap, self.ruby)
                        if text:
                            self.out.add(text)
                grid, copy = _html_grid(cells, self.ruby)
                if grid and any(any(c for c in r) for r in grid):
                    self.out.add_table(grid, copy)
            self.flush()
            return
        if name in ("pre", "listing", "plaintext", "xmp"):
            # preformatted: its line breaks are the layout (often a table in spaces)
            self.flush()
            for line in _text(child, self.ruby).replace("\r\n", "\n").split("\n"):
                if line.strip():
                    self.out.add(line.rstrip())
            return
        if name in _BLOCK_TAGS:
            self.flush()
            self.walk(child)
            self.flush()
        else:
            self.walk(child)


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


def _cell_text(td, ruby: bool) -> str:
    """A cell's text as one line (its lines joined the CJK way)."""
    if len(td) == 0:  # text alone (most cells): one line
        text = td.text
        if not text:
            return ""
        if "\n" in text or "\r" in text:
            return join_cell_lines([_resolve_ws(text)])
        return " ".join(text.split())  # what the line would be: no break to resolve
    w = Lines()
    walker = _HtmlWalker(w, ruby)
    walker.walk(td)
    walker.flush()
    return join_cell_lines(w.lines)


def _own_cells(table) -> tuple[list[list], bool]:
    """The <td> and <th> of each <tr> of this table, not of tables nested in it (document
    order), and whether a table is nested in it."""
    if next(table.iterdescendants("table"), None) is None:  # most tables: every <tr> is its own
        return [list(tr.iterchildren("td", "th")) for tr in table.iterdescendants("tr")], False
    rows: list = []

    def down(node) -> None:
        for child in node:
            if child.tag == "table":
                continue
            if child.tag == "tr":
                rows.append(list(child.iterchildren("td", "th")))
            if isinstance(child.tag, str):
                down(child)

    down(table)
    return rows, True


def _is_layout_table(cells: list[list], nested: bool, ruby: bool) -> bool:
    """Is a table (the cells of its own rows; ``nested``: it holds another table) there for
    layout, not data? (``ruby``: the page may hold ruby annotations, :func:`_text`.)"""
    if nested:
        return True
    n = sum(map(len, cells))
    if n <= 1:
        return True
    longest = max(len(_text(td, ruby)) for row in cells for td in row)
    return longest > 600


def _span(v) -> int:
    """A rowspan/colspan value (an attribute's string, or None) as a count of 1 to 200."""
    if v is None:
        return 1
    try:
        n = int(str(v).strip().rstrip(";"))
    except ValueError:
        n = 1
    return max(1, min(n, 200))


def _html_grid(cells: list[list], ruby: bool) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]]]:
    """Expand rowspan/colspan of a table's own rows (``cells``: the cells of each) into a
    rectangular grid. Returns (grid, copy) where copy[r][c] is the (row, col) of the cell a
    spanned slot copies, or None for an original cell."""
    nrows_all = len(cells)
    grid: list[dict[int, str]] = [{} for _ in cells]  # row -> {column: text}
    copy: list[dict[int, tuple[int, int]]] = [{} for _ in cells]  # row -> {column: origin}, copies only
    nrows = ncols = 0  # the grid's size: one past the last row and column filled
    for r, tds in enumerate(cells):
        row = grid[r]
        c = 0
        for td in tds:
            while c in row:
                c += 1
            text = _cell_text(td, ruby)
            rs_attr, cs_attr = td.get("rowspan"), td.get("colspan")
            if rs_attr is None and cs_attr is None:  # most cells: one slot (free: the loop above found it so)
                row[c] = text
                rs = cs = 1
            else:
                rs, cs = _span(rs_attr), _span(cs_attr)
                rs = min(rs, nrows_all - r)
                for dr in range(rs):
                    slots, copies = grid[r + dr], copy[r + dr]
                    for dc in range(cs):
                        if c + dc in slots:
                            continue
                        slots[c + dc] = text
                        if dr or dc:
                            copies[c + dc] = (r, c)
            if r + rs > nrows:
                nrows = r + rs
            if c + cs > ncols:
                ncols = c + cs
            c += cs
    if not nrows:
        return [], []
    columns = range(ncols)
    g = [[row.get(c, "") for c in columns] for row in grid[:nrows]]
    cp = [[copies.get(c) for c in columns] for copies in copy[:nrows]]
    return g, cp
