"""parse_tables: the standard tables read from every shape the seeds and the corpus use.

The seed figures are the hand-read facts of ../shared/seeds/EXPECTED.md; the constructed
documents below exercise one behaviour each (glued digits, blanks, template, year).
"""

from __future__ import annotations

import hashlib
from typing import Optional

import pytest

from conftest import corpus_path, seed_path
from nlp._split import Group, pieces_text, split_run
from nlp.ingest import ingest
from nlp.schema import REQUEST_COLUMNS, TABLE_B_2019, TABLE_B_2021, Document, Tables
from nlp.sections import find_sections
from nlp.tables import _value, parse_tables

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

_CACHE: dict[tuple[str, bool], tuple[Document, Tables]] = {}


def read(kind: str, prefix: str, with_sections: bool = True) -> tuple[Document, Tables]:
    key = (kind + prefix, with_sections)
    if key not in _CACHE:
        path = seed_path(prefix) if kind == "seed" else corpus_path(prefix)
        doc = ingest(path)
        _CACHE[key] = doc, parse_tables(doc, find_sections(doc) if with_sections else None)
    return _CACHE[key]


def text_doc(text: str, fmt: str = "txt") -> Document:
    """A Document whose text is ``text`` as given (no cleaning, identity offsets)."""
    return Document(
        source="<test>",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format=fmt,
        display_text=text,
        text=text,
        offsets=tuple(range(len(text) + 1)),
    )


def b_rows(template: str, **rows: list[Optional[int]]) -> dict[str, list[Optional[int]]]:
    """Every row of table B zero except those given (keys with ``__`` for ``.``)."""
    tdef = TABLE_B_2021 if template == "2021" else TABLE_B_2019
    out = {r.key: [0] * 7 for r in tdef.rows}
    for k, v in rows.items():
        out[k.replace("__", ".")] = v
    return out


def one(n: int, nat: int = None) -> list[int]:  # type: ignore[assignment]
    """A row whose only figures are 自然人 and 总计."""
    return [n if nat is None else nat, 0, 0, 0, 0, 0, n]


def b_label(rd) -> str:
    return rd.labels[0]


def numbered_b_rows(tdef=TABLE_B_2021, label_of=lambda rd: rd.labels[0]):
    """Table B's rows with their printed labels, sub-rows numbered as the template does (1.属于国家秘密)."""
    ordinal: dict[str, int] = {}
    for rd in tdef.rows:
        label = label_of(rd)
        if rd.parent:
            ordinal[rd.parent] = ordinal.get(rd.parent, 0) + 1
            label = f"{ordinal[rd.parent]}.{label}"
        yield rd, label


def glued_b(rows: dict[str, str], template: str = "2021") -> str:
    """Table B as crawler text: label then its digits, glued (``"1.属于国家秘密0000000"``)."""
    tdef = TABLE_B_2021 if template == "2021" else TABLE_B_2019
    parts = ["三、收到和处理政府信息公开申请情况 申请人情况 自然人 法人或其他组织 总计 商业 企业 科研 机构 "
             "社会公益组织 法律服务机构 其他 "]
    for rd, label in numbered_b_rows(tdef, b_label):
        parts.append(label + rows.get(rd.key, "0000000"))
    return "".join(parts) + " 四、政府信息公开行政复议、行政诉讼情况"


# ---------------------------------------------------------------------------
# the seeds, against EXPECTED.md
# ---------------------------------------------------------------------------

SEED_A = {
    "000": {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_docs": {"issued": 0, "repealed": 0, "in_force": 15},
            "licensing": 21500, "penalty": 17, "coercion": 0, "fees_10k_yuan": 3443},
    "001": {"rules": {"made": 0, "published": 0, "total": 0},
            "normative_docs": {"made": 3, "published": 3, "total": 5},
            "licensing": {"previous": 0, "change": 0, "decisions": 0},
            "other_services": {"previous": 0, "change": 0, "decisions": 0},
            "penalty": {"previous": 0, "change": 0, "decisions": 0},
            "coercion": {"previous": 0, "change": 0, "decisions": 0},
            "fees": {"previous": 0, "change": 0},
            "procurement": {"projects": 8, "amount_10k_yuan": 1112}},
    "002": {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_docs": {"issued": 4, "repealed": 2, "in_force": 11},
            "licensing": 64142, "penalty": 1034, "coercion": 0, "fees_10k_yuan": 803},
}

SEED_B = {
    "000": b_rows("2021", new=one(1), granted=one(1), closed=one(1)),
    "001": b_rows("2019", new=one(12), granted=one(2), denied__internal_affairs=one(2),
                  denied__process_info=one(3), unavailable__not_held=one(5), closed=one(12)),
    "002": b_rows("2021", new=[96, 4, 0, 0, 0, 0, 100], carried_in=one(10), granted=[7, 2, 0, 0, 0, 0, 9],
                  partial=[10, 1, 0, 0, 0, 0, 11], denied__third_party=one(1), denied__enforcement_file=one(1),
                  unavailable__not_held=[76, 1, 0, 0, 0, 0, 77], other__no_correction=one(1),
                  closed=[96, 4, 0, 0, 0, 0, 100], carried_out=one(10)),
}

ZERO_C = {"reconsideration": [0] * 5, "litigation_direct": [0] * 5, "litigation_after": [0] * 5}
SEED_C = {
    "000": ZERO_C,
    "001": ZERO_C,
    "002": {"reconsideration": [10, 0, 1, 1, 12], "litigation_direct": [1, 0, 1, 2, 4],
            "litigation_after": [7, 0, 1, 0, 8]},
}

SEEDS = ("000", "001", "002")


@pytest.mark.parametrize("with_sections", [True, False], ids=["sections", "no-sections"])
@pytest.mark.parametrize("prefix", SEEDS)
def test_seed_tables_read_exactly(prefix, with_sections):
    _, t = read("seed", prefix, with_sections)
    assert t.active is not None and t.requests is not None and t.review is not None
    assert t.active.to_json() == SEED_A[prefix]
    assert t.requests.to_json()["rows"] == SEED_B[prefix]
    assert t.review.to_json() == SEED_C[prefix]
    assert t.empty_sections == ()
    assert not any(c.uncertain for tb in t.all() for c in tb.cells.values())


@pytest.mark.parametrize("prefix, template", [("000", "2021"), ("001", "2019"), ("002", "2021")])
def test_seed_template(prefix, template):
    _, t = read("seed", prefix)
    assert t.template == template
    assert t.requests.definition.template == template
    assert t.active.definition.template == template


def test_2019_template_other_is_one_row():
    _, t = read("seed", "001")
    assert t.requests.has_row("other")
    assert t.requests.row_values("other") == [0] * 7
    assert t.active.value("procurement", "amount_10k_yuan") == 1112
    assert t.active.cells[("procurement", "amount_10k_yuan")].raw == "1112万元"


def test_2021_other_has_three_rows_and_other_is_not_the_column_header():
    _, t = read("seed", "002")
    assert [t.requests.row_values(k)[-1] for k in ("other.no_correction", "other.no_fee", "other.other")] == [1, 0, 0]


def test_damaged_header_does_not_matter():
    doc, t = read("seed", "000")
    assert "本年 |" in doc.text  # the column header "本年制发件数" is cut to "本年"
    assert t.active.value("normative_docs", "in_force") == 15


@pytest.mark.parametrize(
    "kind, prefix, row, col",
    [("seed", "001", "denied.query_matter", "research"), ("seed", "002", "denied.process_info", "other")],
)
def test_double_zero_reads_as_zero_with_raw_kept(kind, prefix, row, col):
    _, t = read(kind, prefix)
    cell = t.requests.cells[(row, col)]
    assert cell.value == 0 and cell.raw == "00"


def test_seed_003_table_sections_are_empty():
    for with_sections in (True, False):
        _, t = read("seed", "003", with_sections)
        assert t.active is None and t.requests is None and t.review is None
        assert set(t.empty_sections) == {"active", "requests", "review"}
        assert t.template == "2021"


def test_seed_004_is_pre2019_without_tables():
    _, t = read("seed", "004")
    assert t.template == "pre2019"
    assert t.all() == [] and t.empty_sections == ()


# ---------------------------------------------------------------------------
# the corpus
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["012", "021"])
def test_pre2019_statistics_table_is_not_a_standard_table(prefix):
    _, t = read("corpus", prefix)
    assert t.template == "pre2019" and t.all() == [] and t.empty_sections == ()
    _, t = read("corpus", prefix, with_sections=False)
    assert t.all() == []


def test_statistics_table_is_not_a_standard_table_whatever_the_year():
    doc, _ = read("corpus", "012")
    assert "指标名称" in doc.text and "行政复议数" in doc.text
    undated = text_doc(doc.text.replace("2018", "").replace("2019", ""))
    t = parse_tables(undated)
    assert t.all() == []
    assert t.template == "unknown"


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


def test_glued_table_a_row_is_uncertain_and_lists_the_other_cuts():
    _, t = read("corpus", "008")
    assert t.active.row_values("normative_docs") == [88, 55, 698]
    cells = [t.active.cells[("normative_docs", c)] for c in ("issued", "repealed", "in_force")]
    assert all(c.uncertain and c.note for c in cells)
    (alt,) = t.active.alternatives
    assert alt["raw"] == "8855698" and alt["chosen"] == [88, 55, 698]
    assert [8, 85, 5698] in alt["options"]


def test_markdown_with_generic_headers():
    _, t = read("corpus", "002")
    assert t.requests.row_values("new") == [705, 3, 0, 0, 5, 0, 713]
    assert t.requests.row_values("other.other") == [142, 1, 0, 0, 0, 0, 143]
    assert t.review.row_values("litigation_after") == [8, 0, 1, 1, 10]


@pytest.mark.parametrize("kind, prefix", [("seed", "000"), ("seed", "001"), ("seed", "002"), ("corpus", "002"),
                                          ("corpus", "006"), ("corpus", "008"), ("corpus", "017")])
def test_every_cell_points_at_its_raw_text(kind, prefix):
    doc, t = read(kind, prefix)
    for table in t.all():
        for cell in table.cells.values():
            assert cell.start is not None and doc.text[cell.start:cell.end] == cell.raw


# ---------------------------------------------------------------------------
# constructed documents
# ---------------------------------------------------------------------------


def test_row_per_line_blank_fields_between_figures_are_none():
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        figures = "26 |  |  |  |  |  | 26" if rd.key in ("new", "granted", "closed") else "0 |  |  |  |  |  | 0"
        lines.append(f"{label} | {figures}")
    t = parse_tables(text_doc("\n".join(lines)))
    assert t.requests.row_values("new") == [26, None, None, None, None, None, 26]
    assert t.requests.cells[("new", "commercial")].raw == ""
    assert t.template == "2021"


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


def test_template_from_year_when_there_are_no_tables():
    t = parse_tables(text_doc("某某局2020年政府信息公开工作年度报告\n一、总体情况\n本年度无。"))
    assert t.template == "2019" and t.all() == []
    t = parse_tables(text_doc("某某局2015年政府信息公开工作年度报告\n一、概述\n本年度无。"))
    assert t.template == "pre2019"
    t = parse_tables(text_doc("某某局政府信息公开工作年度报告\n一、总体情况\n本年度无。"))
    assert t.template == "unknown"


def test_narrative_row_label_is_not_a_table():
    text = ("2022年度政府信息公开工作年度报告\n一、总体情况\n集中公开现行有效行政规范性文件698件,"
            "全年办理行政许可1200件,行政处罚30件。\n")
    t = parse_tables(text_doc(text))
    assert t.active is None


@pytest.mark.parametrize(
    "raw, value",
    [("00", 0), ("1112万元", 1112), ("8 项", 8), ("9116.36", 9116.36), ("１２", 12), ("—", None),
     ("-", None), ("/", None), ("", None), ("不详", None), ("1,234", 1234)],
)
def test_cell_values(raw, value):
    got = _value(raw)
    assert got == value and type(got) is type(value)


def test_columns_of_table_b_are_the_schema_columns():
    _, t = read("seed", "002")
    assert t.requests.to_json()["columns"] == list(REQUEST_COLUMNS)


# ---------------------------------------------------------------------------
# one table, every shape: the same Tables
# ---------------------------------------------------------------------------

_GROUP_HEADS = {"denied": "(三)不予公开", "unavailable": "(四)无法提供", "not_processed": "(五)不予处理",
                "other": "(六)其他处理"}
_TOP = {"granted": "(一)", "partial": "(二)", "closed": "(七)", "new": "一、", "carried_in": "二、",
        "carried_out": "四、"}


def _canonical_rows(a: dict, b: dict, c: dict) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """Seed 002's tables as rows of cells, the way the template prints them."""
    a_rows = [["第二十条第(一)项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
              ["规章", *map(str, a["rules"].values())], ["行政规范性文件", *map(str, a["normative_docs"].values())],
              ["第二十条第(五)项"], ["信息内容", "本年处理决定数量"], ["行政许可", str(a["licensing"])],
              ["第二十条第(六)项"], ["信息内容", "本年处理决定数量"], ["行政处罚", str(a["penalty"])],
              ["行政强制", str(a["coercion"])], ["第二十条第(八)项"], ["信息内容", "本年收费金额(单位:万元)"],
              ["行政事业性收费", str(a["fees_10k_yuan"])]]
    b_rows = [["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"],
              ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    seen: dict[str, int] = {}
    for rd in TABLE_B_2021.rows:
        cells = []
        if rd.key == "granted":
            cells.append("三、本年度办理结果")
        if rd.parent:
            seen[rd.parent] = seen.get(rd.parent, 0) + 1
            if seen[rd.parent] == 1:
                cells.append(_GROUP_HEADS[rd.parent])
            cells.append(f"{seen[rd.parent]}.{rd.labels[0]}")
        else:
            cells.append(_TOP[rd.key] + rd.labels[0])
        b_rows.append(cells + [str(v) for v in b[rd.key]])
    c_rows = [["行政复议", "行政诉讼"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
              ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
              [str(v) for k in ("reconsideration", "litigation_direct", "litigation_after") for v in c[k]]]
    return a_rows, b_rows, c_rows


def _is_figure(cell: str) -> bool:
    return cell.replace(".", "").isdigit()


def _render(shape: str, rows: list[list[str]]) -> str:
    if shape == "cell_per_line":
        return "\n".join(f"{cell} |" for row in rows for cell in row)
    if shape == "pipes":
        return "\n".join(f"| {cell} |" for row in rows for cell in row)
    if shape == "row_per_line":
        return "\n".join(" | ".join(row) + " |" for row in rows)
    if shape == "markdown":
        out = []
        for row in rows:
            out.append("| " + " | ".join(row) + " |")
            if not any(_is_figure(x) for x in row):
                out.append("|" + "---|" * len(row))
        return "\n".join(out)
    if shape == "spaced":
        return " ".join(" ".join(row) for row in rows)
    if shape == "glued":  # crawler text: the figures of a row run together, labels glued on
        return "".join(" ".join(x for x in row if not _is_figure(x)) + "".join(x for x in row if _is_figure(x))
                       for row in rows)
    raise ValueError(shape)


def _report(shape: str) -> str:
    a_rows, b_rows, c_rows = _canonical_rows(SEED_A["002"], SEED_B["002"], SEED_C["002"])
    if shape == "glued":  # table C's figures stay spaced, as in corpus 008
        c_text = _render("glued", c_rows[:-1]) + " " + " ".join(c_rows[-1])
    else:
        c_text = _render(shape, c_rows)
    return "\n".join([
        "某区人民政府2024年度政府信息公开工作年度报告",
        "一、总体情况", "2024年,我区全年主动公开政府信息1639条。",
        "二、主动公开政府信息情况", _render(shape, a_rows),
        "三、收到和处理政府信息公开申请情况", _render(shape, b_rows),
        "四、政府信息公开行政复议、行政诉讼情况", c_text,
        "五、存在的主要问题及改进情况", "无。",
    ])


def _html(rows_by_table: list[list[list[str]]]) -> str:
    body = ["<html><head><meta charset='utf-8'><title>某区人民政府2024年度政府信息公开工作年度报告</title></head><body>",
            "<h1>某区人民政府2024年度政府信息公开工作年度报告</h1><p>一、总体情况</p><p>无。</p>"]
    heads = ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    for head, rows in zip(heads, rows_by_table):
        width = max(len(r) for r in rows)
        body.append(f"<p>{head}</p><table border='1'>")
        for row in rows:
            tds = "".join(f"<td>{x}</td>" for x in row[:-1])
            span = width - len(row) + 1
            tds += f"<td colspan='{span}'>{row[-1]}</td>" if span > 1 else f"<td>{row[-1]}</td>"
            body.append(f"<tr>{tds}</tr>")
        body.append("</table>")
    body.append("<p>五、存在的主要问题及改进情况</p><p>无。</p></body></html>")
    return "".join(body)


@pytest.mark.parametrize("shape", ["cell_per_line", "pipes", "row_per_line", "markdown", "spaced", "glued", "html"])
def test_every_shape_gives_the_same_tables(shape, tmp_path):
    if shape == "html":
        path = tmp_path / "report.html"
        path.write_text(_html(list(_canonical_rows(SEED_A["002"], SEED_B["002"], SEED_C["002"]))), encoding="utf-8")
        doc = ingest(path)
        t = parse_tables(doc, find_sections(doc))
    else:
        doc = text_doc(_report(shape), fmt="md" if shape == "markdown" else "txt")
        t = parse_tables(doc)
    assert t.template == "2021"
    assert t.active.to_json() == SEED_A["002"]
    assert t.requests.to_json()["rows"] == SEED_B["002"]
    assert t.review.to_json() == SEED_C["002"]
    assert t.requests.shape.startswith(shape if shape != "glued" else "glued")
    for table in t.all():
        for cell in table.cells.values():
            assert doc.text[cell.start:cell.end] == cell.raw
    if shape != "glued":
        assert not any(c.uncertain for tb in t.all() for c in tb.cells.values())


def test_glued_table_c_is_cut_by_its_totals_and_ambiguity_is_reported():
    plain = "10 0 1 1 12 1 0 1 2 4 7 0 1 0 8"
    t = parse_tables(text_doc(_report("glued").replace(plain, "011021000100000")))
    assert t.review.to_json() == {"reconsideration": [0, 1, 1, 0, 2], "litigation_direct": [1, 0, 0, 0, 1],
                                  "litigation_after": [0, 0, 0, 0, 0]}
    assert t.review.alternatives == () and not any(c.uncertain for c in t.review.cells.values())
    # 10|0|1|1|12 and 1|0|0|11|12 both add up: the first five cells are uncertain
    t = parse_tables(text_doc(_report("glued").replace(plain, "10011121012470108")))
    c = t.review
    assert c.row_values("litigation_after") == [7, 0, 1, 0, 8]
    assert {tuple(c.row_values("reconsideration"))} <= {(10, 0, 1, 1, 12), (1, 0, 0, 11, 12)}
    assert c.cells[("reconsideration", "maintained")].uncertain
    assert not c.cells[("reconsideration", "total")].uncertain
    assert not c.cells[("litigation_direct", "pending")].uncertain
    (alt,) = c.alternatives
    assert alt["n_options"] == 2


def test_row_with_lost_blanks_keeps_its_total_in_the_total_column():
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        lines.append(f"{label} 26 26" if rd.key in ("new", "granted", "closed") else f"{label} 0 0")
    t = parse_tables(text_doc("\n".join(lines)))
    b = t.requests
    assert b.row_values("new") == [26, None, None, None, None, None, 26]
    assert b.cells[("new", "total")].uncertain and "总计" in b.cells[("new", "total")].note
    assert ("new", "commercial") not in b.cells


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
            rows += [f"5.属于三类内部事务信息", label, "| 1 | 0 | 0 | 0 | 0 | 0 | 1 |"]
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


def test_short_row_among_ambiguous_glued_rows():
    text = "2022年度政府信息公开工作年度报告\n" + glued_b({
        "new": "1111000022", "granted": "101000011", "partial": "101000011", "closed": "1111000022",
    }).replace("上年结转政府信息公开申请数量0000000", "上年结转政府信息公开申请数量 0 0")
    b = parse_tables(text_doc(text)).requests
    assert b.row_values("carried_in") == [0, None, None, None, None, None, 0]
    assert {a["cells"][0][0] for a in b.alternatives} >= {"granted", "partial"}


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


def test_rows_not_found_are_noted():
    _, t = read("seed", "002")
    assert not any("rows not found" in n for n in t.notes)
    text = "2022年度政府信息公开工作年度报告\n" + glued_b({}).replace("1.属于国家秘密0000000", "")
    t = parse_tables(text_doc(text))
    assert not t.requests.has_row("denied.state_secret")
    assert any("rows not found: denied.state_secret" in n for n in t.notes)


def test_label_line_then_figure_line_is_a_layout_not_a_guess():
    lines = ["2023年度政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    for rd, label in numbered_b_rows():
        lines += [f"{label} |", "0 | 0 | 0 | 0 | 0 | 0 | 0 |"]
    b = parse_tables(text_doc("\n".join(lines))).requests
    assert len([r for r in b.definition.rows if b.has_row(r.key)]) == 25
    assert not any(c.uncertain for c in b.cells.values())
