"""The one annotation contract (nlp/review/annotations.py): the record, reading and appending,
and the one rule for the latest annotation of an item."""

from __future__ import annotations

import json

from conftest import ROOT
from nlp.review import annotations
from nlp.review.annotations import Annotation


def _rec(item, at, metric, annotator="a", **kw):
    return Annotation.from_dict({"item_id": item, "report_sha256": "s", "num_start": 1, "num_end": 3,
                                 "metric": metric, "annotator": annotator, "annotated_at": at, **kw})


def test_a_record_read_and_written_again_is_the_same_line(tmp_path):
    line = {"annotation_id": 7, "task_id": 3, "item_id": "Q-1", "report_sha256": "s", "source": "r.txt",
            "text": "收到申请3件", "sentence": "收到申请3件。", "number_text": "3", "start": 0, "end": 6,
            "num_start": 4, "num_end": 5, "metric": "requests.new", "value": 3, "not_a_claim": False,
            "comment": "", "annotator": "x@y", "annotated_at": "2026-01-01T00:00:00+00:00",
            "updated_at": "2026-01-01T00:00:00+00:00", "predicted_metric": "other"}
    a = Annotation.from_dict(line)
    assert a.to_dict() == line and a.get("predicted_metric") == "other" and a.get("metric") == "requests.new"
    assert a.version == (7, "2026-01-01T00:00:00+00:00") and a.span == (4, 5) and a.label == "requests.new"
    path = tmp_path / "sub" / "a.jsonl"
    assert annotations.append(path, [a, a]) == 2
    assert annotations.append(path, []) == 0
    assert path.read_text("utf-8").splitlines()[0] == json.dumps(line, ensure_ascii=False, sort_keys=True)
    assert annotations.read(path) == [a, a] and annotations.read(tmp_path / "sub") == [a, a]
    assert annotations.read(tmp_path) == [] and annotations.read(tmp_path, recursive=True) == [a, a]
    assert annotations.read(tmp_path / "missing") == []


def test_lines_that_are_not_records_are_skipped(tmp_path):
    (tmp_path / "x.jsonl").write_text('\n[1, 2]\nnot json\n{"item_id": "H-1", "not_a_claim": 1}\n', "utf-8")
    (a,) = annotations.read(tmp_path)
    assert a.not_a_claim is True and a.label == "not_a_claim" and a.span is None


def test_the_span_is_the_numbers_else_the_claims():
    assert Annotation(start=10, end=20, num_start=15, num_end=17).span == (15, 17)
    assert Annotation(start=10, end=12).span == (10, 12)
    assert Annotation(report_sha256="s", start=10, end=12).item == ("s", (10, 12))


def test_a_newer_version_of_an_annotation_replaces_the_older():
    v1 = _rec("Q-1", "2026-01-01T00:00:00Z", "requests.new", annotation_id=1)
    v2 = _rec("Q-1", "2026-01-02T00:00:00Z", "requests.closed", annotation_id=1)
    other = _rec("Q-2", "2026-01-01T00:00:00Z", "other", annotation_id=2)
    assert annotations.latest([v2, other, v1]) == [v2, other]


def test_when_two_annotators_label_one_item_the_latest_label_wins():
    first = _rec("H-1", "2026-01-01T10:00:00Z", "proactive.part", annotator="labeller-a")
    second = _rec("H-1", "2026-01-01T11:00:00Z", "key_areas", annotator="labeller-b")
    adjudicated = _rec("H-1", "2026-01-01T12:00:00Z", "proactive.part", annotator="adjudicator")
    assert annotations.latest([first, second]) == [second]
    assert annotations.latest([adjudicated, first, second]) == [adjudicated]
    # equal times: the one read last wins
    tie = _rec("H-1", "2026-01-01T11:00:00Z", "other", annotator="labeller-c")
    assert annotations.latest([second, tie]) == [tie]


def test_the_same_rule_across_items_with_a_key():
    hand = _rec("H-1", "2026-01-01T00:00:00Z", "requests.new")
    pulled = _rec("Q-9", "2026-02-01T00:00:00Z", "requests.received_all")
    assert len(annotations.latest([hand, pulled])) == 2
    by_number = annotations.latest([hand, pulled], key=lambda a: (a.report_sha256, a.span))
    assert by_number == [pulled]


def test_the_hand_labelled_set_reads_through_the_contract():
    """Every line of annotations/hand/ is a record with an item, a report, a span and a label;
    the adjudicator's records are each item's current label."""
    recs = annotations.read(ROOT / "annotations" / "hand")
    assert len(recs) > 4000
    assert all(a.item_id and a.report_sha256 and a.span and a.label and a.annotator and a.time for a in recs)
    current = {a.item: a for a in annotations.latest(recs)}
    adjudicated = [a for a in recs if a.annotator == "adjudicator"]
    assert adjudicated and all(current[a.item] is a for a in adjudicated)
