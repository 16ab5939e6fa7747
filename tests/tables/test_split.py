"""Glued digits cut by the table's arithmetic (split_run), and marked uncertain where several cuts fit."""

from __future__ import annotations


from builders import (
    glued_b,
    read,
    text_doc,
)
from nlp.tables import parse_tables
from nlp.tables._split import Group, pieces_text, split_run


def test_split_run_rules():
    B = [Group(7, True)]
    assert [pieces_text(["713000074"], s) for s in split_run(["713000074"], B)] == [
        ["71", "3", "0", "0", "0", "0", "74"]]
    # no leading zeros inside a run, but a whole cell "00" stays as written
    assert split_run(["0010"], [Group(2)]) == []  # 0|010, 00|10, 001|0: none
    assert pieces_text(["00"], split_run(["00"], [Group(1)])[0]) == ["00"]
    # a separator in the text is always a cut
    assert [pieces_text(["12", "3000015"], s) for s in split_run(["12", "3000015"], B)] == [
        ["12", "3", "0", "0", "0", "0", "15"]]
    # table C: three groups of five, each total the sum of the four before it
    C = [Group(5, True)] * 3
    sols = split_run(["011021000100000"], C)
    assert [pieces_text(["011021000100000"], s) for s in sols] == [list("011021000100000")]
    # a long run with no consistent cut ends (and quickly: the row sum prunes the search)
    assert split_run(["123456789012345678901234567890"], B) == []
    assert len(split_run(["1" * 22], [Group(7)], limit=10)) == 10


def test_glued_rows_cut_by_row_and_column_sums():
    text = "2022年度政府信息公开工作年度报告\n" + glued_b({
        "new": "713000074", "carried_in": "1000001", "granted": "210000021", "partial": "8100009",
        "denied.internal_affairs": "1000001", "unavailable.not_held": "370000037",
        "other.other": "0200002", "closed": "723000075",
    })
    t = parse_tables(text_doc(text))
    b = t.requests
    assert b.shape == "glued"
    assert b.row_values("new") == [71, 3, 0, 0, 0, 0, 74]
    assert b.row_values("unavailable.not_held") == [37, 0, 0, 0, 0, 0, 37]
    assert b.row_values("closed") == [72, 3, 0, 0, 0, 0, 75]
    assert b.alternatives == ()


def test_ambiguous_glued_runs_are_marked_not_guessed():
    # "101000011" is 10|1|0|0|0|0|11 or 1|0|10|0|0|0|11: both add up along the row. With
    # (一) and (二) both written so, (七)总计 = 11, 1, 10 holds for either assignment of the two
    # readings to the two rows: the table cannot tell, so the reader must say so.
    text = "2022年度政府信息公开工作年度报告\n" + glued_b({
        "new": "1111000022", "granted": "101000011", "partial": "101000011", "closed": "1111000022",
    }).replace("本年新收政府信息公开申请数量1111000022", "本年新收政府信息公开申请数量 11 1 10 0 0 0 22").replace(
        "总计1111000022", "总计 11 1 10 0 0 0 22")
    t = parse_tables(text_doc(text))
    b = t.requests
    assert b.row_values("new") == [11, 1, 10, 0, 0, 0, 22]
    readings = {tuple(b.row_values("granted")), tuple(b.row_values("partial"))}
    assert readings == {(10, 1, 0, 0, 0, 0, 11), (1, 0, 10, 0, 0, 0, 11)}
    for row in ("granted", "partial"):
        for col in ("natural_person", "commercial", "research"):
            cell = b.cells[(row, col)]
            assert cell.uncertain and "101000011" in cell.note
        assert not b.cells[(row, "total")].uncertain  # 11 either way
    assert {a["cells"][0][0] for a in b.alternatives} == {"granted", "partial"}
    for a in b.alternatives:
        assert a["raw"] == "101000011" and len(a["options"]) == 1
        assert {tuple(a["chosen"]), tuple(a["options"][0])} == readings


def test_short_row_among_ambiguous_glued_rows():
    text = "2022年度政府信息公开工作年度报告\n" + glued_b({
        "new": "1111000022", "granted": "101000011", "partial": "101000011", "closed": "1111000022",
    }).replace("上年结转政府信息公开申请数量0000000", "上年结转政府信息公开申请数量 0 0")
    b = parse_tables(text_doc(text)).requests
    assert b.row_values("carried_in") == [0, None, None, None, None, None, 0]
    assert {a["cells"][0][0] for a in b.alternatives} >= {"granted", "partial"}


def test_glued_crawler_text():
    doc, t = read("corpus", "008")
    assert t.requests.shape == "glued" and t.active.shape == "glued"
    assert t.requests.row_values("new") == [71, 3, 0, 0, 0, 0, 74]
    assert t.requests.row_values("closed") == [72, 3, 0, 0, 0, 0, 75]
    # the ordinal of the next row glued on: "1.属于国家秘密00000002.其他法律…"
    assert t.requests.row_values("denied.state_secret") == [0] * 7
    assert t.requests.row_values("denied.process_info") == [2, 0, 0, 0, 0, 0, 2]
    # each B run has one cut that adds up: nothing uncertain there
    assert not any(c.uncertain for c in t.requests.cells.values())
    cell = t.requests.cells[("new", "total")]
    assert doc.text[cell.start:cell.end] == "74" and cell.note
    assert t.active.value("fees", "amount_10k_yuan") == 9116.36
