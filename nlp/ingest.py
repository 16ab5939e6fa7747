"""Stage 1: read a report file into a :class:`~nlp.schema.Document`.

``ingest(path, *, max_bytes=None) -> Document`` reads .txt, .md, .html/.htm, .pdf and .docx.

- Text is decoded (UTF-8, UTF-8/16/32 with BOM, UTF-16 without, GBK/GB18030, or what
  charset-normalizer finds; HTML also by its ``<meta>`` charset, though valid UTF-8 wins).
- HTML: scripts, styles, navigation, hidden elements and link lists are dropped; the rest of
  the body is read in order, a block a line. Layout tables (holding other tables or long text)
  are walked into; data tables become tables.
- HTML, DOCX and PDF tables become :class:`~nlp.schema.SourceTable` grids (rowspan/colspan and
  merged cells expanded to a rectangle) and are flattened into the text, one line a row, the
  row's own cells joined by ``" | "``. A cell that is a copy made by a span is in the grid (with
  the value of the cell it copies, ``cell_spans`` None) but not in the line, so no figure is
  written twice; a blank cell is an empty field (``"a | | b"``, a trailing one ``"a |"``).
  Markdown pipe tables are given as SourceTables too (the text is left as it is).
- ``display_text`` is the text as read (PDF: its lines; HTML/DOCX: the flattened page);
  ``text`` is the cleaned text (see :mod:`nlp._clean`: simplified, pinyin debris out, NFKC and
  radical look-alikes folded, spaces collapsed, page furniture out, and for PDF the lines of a
  paragraph wrapped at the margin joined); ``offsets`` map ``text`` back to ``display_text``.
  SourceTable positions (``start``/``end``, ``cell_spans``) are in ``text``, and ``rows`` hold
  the cleaned cell strings, so ``text[a:b] == rows[r][c]`` for every ``(a, b) = cell_spans[r][c]``.

Errors are :class:`~nlp.errors.IngestError` (E001–E008), one line naming the file.
"""

from __future__ import annotations

import codecs
import hashlib
from bisect import bisect_left
import io
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from nlp._clean import clean, is_cjk, join_cell_lines, text_span
from nlp.config import settings
from nlp.errors import Errors, IngestError
from nlp.schema import Document, SourceTable

__all__ = ["ingest", "SUFFIXES"]

SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
            ".pdf": "pdf", ".docx": "docx"}

GARBAGE_RATIO = 0.05
"""Decoded text with more than this share of control, replacement, private-use or unassigned
characters is not text (E004)."""


# ---------------------------------------------------------------------------
# The public entry
# ---------------------------------------------------------------------------


def ingest(path: Union[str, os.PathLike], *, max_bytes: Optional[int] = None) -> Document:
    """Read the report at ``path`` into a :class:`Document`.

    ``max_bytes``: refuse larger files (default: the ``max_bytes`` setting of ``nlp.config``,
    20 MB unless ``XXGK_MAX_BYTES`` or ``xxgk.toml`` says otherwise); the size is checked
    before the file is read.

    Raises :class:`~nlp.errors.IngestError`: E001 missing, E002 unsupported type, E003 empty,
    E004 undecodable text, E005 unreadable PDF/DOCX, E006 PDF without a text layer, E007 too
    large, E008 no text found.
    """
    source = str(path)
    p = Path(path)
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError) as e:
        raise IngestError(Errors.E001, path=source) from e
    except OSError as e:
        raise IngestError(Errors.E005, path=source, fmt="report", detail=e.strerror or str(e)) from e
    suffix = p.suffix.lower()
    fmt = SUFFIXES.get(suffix)
    if p.is_dir():
        raise IngestError(Errors.E005, path=source, fmt="report", detail="it is a folder")
    if fmt is None:
        raise IngestError(Errors.E002, path=source, suffix=p.suffix or "(none)")
    limit = _limit(max_bytes)
    size = st.st_size
    if size > limit:
        raise IngestError(Errors.E007, path=source, size=size, limit=limit)
    if size == 0:
        raise IngestError(Errors.E003, path=source)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise IngestError(Errors.E005, path=source, fmt=fmt, detail=e.strerror or str(e)) from e
    if len(data) > limit:  # grew since stat, or a special file
        raise IngestError(Errors.E007, path=source, size=len(data), limit=limit)

    sniffed = _sniff(data)
    if sniffed and sniffed != fmt:
        # a report saved under the wrong name: read what the bytes are
        note = f"the file is a {sniffed.upper()} although its name says {suffix}; read as {sniffed}"
        fmt = sniffed
    else:
        note = ""

    if fmt in ("txt", "md"):
        raw = _read_text(data, source)
        if fmt == "md":
            raw.tables = _markdown_tables(raw.display)
    elif fmt == "html":
        raw = _read_html(data, source)
    elif fmt == "pdf":
        raw = _read_pdf(data, source)
    else:
        raw = _read_docx(data, source)

    if note:
        raw.warnings.insert(0, note)
    text, offsets, script = clean(raw.display, drop=raw.drop)
    if not text.strip():
        if fmt in ("txt", "md"):
            raise IngestError(Errors.E003, path=source)
        raise IngestError(Errors.E008, path=source, detail=f"the {fmt} file holds no text")
    tables = tuple(_map_table(t, text, offsets) for t in raw.tables)
    return Document(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        display_text=raw.display,
        text=text,
        offsets=tuple(offsets),
        script=script,
        encoding=raw.encoding,
        source_tables=tables,
        warnings=tuple(raw.warnings),
    )


def _sniff(data: bytes) -> Optional[str]:
    """``pdf`` or ``docx`` when the bytes say so whatever the name, else None."""
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def _limit(max_bytes: Optional[int]) -> int:
    return int(max_bytes) if max_bytes is not None else settings().max_bytes


# ---------------------------------------------------------------------------
# What a reader hands over: display text, tables located in it, ranges to leave out
# ---------------------------------------------------------------------------


@dataclass
class _RawTable:
    grid: list[list[str]]  # display strings, rectangular
    spans: list[list[Optional[tuple[int, int]]]]  # display spans, None for span copies
    origin: list[list[Optional[tuple[int, int]]]]  # for copies: the (r, c) they copy
    start: int
    end: int


@dataclass
class _Raw:
    display: str
    encoding: Optional[str] = None
    tables: list[_RawTable] = field(default_factory=list)
    drop: list[tuple[int, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _map_table(t: _RawTable, text: str, offsets: Sequence[int]) -> SourceTable:
    """Move a display-located table onto the clean text."""
    spans = [[text_span(offsets, sp) for sp in row] for row in t.spans]
    rows: list[list[str]] = [
        [text[sp[0]:sp[1]] if sp is not None else "" for sp in row] for row in spans
    ]
    for r, row in enumerate(t.origin):
        for c, org in enumerate(row):
            if org is not None and spans[r][c] is None:
                rows[r][c] = rows[org[0]][org[1]]
    a, b = text_span(offsets, (t.start, t.end)) or (0, 0)
    return SourceTable(
        rows=tuple(tuple(r) for r in rows),
        start=a,
        end=b,
        cell_spans=tuple(tuple(r) for r in spans),
    )


class _Lines:
    """Builds display text line by line and lays tables out as ``" | "`` rows."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pos = 0  # where the next line starts
        self.tables: list[_RawTable] = []

    def add(self, line: str) -> tuple[int, int]:
        start = self.pos
        self.lines.append(line)
        self.pos += len(line) + 1
        return start, start + len(line)

    def add_table(self, grid: list[list[str]], copy: list[list[Optional[tuple[int, int]]]]) -> None:
        """``grid``: expanded cell strings (one line each); ``copy[r][c]``: the origin cell of
        a span copy, else None. Rows whose cells are all copies still get a (short) line."""
        if not grid:
            return
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        copy = [c + [None] * (width - len(c)) for c in copy]
        start = self.pos
        spans: list[list[Optional[tuple[int, int]]]] = []
        end = start
        for r, row in enumerate(grid):
            line = ""
            row_spans: list[Optional[tuple[int, int]]] = []
            first = True
            prev_empty = False
            for c, cell in enumerate(row):
                if copy[r][c] is not None:
                    row_spans.append(None)
                    continue
                if not first:
                    line += "| " if prev_empty else " | "
                a = len(line)
                line += cell
                row_spans.append((self.pos + a, self.pos + len(line)))
                first = False
                prev_empty = cell == ""
            stripped = line.rstrip()
            # keep spans of trailing empty cells inside the stripped line
            row_spans = [
                None if sp is None else (min(sp[0], self.pos + len(stripped)), min(sp[1], self.pos + len(stripped)))
                for sp in row_spans
            ]
            _, end = self.add(stripped)
            spans.append(row_spans)
        self.tables.append(_RawTable(grid, spans, copy, start, end))

    def text(self) -> str:
        return "\n".join(self.lines)


# ---------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CHARSET_ALIASES = {
    "gb2312": "gbk", "gb_2312": "gbk", "gb_2312-80": "gbk", "x-gbk": "gbk", "cp936": "gbk",
    "ms936": "gbk", "936": "gbk", "euc-cn": "gbk", "hz-gb-2312": "gbk", "gbk": "gbk",
    "gb18030": "gb18030", "utf8": "utf-8", "utf-8": "utf-8", "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "unicode": "utf-8",
}


def _norm_charset(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    n = name.strip().strip("\"'").lower()
    n = _CHARSET_ALIASES.get(n, n)
    try:
        return codecs.lookup(n).name
    except LookupError:
        return None


_SURELY_BAD = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd\ue000-\uf8ff\ud800-\udfff]")
_UNCOMMON = re.compile(r"[^\x00-\x7f\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def _garbage_ratio(text: str) -> float:
    """Share of characters no report contains: controls, U+FFFD, private use, unassigned."""
    if not text:
        return 0.0
    bad = len(_SURELY_BAD.findall(text))
    for ch in set(_UNCOMMON.findall(text)):
        if unicodedata.category(ch) in ("Cc", "Cn") and ch not in "\x85":
            bad += text.count(ch)
    return bad / len(text)


def _plausible_cjk(text: str) -> bool:
    """Guard against a wrong legacy decoding of binary data: most non-ASCII characters of a
    report are common CJK ideographs or punctuation."""
    non_ascii = [ch for ch in text[:20000] if ord(ch) >= 0x80]
    if len(non_ascii) < 20:
        return True
    common = sum(
        1 for ch in non_ascii
        if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"
        or "\u2000" <= ch <= "\u206f" or ch in "\u00a0\u00b7\u00d7"
    )
    return common / len(non_ascii) >= 0.6


def _decode(data: bytes, source: str, declared: Optional[str] = None) -> tuple[str, str, list[str]]:
    """Decode report bytes. Returns ``(text, encoding, warnings)``; raises E004."""
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc, warnings

    # Strict UTF-8 first: GBK text is almost never valid UTF-8, so success is strong evidence
    # whatever a <meta> says. Then the declared charset, then the GB family.
    order: list[str] = ["utf-8"]
    d = _norm_charset(declared)
    if d and d not in order:
        order.append(d)
    for enc in ("gbk", "gb18030"):
        if enc not in order:
            order.append(enc)
    if data.count(b"\x00") > len(data) // 8:  # UTF-16 without a BOM?
        order[1:1] = ["utf-16-le", "utf-16-be"]

    try:
        text = data.decode("utf-8")
        if _garbage_ratio(text) <= GARBAGE_RATIO:
            return text, "utf-8", warnings
    except UnicodeDecodeError:
        # UTF-8 but for a character cut at the end or a few bad bytes? Check before the legacy
        # codecs: UTF-8 Chinese often decodes "strictly" as GBK mojibake, while GBK text read
        # as UTF-8 gives a replacement character nearly every other character.
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(3, len(text) // 1000) and _garbage_ratio(text) <= GARBAGE_RATIO:
            warnings.append(f"{bad} undecodable byte sequence(s) replaced (utf-8)")
            return text, "utf-8", warnings

    for enc in order[1:]:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _garbage_ratio(text) <= GARBAGE_RATIO and _plausible_cjk(text):
            return text, enc, warnings

    # A file cut in the middle of a character, or with a few bad bytes: the candidate with the
    # fewest replacement characters, if there are few.
    best: Optional[tuple[int, str, str]] = None
    for enc in order:
        try:
            text = data.decode(enc, errors="replace")
        except LookupError:
            continue
        bad = text.count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, enc, text)
    if best is not None:
        bad, enc, text = best
        if bad <= max(3, len(text) // 1000) and _garbage_ratio(text) <= GARBAGE_RATIO and (
            enc == "utf-8" or _plausible_cjk(text)
        ):
            warnings.append(f"{bad} undecodable byte sequence(s) replaced ({enc})")
            return text, enc, warnings

    try:
        from charset_normalizer import from_bytes

        match = from_bytes(data).best()
    except Exception:  # pragma: no cover - the sniffer itself failing is not the user's problem
        match = None
    if match is not None:
        text = str(match)
        if _garbage_ratio(text) <= GARBAGE_RATIO and _plausible_cjk(text):
            warnings.append(f"encoding guessed as {match.encoding}")
            return text, match.encoding, warnings
    detail = "not UTF-8, GBK or GB18030, and no other encoding fits; binary data?"
    raise IngestError(Errors.E004, path=source, detail=detail)


# ---------------------------------------------------------------------------
# .txt / .md
# ---------------------------------------------------------------------------


def _read_text(data: bytes, source: str) -> _Raw:
    if not data.strip():
        raise IngestError(Errors.E003, path=source)
    text, enc, warnings = _decode(data, source)
    if _blank(text):
        raise IngestError(Errors.E003, path=source)
    # Text extracted from a PDF (pdftotext) marks page breaks with form feeds: then the page
    # furniture can be found the way the PDF reader finds it.
    drop = _pdf_furniture(text, _text_pages(text)) if text.count("\f") >= 2 else []
    return _Raw(display=text, encoding=enc, drop=drop, warnings=warnings)


def _text_pages(text: str) -> list[list[tuple[int, int, bool]]]:
    """Per form-feed page, the (start, end, True) of its non-blank lines."""
    pages: list[list[tuple[int, int, bool]]] = [[]]
    for mo in re.finditer(r"[^\n\r\f]*(?:\r\n|[\n\r\f]|$)", text):
        a = mo.start()
        body = mo.group(0).rstrip("\r\n\f")
        if body.strip():
            lead = len(body) - len(body.lstrip())
            pages[-1].append((a + lead, a + len(body.rstrip()), True))
        if mo.group(0).endswith("\f"):
            pages.append([])
        if mo.end() == len(text):
            break
    return pages


def _blank(text: str) -> bool:
    return not re.sub(r"[\s\u200b-\u200d\u2060\ufeff]+", "", text)


_MD_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_MD_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")


def _split_md_row(line: str, base: int) -> list[tuple[str, int, int]]:
    """Cells of a ``| a | b |`` line, with their display spans (stripped)."""
    cells: list[tuple[str, int, int]] = []
    i = line.index("|") + 1
    last_bar = line.rindex("|")
    while i <= last_bar:
        j = i
        while j < last_bar and not (line[j] == "|" and line[j - 1] != "\\"):
            j += 1
        raw = line[i:j]
        lead = len(raw) - len(raw.lstrip())
        cell = raw.strip()
        cells.append((cell, base + i + lead, base + i + lead + len(cell)))
        i = j + 1
    return cells


def _markdown_tables(display: str) -> list[_RawTable]:
    """Pipe tables (a header row, a ``|---|`` rule, body rows) as SourceTables in place."""
    tables: list[_RawTable] = []
    lines = display.split("\n")
    starts = []
    pos = 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    i = 0
    while i < len(lines) - 1:
        if _MD_ROW.match(lines[i].rstrip("\r")) and _MD_RULE.match(lines[i + 1].rstrip("\r")):
            block = [i]
            k = i + 2
            while k < len(lines) and _MD_ROW.match(lines[k].rstrip("\r")):
                block.append(k)
                k += 1
            rows = [_split_md_row(lines[j].rstrip("\r"), starts[j]) for j in block]
            width = max(len(r) for r in rows)
            grid = [[c[0] for c in r] + [""] * (width - len(r)) for r in rows]
            spans: list[list[Optional[tuple[int, int]]]] = [
                [(c[1], c[2]) for c in r] + [None] * (width - len(r)) for r in rows
            ]
            origin: list[list[Optional[tuple[int, int]]]] = [[None] * width for _ in rows]
            end = starts[block[-1]] + len(lines[block[-1]].rstrip("\r"))
            tables.append(_RawTable(grid, spans, origin, starts[i], end))
            i = k
        else:
            i += 1
    return tables


# ---------------------------------------------------------------------------
# .html
# ---------------------------------------------------------------------------

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


def _read_html(data: bytes, source: str) -> _Raw:
    if not data.strip():
        raise IngestError(Errors.E003, path=source)
    head = data[:8192]
    mo = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    declared = mo.group(1).decode("ascii", "replace") if mo else None
    html, enc, warnings = _decode(data, source, declared)
    if _blank(html):
        raise IngestError(Errors.E003, path=source)

    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception as e:  # lxml is lenient; this is a last resort
        raise IngestError(Errors.E005, path=source, fmt="HTML", detail=_one_line(e)) from e

    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else ""
    for t in soup.find_all(_DROP_TAGS):
        t.decompose()
    _drop_chrome(soup)

    out = _Lines()
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
    return _Raw(display=display, encoding=enc, tables=out.tables, warnings=warnings)


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
    for el in body.find_all(True):
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
    for el in [e for e in body.find_all(True) if id(e) in removed]:
        el.decompose()


class _HtmlWalker:
    """Walks the DOM in order: inline text gathers into lines, blocks break lines, data tables
    become SourceTables, layout tables (holding other tables or long text) are walked into."""

    def __init__(self, out: _Lines) -> None:
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
        NavigableString, Tag, skip = _bs4_types()
        for child in list(node.children):
            if isinstance(child, NavigableString):
                if not isinstance(child, skip):
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
                if _is_layout_table(child):
                    self.walk(child)
                else:
                    for cap in child.find_all("caption"):
                        if cap.find_parent("table") is child:
                            text = _cell_text(cap)
                            if text:
                                self.out.add(text)
                    grid, copy = _html_grid(child)
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


_BS4_TYPES: Optional[tuple] = None


def _bs4_types() -> tuple:
    global _BS4_TYPES
    if _BS4_TYPES is None:
        from bs4 import NavigableString, Tag
        from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

        _BS4_TYPES = (NavigableString, Tag, (Comment, Doctype, Declaration, ProcessingInstruction, CData))
    return _BS4_TYPES


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
    w = _Lines()
    walker = _HtmlWalker(w)
    walker.walk(td)
    walker.flush()
    return join_cell_lines(w.lines)


def _own_rows(table) -> list:
    """The <tr> of this table, not of tables nested in it."""
    rows = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is table:
            rows.append(tr)
    return rows


def _is_layout_table(table) -> bool:
    if table.find("table") is not None:
        return True
    rows = _own_rows(table)
    cells = [td for tr in rows for td in tr.find_all(["td", "th"], recursive=False)]
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


def _html_grid(table) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]]]:
    """Expand rowspan/colspan into a rectangular grid. Returns (grid, copy) where copy[r][c]
    is the (row, col) of the cell a spanned slot copies, or None for an original cell."""
    grid: dict[tuple[int, int], str] = {}
    copy: dict[tuple[int, int], Optional[tuple[int, int]]] = {}
    rows = _own_rows(table)
    for r, tr in enumerate(rows):
        c = 0
        for td in tr.find_all(["td", "th"], recursive=False):
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


# ---------------------------------------------------------------------------
# .docx
# ---------------------------------------------------------------------------


def _read_docx(data: bytes, source: str) -> _Raw:
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        d = docx.Document(io.BytesIO(data))
    except Exception as e:
        raise IngestError(Errors.E005, path=source, fmt="DOCX", detail=_one_line(e)) from e

    out = _Lines()
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
        raise IngestError(Errors.E005, path=source, fmt="DOCX", detail=_one_line(e)) from e
    display = out.text()
    if not display.strip():
        raise IngestError(Errors.E008, path=source, detail="the DOCX file holds no text")
    return _Raw(display=display, encoding=None, tables=out.tables)


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
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text


def _one_line(e: BaseException) -> str:
    s = " ".join(str(e).split()) or type(e).__name__
    return s[:200]


# ---------------------------------------------------------------------------
# .pdf
# ---------------------------------------------------------------------------

_PDF_PAGE_NO = re.compile(
    r"^\s*(?:[-—–~_－]{0,3}\s*\d{1,3}\s*[-—–~_－]{0,3}|\d{1,3}\s*/\s*\d{1,3}"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?:(?i:of)|/)\s*\d{1,4})?)\s*$"
)


def _read_pdf(data: bytes, source: str) -> _Raw:
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:
        raise IngestError(Errors.E005, path=source, fmt="PDF", detail=_one_line(e)) from e

    out = _Lines()
    warnings: list[str] = []
    page_lines: list[list[tuple[int, int, bool]]] = []  # per page: (start, end, is_text_line)
    joins: list[tuple[int, int]] = []  # line breaks inside a wrapped paragraph
    pages: list[list[tuple[str, Any]]] = []
    scanned: list[int] = []  # pages that are an image with (almost) no text
    n_chars = n_unmapped = 0
    quiet = _QuietPdfminer()
    try:
        with pdf, quiet:
            for pno, page in enumerate(pdf.pages, start=1):
                chars = page.chars
                _align_baselines(chars)
                n_chars += len(chars)
                # glyphs with no Unicode mapping come out as "(cid:123)": no usable text
                n_unmapped += sum(1 for ch in chars if ch.get("text", "").startswith("(cid:"))
                if sum(1 for ch in chars if ch.get("text", "").strip()) < 5 and page.images:
                    scanned.append(pno)
                pages.append(list(_pdf_page_blocks(page, pno, warnings)))
    except IngestError:
        raise
    except Exception as e:
        raise IngestError(Errors.E005, path=source, fmt="PDF", detail=_one_line(e)) from e

    geometry = _text_geometry([b[1] for blocks in pages for b in blocks if b[0] == "text"])
    for blocks in pages:
        this_page: list[tuple[int, int, bool]] = []
        for kind, payload in blocks:
            if kind == "text":
                prev: Optional[tuple[dict, int]] = None
                for ln in payload:
                    text = " ".join(ln["text"].split())
                    if not text:
                        continue
                    a, b = out.add(text)
                    this_page.append((a, b, True))
                    if prev is not None and _wraps(prev[0], ln, geometry):
                        joins.append((prev[1], prev[1] + 1))
                    prev = (ln, b)
            else:
                grid, copy = payload
                n_before = out.pos
                out.add_table(grid, copy)
                this_page.append((n_before, out.pos - 1, False))
        page_lines.append(this_page)

    display = out.text()
    if not n_chars or not display.strip() or n_unmapped > n_chars / 2:
        raise IngestError(Errors.E006, path=source)
    if scanned and len(scanned) * 2 >= len(pages):
        # a scanned report with a typed cover or stamp page: the report itself has no text
        raise IngestError(Errors.E006, path=source)
    if scanned:
        warnings.append(f"page(s) {', '.join(map(str, scanned))} are images without text (scanned?)")
    if n_unmapped:
        warnings.append(f"{n_unmapped} of {n_chars} PDF glyphs have no Unicode mapping ((cid:…))")
    drop = _pdf_furniture(display, page_lines) + joins
    return _Raw(display=display, encoding=None, tables=out.tables, drop=drop, warnings=warnings)


_SENTENCE_END = tuple("。！？：；!?:;」』”")
_STARTS_ITEM = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．]|第[一二三四五六七八九十\d]+[章节条部])"
)


def _text_geometry(blocks: list[list[dict]]) -> tuple[float, float, float]:
    """(left margin, right margin, typical char width) of the document's text lines: the most
    common line start, the furthest line end, the median width of a char. (0, 0, 0) when the
    text block is too narrow to tell wrapped lines from short ones (under 25 chars)."""
    lines = [ln for blk in blocks for ln in blk if len(ln["text"].strip()) >= 2]
    widths = sorted((ln["x1"] - ln["x0"]) / len(ln["text"]) for ln in lines if len(ln["text"]) >= 5)
    if not widths:
        return 0.0, 0.0, 0.0
    char_w = widths[len(widths) // 2]
    starts: dict[int, int] = {}
    for ln in lines:
        starts[round(ln["x0"])] = starts.get(round(ln["x0"]), 0) + 1
    left = float(max(starts, key=lambda k: starts[k]))
    right = max(ln["x1"] for ln in lines if len(ln["text"]) >= 10) if any(
        len(ln["text"]) >= 10 for ln in lines) else 0.0
    if right - left < 25 * char_w:
        return 0.0, 0.0, 0.0
    return left, right, char_w


def _wraps(line: dict, nxt: dict, geometry: tuple[float, float, float]) -> bool:
    """Does ``line`` run on into ``nxt`` (a paragraph the PDF wrapped at the margin)? The line
    reaches the right margin (within three chars), does not end a sentence, and the next line
    starts at the left margin, in the same font size, close below, and is not a new item
    (一、 (二) 3.)."""
    left, right, w = geometry
    text, following = line["text"].rstrip(), nxt["text"].lstrip()
    if not text or not following or w <= 0:
        return False
    if line["x1"] < right - 3 * w or abs(nxt["x0"] - left) > 0.6 * w:
        return False
    if text.endswith(_SENTENCE_END) or _STARTS_ITEM.match(following):
        return False
    if not (is_cjk(text[-1]) or is_cjk(following[0]) or text[-1].isdigit()):
        return False  # Latin words would run together without a space
    h1, h2 = line["bottom"] - line["top"], nxt["bottom"] - nxt["top"]
    if abs(h1 - h2) > 0.15 * max(h1, h2):
        return False  # another font size: a title over its text
    return nxt["top"] - line["bottom"] < 2 * h1


class _QuietPdfminer:
    """pdfminer logs a warning for every glyph of a font without a bounding box (Chromium's
    PDFs): keep that out of the user's terminal while a PDF is read."""

    def __enter__(self) -> None:
        import logging

        self.logger = logging.getLogger("pdfminer")
        self.level = self.logger.level
        self.logger.setLevel(logging.ERROR)

    def __exit__(self, *exc) -> None:
        self.logger.setLevel(self.level)


def _align_baselines(chars: list[dict]) -> None:
    """Put every upright char's box on its baseline (``top = baseline - size``).

    pdfminer derives a char's top from its font's ascent, so in a line mixing fonts (Latin
    digits in one font, Chinese in another: ``平潭综合实验区2024年度…``) the tops differ by
    more than pdfplumber's line tolerance at title sizes, and the digits land on a line of
    their own. The baseline, from the text matrix, is the same for the whole line."""
    for c in chars:
        m = c.get("matrix")
        if not m or not c.get("upright", True) or abs(m[1]) > 1e-6 or abs(m[2]) > 1e-6:
            continue
        size = c.get("size") or (c["bottom"] - c["top"])
        baseline = c["top"] + c["y1"] - m[5]  # the baseline in top-down page coordinates
        shift = (baseline - size) - c["top"]
        if abs(shift) < 1e-3:
            continue
        c["top"] += shift
        c["bottom"] = c["top"] + size
        if "doctop" in c:
            c["doctop"] += shift


def _pdf_page_blocks(page, pno: int, warnings: list[str]):
    """The page as blocks top to bottom: ("text", [line dicts of pdfplumber's
    ``extract_text_lines``]) and ("table", (grid, copy))."""
    tables = []
    in_cells: set[int] = set()
    try:
        found = page.find_tables()
    except Exception:
        found = []
    for t in found:
        try:
            x0, top, x1, bottom = t.bbox
            inside = [c for c in page.chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1
                      and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            grid, copy, used = _pdf_grid(t, inside)
        except Exception:
            warnings.append(f"page {pno}: a table could not be read as a grid; kept as text")
            continue
        if len(grid) < 2 or max(len(r) for r in grid) < 2 or not any(any(c for c in r) for r in grid):
            continue  # a box or a rule, not a table: its text stays in the text flow
        tables.append((t.bbox, grid, copy))
        in_cells.update(used)
    tables.sort(key=lambda x: x[0][1])

    def in_table(obj) -> bool:
        # chars read into a cell; those in a table's box but in no cell (a merged cell cut by
        # the page end has no closing edge) stay in the text flow, after the table
        return id(obj) in in_cells

    def band_text(lo: float, hi: float) -> str:
        def keep(obj) -> bool:
            if obj.get("object_type") != "char":
                return False
            cy = (obj["top"] + obj["bottom"]) / 2
            return lo <= cy < hi and not in_table(obj)

        return page.filter(keep).extract_text_lines(return_chars=False)

    if not tables:
        yield "text", page.extract_text_lines(return_chars=False)
        return
    lo = float("-inf")
    for bbox, grid, copy in tables:
        yield "text", band_text(lo, bbox[1])
        yield "table", (grid, copy)
        lo = bbox[1]
    yield "text", band_text(lo, float("inf"))


def _cluster(values: list[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _nearest(grid: list[float], v: float) -> int:
    i = bisect_left(grid, v)
    if i == len(grid) or (i > 0 and v - grid[i - 1] < grid[i] - v):
        i -= 1
    return i


def _pdf_grid(t, chars: list[dict]) -> tuple[list[list[str]], list[list[Optional[tuple[int, int]]]], set[int]]:
    """The table as a rectangular grid, merged cells expanded.

    The grid lines are all the cell edges pdfplumber found (within 1.5 pt of each other taken as
    one); each slot belongs to the cell box that covers it, the slot at the box's top left is
    the cell, the others are its copies. Chars go to the cell under their centre. Rows or
    columns that hold no cell of their own (slivers from edges a hair apart) are dropped.
    Returns (grid, copy, ids of the chars read into cells)."""
    from pdfplumber.utils import extract_text

    boxes = [tuple(b) for b in t.cells]
    xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
    nrows, ncols = len(ys) - 1, len(xs) - 1
    if nrows < 1 or ncols < 1:
        return [], [], set()
    owner: list[list[Optional[int]]] = [[None] * ncols for _ in range(nrows)]
    origin: dict[int, tuple[int, int]] = {}
    for k, (x0, top, x1, bottom) in enumerate(boxes):
        c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
        r0, r1 = _nearest(ys, top), _nearest(ys, bottom)
        if c1 <= c0 or r1 <= r0:
            continue
        for r in range(r0, r1):
            for c in range(c0, c1):
                if owner[r][c] is None:
                    owner[r][c] = k
        origin[k] = (r0, c0)
    own = [[owner[r][c] is not None and origin[owner[r][c]] == (r, c) for c in range(ncols)]
           for r in range(nrows)]
    keep_r = [r for r in range(nrows) if any(own[r])]
    keep_c = [c for c in range(ncols) if any(own[r][c] for r in range(nrows))]

    buckets: dict[int, list[dict]] = {}
    used: set[int] = set()
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        c = bisect_left(xs, cx) - 1
        r = bisect_left(ys, cy) - 1
        if 0 <= r < nrows and 0 <= c < ncols and owner[r][c] is not None:
            buckets.setdefault(owner[r][c], []).append(ch)
            used.add(id(ch))
    texts = {k: join_cell_lines(extract_text(v).split("\n")) for k, v in buckets.items()}

    new_r = {r: i for i, r in enumerate(keep_r)}
    new_c = {c: j for j, c in enumerate(keep_c)}
    grid: list[list[str]] = []
    copy: list[list[Optional[tuple[int, int]]]] = []
    for r in keep_r:
        g_row: list[str] = []
        c_row: list[Optional[tuple[int, int]]] = []
        for c in keep_c:
            k = owner[r][c]
            if k is None:
                g_row.append("")
                c_row.append(None)
                continue
            g_row.append(texts.get(k, ""))
            o = origin[k]
            c_row.append(None if o == (r, c) else (new_r[o[0]], new_c[o[1]]))
        grid.append(g_row)
        copy.append(c_row)
    return grid, copy, used


def _pdf_furniture(display: str, page_lines: list[list[tuple[int, int, bool]]]) -> list[tuple[int, int]]:
    """Display ranges of page furniture: page numbers on a page's first or last lines, and
    header/footer lines repeated (digits aside) at the top or bottom of most pages."""
    drop: list[tuple[int, int]] = []
    edge_lines: list[list[tuple[int, int]]] = []
    for lines in page_lines:
        if not lines:
            edge_lines.append([])
            continue
        # only lines at the page's edges, before the first / after the last table
        head = []
        for a, b, is_text in lines[:2]:
            if not is_text:
                break
            head.append((a, b))
        tail = []
        for a, b, is_text in reversed(lines[-2:]):
            if not is_text:
                break
            tail.append((a, b))
        edges = head + [x for x in tail if x not in head]
        edge_lines.append(edges)
        for a, b in edges:
            if _PDF_PAGE_NO.match(display[a:b]):
                drop.append((a, min(b + 1, len(display))))
    # Running headers/footers: a page's first or last line, not long, the same (digits aside)
    # on at least half the pages and on three or more (on both pages of a two-page file).
    npages = len(page_lines)
    if npages >= 2:
        counts: dict[str, int] = {}
        firsts_lasts: list[list[tuple[int, int]]] = []
        for edges, lines in zip(edge_lines, page_lines):
            ends = [x for x in (lines[:1] + lines[-1:]) if x[2]]
            fl = [(a, b) for a, b, _ in ends if b - a <= 80]
            firsts_lasts.append(fl)
            for key in {re.sub(r"\d+", "#", display[a:b].strip()) for a, b in fl}:
                if key:
                    counts[key] = counts.get(key, 0) + 1
        need = 2 if npages == 2 else max(3, (npages + 1) // 2)
        repeated = {k for k, n in counts.items() if n >= need}
        for fl in firsts_lasts:
            for a, b in fl:
                if re.sub(r"\d+", "#", display[a:b].strip()) in repeated:
                    drop.append((a, min(b + 1, len(display))))
    return sorted(set(drop))
