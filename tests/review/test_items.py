"""Queue items (nlp/review/items.py): the claims of a check result that need a person, and the
task and prediction each one becomes."""

from __future__ import annotations

import json

import pytest

from nlp.errors import XxgkError
from nlp.review.items import (QueueItem, items_from_jsonl, items_from_result, items_from_store, prediction, priority,
                              queue_score, task_payload)
from nlp.review.label_config import LabelConfig
from builders import queue_result


def items(n: int, **kw) -> list[QueueItem]:
    return items_from_result(queue_result(n, **kw))


def test_items_from_result_takes_claims_to_review():
    r = queue_result(4, needs_review=False)
    r["claims"][0]["needs_review"] = True
    r["claims"][1]["status"] = "ambiguous"
    got = items_from_result(r)
    assert [it.claim_id for it in got] == [r["claims"][0]["id"], r["claims"][1]["id"]]
    it = got[0]
    assert (it.report_sha256, it.source, it.number_text, it.value) == (r["sha256"], r["source"], "100", 100)
    assert it.item_id == items_from_result(r)[0].item_id  # stable across runs
    assert it.model_version == "test-1"


def test_threshold_replaces_needs_review_by_review_score():
    r = queue_result(5, needs_review=False)  # review scores 0.3 0.4 0.5 0.6 0.7
    assert len(items_from_result(r, threshold=0.55)) == 3
    assert items_from_result(r, threshold=0.0) == []


def test_item_ids_differ_between_reports():
    a = {it.item_id for it in items(3, sha="a" * 64)}
    b = {it.item_id for it in items(3, sha="b" * 64)}
    assert len(a) == len(b) == 3 and not a & b


def test_items_from_jsonl(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text("\n".join(json.dumps(queue_result(k, sha=c * 64)) for k, c in ((2, "a"), (3, "b"))) + "\n", encoding="utf-8")
    assert len(items_from_jsonl(path)) == 5


def test_items_from_the_store(tmp_path):
    from result_factory import make_result as make_report

    from nlp.store import Store

    db = tmp_path / "x.sqlite"
    report = make_report("report-q")
    Store(db).save(report)
    got = items_from_store(db)
    want = [c for c in report.claims if c.needs_review or c.status == "ambiguous"]
    assert want and sorted(it.claim_id for it in got) == sorted(c.id for c in want)
    assert {it.report_sha256 for it in got} == {report.document.sha256}
    with pytest.raises(XxgkError, match="E030"):
        items_from_store(tmp_path / "missing.sqlite")


def test_task_payload_highlights_the_number_and_carries_the_prediction():
    cfg = LabelConfig.load()
    r = queue_result(1)
    r["claims"][0]["sentence"] = "收到<申请>100件，其中100件已办结。"
    r["claims"][0]["text"] = "其中100件已办结"
    (it,) = items_from_result(r)
    task = task_payload(it, cfg)
    html = task["data"]["sentence_html"]
    assert "&lt;申请&gt;100件，其中<mark" in html  # escaped, and the number of the claim's clause
    (pred,) = task["predictions"]
    assert pred["model_version"] == "test-1" and pred["score"] == queue_score(it.review_score, it.metric)
    assert {r["from_name"]: r["value"] for r in pred["result"]} == {
        "metric": {"choices": ["requests.new"]},
        "value": {"number": 100},
    }


def test_unknown_metric_is_predicted_as_other():
    cfg = LabelConfig.load()
    (it,) = items(1, metric="no.such.metric")
    assert prediction(it, cfg)["result"][0]["value"] == {"choices": ["other"]}


def test_the_queue_order_follows_the_priority_of_a_label():
    # more doubt first; a metric a table figure depends on before an unlinked one of equal doubt
    assert priority(0.9, "other") < priority(0.6, "other") < priority(0.6, "requests.new")
    assert priority(1.0, "requests.new") == 0.0 and priority(0.0, "requests.new") == 2.0
    scores = [queue_score(c, m) for c, m in ((0.9, "other"), (0.6, "other"), (0.6, "requests.new"))]
    assert scores == sorted(scores, reverse=True) and all(0.0 <= s <= 1.0 for s in scores)
