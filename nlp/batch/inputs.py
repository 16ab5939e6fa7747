"""What a batch reads: folders, globs, manifests (one path or URL a line) and URLs, expanded
lazily in a stable order; and the fetching of URLs.

- A **folder** means every non-hidden file under it, recursively, sorted by path. A file whose
  type the reader does not take (``.xlsx``, ``.bin``…) is passed on with a ``skip`` note: it
  is neither checked nor a failure. A file named on its own is always checked (and an
  unsupported one is the error E002, as before).
- A **glob** (``reports/**/*.pdf``; an argument with ``*``, ``?`` or ``[`` that names no
  existing file) means its sorted matches, as a folder would; no match is E001 in its place.
- A **manifest** (``--manifest FILE``, ``-`` for standard input) holds one input a line:
  a path, a folder, a glob (relative paths are relative to the working folder, as in
  ``find . -name '*.pdf' > list.txt``) or an ``http(s)://`` URL; blank lines and lines
  starting with ``#`` are ignored.
- A **URL** is fetched by the batch (:func:`fetch`) into a temporary file; a failure is one
  error line (E050) in its place, never a stop.
"""

from __future__ import annotations

import glob as globmod
import os
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union
from urllib.parse import unquote, urlsplit

from nlp.errors import Errors, XxgkError
from nlp.ingest import SUFFIXES

PathLike = Union[str, os.PathLike]

_CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


@dataclass(frozen=True)
class Input:
    """One input of a batch: ``source`` as the user named it (a path or a URL); ``skip``, a
    note when it is known from its name alone not to be checked."""

    source: str
    skip: Optional[str] = None

    @property
    def is_url(self) -> bool:
        return is_url(self.source)


def is_url(text: str) -> bool:
    return bool(re.match(r"(?i)https?://", text))


def _has_magic(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _walk(folder: Path) -> Iterator[Path]:
    """Every non-hidden file under ``folder``, sorted by path, one directory listing held at a
    time."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        if e.is_dir(follow_symlinks=True):
            yield from _walk(Path(e.path))
        elif e.is_file(follow_symlinks=True):
            yield Path(e.path)


def _found(path: Path) -> Input:
    """A file met inside a folder or a glob: checked when the reader takes its type."""
    if path.suffix.lower() in SUFFIXES:
        return Input(str(path))
    return Input(str(path), skip=f"not a report file type ('{path.suffix or '(none)'}'): skipped")


def _expand_one(arg: str) -> Iterator[Input]:
    if is_url(arg):
        yield Input(arg)
        return
    p = Path(arg).expanduser()
    if p.is_dir():
        for f in _walk(p):
            yield _found(f)
    elif not p.exists() and _has_magic(arg):
        matches = sorted(globmod.glob(str(p), recursive=True))
        if not matches:
            yield Input(str(p))  # reported as E001 in its place
        for m in map(Path, matches):
            if m.is_dir():
                for f in _walk(m):
                    yield _found(f)
            elif m.is_file():
                yield _found(m)
    else:
        yield Input(str(p))


def rereadable(manifest: PathLike) -> bool:
    """Whether a manifest can be read twice (a regular file; not ``-`` nor a pipe)."""
    return str(manifest) != "-" and Path(manifest).is_file()


def _manifest_lines(manifest: PathLike) -> Iterator[str]:
    if str(manifest) == "-":
        yield from sys.stdin
        return
    try:
        f = open(manifest, encoding="utf-8-sig")
    except OSError as e:
        raise XxgkError(Errors.E051, path=manifest, detail=e.strerror or str(e)) from None
    with f:
        yield from f


def expand(inputs: Iterable[PathLike] = (), manifests: Iterable[PathLike] = ()) -> Iterator[Input]:
    """The inputs of a batch in order: each argument expanded (folder, glob, URL, file), then
    each manifest's lines. Lazy: a folder is listed one directory at a time."""
    for arg in inputs:
        yield from _expand_one(str(arg))
    for manifest in manifests:
        for line in _manifest_lines(manifest):
            line = line.strip()
            if line and not line.startswith("#"):
                yield from _expand_one(line)


def fetch(url: str, folder: Path, *, max_bytes: int, timeout: float = 60.0) -> Path:
    """Download ``url`` into a new file in ``folder`` named so the reader knows its type (the
    URL's suffix, else the answer's content type); at most ``max_bytes``.

    Raises ``XxgkError``: E050 when it cannot be fetched (network, HTTP status, timeout),
    E007 when it is larger than ``max_bytes``.
    """
    req = urllib.request.Request(url, headers={"User-Agent": "xxgk-audit"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = resp.read(max_bytes + 1)
            ctype = (resp.headers.get_content_type() or "").lower()
    except urllib.error.HTTPError as e:
        raise XxgkError(Errors.E050, url=url, detail=f"HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise XxgkError(Errors.E050, url=url, detail=str(e.reason)) from None
    except (OSError, ValueError) as e:  # timeouts, resets, malformed URLs
        raise XxgkError(Errors.E050, url=url, detail=f"{type(e).__name__}: {e}".splitlines()[0]) from None
    if len(data) > max_bytes:
        raise XxgkError(Errors.E007, path=url, size=f"more than {max_bytes}", limit=max_bytes)
    name = Path(unquote(urlsplit(url).path)).name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        suffix = _CONTENT_TYPES.get(ctype, suffix or ".html")
    fd, tmp = _mkstemp(folder, suffix)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return tmp


def _mkstemp(folder: Path, suffix: str) -> tuple[int, Path]:
    import tempfile

    fd, name = tempfile.mkstemp(suffix=suffix, dir=folder)
    return fd, Path(name)
