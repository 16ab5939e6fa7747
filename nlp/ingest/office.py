"""Reading .doc and .wps reports (Word 97–2003, Kingsoft WPS Writer) through LibreOffice.

Government sites still publish Word 97 files, and Kingsoft WPS Writer's ``.wps`` is the same
Word binary format with extensions of its own. No maintained Python library reads them, so
the file is converted to .docx by LibreOffice headless (``soffice --convert-to docx``, with a
private profile in a temporary folder) and read by :mod:`nlp.ingest.docx`. LibreOffice is a
system package, not a Python one (Debian: ``libreoffice-writer-nogui``); without it a .doc or
.wps file is E014, which names the fix. A file named .doc that is an HTML page (Word's "save
as web page") is read as HTML; RTF and the Word binary go to LibreOffice.

``read(data, source, fmt) -> Raw``; ``soffice()`` finds the program.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from nlp.errors import Errors, IngestError
from nlp.ingest._layout import Raw, one_line

__all__ = ["read", "soffice", "CONVERT_TIMEOUT"]

CONVERT_TIMEOUT = 180
"""Seconds LibreOffice may take to convert one file (its first start in a fresh profile takes
a few seconds; a report, one or two more)."""

_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def soffice() -> Optional[str]:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _is_html(data: bytes) -> bool:
    head = data[:4096].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head or b"<body" in head


def read(data: bytes, source: str, fmt: str) -> Raw:
    """A .doc or .wps report: converted by LibreOffice, then read as a .docx."""
    if not data.startswith(_OLE2) and _is_html(data):
        from nlp.ingest import html

        raw = html.read(data, source)
        raw.warnings.insert(0, f"the .{fmt} file is an HTML page (saved as a web page); read as HTML")
        return raw
    exe = soffice()
    if exe is None:
        raise IngestError(Errors.E014, path=source, fmt=fmt)
    with tempfile.TemporaryDirectory(prefix="xxgk-office-") as tmp:
        work = Path(tmp)
        src = work / f"report.{fmt}"
        src.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(work / "out"), str(src)]
        env = {**os.environ, "HOME": str(work)}
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=CONVERT_TIMEOUT, env=env)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise IngestError(Errors.E005, path=source, fmt=f".{fmt}", detail=f"LibreOffice: {one_line(e)}") from e
        out = work / "out" / "report.docx"
        if not out.exists():
            detail = one_line(Exception(res.stderr or res.stdout or f"exit code {res.returncode}"))
            raise IngestError(Errors.E005, path=source, fmt=f".{fmt}", detail=f"LibreOffice could not convert it: {detail}")
        from nlp.ingest import docx

        raw = docx.read(out.read_bytes(), source)
    raw.warnings.insert(0, f"converted from .{fmt} to .docx by LibreOffice")
    return raw
