"""nlp/model/card.py: the card as JSON and markdown, with the figures it is given."""

from __future__ import annotations

import json

from nlp.model.card import CARD_JSON, CARD_MD, write_card
from nlp.model.evaluate import prf


def test_the_card_is_written_as_json_and_markdown(tmp_path):
    scores = prf(["a", "b", "b"], ["a", "b", "a"])
    card = {
        "name": "test card", "version": "claims-0", "date": "2026-01-01", "code_revision": "abc",
        "estimator": "E", "params": {"C": 1},
        "data": {"reports": 2, "examples": 3, "train_examples": 2, "held_out_examples": 1,
                 "train_reports": ["r1"], "held_out_reports": ["r2"], "by_source": {"rules": 3},
                 "annotations_read": 0, "annotations_used": 0},
        "held_out": {"model": scores, "rules": scores, "current_model": None},
        "gold": None,
    }
    write_card(card, tmp_path)
    assert json.loads((tmp_path / CARD_JSON).read_text("utf-8")) == card
    md = (tmp_path / CARD_MD).read_text("utf-8")
    assert md.startswith("# Model card: test card") and "`claims-0`" in md
    assert f"**{scores['micro']['f1']:.3f}**" in md and "held out 1 (1 reports: r2)" in md
