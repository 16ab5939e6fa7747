"""Tables read from the corpus reports equal the hand-read gold files, cell by cell.

The gold files name rows in Chinese (``不予公开/1.属于国家秘密``, ``行政事业性收费_万元``,
``诉讼_未经复议``); ``nlp.model.evaluate`` maps them to schema keys through the schema's own
row labels, and ``scripts/evaluate.py`` prints the overall cell accuracy.
"""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS, GOLD
from nlp.ingest import ingest
from nlp.model import evaluate
from nlp.schema import TABLE_B_2021, TABLE_C
from nlp.sections import find_sections
from nlp.tables import parse_tables

GOLD_FILES = sorted(GOLD.glob("*.json"))


@pytest.fixture(scope="module", params=GOLD_FILES, ids=lambda p: p.stem)
def gold_and_tables(request):
    gold = json.loads(request.param.read_text(encoding="utf-8"))
    doc = ingest(CORPUS / gold["file"])
    return gold, parse_tables(doc, find_sections(doc))


def test_there_are_four_gold_files():
    assert len(GOLD_FILES) == 4


def test_every_gold_cell_is_read(gold_and_tables):
    gold, tables = gold_and_tables
    cells = list(evaluate.gold_cells(gold, tables.template))
    assert len(cells) == 200  # 10 (A) + 25 x 7 (B) + 15 (C)
    wrong = []
    for name, row, col, want in cells:
        table = tables.get(name)
        assert table is not None, name
        cell = table.cells.get((row, col))
        got = None if cell is None else cell.value
        if cell is None or got != want:
            wrong.append((name, row, col, want, got))
    assert not wrong


def test_gold_blank_cells_are_none_not_zero(gold_and_tables):
    gold, tables = gold_and_tables
    for name, row, col, want in evaluate.gold_cells(gold, tables.template):
        if want is None:
            cell = tables.get(name).cells[(row, col)]
            assert cell.value is None and cell.raw.strip() == ""


@pytest.mark.parametrize(
    "table, key, row",
    [
        (TABLE_B_2021, "不予公开/1.属于国家秘密", "denied.state_secret"),
        (TABLE_B_2021, "其他处理/3.其他", "other.other"),
        (TABLE_B_2021, "总计", "closed"),
        (TABLE_B_2021, "本年新收", "new"),
        (TABLE_C, "诉讼_未经复议", "litigation_direct"),
        (TABLE_C, "诉讼_复议后", "litigation_after"),
    ],
)
def test_gold_keys_map_to_schema_rows_by_their_labels(table, key, row):
    assert evaluate.gold_row(table, key).key == row


def test_accuracy_script_counts_all_cells():
    equal, total, diffs = evaluate.compare(GOLD_FILES[0], CORPUS)
    assert total == 200 and equal + len(diffs) == total
