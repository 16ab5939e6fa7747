"""nlp/model/evaluate.py: how the stage is scored on labelled items (F1 over the metrics,
calibration, confidently wrong, the review table), the cross-validation grouped by report, and
the gold narrative claims (the card's figures reproduce). The gold table cells are tested in
tests/test_gold.py."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, seed_path
from nlp.config import PATHS
from nlp.metrics import LABELS
from nlp.model.dataset import NOT_A_CLAIM, build_dataset, read_annotations, report_paths
from nlp.model.evaluate import calibration, cross_validate, evaluate_gold, load_gold_map, prf, score_stage
from nlp.model.persist import load_model_file

MODEL_FILE = PATHS.model_file


def test_gold_map_names_known_labels():
    assert set(load_gold_map().values()) <= set(LABELS)


@pytest.mark.skipif(not MODEL_FILE.exists(), reason="no shipped model")
def test_card_gold_figures_reproduce(gold_dir):
    card = json.loads((PATHS.models / "model_card.json").read_text("utf-8"))
    res = evaluate_gold(load_model_file(MODEL_FILE), ROOT / "data" / "gold")
    assert res["micro"] == card["gold"]["model"]["micro"]
    assert res["per_label"] == card["gold"]["model"]["per_label"]


def test_prf_counts_a_missed_claim_against_recall():
    res = prf(["a", "a", "b", "b"], ["a", "<missed>", "b", "a"])
    assert "<missed>" not in res["per_label"] and res["n"] == 4
    assert res["per_label"]["a"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert res["micro"]["recall"] == 0.5 and res["micro"]["precision"] == round(2 / 3, 4)


def test_the_stage_is_scored_over_the_metrics():
    golds = ["a", "a", "b", NOT_A_CLAIM, NOT_A_CLAIM, "b"]
    decisions = [("a", 0.95), ("b", 0.9), (NOT_A_CLAIM, 0.6), ("a", 0.85), (NOT_A_CLAIM, None), (NOT_A_CLAIM, None)]
    res = score_stage(golds, decisions, [True, True, True, True, False, False])
    # a: 1 right of 2 decided, 1 of 2 gold; b: none right; not_a_claim is no label of its own
    assert set(res["per_label"]) == {"a", "b"}
    assert res["per_label"]["a"]["precision"] == 0.5 and res["per_label"]["b"]["recall"] == 0.0
    assert res["micro"]["precision"] == round(1 / 3, 4) and res["micro"]["recall"] == 0.25
    assert res["macro_f1"] == round((0.5 + 0.0) / 2, 4) and (res["claims"], res["found"]) == (4, 2)
    # confident and wrong: 'b' decided 0.9, 'a' for a not-claim 0.85; the missed 'b' has no confidence
    assert res["confidently_wrong"] == {"n": 2, "of": 4, "share": 0.5}
    assert res["calibration"]["n"] == 4
    # review scores (0.8 × confidence) of the three claims decided: 0.76, 0.72, 0.68
    rows = {r["threshold"]: r for r in res["review"]}
    assert rows[0.7]["reviewed"] == round(1 / 3, 4) and rows[0.7]["wrong_skipping_review"] == 0.5


def test_calibration_bins_and_ece():
    res = calibration([0.95, 0.95, 0.55, 0.55], [True, False, True, True])
    assert [(b["n"], b["accuracy"]) for b in res["bins"]] == [(2, 1.0), (2, 0.5)]
    assert res["ece"] == round((2 * 0.45 + 2 * 0.45) / 4, 4)


@pytest.mark.slow
def test_cross_validation_never_scores_a_report_it_trained_on():
    anns = [a for a in read_annotations(PATHS.annotations) if str(a.source).startswith(("samples/", "data/corpus/"))]
    ds = build_dataset(report_paths(PATHS.samples, PATHS.corpus), anns)
    assert len(ds.fully_labelled) == 7 and seed_path("000").name in " ".join(ds.names.values())
    params = {"Cs": [1.0], "cv": 2, "calibration": "temperature", "labels": list(LABELS), "rule_backoff": 0.8}
    cv = cross_validate(ds, params, k=3)
    assert (cv["folds"], cv["reports"]) == (3, 7) and cv["items"] == sum(1 for it in ds.items)
    for key in ("model", "labelling_functions", "rules"):
        assert cv[key]["claims"] == sum(it.label != NOT_A_CLAIM for it in ds.items)
    assert cv["learning_curve"][-1]["reports"] > 0 and len(cv["chosen"]) == 3


def test_a_confidence_a_unit_in_the_last_place_off_a_bin_edge_is_scored_as_the_edge():
    """2/5 computed two ways (0.4 and 0.39999999999999997) and 0.8 give or take an ulp: the
    same bins, the same confidently wrong count, whatever the machine's arithmetic gave."""
    golds = ["a", "a", "a", "a"]
    below = [("a", 0.39999999999999997), ("b", 0.7999999999999999), ("a", 0.5), ("a", 0.5)]
    exact = [("a", 0.4), ("b", 0.8), ("a", 0.5), ("a", 0.5)]
    a, b = score_stage(golds, below, [True] * 4), score_stage(golds, exact, [True] * 4)
    assert a["calibration"] == b["calibration"] and a["review"] == b["review"]
    assert a["confidently_wrong"] == b["confidently_wrong"] == {"n": 1, "of": 4, "share": 0.25}
