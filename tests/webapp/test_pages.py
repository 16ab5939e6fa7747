"""The reviewer app, run headless with Streamlit's AppTest on the seeds checked by the real
pipeline: the overview and the report view render, a decision saved in the report view
survives re-checking the same file, the export carries it, orphans are shown, uploads work,
a store that cannot be opened is one Chinese line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import seed_path
from nlp import export
from nlp.pipeline import check
from nlp.store import Store
from webapp.helpers import decide, expand, open_page, open_tab, set_reviewer, sha_of, start


def test_overview_lists_the_seeds_with_counts(db: Path):
    at = start()
    assert at.title[0].value == "总览"
    table = at.dataframe[0].value
    assert len(table) == 5
    assert {"机关", "年度", "模板", "不一致", "需复核", "错误", "警告", "待复核"} <= set(table.columns)
    assert set(table["年度"]) == {2016, 2019, 2021, 2024}
    assert at.metric[0].value == "5"
    assert len(at.get("vega_lite_chart")) == 4
    # a sidebar filter narrows the table (and its charts) through the store query
    at.sidebar.multiselect[0].set_value([2024]).run()
    assert not at.exception
    assert list(at.dataframe[0].value["年度"]) == [2024]


def test_report_view_shows_the_litigation_mismatch_of_seed_002(db: Path):
    sha = sha_of(db, "002")
    at = open_page(start(), "report", sha=sha[:12])  # a prefix of the sha256 is enough
    assert at.selectbox[0].value == sha
    flagged = [m.value for m in at.markdown if "行政诉讼" in m.value and "「" in m.value]
    assert flagged and ("需复核" in flagged[0] or "不一致" in flagged[0])
    assert "**8**" in flagged[0] and "**12**" in flagged[0]  # both figures beside the claim
    at = open_tab(at, "正文与声明")
    narrative = next(h.value for h in at.html if 'class="xxgk-narrative"' in h.value)
    assert "申请行政诉讼8件" in narrative and "行政诉讼数" in narrative
    at = open_tab(at, "标准表格")
    tables = [t.value for t in at.table]
    assert len(tables) == 3
    review = tables[2]
    assert list(review.columns) == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert review.loc["复议后起诉", "总计"].startswith("8") and "⚠" in review.loc["复议后起诉", "总计"]
    requests = tables[1]
    assert "00" in requests.loc["不予公开: 属于四类过程性信息", "其他"]  # the damaged cell, marked


def test_report_view_of_a_report_without_tables(db: Path):
    at = open_tab(open_page(start(), "report", sha=sha_of(db, "003")), "标准表格")
    assert not at.table
    assert any("没有可读取的标准表格" in w.value for w in at.warning)


def test_decision_survives_recheck_and_is_exported(db: Path):
    sha = sha_of(db, "002")
    store = Store(db)
    claim = next(c for c in store.claims(sha) if "行政诉讼" in c["text"])
    form = f"decide-flagged-claim-{claim['id']}"
    at = expand(open_page(start(), "report", sha=sha), f"x-flagged-{claim['id']}")

    # no reviewer name yet: nothing is saved, and what was typed stays
    at = decide(at, form, "confirmed_defect", "诉讼共12件")
    assert store.decisions() == []
    assert any("复核人" in w.value for w in at.warning)

    at = set_reviewer(at, "王审核")
    at = decide(at, form, "confirmed_defect", "诉讼共12件")
    saved = store.decisions()
    assert {(d["item_kind"], d["decision"], d["reviewer"], d["comment"]) for d in saved} == {
        ("claim", "confirmed_defect", "王审核", "诉讼共12件"), ("finding", "confirmed_defect", "王审核", "诉讼共12件")}
    assert claim["id"] in {d["item_id"] for d in saved} and all(d["created_at"] for d in saved)

    store.save(check(seed_path("002")))  # re-check the same file: computed rows replaced
    at = expand(open_page(start(), "report", sha=sha), f"x-flagged-{claim['id']}")
    captions = [c.value for c in at.caption]
    assert any("确认问题" in c and "王审核" in c and "诉讼共12件" in c for c in captions)
    assert store.orphaned_decisions() == []

    rows = list(csv.DictReader(io.StringIO(export.claims_csv(store).decode("utf-8-sig"))))
    row = next(r for r in rows if r["声明编号"] == claim["id"])
    assert (row["复核结论"], row["复核人"], row["复核意见"], row["指标"]) == ("确认问题", "王审核", "诉讼共12件", "行政诉讼数")
    at = open_page(at, "export")
    assert len(at.get("download_button")) == 6  # all reports: CSV ×4 (检查清单 too), Excel, 通报
    preview = at.dataframe[1].value
    assert "确认问题" in set(preview["复核结论"])


def test_review_page_lists_open_items_and_orphans(db: Path):
    sha = sha_of(db, "002")
    store = Store(db)
    store.record_decision("F-gone", "finding", sha, "needs_follow_up", "旧版本的问题", "李")
    at = open_page(start(), "review")
    assert any("已不存在" in w.value for w in at.warning)
    assert "F-gone" in set(at.dataframe[0].value["编号"])
    assert any("行政诉讼" in e.label for e in at.expander)


def test_upload_checks_and_stores_a_file_and_reports_bad_files_in_chinese(db: Path):
    at = open_page(start(), "upload")
    seed = seed_path("002")
    good = "新上传报告.txt"
    at.file_uploader[0].set_value([(good, seed.read_bytes(), "text/plain"),
                                   ("空文件.txt", b"", "text/plain")]).run()
    assert not at.exception, at.exception
    assert any(good in s.value for s in at.success)
    [error] = at.error
    assert error.value == "E003 空文件.txt: 文件是空的" and "Traceback" not in error.value
    assert good in {r["source"] for r in Store(db).overview()}


def test_report_view_marks_the_cells_a_finding_names(made_db: Path):
    sha = Store(made_db).overview(agency="乙县人民政府")[0]["sha256"]
    at = open_page(start(), "report", sha=sha)
    assert any("不一致" in m.value and "申请行政诉讼8件" in m.value for m in at.markdown)
    assert any("表C 复议后起诉" in e.label for e in at.expander)
    at = open_tab(at, "标准表格")
    [review] = [t.value for t in at.table]
    assert all("⚠" in v for v in review.loc["复议后起诉"])  # the whole failing row
    assert "⚠" not in review.loc["行政复议", "总计"]
    at = open_tab(at, "正文与声明")
    narrative = next(h.value for h in at.html if 'class="xxgk-narrative"' in h.value)
    assert "同意公開9件" in narrative  # highlighted on the display text, via the offsets


def test_overview_filters_on_hand_made_results(made_db: Path):
    at = start()
    assert len(at.dataframe[0].value) == 2
    at.sidebar.multiselect[2].set_value(["mismatch"]).run()
    assert list(at.dataframe[0].value["机关"]) == ["乙县人民政府"]
    at.sidebar.radio[0].set_value("已复核完").run()
    assert any("没有符合条件的报告" in i.value for i in at.info)


def test_unknown_sha_falls_back_with_a_warning(made_db: Path):
    at = open_page(start(), "report", sha="ffff0000")
    assert any("找不到报告" in w.value for w in at.warning)
    assert at.selectbox[0].value in {r["sha256"] for r in Store(made_db).overview()}


def test_empty_store_says_how_to_fill_it(tmp_path: Path, monkeypatch):
    Store(tmp_path / "empty.sqlite").close()
    monkeypatch.setenv("XXGK_DB", str(tmp_path / "empty.sqlite"))
    at = start()
    assert any("xxgk check" in i.value for i in at.info)
    for page in ("report", "review", "export"):
        open_page(at, page)
