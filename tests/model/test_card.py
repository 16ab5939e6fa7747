"""nlp/model/card.py: the card as JSON and markdown with the figures it is given, and the
reliability diagram."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from nlp.model.card import CARD_JSON, CARD_MD, RELIABILITY_SVG, write_card
from nlp.model.evaluate import score_stage


def _card():
    golds = ["a", "b", "a", "not_a_claim"]
    decisions = [("a", 0.9), ("a", 0.7), ("a", 0.95), ("not_a_claim", 0.8)]
    res = score_stage(golds, decisions, [True] * 4)
    return {
        "name": "test card", "version": "claims-0", "date": "2026-01-01", "code_revision": "abc",
        "estimator": "E", "params": {"Cs": [1.0], "labels": ["a"]}, "features": {"window": 12},
        "chosen": {"C": 1.0, "calibration": "isotonic", "temperature": 1.0, "inner_cv": {"1.0": 1.5},
                   "rules_stand_for": ["b"]}, "labels": ["a", "b"],
        "data": {"reports": 2, "fully_labelled_reports": 2, "annotations_read": 4, "annotations_used": 4,
                 "items": 4, "examples": 4, "by_source": {"hand": 4}, "missed_by_the_finder": 0,
                 "gold_reports_trained_on": []},
        "cv": {"folds": 2, "reports": 2, "items": 4, "model": res, "labelling_functions": res, "rules": res,
               "chosen": [1.0, 1.0],
               "learning_curve": [{"reports": 1, "micro_f1": 0.5, "macro_f1": 0.4}]},
        "gold": None,
    }


def test_the_card_is_written_as_json_markdown_and_a_diagram(tmp_path):
    card = _card()
    (tmp_path / "alternatives.json").write_text(json.dumps(
        {"note": "tried", "models": [{"name": "spaCy textcat", "micro_f1": 0.5, "macro_f1": 0.4}]}), "utf-8")
    write_card(card, tmp_path)
    assert json.loads((tmp_path / CARD_JSON).read_text("utf-8")) == card
    md = (tmp_path / CARD_MD).read_text("utf-8")
    assert md.startswith("# Model card: test card") and "`claims-0`" in md
    m = card["cv"]["model"]
    assert f"| **model** | {m['micro']['f1']:.3f} | {m['macro_f1']:.3f}" in md
    assert "Expected calibration error" in md and "| 0.9–1.0 |" in md and "spaCy textcat" in md
    assert "never saw them" in md and "calibration isotonic" in md and "rare labels b" in md
    svg = ET.fromstring((tmp_path / RELIABILITY_SVG).read_text("utf-8"))
    assert svg.tag.endswith("svg") and len(svg.findall("{http://www.w3.org/2000/svg}rect")) >= 2


def test_the_card_says_which_asks_are_met_and_what_the_review_threshold_lets_through(tmp_path):
    card = _card()
    write_card(card, tmp_path)
    md = (tmp_path / CARD_MD).read_text("utf-8")
    # model and labelling functions are the same here: no gain, so the F1 asks are not met
    assert "micro-F1 at least 10 points above the labelling functions alone: **not met** (+0.0 points)" in md
    ece = card["cv"]["model"]["calibration"]["ece"]
    assert f"expected calibration error at most 0.05: {'met' if ece <= 0.05 else '**not met**'} ({ece:.3f})" in md
    assert "With the `review_threshold` setting's default, 0.6," in md and "of the wrong ones skip review" in md
