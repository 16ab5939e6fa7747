"""nlp/model/dataset.py: labelled numbers matched to the claims stage's candidates, fully
labelled reports, folds of whole reports."""

from __future__ import annotations

import json

from conftest import seed_path
from nlp.claims import claim_records
from nlp.model.dataset import NOT_A_CLAIM, WEIGHTS, build_dataset, group_folds, read_annotations, read_report
from nlp.review.annotations import Annotation


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def _record(rep, number_text, kind="quantity"):
    return next(r for r in claim_records(rep.doc, rep.sections, rep.tables)
                if r["number_text"] == number_text and r["kind"] == kind)


def test_annotations_are_read_recursively_and_the_latest_of_an_item_counts(tmp_path):
    base = {"report_sha256": "abc", "num_start": 10, "num_end": 13}
    _write(tmp_path / "hand" / "a.jsonl", [
        {**base, "item_id": "H-1", "metric": "requests.new", "annotated_at": "2026-01-01T00:00:00Z"},
        {**base, "item_id": "H-2", "num_start": 20, "num_end": 22, "metric": None, "not_a_claim": True},
        {**base, "item_id": "H-3", "num_start": 30, "num_end": 32, "metric": "no.such.metric"},
    ])
    _write(tmp_path / "annotations.jsonl", [
        {**base, "item_id": "H-1", "metric": "requests.received_all", "annotated_at": "2026-02-01T00:00:00Z"},
        {"item_id": "Q-9", "metric": "other"},  # no report, no span: not a label
    ])
    got = {a.item_id: a.label for a in read_annotations(tmp_path)}
    assert got == {"H-1": "requests.received_all", "H-2": NOT_A_CLAIM}
    assert read_annotations(tmp_path / "missing") == []


def test_labels_are_matched_to_candidates_by_number_span(tmp_path):
    path = seed_path("002")
    rep = read_report(path)
    sha = rep.doc.sha256
    q = _record(rep, "110")
    date = next(r for r in claim_records(rep.doc, rep.sections, rep.tables) if r["kind"] in ("year", "date"))
    hand = {"report_sha256": sha, "origin": "hand", "annotated_at": "2026-01-01T00:00:00Z"}
    anns = [
        # the hand label overlaps the number, wider than the finder's span
        Annotation.from_dict({**hand, "item_id": "H-a", "num_start": q["num_start"], "num_end": q["num_end"] + 1,
                              "metric": "requests.received_all"}),
        Annotation.from_dict({**hand, "item_id": "H-b", "num_start": date["num_start"], "num_end": date["num_end"],
                              "not_a_claim": True}),
        # a number the finder made no candidate of (inside the title's words)
        Annotation.from_dict({**hand, "item_id": "H-c", "num_start": 1, "num_end": 2, "metric": "other"}),
        # a reviewer's later answer on the same number wins over the hand label
        Annotation.from_dict({"report_sha256": sha, "item_id": "Q-z", "num_start": q["num_start"], "num_end": q["num_end"],
                              "metric": "requests.new", "annotated_at": "2026-03-01T00:00:00Z"}),
    ]
    ds = build_dataset([path], anns)
    assert ds.reports == [sha] and sha in ds.fully_labelled and ds.names[sha].startswith("samples/")
    by_start = {it.record["num_start"]: it for it in ds.items if it.record is not None and it.source != "implicit"}
    it = by_start[q["num_start"]]
    assert (it.label, it.source, it.weight, it.classified) == ("requests.new", "annotation", WEIGHTS["annotation"], True)
    assert by_start[date["num_start"]].label == NOT_A_CLAIM and not by_start[date["num_start"]].classified
    missed = [it for it in ds.items if it.record is None]
    assert [(m.label, m.source) for m in missed] == [("other", "hand")]
    # every other claim-kind candidate of a fully labelled report is scored as not a claim
    implicit = [it for it in ds.items if it.source == "implicit"]
    assert implicit and all(it.label == NOT_A_CLAIM and it.record["kind"] in ("quantity", "zero") for it in implicit)
    assert all(e.source != "implicit" for e in ds.examples) and it in ds.examples
    # a report no annotation names is not read
    assert build_dataset([seed_path("000")], anns).reports == []


def test_a_zero_in_words_about_two_things_takes_each_label_on_its_own_candidate():
    """未收到政府信息公开行政复议、行政诉讼 (seed 000): two candidates on one span, one label each."""
    path = seed_path("000")
    rep = read_report(path)
    zero = next(r for r in claim_records(rep.doc, rep.sections, rep.tables)
                if r["kind"] == "zero" and r["objects"] == ["行政复议"])
    anns = [Annotation.from_dict({"report_sha256": rep.doc.sha256, "item_id": f"Q-{m}", "num_start": zero["num_start"],
                                  "num_end": zero["num_end"], "metric": m})
            for m in ("litigation.total", "reconsideration.total")]
    ds = build_dataset([path], anns)
    got = {it.record["objects"][0]: it.label for it in ds.items if it.record is not None}
    assert got == {"行政诉讼": "litigation.total", "行政复议": "reconsideration.total"}
    assert ds.fully_labelled == set()  # Label Studio answers only: the rest is not scored


def test_folds_hold_whole_reports_once_and_do_not_follow_names():
    ids = [f"report-{i:02d}" for i in range(23)]
    folds = group_folds(ids, 5)
    assert len(folds) == 5 and folds == group_folds(list(reversed(ids)), 5)
    tests = [r for _, te in folds for r in te]
    assert sorted(tests) == ids
    for tr, te in folds:
        assert set(tr).isdisjoint(te) and set(tr) | set(te) == set(ids)
    assert folds[0][1] != ids[0:5]  # not the first five names


def test_a_label_of_the_number_alone_beats_a_later_quote_over_two_numbers():
    """An added mention whose quote covers this number and another (行政复议7件,结果维持6件, added
    for the 6) does not take the label of the number the quote starts on."""
    path = seed_path("002")
    rep = read_report(path)
    records = [r for r in claim_records(rep.doc, rep.sections, rep.tables) if r["kind"] == "quantity"]
    q, nxt = next((a, b) for a, b in zip(records, records[1:]) if a["number_text"] == "110")
    hand = {"report_sha256": rep.doc.sha256, "origin": "hand"}
    anns = [
        Annotation.from_dict({**hand, "item_id": "H-own", "num_start": q["num_start"], "num_end": q["num_end"],
                              "metric": "requests.received_all", "annotated_at": "2026-01-01T00:00:00Z"}),
        Annotation.from_dict({**hand, "item_id": "H-quote", "num_start": q["num_start"], "num_end": nxt["num_end"],
                              "metric": "other", "annotated_at": "2026-01-02T00:00:00Z"}),
    ]
    ds = build_dataset([path], anns)
    got = {it.record["num_start"]: it.label for it in ds.items if it.record is not None and it.source != "implicit"}
    assert got[q["num_start"]] == "requests.received_all"
