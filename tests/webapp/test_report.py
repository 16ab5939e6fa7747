"""报告详情 (issue 13 items 3 and 9, and corrections from the app): every cell read is shown
whatever template names it; the narrative is readable (labels on the line, a PDF's lines
joined into paragraphs, a claim judged 误报 grey); a reviewer corrects a misread cell and a
claim in the page, and the page shows the report reconciled again with it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from app.display import DECIDED_COLORS, paragraphs
from conftest import ROOT
from nlp.ingest import ingest
from nlp.schema import TABLE_A_2021, Cell, Table
from nlp.store import Store
from result_factory import make_result
from webapp.helpers import expand, open_page, open_tab, run, sha_of, start

PRINTSHOP = ROOT / "tests" / "fixtures" / "printshop"


def _narrative(at) -> str:
    return next(h.value for h in at.html if 'class="xxgk-narrative"' in h.value)


def test_table_a_read_under_another_template_shows_every_cell(tmp_path: Path, monkeypatch):
    """Item 3: a table A read with the 2021 rows in a report taken as 2019 lost its cells."""
    result = make_result("hybrid", year=2020)
    cells = {("rules", "issued"): Cell(2, "2"), ("rules", "repealed"): Cell(1, "1"), ("rules", "in_force"): Cell(15, "15"),
             ("licensing", "decisions"): Cell(21500, "21500"), ("fees", "amount_10k_yuan"): Cell(3443, "3443")}
    tables = replace(result.tables, template="2019", active=Table(TABLE_A_2021, cells, shape="pipes"))
    db = tmp_path / "hybrid.sqlite"
    sha = Store(db).save(replace(result, tables=tables))
    monkeypatch.setenv("XXGK_DB", str(db))
    at = open_tab(open_page(start(), "report", sha=sha), "标准表格")
    active = at.table[0].value
    shown = {(row, col): v for row in active.index for col, v in active.loc[row].items() if v}
    assert len(shown) == len(cells)
    assert shown[("规章", "本年制发件数")] == "2" and shown[("行政许可", "处理决定数量")] == "21500"
    assert shown[("行政事业性收费", "金额(万元)")] == "3443"


def test_the_narrative_labels_disagreeing_claims_on_their_line_and_greys_a_false_alarm(db: Path):
    sha = sha_of(db, "002")
    store = Store(db)
    claim = next(c for c in store.claims(sha) if "行政诉讼" in c["text"])
    at = open_tab(open_page(start(), "report", sha=sha), "正文与声明")
    html = _narrative(at)
    assert "displacy" not in html and "<mark" not in html  # no more stacked span labels
    tag = re.search(r'申请行政诉讼8件</span><span class="xt" style="background: ([^"]+)">([^<]+)</span>', html)
    assert tag and tag.group(2) == "需复核 表12"
    assert "white-space: nowrap" in html  # the label never wraps over lines
    store.record_decision(claim["id"], "claim", sha, "false_alarm", "", "王")
    at = open_tab(open_page(start(), "report", sha=sha), "正文与声明")
    html = _narrative(at)
    tag = re.search(r'<span class="xc false_alarm" style="border-color: ([^"]+)"[^>]*>申请行政诉讼8件</span>'
                    r'<span class="xt" style="background: ([^"]+)">误报</span>', html)
    assert tag and tag.group(1) == tag.group(2) == DECIDED_COLORS["false_alarm"]


def test_a_pdf_narrative_joins_its_lines_into_paragraphs():
    """Item 9: for a PDF each paragraph was one PDF line, cut mid-sentence."""
    doc = ingest(PRINTSHOP / "008_pingtan_2022" / "report.pdf")
    text = doc.display_text
    lines = [text[a:b] for a, b in paragraphs(text)]
    joined = [text[a:b] for a, b in paragraphs(text, reflow=True)]
    assert len(joined) < len(lines)
    sentence = "2022年,全区收到政府信息公开申请"
    cut = [p for p in lines if sentence.replace(",", "，") in p.replace(",", "，")]
    whole = [p.replace("\n", "") for p in joined if sentence.replace(",", "，") in p.replace(",", "，")]
    assert cut and whole and len(whole[0]) > len(cut[0])
    assert "办结率" in whole[0] and whole[0].rstrip().endswith("。")  # to the end of the paragraph
    assert not any(re.fullmatch(r"\s*\d{1,3}\s*", p) for p in joined)  # page numbers left out
    headings = [p for p in joined if p.startswith("一、总体情况")]
    assert headings == ["一、总体情况"]  # a heading stays its own paragraph


def test_correcting_a_misread_cell_in_the_page_reconciles_the_report_again(db: Path):
    store = Store(db)
    sha = sha_of(db, "002")
    claim = next(c for c in store.claims(sha) if "行政诉讼" in c["text"])
    assert (claim["status"], claim["table_value"]) == ("ambiguous", 12)  # 未经复议直接起诉 4 + 复议后起诉 8
    at = open_tab(open_page(start(), "report", sha=sha), "标准表格")
    at.sidebar.text_input(key="reviewer_input").set_value("孙复核")
    at = run(at)
    at.selectbox(key="correct-cell-which").set_value("review/litigation_direct/total")
    at = run(at)
    at.text_input(key="correct-cell-value").set_value("0")
    at.button(key="correct-cell-save").click()
    at = run(at)
    assert store.corrections() == [] and any("理由" in w.value for w in at.warning)  # why is required
    at.text_input(key="correct-cell-reason").set_value("核对原件: 未经复议直接起诉总计为0")
    at.button(key="correct-cell-save").click()
    at = run(at)
    [k] = store.corrections(sha)
    assert (k["original_value"], k["value"], k["reviewer"]) == (4, 0, "孙复核")
    assert any("已更正" in s.value for s in at.success)
    review = at.table[2].value
    assert review.loc["未经复议直接起诉", "总计"].startswith("0 (更正,原读 4)")
    # reconciled again by the library: the claim now matches 0 + 8, and the row's sum is checked anew
    claim = next(c for c in store.claims(sha) if c["id"] == claim["id"])
    assert (claim["status"], claim["table_value"]) == ("match", 8)
    assert any(f["kind"] == "table_arithmetic" and "未经复议直接起诉" in f["message"] for f in store.findings(sha))
    at = open_tab(at, "更正记录")
    assert at.dataframe[0].value.iloc[0]["更正为"] == "0"


def test_correcting_a_claim_in_the_page(db: Path):
    store = Store(db)
    sha = sha_of(db, "002")
    claim = next(c for c in store.claims(sha) if "行政诉讼" in c["text"])
    at = expand(open_page(start(), "report", sha=sha), f"x-flagged-{claim['id']}")
    at.sidebar.text_input(key="reviewer_input").set_value("孙复核")
    form = f"correct-flagged-claim-{claim['id']}"
    at = run(at)
    at.text_input(key=f"{form}-value").set_value("12")
    at.text_input(key=f"{form}-reason").set_value("原文为12件")
    at.button(key=f"{form}-save").click()
    at = run(at)
    [k] = store.corrections(sha)
    assert (k["kind"], k["claim_id"], k["original_value"], k["value"]) == ("claim", claim["id"], 8, 12)
    now = next(c for c in store.claims(sha) if c["id"] == claim["id"])
    assert (now["value"], now["status"], now["correction_id"]) == (12, "match", k["id"])
    assert any("已更正" in s.value for s in at.success)
