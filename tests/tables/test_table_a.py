"""Table A: glued rows with no arithmetic, the 2019 form with signs, decimals and units."""

from __future__ import annotations


from builders import (
    read,
    text_doc,
)
from nlp.tables import parse_tables


def test_glued_table_a_row_is_uncertain_and_lists_the_other_cuts():
    _, t = read("corpus", "008")
    assert t.active.row_values("normative_docs") == [88, 55, 698]
    cells = [t.active.cells[("normative_docs", c)] for c in ("issued", "repealed", "in_force")]
    assert all(c.uncertain and c.note for c in cells)
    (alt,) = t.active.alternatives
    assert alt["raw"] == "8855698" and alt["chosen"] == [88, 55, 698]
    assert [8, 85, 5698] in alt["options"]


def test_glued_2019_table_a_keeps_signs_decimals_and_units():
    # crawler text of a 2019-template table A (the shape of pingtan's 2020 report)
    text = ("某区2020年度政府信息公开工作年度报告\n二、主动公开政府信息情况 第二十条第（一）项信息内容本年新制作数量"
            "本年新公开数量对外公开总数量规章007第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量"
            "行政处罚2648-18538行政强制1262629第二十条第（八）项信息内容上一年项目数量本年增/减"
            "行政事业性收费35-15第二十条第（九）项信息内容采购项目数量采购总金额政府集中采购8 1112万元"
            "三、收到和处理政府信息公开申请情况")
    t = parse_tables(text_doc(text))
    a = t.active
    assert t.template == "2019" and a.definition.template == "2019"
    assert a.row_values("rules") == [0, 0, 7]  # no leading zeros: the only cut
    assert a.row_values("fees") == [35, -15]
    assert a.cells[("fees", "change")].raw == "-15"
    penalty = a.row_values("penalty")
    assert penalty[0] == 2648 and penalty[1] < 0  # the minus stays with 本年增/减
    assert all(a.cells[("penalty", c)].uncertain for c in ("change", "decisions"))
    assert not a.cells[("penalty", "previous")].uncertain  # 2648 stands alone in every cut
    assert a.row_values("procurement") == [8, 1112]
    assert a.cells[("procurement", "amount_10k_yuan")].raw == "1112万元"


def _glued_a(normative: str) -> str:
    return ("某区2022年度政府信息公开工作年度报告\n二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数"
            f"现行有效件数规章000行政规范性文件{normative}第二十条第(五)项信息内容本年处理决定数量行政许可10690"
            "第二十条第(六)项信息内容本年处理决定数量行政处罚3403行政强制0第二十条第(八)项信息内容本年收费金额(单位:万元)"
            "行政事业性收费9116.36 三、收到和处理政府信息公开申请情况")


def test_glued_table_a_row_readings_are_ranked_and_shown_for_review():
    a = parse_tables(text_doc(_glued_a("8855698"))).active
    assert a.row_values("normative_docs") == [88, 55, 698]  # the most even plausible cut
    (alt,) = a.alternatives
    ranked = alt["ranked"]
    assert ranked[0]["values"] == [88, 55, 698] and len(ranked) == min(10, alt["n_options"])
    assert all({"narrative", "plausible", "chains", "values"} <= set(r) for r in ranked)
    # every reading keeps no leading zero: 8|85|5698 yes, 88|055|... never
    assert not any(str(v).startswith("0") and v != 0 for r in ranked for v in r["values"] if v is not None)
    # a cut where 现行有效 is below 本年制发 is ranked below the plausible ones
    first_implausible = next(i for i, r in enumerate(ranked) if not r["plausible"])
    assert all(r["plausible"] for r in ranked[:first_implausible])


def test_the_narrative_figure_ranks_a_reading_first():
    text = _glued_a("8855698").replace("某区2022年度政府信息公开工作年度报告\n",
                                       "某区2022年度政府信息公开工作年度报告\n一、总体情况\n全年废止行政规范性文件556件。\n")
    a = parse_tables(text_doc(text)).active
    assert a.row_values("normative_docs") == [88, 556, 98]
    assert a.alternatives[0]["ranked"][0]["narrative"] == [556]
    assert a.cells[("normative_docs", "repealed")].uncertain  # the narrative ranks, it does not settle


def test_last_years_table_settles_a_glued_row():
    from nlp.schema import TABLE_A_2021, Cell, Table, Tables

    last = Tables(template="2021", active=Table(TABLE_A_2021, {
        ("normative_docs", "issued"): Cell(70, "70"), ("normative_docs", "repealed"): Cell(10, "10"),
        ("normative_docs", "in_force"): Cell(665, "665")}))
    a = parse_tables(text_doc(_glued_a("8855698")), previous=last).active
    # 665 + 88 - 55 = 698: of all the cuts only this one chains with last year's 现行有效件数
    assert a.row_values("normative_docs") == [88, 55, 698]
    cell = a.cells[("normative_docs", "in_force")]
    assert not cell.uncertain and "last year" in cell.note
    assert a.alternatives == ()
