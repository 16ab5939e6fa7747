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
