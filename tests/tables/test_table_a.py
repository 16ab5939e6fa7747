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
