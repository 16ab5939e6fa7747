"""Unique copies (nlp/batch/copies.py) read as their originals: the same tables, claims and
findings (their ids follow the new SHA-256), for every format the reader takes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, SAMPLES
from nlp.batch.copies import distinct_copies, unique_copies
from nlp.pipeline import Checker

PRINTSHOP = ROOT / "tests" / "fixtures" / "printshop"


def _reading(result) -> dict:
    data = result.to_json()
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace(data["sha256"], "SHA")
    data = json.loads(re.sub(r'"[CF]-[0-9a-f]{16}"', '"ID"', text))
    return {k: data[k] for k in ("report", "tables", "cells", "claims", "findings")}


@pytest.mark.slow
def test_copies_are_unique_and_read_as_their_originals(tmp_path):
    originals = [SAMPLES / "002_d63969c0f6426144.txt", CORPUS / "002_shuyang_county_gov_2025.md",
                 CORPUS / "006_pingtan_2024.html", PRINTSHOP / "006_pingtan_2024" / "report.pdf",
                 PRINTSHOP / "006_pingtan_2024" / "report.docx"]
    copies = unique_copies(originals, tmp_path, 2 * len(originals))
    assert len({p.read_bytes() for p in copies}) == len(copies)
    checker = Checker("rules")
    for i, copy in enumerate(copies):
        original = originals[i % len(originals)]
        assert copy.name == f"{i:06d}_{original.name}"
        a, b = checker.check(original), checker.check(copy)
        assert a.document.sha256 != b.document.sha256
        assert _reading(a) == _reading(b), copy.name


def test_distinct_copies_are_one_report_a_unit_and_year_with_tables_as_read(tmp_path):
    from nlp.checks.crossunit import fingerprint, narrative, near
    from nlp.ingest import ingest
    from nlp.sections import find_sections
    from nlp.tables import parse_tables
    from nlp.units import identify

    originals = sorted(p for p in CORPUS.glob("*pingtan*") if p.suffix in (".txt", ".html"))  # one unit, 4 years
    paths = distinct_copies(originals, tmp_path, 3 * len(originals))
    read = []
    for p in paths:
        doc = ingest(p)
        sections = find_sections(doc)
        unit = identify(sections.meta.agency)
        assert unit is not None and unit.code, sections.meta.agency
        read.append((unit.key, sections.meta.year, fingerprint(narrative(doc.text, sections.sections)), doc, sections))
    assert len({(u, y) for u, y, *_ in read}) == len(paths)  # one report a unit and year
    assert len({u for u, *_ in read}) == 3  # a round is one unit's, with its years
    for i, (u, y, fp, *_) in enumerate(read):  # no unit's narrative is another's
        assert not any(near(fp, other) for u2, y2, other, *_ in read[:i] if y2 == y)
    for original, (*_, doc, sections) in zip(originals, read):
        src = ingest(original)
        mine, theirs = parse_tables(doc, sections), parse_tables(src, find_sections(src))
        for name in ("active", "requests", "review"):
            a, b = getattr(mine, name), getattr(theirs, name)
            assert (a and a.to_json()) == (b and b.to_json())
