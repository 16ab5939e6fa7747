"""nlp.training: annotations, distant supervision, the split, and the shipped model."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, seed_path
from nlp.classifier import load_model_file
from nlp.training import (MODELS_DIR, MODEL_FILE, build_dataset, distant_label, group_split,
                          load_annotations, load_gold_map, read_report)
from nlp.metrics import LABELS


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


def test_distant_supervision_needs_equal_figure_and_fitting_words():
    rep = read_report(seed_path("002"))
    from nlp.claims import claim_records

    recs = {r["number_text"]: r for r in claim_records(rep.doc, rep.sections, rep.tables)
            if r["kind"] == "quantity" and "申请" in r["sentence"]}
    assert distant_label(recs["9"], rep.tables) == "requests.granted"
    assert distant_label(recs["10"], rep.tables) == "requests.carried_out"
    assert distant_label(recs["110"], rep.tables) == "requests.received_all"
    off = dict(recs["9"], value=9999)
    assert distant_label(off, rep.tables) is None
    assert distant_label(recs["9"], None) is None


def test_group_split_is_by_report_and_deterministic():
    ids = [f"r{i}" for i in range(10)]
    a = group_split(ids)
    assert a == group_split(list(reversed(ids)))
    train, test = a
    assert set(train).isdisjoint(test) and set(train) | set(test) == set(ids) and test


def test_gold_map_names_known_labels():
    assert set(load_gold_map().values()) <= set(LABELS)


@pytest.mark.skipif(not (MODELS_DIR / MODEL_FILE).exists(), reason="no shipped model")
def test_shipped_model_loads_without_pickle_and_has_a_card():
    model = load_model_file(MODELS_DIR / MODEL_FILE)
    card = json.loads((MODELS_DIR / "model_card.json").read_text("utf-8"))
    assert card["version"] == model.version_
    assert set(model.classes_) <= set(LABELS)
    for key in ("held_out", "gold", "data", "code_revision", "date"):
        assert key in card
    assert card["gold"]["model"]["micro"]["f1"] >= card["gold"]["rules"]["micro"]["f1"]
    assert (MODELS_DIR / "MODEL_CARD.md").exists()


@pytest.mark.skipif(not (MODELS_DIR / MODEL_FILE).exists(), reason="no shipped model")
def test_card_gold_figures_reproduce(gold_dir):
    from nlp.training import evaluate_gold

    card = json.loads((MODELS_DIR / "model_card.json").read_text("utf-8"))
    res = evaluate_gold(load_model_file(MODELS_DIR / MODEL_FILE), ROOT / "data" / "gold")
    assert res["micro"] == card["gold"]["model"]["micro"]
    assert res["per_label"] == card["gold"]["model"]["per_label"]


def test_train_guard_and_determinism(tmp_path):
    from nlp.training import SAMPLES_DIR, train_model

    a = train_model(tmp_path, None, corpus_dirs=[SAMPLES_DIR], gold_dir=None)
    assert a["replaced"] and a["held_out"]["current_model"] is None
    first = (tmp_path / MODEL_FILE).read_bytes()
    b = train_model(tmp_path, None, corpus_dirs=[SAMPLES_DIR], gold_dir=None)
    # the same data gives the same model and the same figures; not worse, so it replaces
    assert b["version"] == a["version"] and b["held_out"]["model"] == a["held_out"]["model"]
    assert b["held_out"]["current_model"] == b["held_out"]["model"] and b["replaced"]
    assert load_model_file(tmp_path / MODEL_FILE).version_ == a["version"]
    assert len(first) > 0
    card = json.loads((tmp_path / "model_card.json").read_text("utf-8"))
    assert card["data"]["annotations_used"] == 0 and "rules" in card["held_out"]


@pytest.mark.skipif(not (MODELS_DIR / MODEL_FILE).exists(), reason="no shipped model")
def test_train_then_eval_from_scratch_reproduce_the_shipped_card(tmp_path):
    """`xxgk model train` into an empty folder gives the shipped model's version and figures."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "nlp", "model", "train", "--out", str(tmp_path), "--force"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    new = json.loads((tmp_path / "model_card.json").read_text("utf-8"))
    shipped = json.loads((MODELS_DIR / "model_card.json").read_text("utf-8"))
    assert new["version"] == shipped["version"]
    assert new["held_out"]["model"] == shipped["held_out"]["model"]
    assert new["gold"]["model"]["micro"] == shipped["gold"]["model"]["micro"]
    assert new["gold"]["rules"]["micro"] == shipped["gold"]["rules"]["micro"]
    proc = subprocess.run([sys.executable, "-m", "nlp", "model", "eval", "--model", str(tmp_path / MODEL_FILE), "--gold", str(ROOT / "data" / "gold")],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert f"{shipped['gold']['model']['micro']['f1']:.3f}" in proc.stdout
