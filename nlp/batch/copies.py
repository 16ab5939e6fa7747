"""Unique copies of reports, for measuring and testing batches at scale.

A copy differs from its original only in bytes that no reader turns into text: trailing
newlines after a text report, an HTML comment after a page, a PDF comment after ``%%EOF``, a
DOCX (zip) archive comment. Its SHA-256 (and so every claim and finding id) is its own; its
tables, claims and findings read as the original's.

:func:`distinct_copies` makes each round of copies another unit's, with its own narrative
(text and HTML), for a batch whose checks across reports see what real reports give them.

>>> paths = unique_copies(["samples/"], Path("/tmp/corpus"), 10_000)  # doctest: +SKIP
"""

from __future__ import annotations

import io
import os
import random
import re
import zipfile
from collections import Counter
from itertools import cycle, islice
from pathlib import Path
from typing import Any, Iterable, Union

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


# ---------------------------------------------------------------------------
# Distinct reports: another unit's, with a narrative of its own
# ---------------------------------------------------------------------------

_REWRITTEN = (".txt", ".md", ".html", ".htm")
"""The formats a distinct copy is rewritten in (others are copied as :func:`unique_copies` does)."""
_CLAUSE = re.compile(r"[^，,。；;！!？?、《》()（）“”\"'：:\s]{4,}")
_DIGIT = re.compile(r"[0-9０-９]")
_PREFIX = re.compile(r"^(.{2,8}?[省市县区旗])")
_FILL = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
         "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应"
         "开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此")
"""Common characters a distinct copy's narrative clauses are partly rewritten with."""


def distinct_copies(sources: Iterable[Union[str, os.PathLike]], folder: Path, n: int) -> list[Path]:
    """``n`` copies of the report files under ``sources`` (cycled, as :func:`unique_copies`
    names them), each round of the cycle another unit's: the places of the report's unit
    (its county, city and province, full and short names) are those of another county of
    China's divisions, so that the reports of one round that shared a unit share one again
    (a unit with several years, one report a year), and the clauses without figures of its
    narrative (一, 五, 六) are partly rewritten, so that it is no unit's copy of another's
    (``crossunit.reissued``). Tables, figures and the clauses that hold them stay as they
    are. What one unit's ~1,100 copies of one year make of the checks across reports in a
    cycled batch (:func:`unique_copies`) does not arise: as far as the few sources allow,
    every unit has one report a year and every year's reports are distinct."""
    from nlp.ingest import ingest

    originals = [Path(i.source) for i in expand(sources) if not i.skip]
    plans = [_plan(ingest(p), p) if p.suffix.lower() in _REWRITTEN else None for p in originals]
    places = _places({code for plan in plans if plan for code in plan[1]})
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        k, (src, plan) = i // len(originals), (originals[i % len(originals)], plans[i % len(originals)])
        dest = folder / f"{i:06d}_{src.name}"
        data = _rewrite(src, plan, places[k % len(places)], k) if plan else src.read_bytes()
        dest.write_bytes(make_unique(data, src.suffix, i + 1))
        out.append(dest)
    return out


def _plan(doc: Any, path: Path) -> tuple[str, tuple[str, ...], str, list[str]]:
    """What a distinct copy of ``path`` changes: (its encoding, its unit's division codes from
    the province down, the division name to use when none is known, its narrative clauses
    without figures)."""
    from nlp.checks.crossunit import NARRATIVE_SECTIONS
    from nlp.sections import find_sections
    from nlp.units import identify

    sections = find_sections(doc)
    unit = identify(sections.meta.agency)
    region = unit.region if unit is not None else ()
    m = _PREFIX.match(sections.meta.agency or "") if not region else None
    clauses = []  # as the file writes them (display_text: before the script is simplified, debris dropped)
    spans = [(doc.offsets[s.body_start], doc.offsets[s.end - 1] + 1) for s in sections.sections
             if s.key in NARRATIVE_SECTIONS and s.end > s.body_start and doc.offsets]
    outside, at = [], 0  # the rest of the report (its title, its agency): a clause found there stays
    for a, b in sorted(spans):
        outside.append(doc.display_text[at:a])
        at = max(at, b)
    rest = "\n".join(outside) + "\n" + doc.display_text[at:]
    for sec in sections.sections:
        if sec.key in NARRATIVE_SECTIONS:
            for c in _CLAUSE.finditer(doc.text, sec.body_start, sec.end):
                raw = doc.display_text[doc.offsets[c.start()]:doc.offsets[c.end() - 1] + 1]
                if not _DIGIT.search(raw) and raw not in rest:
                    clauses.append(raw)
    return doc.encoding or "utf-8", tuple(region), m.group(1) if m else "", clauses


def _places(taken: set) -> list[list]:
    """Counties (with their city and province) no source is of, spread over the country."""
    from nlp.units import divisions, lineage

    divs = divisions().values()
    seen = Counter(name for d in divs for name in {d.name, d.short})
    counties = sorted(d.code for d in divs if d.level == "county" and len(lineage(d.code)) == 3
                      and d.code not in taken and d.parent not in taken
                      and all(seen[x.name] == seen[x.short] == 1 for x in lineage(d.code)))  # named one way only
    step = 7919  # a prime: consecutive rounds far apart
    return [lineage(counties[(j * step) % len(counties)]) for j in range(len(counties))]


def _rewrite(src: Path, plan: tuple, place: list, k: int) -> bytes:
    from nlp.units import divisions

    encoding, region, loose, clauses = plan
    text = src.read_bytes().decode(encoding, errors="replace")
    divs = divisions()
    olds = [divs[c] for c in region if c in divs]
    pairs: dict[str, str] = {}
    for old, new in zip(reversed(olds), reversed(place)):  # the unit's own division first, then up
        pairs[old.name] = new.name
        if len(old.short) >= 2 and old.short != old.name:
            pairs.setdefault(old.short, new.short)
    if loose:  # a name the divisions do not know (a misprint): the county's
        pairs[loose] = place[-1].name
        pairs.setdefault(loose[:-1], place[-1].short)
    rename = re.compile("|".join(map(re.escape, sorted(pairs, key=len, reverse=True)))) if pairs else None
    rng = random.Random(k)
    for clause in clauses:
        named = [False] * len(clause)  # a unit's name in the clause is renamed, not rewritten
        for m in rename.finditer(clause) if rename else ():
            named[m.start():m.end()] = [True] * (m.end() - m.start())
        new = "".join(rng.choice(_FILL) if j % 2 and not named[j] and "\u4e00" <= ch <= "\u9fff" else ch
                      for j, ch in enumerate(clause))
        pairs.setdefault(clause, rename.sub(lambda m: pairs[m.group(0)], new) if rename else new)
    pattern = re.compile("|".join(map(re.escape, sorted(pairs, key=len, reverse=True))))
    return pattern.sub(lambda m: pairs[m.group(0)], text).encode(encoding, errors="replace")
