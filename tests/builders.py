"""One place for the test data the test packages share: documents, sections, tables and
claims built by hand from the schema (fast, no reader), and the real stages run once per file.

    doc_of(text)                      a Document whose text is ``text``
    sections_of(year)                 Sections with metadata only
    make_table(defn, rows)            every row at 0 unless given (a list in column order or a dict)
    tables_2021(b, c, a)              tables A, B and C of the 2021 template
    claim_at(text, "110", 110, ...)   a claim on an occurrence of a number in ``text``
    reconcile_and_check(text, claims, tables)   reconcile, then the narrative checks
    read_report(path)                 ingest → sections → tables → claims → reconcile → checks, cached
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from nlp.config import Settings
from nlp.reconcile import clause_bounds
from nlp.schema import (
    TABLE_A_2021,
    TABLE_B_2021,
    TABLE_C,
    Cell,
    Claim,
    Document,
    Finding,
    ReportMeta,
    Section,
    Sections,
    Table,
    TableDef,
    Tables,
    stable_id,
)

SHA = "0" * 64


# ---------------------------------------------------------------------------
# Documents and sections
# ---------------------------------------------------------------------------


def doc_of(text: str, sha: str = "sha-test", source: str = "t.txt") -> Document:
    return Document(source=source, sha256=sha, format="txt", display_text=text, text=text,
                    offsets=tuple(range(len(text) + 1)))


def sections_of(year: Optional[int] = 2021, sections: Sequence[Section] = (), agency: Optional[str] = None,
                title: Optional[str] = None) -> Sections:
    return Sections(meta=ReportMeta(title=title, agency=agency, year=year, script="hans"), sections=tuple(sections))


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


def make_table(defn: TableDef, rows: dict, raws: Optional[dict[tuple[str, str], str]] = None, *,
               located: bool = False, **kw: Any) -> Table:
    """Every row of ``defn`` at 0 unless ``rows`` gives it (a list in column order, None for a
    blank, or a dict by column). ``raws`` overrides a cell's text. ``located`` gives cells and
    the table places in a notional text (for evidence spans); unlocated tables have no extent,
    so that no claim of a test text falls inside them."""
    raws = raws or {}
    cells = {}
    pos = 0
    for r in defn.rows:
        cols = defn.cols_of(r)
        vals = rows.get(r.key, [0] * len(cols))
        items = vals.items() if isinstance(vals, dict) else zip(cols, vals)
        for col, v in items:
            raw = raws.get((r.key, col), "" if v is None else str(v))
            start, end = (pos, pos + len(raw)) if located else (None, None)
            cells[(r.key, col)] = Cell(v, raw, start=start, end=end)
            pos += len(raw) + 3
    if located:
        kw = {"start": 0, "end": pos, **kw}
    return Table(defn, cells, **kw)


def b_row(total: int, natural: Optional[int] = None) -> list[int]:
    """A row of table B: ``natural`` by natural persons (default all), the rest by businesses."""
    n = total if natural is None else natural
    return [n, total - n, 0, 0, 0, 0, total]


def c_row(maintained: int, corrected: int, other: int, pending: int) -> list[int]:
    return [maintained, corrected, other, pending, maintained + corrected + other + pending]


def tables_2021(b: Optional[dict] = None, c: Optional[dict] = None, a: Optional[dict] = None, **kw: Any) -> Tables:
    return Tables(
        template=kw.pop("template", "2021"),
        active=make_table(TABLE_A_2021, a or {}),
        requests=make_table(TABLE_B_2021, b or {}),
        review=make_table(TABLE_C, c or {}),
        **kw,
    )


def good_b(definition: TableDef = TABLE_B_2021, **rows: list) -> Table:
    """A located table B that adds up: one request, granted."""
    base = {"new": [1, 0, 0, 0, 0, 0, 1], "granted": [1, 0, 0, 0, 0, 0, 1], "closed": [1, 0, 0, 0, 0, 0, 1]}
    base.update(rows)
    return make_table(definition, base, located=True)


def good_c(**rows: list) -> Table:
    """A located table C that adds up (seed 002's figures)."""
    base = {"reconsideration": [10, 0, 1, 1, 12], "litigation_direct": [1, 0, 1, 2, 4], "litigation_after": [7, 0, 1, 0, 8]}
    base.update(rows)
    return make_table(TABLE_C, base, located=True)


def good_a(**rows: list) -> Table:
    """A located table A of the 2021 template with plausible figures."""
    base = {"normative_docs": [4, 2, 11], "licensing": [64142], "penalty": [1034], "fees": [803]}
    base.update(rows)
    return make_table(TABLE_A_2021, base, located=True)


# seed 002 (太原市万柏林区 2024), tables B and C as read by hand
B_002 = {
    "new": b_row(100, 96),
    "carried_in": b_row(10),
    "granted": b_row(9, 7),
    "partial": b_row(11, 10),
    "denied.third_party": b_row(1),
    "denied.enforcement_file": b_row(1),
    "unavailable.not_held": b_row(77, 76),
    "other.no_correction": b_row(1),
    "closed": b_row(100, 95),
    "carried_out": b_row(10),
}
C_002 = {
    "reconsideration": c_row(10, 0, 1, 1),
    "litigation_direct": c_row(1, 0, 1, 2),
    "litigation_after": c_row(7, 0, 1, 0),
}


# ---------------------------------------------------------------------------
# Claims
# ---------------------------------------------------------------------------

def claim_at(text: str, number_text: str, value, metric: str = "other", *, nth: int = 0,
             unit: Optional[str] = None, approx: bool = False, qualifier: Optional[str] = None,
             confidence: float = 0.95, source: str = "model") -> Claim:
    """A claim on the ``nth`` occurrence of ``number_text`` in ``text``; its text is the clause."""
    pat = re.escape(number_text)
    if number_text[:1].isdigit():
        pat = r"(?<![\d.])" + pat + r"(?![\d.])"
    starts = [m.start() for m in re.finditer(pat, text)]
    ns = starts[nth]
    ne = ns + len(number_text)
    lo, hi = clause_bounds(text, ns, ne)
    return Claim(
        id=stable_id("sha-test", text[lo:hi], number_text, nth, prefix="C-"),
        text=text[lo:hi], start=lo, end=hi, value=value, number_text=number_text,
        num_start=ns, num_end=ne, approx=approx, qualifier=qualifier, unit=unit, metric=metric,
        confidence=confidence, sentence=text[lo:hi], section="overview", source=source,
    )


def counts_at(text: str, numbers: list[str], unit: str = "条", metric: str = "proactive.part") -> list[Claim]:
    """Claims on each number of ``numbers`` in order (a repeated number takes its next
    occurrence; ``1300余`` is approximate)."""
    out, seen = [], {}
    for n in numbers:
        k = seen.get(n, 0)
        seen[n] = k + 1
        q = n.endswith("余")
        num = n.rstrip("余")
        out.append(claim_at(text, n, float(num) if "." in num else int(num), metric, nth=k, unit=unit,
                            approx=q, qualifier="余" if q else None))
    return out


def only(findings: Sequence[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def reconcile_and_check(text: str, claims: list[Claim], tables: Optional[Tables] = None, *,
                        checks: Optional[Sequence[str]] = None, settings: Optional[Settings] = None,
                        threshold: Optional[float] = None, confidence_floor: Optional[float] = None,
                        sha: str = "sha-test", year: Optional[int] = 2021) -> tuple[list[Claim], list[Finding]]:
    """Reconcile ``claims`` with ``tables`` over a document of ``text``, then run the checks
    that need claims (or ``checks``): ``(claims, findings)``."""
    from nlp.checks import REGISTRY, run_checks
    from nlp.reconcile import reconcile

    tables = tables or Tables(template="unknown")
    doc, secs = doc_of(text, sha=sha), sections_of(year)
    out = reconcile(doc, secs, tables, claims, threshold=threshold, confidence_floor=confidence_floor,
                    settings=settings)
    if confidence_floor is not None:
        settings = replace(settings or Settings(), confidence_floor=confidence_floor)
    names = checks if checks is not None else [n for n, s in REGISTRY.items() if "claims" in s.needs]
    return out, run_checks(doc, secs, tables, out, names=names, settings=settings)


# ---------------------------------------------------------------------------
# Real reports through the real stages
# ---------------------------------------------------------------------------

_CACHE: dict[str, tuple] = {}


def read_report(path: Union[str, Path]) -> tuple:
    """``(doc, sections, tables, claims, findings)`` of a real report, by the pipeline's stages
    with the bundled model; computed once per file and test session."""
    key = str(path)
    if key not in _CACHE:
        result = _checker().check(path)
        _CACHE[key] = (result.document, result.sections, result.tables, result.claims, result.findings)
    return _CACHE[key]


_CHECKER: list = []


def _checker():
    if not _CHECKER:
        from nlp.pipeline import Checker

        _CHECKER.append(Checker())
    return _CHECKER[0]


def seed(prefix: str) -> tuple:
    """``(doc, tables, claims, findings)`` of a bundled seed through the real stages."""
    from conftest import seed_path

    doc, _, tables, claims, findings = read_report(seed_path(prefix))
    return doc, tables, claims, findings


def corpus(prefix: str) -> tuple:
    """``(doc, tables, claims, findings)`` of a data/corpus report through the real stages."""
    from conftest import corpus_path

    doc, _, tables, claims, findings = read_report(corpus_path(prefix))
    return doc, tables, claims, findings


def claims_with(claims: Sequence[Claim], value, words: str = "") -> list[Claim]:
    from nlp.reconcile import equal

    return [c for c in claims if c.value is not None and equal(c.value, value) and words in c.sentence + c.text]


def one_claim(claims: Sequence[Claim], value, words: str = "") -> Claim:
    found = claims_with(claims, value, words)
    assert found, f"no claim {value} with “{words}”: {[(c.number_text, c.text) for c in claims]}"
    return found[0]


# ---------------------------------------------------------------------------
# One check over hand-built tables
# ---------------------------------------------------------------------------


def context(tables: Tables, *, year: Optional[int] = 2021, sections: Optional[Sections] = None, sha: str = SHA,
            text: str = "", claims: Optional[Sequence[Claim]] = None, settings: Optional[Settings] = None):
    """A ``CheckContext`` for ``tables`` in a report of ``year`` (``sections`` replace the
    metadata-only sections when given)."""
    from nlp.checks import CheckContext

    return CheckContext(doc_of(text, sha=sha), sections or sections_of(year), tables, claims, settings or Settings())


def run_check(name: str, tables: Tables, **kw: Any) -> list[Finding]:
    """The findings of the one registered check ``name`` (``context``'s keywords)."""
    from nlp.checks import CHECKS

    return CHECKS[name](context(tables, **kw))


def tables_of(template: str = "2021", **kw: Any) -> Tables:
    """``Tables`` of ``template`` holding the given tables (active=, requests=, review=)."""
    return Tables(template=template, **kw)


def read_tables(path: Union[str, Path]) -> tuple[Document, Sections, Tables]:
    """``(doc, sections, tables)`` of a real report by the reader's stages only."""
    from nlp.ingest import ingest
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    doc = ingest(path)
    secs = find_sections(doc)
    return doc, secs, parse_tables(doc, secs)
