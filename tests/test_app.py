"""The reviewer app, run headless with Streamlit's AppTest on the seeds checked by the real
pipeline: the overview and the report view render, a decision saved in the report view
survives re-checking the same file, the export carries it, orphans are shown, uploads work."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import SAMPLES, seed_path
from nlp import export
from nlp.pipeline import check
from nlp.store import Store
from result_factory import make_result

APP = Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py"
TIMEOUT = 120


@pytest.fixture(scope="session")
def seed_results():
    """The seeds checked once by the real pipeline."""
    return [check(p) for p in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture
def db(tmp_path: Path, seed_results, monkeypatch) -> Path:
    path = tmp_path / "app.sqlite"
    store = Store(path)
    for result in seed_results:
        store.save(result)
    store.close()
    monkeypatch.setenv("XXGK_DB", str(path))
    return path


def _sha(db: Path, prefix: str) -> str:
    return next(r["sha256"] for r in Store(db).overview() if Path(r["source"]).name.startswith(prefix))


def _app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def _open(at: AppTest, page: str, **params: str) -> AppTest:
    at.switch_page(f"views/{page}.py")
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_lists_the_seeds_with_counts(db: Path):
    at = _app()
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
    sha = _sha(db, "002")
    at = _open(_app(), "report", sha=sha[:12])  # a prefix of the sha256 is enough
    assert at.selectbox[0].value == sha
    flagged = [m.value for m in at.markdown if "行政诉讼" in m.value and "「" in m.value]
    assert flagged and ("需复核" in flagged[0] or "不一致" in flagged[0])
    assert "**8**" in flagged[0] and "**12**" in flagged[0]  # both figures beside the claim
    narrative = next(h.value for h in at.html if "xxgk-narrative" in h.value)
    assert "申请行政诉讼8件" in narrative and "行政诉讼数" in narrative
    tables = [t.value for t in at.table]
    assert len(tables) == 3
    review = tables[2]
    assert list(review.columns) == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert review.loc["复议后起诉", "总计"].startswith("8") and "⚠" in review.loc["复议后起诉", "总计"]
    requests = tables[1]
    assert "00" in requests.loc["不予公开: 属于四类过程性信息", "其他"]  # the damaged cell, marked


def test_report_view_of_a_report_without_tables(db: Path):
    at = _open(_app(), "report", sha=_sha(db, "003"))
    assert not at.table
    assert any("没有可读取的标准表格" in w.value for w in at.warning)


def _decide_litigation(at: AppTest, claim_id: str, decision: str, comment: str) -> AppTest:
    key = f"decide-flagged-claim-{claim_id}"
    at.radio(key=f"{key}-decision").set_value(decision)
    at.text_input(key=f"{key}-comment").set_value(comment)
    at.button(key=f"{key}-save").click().run()
    assert not at.exception, at.exception
    return at


def test_decision_survives_recheck_and_is_exported(db: Path):
    sha = _sha(db, "002")
    store = Store(db)
    claim = next(c for c in store.claims(sha) if "行政诉讼" in c["text"])
    at = _open(_app(), "report", sha=sha)

    # no reviewer name yet: nothing is saved
    _decide_litigation(at, claim["id"], "confirmed_defect", "诉讼共12件")
    assert store.decisions() == []
    assert any("复核人" in w.value for w in at.warning)

    at.sidebar.text_input(key="reviewer_input").set_value("王审核").run()
    _decide_litigation(at, claim["id"], "confirmed_defect", "诉讼共12件")
    [saved] = store.decisions()
    assert (saved["item_id"], saved["decision"], saved["reviewer"], saved["comment"]) == (
        claim["id"], "confirmed_defect", "王审核", "诉讼共12件")
    assert saved["created_at"]

    store.save(check(seed_path("002")))  # re-check the same file: computed rows replaced
    at = _open(_app(), "report", sha=sha)
    captions = [c.value for c in at.caption]
    assert any("确认问题" in c and "王审核" in c and "诉讼共12件" in c for c in captions)
    assert store.orphaned_decisions() == []

    rows = list(csv.DictReader(io.StringIO(export.claims_csv(store).decode("utf-8-sig"))))
    row = next(r for r in rows if r["声明编号"] == claim["id"])
    assert (row["复核结论"], row["复核人"], row["复核意见"], row["指标"]) == ("确认问题", "王审核", "诉讼共12件", "行政诉讼数")
    at = _open(at, "export")
    assert len(at.get("download_button")) == 3
    preview = at.dataframe[1].value
    assert "确认问题" in set(preview["复核结论"])


def test_review_page_lists_open_items_and_orphans(db: Path):
    sha = _sha(db, "002")
    store = Store(db)
    store.record_decision("F-gone", "finding", sha, "needs_follow_up", "旧版本的问题", "李")
    at = _open(_app(), "review")
    assert any("已不存在" in w.value for w in at.warning)
    assert "F-gone" in set(at.dataframe[0].value["编号"])
    assert any("行政诉讼" in e.label for e in at.expander)


def test_upload_checks_and_stores_a_file_and_reports_bad_files(db: Path):
    at = _open(_app(), "upload")
    seed = seed_path("002")
    good = "新上传报告.txt"
    at.file_uploader[0].set_value([(good, seed.read_bytes(), "text/plain"),
                                   ("空文件.txt", b"", "text/plain")]).run()
    assert not at.exception, at.exception
    assert any(good in s.value for s in at.success)
    assert len(at.error) == 1 and "空文件.txt" in at.error[0].value and "Traceback" not in at.error[0].value
    assert good in {r["source"] for r in Store(db).overview()}


@pytest.fixture
def made_db(tmp_path: Path, monkeypatch) -> Path:
    """A store of hand-made results (no pipeline): two reports, one with a table-C row-sum
    error and a mismatched 行政诉讼 claim."""
    path = tmp_path / "made.sqlite"
    store = Store(path)
    store.save(make_result("a", agency="甲区人民政府", year=2023))
    store.save(make_result("b", agency="乙县人民政府", year=2024, litigation_status="mismatch"))
    store.close()
    monkeypatch.setenv("XXGK_DB", str(path))
    return path


def test_report_view_marks_the_cells_a_finding_names(made_db: Path):
    sha = Store(made_db).overview(agency="乙县人民政府")[0]["sha256"]
    at = _open(_app(), "report", sha=sha)
    [review] = [t.value for t in at.table]
    assert all("⚠" in v for v in review.loc["复议后起诉"])  # the whole failing row
    assert "⚠" not in review.loc["行政复议", "总计"]
    assert any("不一致" in m.value and "申请行政诉讼8件" in m.value for m in at.markdown)
    narrative = next(h.value for h in at.html if "xxgk-narrative" in h.value)
    assert "同意公開9件" in narrative  # highlighted on the display text, via the offsets
    assert any("表C 复议后起诉" in e.label for e in at.expander)


def test_overview_filters_on_hand_made_results(made_db: Path):
    at = _app()
    assert len(at.dataframe[0].value) == 2
    at.sidebar.multiselect[2].set_value(["mismatch"]).run()
    assert list(at.dataframe[0].value["机关"]) == ["乙县人民政府"]
    at.sidebar.radio[0].set_value("已复核完").run()
    assert any("没有符合条件的报告" in i.value for i in at.info)


def test_unknown_sha_falls_back_with_a_warning(made_db: Path):
    at = _open(_app(), "report", sha="ffff0000")
    assert any("找不到报告" in w.value for w in at.warning)
    assert at.selectbox[0].value in {r["sha256"] for r in Store(made_db).overview()}


def test_empty_store_says_how_to_fill_it(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XXGK_DB", str(tmp_path / "empty.sqlite"))
    at = _app()
    assert any("xxgk check" in i.value for i in at.info)
    for page in ("report", "review", "export"):
        _open(at, page)
