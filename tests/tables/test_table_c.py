"""Table C: its 15 figures cut by the four totals, ambiguity reported."""

from __future__ import annotations

from builders import shaped_report, text_doc
from nlp.tables import parse_tables


def test_glued_table_c_is_cut_by_its_totals_and_ambiguity_is_reported():
    plain = "10 0 1 1 12 1 0 1 2 4 7 0 1 0 8"
    t = parse_tables(text_doc(shaped_report("glued").replace(plain, "011021000100000")))
    assert t.review.to_json() == {"reconsideration": [0, 1, 1, 0, 2], "litigation_direct": [1, 0, 0, 0, 1],
                                  "litigation_after": [0, 0, 0, 0, 0]}
    assert t.review.alternatives == () and not any(c.uncertain for c in t.review.cells.values())
    # 10|0|1|1|12 and 1|0|0|11|12 both add up: the first five cells are uncertain
    t = parse_tables(text_doc(shaped_report("glued").replace(plain, "10011121012470108")))
    c = t.review
    assert c.row_values("litigation_after") == [7, 0, 1, 0, 8]
    assert {tuple(c.row_values("reconsideration"))} <= {(10, 0, 1, 1, 12), (1, 0, 0, 11, 12)}
    assert c.cells[("reconsideration", "maintained")].uncertain
    assert not c.cells[("reconsideration", "total")].uncertain
    assert not c.cells[("litigation_direct", "pending")].uncertain
    (alt,) = c.alternatives
    assert alt["n_options"] == 2


def test_the_narratives_counts_of_reviews_are_not_table_c():
    # data/pages p198: an opening with no table C, whose overview tells the reviews in words
    text = ("嘉兴市人民政府办公室2023年度政府信息公开工作年度报告\n一、总体情况\n(二)依申请公开情况。2023年,共收到政府信息公开申请"
            "132件。因信息公开引发行政争议11件,其中,行政复议7件,结果维持6件,尚未审结1件;行政诉讼4件,结果维持2件,尚未审结2件。\n")
    assert parse_tables(text_doc(text)).review is None
    # the same figures laid out as the table's cells are read
    table = text + "五、政府信息公开行政复议、行政诉讼情况\n结果维持 结果纠正 其他结果 尚未审结 总计\n6 0 0 1 7 2 0 0 2 4 0 0 0 0 0\n"
    assert parse_tables(text_doc(table)).review.row_values("reconsideration") == [6, 0, 0, 1, 7]
