"""Corrections of misread figures (nlp/corrections.py, Store.record_correction,
nlp.pipeline.correct / rereconcile): applied before reconciling, kept with who, when, why and
the original reading, kept by a re-check of the file, carried by the exports, the JSON and
the training data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import seed_path
from nlp import export
from nlp.corrections import apply_corrections
from nlp.errors import XxgkError
from nlp.pipeline import Checker, check_batch, correct, rereconcile
from nlp.schema import Correction
from nlp.store import Store
from nlp.review import annotations as review_annotations
from nlp.model.dataset import load_annotations
from result_factory import make_result


def _correction(**kw) -> Correction:
    base = dict(kind="cell", value=8, reason="原件为8", reviewer="王审", created_at="2026-01-01T00:00:00+00:00")
    return Correction(**{**base, **kw})


def test_apply_corrections_replaces_only_the_named_cell_and_claim():
    result = make_result()
    claim = result.claims[3]
    tables, claims = apply_corrections(result.tables, result.claims, [
        _correction(table="review", row="litigation_after", col="total", original_value=9, original_raw="9"),
        _correction(kind="claim", claim_id=claim.id, value=13, metric="litigation.total"),
    ])
    cell = tables.review.cells[("litigation_after", "total")]
    assert cell.value == 8 and cell.raw == "9" and "原读数 9" in cell.note and "王审" in cell.note
    assert tables.review.cells[("reconsideration", "total")] is result.tables.review.cells[("reconsideration", "total")]
    assert claims[3].value == 13 and claims[3].number_text == claim.number_text
    assert claims[:3] == result.claims[:3]
    assert result.tables.review.cells[("litigation_after", "total")].value == 9  # pure: the input is untouched


def test_a_correction_needs_a_target_a_reason_and_a_reviewer():
    store = Store(":memory:")
    sha = store.save(make_result())
    for kw, words in ((dict(cell=("review", "litigation_after", "total"), value=8, reason="", reviewer="王"), "why"),
                      (dict(cell=("review", "litigation_after", "total"), value=8, reason="原件", reviewer=""), "who"),
                      (dict(cell=("review", "nowhere", "total"), value=8, reason="原件", reviewer="王"), "no cell"),
                      (dict(claim_id="C-nope", value=8, reason="原件", reviewer="王"), "no claim"),
                      (dict(cell=("review", "litigation_after", "total"), value="八", reason="原件", reviewer="王"), "not a number")):
        with pytest.raises(XxgkError, match=words) as err:
            store.record_correction(sha, **kw)
        assert err.value.code == "E034"
    assert store.corrections(history=True) == []


def test_rereconciling_without_corrections_gives_the_stored_result(tmp_path):
    store = Store(tmp_path / "x.sqlite")
    outcome = next(check_batch([seed_path("002")], Checker(), store))
    sha = outcome.result.document.sha256
    before = store.get_result(sha)
    assert rereconcile(store, sha).to_json() == before
    assert store.get_result(sha) == before


def test_a_report_stored_without_its_document_cannot_be_reconciled_again(tmp_path):
    store = Store(tmp_path / "x.sqlite")
    sha = store.save(make_result())
    store._conn.execute("UPDATE reports SET document_json = NULL")  # as a store written before corrections
    with pytest.raises(XxgkError, match="xxgk check") as err:
        rereconcile(store, sha)
    assert err.value.code == "E035"


@pytest.fixture
def misread(tmp_path) -> Path:
    """Seed 002 as a reader got it wrong: table C's 行政复议 总计 12 came out as 13 (what an OCR
    or a PDF extraction does to a digit), so the narrative's 12 disagrees with it and the row
    does not add up."""
    text = seed_path("002").read_text("utf-8")
    row = "10 | 0 | 1 | 1 | 12 |"
    assert text.count(row) == 1
    path = tmp_path / "万柏林区2024.txt"
    path.write_text(text.replace(row, "10 | 0 | 1 | 1 | 13 |"), "utf-8")
    return path


def _claim(store: Store, sha: str, words: str) -> dict:
    return next(c for c in store.claims(sha) if words in c["text"])


def _kinds(store: Store, sha: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in store.findings(sha):
        out[f["kind"]] = out.get(f["kind"], 0) + 1
    return out


def test_correct_a_misread_cell_recheck_and_find_it_kept_everywhere(misread: Path, tmp_path):
    store = Store(tmp_path / "review.sqlite")
    checker = Checker()
    [outcome] = list(check_batch([misread], checker, store))
    sha = outcome.result.document.sha256
    assert _claim(store, sha, "申请行政复议12件")["status"] == "mismatch"
    assert _kinds(store, sha).get("table_arithmetic") == 1
    annotations = tmp_path / "annotations"

    # the reviewer corrects the cell: the report is reconciled again with it
    result = correct(store, sha, cell=("review", "reconsideration", "total"), value=12,
                     reason="核对原件: 行政复议总计为12(扫描件误识别为13)", reviewer="王审", annotations=annotations)
    assert result.tables.review.value("reconsideration", "total") == 12
    claim = _claim(store, sha, "申请行政复议12件")
    assert (claim["status"], claim["table_value"]) == ("match", 12)
    assert "table_arithmetic" not in _kinds(store, sha)
    [row] = store.corrections(sha)
    assert (row["original_value"], row["original_raw"], row["value"], row["reviewer"]) == (13, "13", 12, "王审")
    assert row["created_at"] and "扫描件" in row["reason"]
    [cell] = [c for c in store.cells(sha) if (c["tbl"], c["row_key"], c["col_key"]) == ("review", "reconsideration", "total")]
    assert (cell["value"], cell["raw"], cell["original_value"], cell["corrected_by"]) == (12, "13", 13, "王审")

    # a claim the reader misread is corrected too; it becomes an annotation record for training
    lit = _claim(store, sha, "申请行政诉讼8件")
    assert lit["status"] == "ambiguous"
    correct(store, sha, claim_id=lit["id"], value=12, reason="原件为“申请行政诉讼12件”", reviewer="王审",
            annotations=annotations)
    assert _claim(store, sha, "申请行政诉讼8件")["status"] == "match"

    # the file is checked again (a new model, a new reader…): the corrections are kept and applied
    decided = store.record_decision(lit["id"], "claim", sha, "false_alarm", "读数已更正", "王审")
    [skipped] = list(check_batch([misread], checker, store))  # stored by this pipeline version, corrected
    assert skipped.skipped and len(skipped.stored["corrections"]) == 2
    [again] = list(check_batch([misread], checker, store, force=True))
    assert again.result.tables.review.value("reconsideration", "total") == 12
    assert _claim(store, sha, "申请行政复议12件")["status"] == "match"
    assert _claim(store, sha, "申请行政诉讼8件")["value"] == 12
    assert "table_arithmetic" not in _kinds(store, sha)
    assert len(store.corrections(sha)) == 2 and store.decisions()[-1]["id"] == decided

    # the JSON, the exports and the 问题清单 carry them
    data = store.get_result(sha)
    corrections = {c["table"] or c["claim_id"]: c for c in data["corrections"]}
    assert corrections["review"]["original_value"] == 13 and corrections["review"]["value"] == 12
    assert corrections[lit["id"]]["original_value"] == 8 and corrections[lit["id"]]["reviewer"] == "王审"
    rows = list(csv.DictReader(io.StringIO(export.corrections_csv(store).decode("utf-8-sig"))))
    assert {(r["单元格或声明"], r["原读数"], r["更正为"]) for r in rows} >= {("表C 行政复议 · 总计", "13", "12")}
    claims = {r["声明编号"]: r for r in csv.DictReader(io.StringIO(export.claims_csv(store, sha).decode("utf-8-sig")))}
    assert (claims[lit["id"]]["已更正"], claims[lit["id"]]["原读数"], claims[lit["id"]]["报告数值"]) == ("是", "8", "12")
    json_export = json.loads(export.report_json(store, sha))
    assert len(json_export["corrections"]) == 2

    # the training data: one annotation record, in the format training reads
    [record] = review_annotations.read(annotations / "corrections.jsonl")
    assert (record.get("claim_id"), record.value, record.annotator, record.get("origin")) == (lit["id"], 12, "王审", "correction")
    assert record.comment == "原件为“申请行政诉讼12件”" and record.get("predicted_value") == 8
    [loaded] = load_annotations(annotations)
    assert (loaded["value"], loaded["metric"], loaded["annotator"], loaded["report_sha256"]) == (12, "litigation.total", "王审", sha)
    assert loaded["span"] == [lit["start"] + lit["text"].index("8"), lit["start"] + lit["text"].index("8") + 1]

    # taken back: the reading as read applies again
    correct(store, sha, cell=("review", "reconsideration", "total"), withdraw=True, reason="", reviewer="王审")
    assert _claim(store, sha, "申请行政复议12件")["status"] == "mismatch"
    assert len(store.corrections(sha)) == 1 and len(store.corrections(sha, history=True)) == 3


def test_rereconciling_in_a_fresh_process_gives_the_stored_result(tmp_path):
    """No model and no claims stage run in the process that reconciles again (the app's, the
    API's): every check must still read the text as the check did (jieba's words, …)."""
    import subprocess
    import sys

    from conftest import ROOT, corpus_path

    db = tmp_path / "x.sqlite"
    [outcome] = list(check_batch([corpus_path("021")], Checker(), Store(db)))
    sha = outcome.result.document.sha256
    code = ("import json, sys; from nlp.store import Store; from nlp.pipeline import rereconcile; "
            f"s = Store({str(db)!r}); before = s.get_result({sha!r}); "
            f"sys.exit(0 if rereconcile(s, {sha!r}).to_json() == before else 1)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
