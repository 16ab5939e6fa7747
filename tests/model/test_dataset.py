"""nlp/model/dataset.py: reports read through the stages, annotations outranking weak labels,
the split by report."""

from __future__ import annotations

import json

from conftest import seed_path
from nlp.metrics import LABELS
from nlp.model.dataset import build_dataset, group_split, load_annotations, read_report


def test_load_annotations_format(tmp_path):
    rows = [
        {"item_id": "C-1", "report_sha256": "abc", "text": "受理申请共110件", "sentence": "…",
         "number_text": "110", "start": 10, "end": 13, "metric": "requests.received_all", "value": 110,
         "not_a_claim": False, "annotator": "a", "annotated_at": "2026-11-23T10:00:00Z"},
        {"item_id": "C-1", "report_sha256": "abc", "start": 10, "end": 13, "metric": "requests.new",
         "not_a_claim": False, "annotator": "b", "annotated_at": "2026-11-23T11:00:00Z"},
        {"item_id": "C-2", "report_sha256": "abc", "start": 20, "end": 22, "metric": None,
         "not_a_claim": True, "annotated_at": "2026-11-23T11:00:00Z"},
        {"item_id": "C-3", "report_sha256": "abc", "start": 30, "end": 32, "metric": "no.such.metric"},
        {"item_id": "C-4", "report_sha256": "abc", "start": 40, "end": 60, "num_start": 50, "num_end": 53,
         "metric": "requests.closed", "not_a_claim": False, "annotated_at": "2026-11-23T12:00:00Z"},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n", "utf-8")
    anns = load_annotations(tmp_path)
    assert [(a["span"], a["metric"]) for a in anns] == [
        ([10, 13], "requests.new"), ([20, 22], "not_a_claim"), ([50, 53], "requests.closed")]
    assert load_annotations(tmp_path / "missing") == []


def test_annotations_outrank_weak_labels(tmp_path):
    path = seed_path("002")
    rep = read_report(path)
    base = build_dataset([path])
    ex = next(e for e in base.examples if e.record["number_text"] == "110")
    assert ex.label in LABELS and ex.source in ("distant", "rules")
    # as `xxgk queue pull` writes it: start/end the claim's clause, num_start/num_end the number
    ann = [{"report_sha256": rep.doc.sha256, "start": ex.record["clause_start"], "end": ex.record["clause_end"],
            "num_start": ex.record["num_start"], "num_end": ex.record["num_end"],
            "metric": "requests.new", "not_a_claim": False}]
    ds = build_dataset([path], load_annotations_from(tmp_path, ann))
    ex2 = next(e for e in ds.examples if e.record["number_text"] == "110")
    assert (ex2.label, ex2.source) == ("requests.new", "annotation")
    assert ds.n_annotations == 1


def load_annotations_from(tmp_path, rows):
    (tmp_path / "annotations.jsonl").write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    return load_annotations(tmp_path)


def test_group_split_is_by_report_and_deterministic():
    ids = [f"r{i}" for i in range(10)]
    a = group_split(ids)
    assert a == group_split(list(reversed(ids)))
    train, test = a
    assert set(train).isdisjoint(test) and set(train) | set(test) == set(ids) and test
