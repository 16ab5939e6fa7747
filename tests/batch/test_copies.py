"""Unique copies (nlp/batch/copies.py) read as their originals: the same tables, claims and
findings (their ids follow the new SHA-256), for every format the reader takes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT, SAMPLES
from nlp.batch.copies import unique_copies
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
