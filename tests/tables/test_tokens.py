"""Tokens and cell values: every shape of cell (blank, "00", a unit, thousands separators, an empty field)."""

from __future__ import annotations

import pytest

from builders import (
    numbered_b_rows,
    read,
    text_doc,
)
from nlp.tables import parse_tables
from nlp.tables._tokens import cell_value


@pytest.mark.parametrize(
    "raw, value",
    [("00", 0), ("1112万元", 1112), ("8 项", 8), ("9116.36", 9116.36), ("１２", 12), ("—", None),
     ("-", None), ("/", None), ("", None), ("不详", None), ("1,234", 1234)],
)
def test_cell_values(raw, value):
    got = cell_value(raw)
    assert got == value and type(got) is type(value)


def test_damaged_header_does_not_matter():
    doc, t = read("seed", "000")
    assert "本年 |" in doc.text  # the column header "本年制发件数" is cut to "本年"
    assert t.active.value("normative_docs", "in_force") == 15


def test_blank_html_cells_are_none_not_zero():
    doc, t = read("corpus", "017")
    assert t.requests.shape == "html"
    cell = t.requests.cells[("new", "commercial")]
    assert cell.value is None and cell.raw == ""
    assert t.requests.row_values("new") == [26, None, None, None, None, None, 26]


def test_html_grid_cells_point_into_the_text():
    doc, t = read("corpus", "006")
    cell = t.active.cells[("fees", "amount_10k_yuan")]
    assert cell.value == 18651.06 and doc.text[cell.start:cell.end] == "18651.06"


def test_row_per_line_blank_fields_between_figures_are_none():
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        figures = "26 |  |  |  |  |  | 26" if rd.key in ("new", "granted", "closed") else "0 |  |  |  |  |  | 0"
        lines.append(f"{label} | {figures}")
    t = parse_tables(text_doc("\n".join(lines)))
    assert t.requests.row_values("new") == [26, None, None, None, None, None, 26]
    assert t.requests.cells[("new", "commercial")].raw == ""
    assert t.template == "2021"


def test_thousands_separators_in_spaced_text():
    text = ("2022年度政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项 信息内容 本年制发件数 本年废止件数 "
            "现行有效件数\n规章 0 0 0\n行政规范性文件 12 3 1,204\n第二十条第(五)项 信息内容 本年处理决定数量\n"
            "行政许可 21,500\n第二十条第(六)项 信息内容 本年处理决定数量\n行政处罚 1,017\n行政强制 0\n"
            "第二十条第(八)项 信息内容 本年收费金额(单位:万元)\n行政事业性收费 3,443.5\n三、收到和处理政府信息公开申请情况")
    a = parse_tables(text_doc(text)).active
    assert a.to_json() == {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
                           "normative_docs": {"issued": 12, "repealed": 3, "in_force": 1204},
                           "licensing": 21500, "penalty": 1017, "coercion": 0, "fees_10k_yuan": 3443.5}
    assert a.cells[("licensing", "decisions")].raw == "21,500"


def test_markdown_with_generic_headers():
    _, t = read("corpus", "002")
    assert t.requests.row_values("new") == [705, 3, 0, 0, 5, 0, 713]
    assert t.requests.row_values("other.other") == [142, 1, 0, 0, 0, 0, 143]
    assert t.review.row_values("litigation_after") == [8, 0, 1, 1, 10]
