"""Stage 1: read a report file into a :class:`~nlp.schema.Document`.

``ingest(path, *, max_bytes=None) -> Document`` reads .txt, .md, .html/.htm, .pdf and .docx,
and .doc/.wps through LibreOffice (:mod:`nlp.ingest.office`).

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
  ``text`` is the cleaned text (see :mod:`nlp.ingest.clean`: simplified, pinyin debris out, NFKC and
  radical look-alikes folded, spaces collapsed, page furniture out, and for PDF the lines of a
  paragraph wrapped at the margin joined); ``offsets`` map ``text`` back to ``display_text``.
  SourceTable positions (``start``/``end``, ``cell_spans``) are in ``text``, and ``rows`` hold
  the cleaned cell strings, so ``text[a:b] == rows[r][c]`` for every ``(a, b) = cell_spans[r][c]``.

The package is a reader a format (``text``, ``html``, ``docx``, ``pdf``, ``office``: each third-party
library is imported in its reader only, and a reader is imported when a file of its format is
read), over ``decode`` (bytes to text), ``clean`` (the analysis text and its offset map) and
``_layout`` (what a reader hands over; page furniture).

Errors are :class:`~nlp.errors.IngestError` (E001–E008), one line naming the file.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Optional, Union

from nlp.config import settings
from nlp.errors import Errors, IngestError
from nlp.ingest._layout import Raw, map_table
from nlp.ingest.clean import clean, text_span
from nlp.schema import Document

__all__ = ["ingest", "SUFFIXES"]

SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
            ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "wps"}


def ingest(path: Union[str, os.PathLike], *, max_bytes: Optional[int] = None) -> Document:
    """Read the report at ``path`` into a :class:`Document`.

    ``max_bytes``: refuse larger files (default: the ``max_bytes`` setting of ``nlp.config``,
    20 MB unless ``XXGK_MAX_BYTES`` or ``xxgk.toml`` says otherwise); the size is checked
    before the file is read.

    Raises :class:`~nlp.errors.IngestError`: E001 missing, E002 unsupported type, E003 empty,
    E004 undecodable text, E005 unreadable PDF/DOCX/.doc, E006 PDF without a text layer, E007 too
    large, E008 no text found, E014 a .doc/.wps file without LibreOffice installed.
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
    if sniffed == "doc" and fmt == "wps":
        sniffed = None  # Kingsoft's .wps is the Word 97 binary: the name is right
    if sniffed and sniffed != fmt:
        # a report saved under the wrong name: read what the bytes are
        note = f"the file is a {sniffed.upper()} although its name says {suffix}; read as {sniffed}"
        fmt = sniffed
    else:
        note = ""

    raw = _read(fmt, data, source)

    if note:
        raw.warnings.insert(0, note)
    text, mapped, script = clean(raw.display, drop=raw.drop)
    offsets = tuple(mapped)
    if not text.strip():
        if fmt in ("txt", "md"):
            raise IngestError(Errors.E003, path=source)
        raise IngestError(Errors.E008, path=source, detail=f"the {fmt} file holds no text")
    tables = tuple(map_table(t, text, offsets) for t in raw.tables)
    ocr_spans = tuple(sp for sp in (text_span(offsets, r) for r in raw.ocr_ranges) if sp and sp[1] > sp[0])
    return Document(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        format=fmt,
        display_text=raw.display,
        text=text,
        offsets=offsets,
        script=script,
        encoding=raw.encoding,
        source_tables=tables,
        warnings=tuple(raw.warnings),
        ocr_pages=tuple(raw.ocr_pages),
        ocr_spans=ocr_spans,
    )


def _sniff(data: bytes) -> Optional[str]:
    """``pdf`` or ``docx`` when the bytes say so whatever the name, ``doc`` for a Word 97
    binary (an OLE2 compound file) named otherwise, else None."""
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
    if data.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        return "doc"
    return None


def _limit(max_bytes: Optional[int]) -> int:
    return int(max_bytes) if max_bytes is not None else settings().max_bytes


def _read(fmt: str, data: bytes, source: str) -> Raw:
    """The reader of fmt, imported when a file of that format is read (so that reading a
    text report never loads the PDF or DOCX libraries)."""
    if fmt in ("txt", "md"):
        from nlp.ingest import text

        return text.read(data, source, markdown=fmt == "md")
    if fmt == "html":
        from nlp.ingest import html

        return html.read(data, source)
    if fmt == "pdf":
        from nlp.ingest import pdf

        return pdf.read(data, source)
    if fmt in ("doc", "wps"):
        from nlp.ingest import office

        return office.read(data, source, fmt)
    from nlp.ingest import docx

    return docx.read(data, source)
