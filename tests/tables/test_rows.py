"""Rows found by their labels: not in a sentence, moved by a conversion, wrapped, detached from their figures."""

from __future__ import annotations


from builders import (
    numbered_b_rows,
    text_doc,
)
from nlp.tables import parse_tables


def test_narrative_row_label_is_not_a_table():
    text = ("2022年度政府信息公开工作年度报告\n一、总体情况\n集中公开现行有效行政规范性文件698件,"
            "全年办理行政许可1200件,行政处罚30件。\n")
    t = parse_tables(text_doc(text))
    assert t.active is None


def test_rows_moved_by_a_conversion_are_still_found():
    # a PDF-to-markdown conversion printed the 第二十条第(一)项 block after the others
    text = "\n".join([
        "2024年上海市某委政府信息公开工作年度报告",
        "一、主动公开政府信息情况",
        "第二十条第（五）项", "信息内容本年处理决定数量", "行政许可 97",
        "第二十条第（六）项", "信息内容本年处理决定数量", "行政处罚 0", "行政强制 0",
        "第二十条第（八）项", "信息内容本年收费金额（单位：万元）", "行政事业性收费 0",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "|---|---|---|---|",
        "| 规章 | 0 | 0 | 0 |", "| 规范性文件 | 13 | 0 | 55 |",
        "二、收到和处理政府信息公开申请情况",
    ])
    t = parse_tables(text_doc(text, fmt="md"))
    assert t.active.to_json() == {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
                                  "normative_docs": {"issued": 13, "repealed": 0, "in_force": 55},
                                  "licensing": 97, "penalty": 0, "coercion": 0, "fees_10k_yuan": 0}


def test_figures_detached_from_their_label_are_uncertain():
    # labels stacked above rows of bare figures: the pairing is a guess, and says so
    rows = []
    for rd, label in numbered_b_rows():
        if rd.key == "unavailable.not_held":
            rows += ["5.属于三类内部事务信息", label, "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |"]
        elif rd.key != "denied.internal_affairs":
            rows.append(f"| {label} | 0 | 0 | 0 | 0 | 0 | 0 | 0 |")
    text = "2024年某局政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" + "\n".join(rows)
    t = parse_tables(text_doc(text, fmt="md"))
    b = t.requests
    cell = b.cells[("unavailable.not_held", "total")]
    assert cell.uncertain and "line of their own" in cell.note
    assert not b.cells[("new", "total")].uncertain


def test_labels_wrapped_over_two_lines_as_pdf_text_gives_them():
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        figures = "2 0 0 0 0 0 2" if rd.key in ("new", "partial", "closed") else "0 0 0 0 0 0 0"
        if rd.key == "partial":
            lines += ["(二)部分公开(区分处理的,只计这一情形,", f"不计其他情形) {figures}"]
        elif rd.key == "other.no_correction":
            lines += ["1.申请人无正当理由逾期不补正、", f"行政机关不再处理其政府信息公开申请 {figures}"]
        else:
            lines.append(f"{label} {figures}")
    t = parse_tables(text_doc("\n".join(lines)))
    b = t.requests
    assert b.row_values("partial") == [2, 0, 0, 0, 0, 0, 2]
    assert b.row_values("other.no_correction") == [0] * 7
    assert len([r for r in b.definition.rows if b.has_row(r.key)]) == 25


def test_label_line_then_figure_line_is_a_layout_not_a_guess():
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        lines += [f"{label} |", "0 | 0 | 0 | 0 | 0 | 0 | 0 |"]
    b = parse_tables(text_doc("\n".join(lines))).requests
    assert len([r for r in b.definition.rows if b.has_row(r.key)]) == 25
    assert not any(c.uncertain for c in b.cells.values())


def _b_lines(replace_labels: dict[str, str], figures: dict[str, str]) -> str:
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        printed = replace_labels.get(rd.key, label)
        lines.append(f"{printed} | {figures.get(rd.key, '0 | 0 | 0 | 0 | 0 | 0 | 0')}")
    return "\n".join(lines)


def test_a_label_with_characters_lost_or_misprinted_names_its_row_and_says_how_far_off():
    from nlp.checks import run_checks
    from nlp.sections import find_sections

    text = _b_lines(
        {"unavailable.not_held": "1.本机关不掌握政府信息",  # 相关 lost
         "denied.law_forbidden": "2.其他法律行政法规禁上公开"},  # 止 misprinted 上
        {"new": "5 | 0 | 0 | 0 | 0 | 0 | 5", "unavailable.not_held": "5 | 0 | 0 | 0 | 0 | 0 | 5",
         "closed": "5 | 0 | 0 | 0 | 0 | 0 | 5"},
    )
    doc = text_doc(text)
    t = parse_tables(doc)
    b = t.requests
    assert b.row_values("unavailable.not_held") == [5, 0, 0, 0, 0, 0, 5]
    cell = b.cells[("unavailable.not_held", "total")]
    assert cell.label == "1.本机关不掌握政府信息" and cell.label_distance == 2
    law = b.cells[("denied.law_forbidden", "total")]
    assert law.label == "2.其他法律行政法规禁上公开" and law.label_distance == 1
    assert b.cells[("new", "total")].label is None and b.cells[("new", "total")].label_distance == 0
    found = [f for f in run_checks(doc, find_sections(doc), t) if f.check == "cells.label.v1"]
    assert {f.evidence["row"] for f in found} == {"unavailable.not_held", "denied.law_forbidden"}
    f = next(f for f in found if f.evidence["row"] == "unavailable.not_held")
    assert f.evidence["distance"] == 2 and "本机关不掌握政府信息" in f.message and f.severity == "warning"
    assert not any(f.kind == "table_arithmetic" for f in run_checks(doc, find_sections(doc), t))


def test_a_label_too_far_off_or_near_two_rows_is_not_taken():
    # four of twelve characters changed: past one in four, the row is not read
    text = _b_lines({"unavailable.not_held": "1.本部门不持有相关政府信息"}, {})
    b = parse_tables(text_doc(text)).requests
    assert not b.has_row("unavailable.not_held")
    assert any("rows not found: unavailable.not_held" in n for n in parse_tables(text_doc(text)).notes)
