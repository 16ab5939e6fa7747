"""``xxgk model train|eval`` (nlp/cli/model.py)."""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import ROOT
from nlp.cli import app


def test_cli_eval_prints_per_label_and_micro_f1():
    result = CliRunner().invoke(app, ["model", "eval", "--model", "rules", "--gold", str(ROOT / "data" / "gold")])
    assert result.exit_code == 0, result.output
    assert "micro" in result.output and "requests.received_all" in result.output
    assert "rules micro-F1" in result.output


def test_eval_of_a_missing_model_names_the_fix(tmp_path):
    missing = tmp_path / "none.skops"
    result = CliRunner().invoke(app, ["model", "eval", "--model", str(missing)])
    assert result.exit_code == 2
    assert "E013" in result.output and "xxgk model train" in result.output and "--model rules" in result.output


def test_eval_says_what_it_scores_and_train_says_what_it_learnt_from(tmp_path):
    """Issue 13 item 12: two unlabelled progress bars; no word on the annotations used; a
    held-out 1.000 against weak labels reading as a result."""
    import json

    from nlp.cli.model import train_summary

    result = CliRunner().invoke(app, ["model", "eval", "--model", "rules", "--gold", str(ROOT / "data" / "gold")])
    assert result.exit_code == 0 and "Scoring gold reports" not in result.output
    card = json.loads((ROOT / "models" / "model_card.json").read_text("utf-8"))
    lines = train_summary(card, ROOT / "annotations")
    assert lines[0].startswith(f"trained on {card['data']['reports']} report(s)")
    assert lines[1] == (f"annotations: {card['data']['annotations_used']} used of {card['data']['annotations_read']}"
                        f" read from {ROOT / 'annotations'}")
