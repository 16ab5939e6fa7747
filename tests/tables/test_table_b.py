"""Table B: the 2019 and 2021 forms of (六), "00" cells, the 总计 column of a row that lost its blanks."""

from __future__ import annotations

import pytest

from builders import (
    numbered_b_rows,
    read,
    text_doc,
)
from nlp.schema import REQUEST_COLUMNS
from nlp.tables import parse_tables


def test_2019_template_other_is_one_row():
    _, t = read("seed", "001")
    assert t.requests.has_row("other")
    assert t.requests.row_values("other") == [0] * 7
    assert t.active.value("procurement", "amount_10k_yuan") == 1112
    assert t.active.cells[("procurement", "amount_10k_yuan")].raw == "1112万元"


def test_2021_other_has_three_rows_and_other_is_not_the_column_header():
    _, t = read("seed", "002")
    assert [t.requests.row_values(k)[-1] for k in ("other.no_correction", "other.no_fee", "other.other")] == [1, 0, 0]


@pytest.mark.parametrize(
    "kind, prefix, row, col",
    [("seed", "001", "denied.query_matter", "research"), ("seed", "002", "denied.process_info", "other")],
)
def test_double_zero_reads_as_zero_with_raw_kept(kind, prefix, row, col):
    _, t = read(kind, prefix)
    cell = t.requests.cells[(row, col)]
    assert cell.value == 0 and cell.raw == "00"


def test_columns_of_table_b_are_the_schema_columns():
    _, t = read("seed", "002")
    assert t.requests.to_json()["columns"] == list(REQUEST_COLUMNS)


def test_row_with_lost_blanks_keeps_its_total_in_the_total_column():
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        lines.append(f"{label} 26 26" if rd.key in ("new", "granted", "closed") else f"{label} 0 0")
    t = parse_tables(text_doc("\n".join(lines)))
    b = t.requests
    assert b.row_values("new") == [26, None, None, None, None, None, 26]
    assert b.cells[("new", "total")].uncertain and "总计" in b.cells[("new", "total")].note
    assert ("new", "commercial") not in b.cells
