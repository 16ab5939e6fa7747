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


def test_a_total_column_left_blank_is_derived_marked_and_reported(tmp_path):
    from builders import SEED_A, SEED_B, SEED_C, canonical_rows, is_figure, shaped_html
    from nlp.checks import run_checks
    from nlp.ingest import ingest
    from nlp.sections import find_sections

    a, b, c = canonical_rows(SEED_A["002"], SEED_B["002"], SEED_C["002"])
    b = [row[:-1] + [""] if is_figure(row[-1]) else row for row in b]  # the 总计 column printed blank
    path = tmp_path / "report.html"
    path.write_text(shaped_html([a, b, c]), encoding="utf-8")
    doc = ingest(path)
    secs = find_sections(doc)
    t = parse_tables(doc, secs)
    cell = t.requests.cells[("new", "total")]
    assert cell.derived and cell.value == 100 and cell.raw == "" and "总计" in cell.note
    assert t.requests.to_json()["rows"] == SEED_B["002"]  # every total derived, as printed elsewhere
    assert not t.requests.cells[("new", "natural_person")].derived
    found = run_checks(doc, secs, t)
    assert not [f for f in found if f.kind == "table_arithmetic"]
    (derived,) = [f for f in found if f.check == "cells.derived.v1"]
    assert "总计" in derived.message and len(derived.evidence["cells"]) == 25
    assert not [f for f in found if f.check == "cells.blank.v1" and f.evidence.get("table") == "requests"]


def test_a_blank_closed_row_is_derived_from_the_result_rows():
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        if rd.key == "closed":
            lines.append(f"| {label} | — | — | — | — | — | — | — |")
        elif rd.key in ("new", "granted"):
            lines.append(f"| {label} | 5 | 1 | 0 | 0 | 0 | 0 | 6 |")
        else:
            lines.append(f"| {label} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |")
    b = parse_tables(text_doc("\n".join(lines), fmt="md")).requests
    assert b.row_values("closed") == [5, 1, 0, 0, 0, 0, 6]
    assert all(b.cells[("closed", c)].derived for c in b.definition.columns)
    assert b.cells[("closed", "total")].raw == "—"
