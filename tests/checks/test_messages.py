"""Finding messages say a thing once (issue 13 item 13), on real reports: a blank-cell message
names each row once with its blank columns; a missing number quotes its phrase once."""

from __future__ import annotations

import re

from conftest import corpus_path, seed_path
from nlp.pipeline import check


def test_a_blank_cell_message_names_each_row_once():
    result = check(corpus_path("017"))
    [blank] = [f for f in result.findings if f.kind == "blank_cell" and f.evidence.get("table") == "requests"]
    rows = re.findall(r"「([^」]+)」行", blank.message)
    assert rows and len(rows) == len(set(rows)), blank.message
    assert "行的商业企业、科研机构" in blank.message


def test_a_missing_number_quotes_its_phrase_once():
    result = check(seed_path("000"))
    messages = [f.message for f in result.findings if f.kind == "missing_number"]
    assert messages
    for m in messages:
        quoted = re.findall(r"“([^”]+)”", m)
        assert len(quoted) == len(set(quoted)), m
