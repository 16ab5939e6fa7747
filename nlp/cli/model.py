"""``xxgk model train|eval``: build and score the claim classifier.

Each command parses its options, calls one function of ``nlp.model`` (``train.train_model``,
``evaluate.evaluate_gold``) and renders the result; a library error becomes one line and exit
code 2 (``exits``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Union

import typer
from rich.table import Table

from nlp.cli._util import ModelOption, err, exits, model_app, out
from nlp.config import PATHS, settings


def _render(title: str, res: dict[str, Any]) -> None:
    t = Table(title=title)
    for col in ("label", "precision", "recall", "F1", "support"):
        t.add_column(col, justify="left" if col == "label" else "right")
    for lab, v in res["per_label"].items():
        t.add_row(lab, f"{v['precision']:.2f}", f"{v['recall']:.2f}", f"{v['f1']:.2f}", str(v["support"]))
    m = res["micro"]
    t.add_row("micro", f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"[bold]{m['f1']:.3f}[/bold]", str(res["n"]))
    out.print(t)


@model_app.command()
def train(
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Where the model and its card go (default: models/ of the checkout).", show_default=False),
    annotations: Optional[list[Path]] = typer.Option(None, "--annotations", help="A folder of annotation JSONL files, read recursively; repeat for several (default: annotations/ of the checkout).", show_default=False, metavar="DIR"),
    force: bool = typer.Option(False, "--force", help="Replace the current model even if the new one scores lower."),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds (grouped by report) for the card's figures; 0 skips them."),
    jobs: int = typer.Option(2, "--jobs", help="Processes for the cross-validation."),
) -> None:
    """Train the claim classifier on the labelled reports (hand labels + Label Studio annotations).

    Example: xxgk model train --out models/ --annotations annotations/
    """
    from nlp.model.train import train_model

    out_dir = out_dir or PATHS.models
    annotations = annotations or [PATHS.annotations]
    with exits():
        card = train_model(out_dir, annotations, force=force, cv_folds=folds, n_jobs=jobs, progress=True)
    for line in train_summary(card, annotations):
        out.print(line, highlight=False)
    cv = card["cv"]
    if cv:
        t = Table(title=f"cross-validation by report on the hand labels ({cv['folds']} folds, {cv['reports']} reports): "
                        f"{card['version']}")
        for col in ("", "micro-F1", "macro-F1", "confidently wrong", "ECE"):
            t.add_column(col, justify="left" if not col else "right")
        for name, key in (("model", "model"), ("labelling functions", "labelling_functions"), ("rules", "rules")):
            r = cv[key]
            t.add_row(name, f"{r['micro']['f1']:.3f}", f"{r['macro_f1']:.3f}",
                      f"{100 * r['confidently_wrong']['share']:.1f}%", f"{r['calibration']['ece']:.3f}")
        out.print(t)
    out.print(("written to " + str(out_dir)) if card["replaced"] else "kept the current model (the new one scores lower; --force to replace)")


def train_summary(card: dict[str, Any], annotations: Union[Path, list[Path]]) -> list[str]:
    """What a training run learnt from: reports, examples by source, and how many of the
    annotations it read it used (an annotation is used when its number is a claim candidate)."""
    d = card["data"]
    sources = ", ".join(f"{n} {k}" for k, n in d.get("by_source", {}).items())
    return [
        f"trained on {d['reports']} report(s): {d['examples']} example(s) ({sources})",
        f"annotations: {d.get('annotations_used', 0)} used of {d.get('annotations_read', 0)} read from "
        + (", ".join(map(str, annotations)) if isinstance(annotations, (list, tuple)) else str(annotations)),
    ]


@model_app.command("eval")
def eval_(
    model: Optional[str] = ModelOption,
    gold: Optional[Path] = typer.Option(None, "--gold", help="Folder of gold JSON files, narrative_claims (default: data/gold/ of the checkout).", show_default=False),
) -> None:
    """Score a model and the rules baseline on the gold narrative claims: per-label P/R/F1, micro-F1.

    Example: xxgk model eval --model models/claim_model.skops --gold data/gold
    """
    from nlp.model import load_model
    from nlp.model.evaluate import evaluate_gold

    gold = gold or PATHS.gold
    with exits():
        model = model or settings().model
        results = {}
        for name, spec in (("model", model), ("rules", "rules")):
            if name == "model" and spec == "rules":
                continue
            with err.status(f"scoring {name} ({spec}) on the gold reports in {gold} …"):
                results[name] = evaluate_gold(load_model(spec), gold)
    for name, res in results.items():
        _render(f"{name} ({model if name == 'model' else 'rules'}) on {gold}", res)
    out.print("  ".join(f"{n} micro-F1 {r['micro']['f1']:.3f} (found {r['found']}/{r['n']})" for n, r in results.items()))
