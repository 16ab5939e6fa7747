"""Unique copies of reports, for measuring and testing batches at scale.

A copy differs from its original only in bytes that no reader turns into text: trailing
newlines after a text report, an HTML comment after a page, a PDF comment after ``%%EOF``, a
DOCX (zip) archive comment. Its SHA-256 (and so every claim and finding id) is its own; its
tables, claims and findings read as the original's.

>>> paths = unique_copies(["samples/"], Path("/tmp/corpus"), 10_000)  # doctest: +SKIP
"""

from __future__ import annotations

import io
import os
import zipfile
from itertools import cycle, islice
from pathlib import Path
from typing import Iterable, Union

from nlp.batch.inputs import expand


def make_unique(data: bytes, suffix: str, k: int) -> bytes:
    """``data`` (a report of type ``suffix``) made unique by ``k`` without changing what it
    reads as."""
    suffix = suffix.lower()
    if suffix == ".docx":
        src = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info.filename))
            dst.comment = f"xxgk copy {k}".encode()
        return buf.getvalue()
    if suffix == ".pdf":
        return data.rstrip(b"\r\n") + f"\n%xxgk copy {k}\n".encode()
    if suffix in (".html", ".htm"):
        return data + f"\n<!-- xxgk copy {k} -->\n".encode()
    # text: trailing blank lines are dropped by the reader; k in binary as LF / CRLF runs
    return data + b"\n" + b"".join(b"\r\n" if bit == "1" else b"\n" for bit in f"{k:b}") + b"\n"


def unique_copies(sources: Iterable[Union[str, os.PathLike]], folder: Path, n: int) -> list[Path]:
    """Write ``n`` unique copies of the report files under ``sources`` (cycled) into
    ``folder``, named ``{i:06d}_{original name}``; returns their paths in order."""
    originals = [Path(i.source) for i in expand(sources) if not i.skip]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, src in enumerate(islice(cycle(originals), n)):
        dest = folder / f"{i:06d}_{src.name}"
        dest.write_bytes(make_unique(src.read_bytes(), src.suffix, i + 1))
        out.append(dest)
    return out
