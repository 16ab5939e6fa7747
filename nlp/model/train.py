"""Training the claim classifier: ``train_model`` (``xxgk model train``).

The dataset (``nlp.model.dataset``) is the bundled samples plus the committed copy of the
development reports (``data/corpus/``), so a fresh clone trains the same model; everything is
deterministic. The held-out split is by report. A new model replaces the current one only when
it does not score lower on the same held-out reports (the regression guard), unless forced.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Optional, Union

from nlp.config import PATHS
from nlp.errors import Errors, XxgkError
from nlp.metrics import LABELS
from nlp.model.card import write_card
from nlp.model.dataset import SEED, Dataset, Example, build_dataset, group_split, load_annotations, report_paths
from nlp.model.estimators import ClaimClassifier, RulesClassifier, rules_model
from nlp.model.evaluate import evaluate_gold, prf, score_examples
from nlp.model.features import ClaimFeatures
from nlp.model.persist import load_model_file, save_model

MODEL_PARAMS: dict[str, Any] = {"C": 4.0, "method": "sigmoid", "cv": 3, "class_weight": "balanced",
                                "labels": list(LABELS), "rule_backoff": 0.8, "random_state": SEED}


def fit_classifier(examples: list[Example], params: Optional[dict[str, Any]] = None) -> ClaimClassifier:
    """A ``ClaimClassifier`` fitted on the examples (weights as sample weights)."""
    if not examples:
        raise XxgkError(Errors.E011, detail="no examples")
    clf = ClaimClassifier(**(params or MODEL_PARAMS))
    clf.fit([e.record for e in examples], [e.label for e in examples],
            sample_weight=[e.weight for e in examples])
    return clf


def git_revision() -> Optional[str]:
    try:
        return subprocess.run(["git", "-C", str(PATHS.root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip() or None
    except Exception:
        return None


def _version(examples: list[Example], params: dict[str, Any]) -> str:
    h = hashlib.sha1()
    for e in examples:
        h.update(f"{e.report}:{e.record['num_start']}:{e.label}:{e.weight}".encode())
    h.update(json.dumps(params, sort_keys=True).encode())
    # the features too: the same labels with other features are another model
    h.update(json.dumps(ClaimFeatures().get_params(), sort_keys=True).encode())
    return "claims-" + h.hexdigest()[:10]


def train_model(out_dir: Union[str, Path] = PATHS.models,
                annotations_dir: Union[str, Path, None] = PATHS.annotations,
                corpus_dirs: Optional[list[Path]] = None, force: bool = False,
                gold_dir: Union[str, Path, None] = PATHS.gold, progress: bool = False) -> dict[str, Any]:
    """Build the dataset, fit on the training reports, score on the held-out reports, and
    write ``claim_model.skops`` + the model card to ``out_dir`` unless the current model there
    does better on the same held-out reports (``force`` writes anyway).

    Returns the card (a dict), with ``replaced`` telling whether the model was written.
    """
    out_dir = Path(out_dir)
    corpus_dirs = corpus_dirs or [PATHS.samples, PATHS.corpus]
    anns = load_annotations(annotations_dir) if annotations_dir else []
    ds = build_dataset(report_paths(*corpus_dirs), anns, progress=progress)
    if not ds.examples:
        raise XxgkError(Errors.E011, detail=f"no claims found in {', '.join(map(str, corpus_dirs))}")
    train_ids, test_ids = group_split(ds.reports)
    # a person's annotation is always learned, whichever side of the split its report is on;
    # the held-out score stays on the weak labels of the claims nobody annotated
    train = [e for e in ds.examples if e.report in train_ids or e.source == "annotation"]
    test = [e for e in ds.examples if e.report in test_ids and e.source != "annotation"]
    clf = fit_classifier(train, MODEL_PARAMS)
    clf.version_ = _version(train, MODEL_PARAMS)
    held_new = score_examples(clf, test)
    held_rules = score_examples(rules_model(), test)

    current_path = out_dir / PATHS.model_file.name
    held_current = None
    if current_path.exists():
        try:
            held_current = score_examples(load_model_file(current_path), test)
        except Exception:  # unreadable, or made by an older ClaimClassifier: replace it
            held_current = None
    replaced = force or held_current is None or held_new["micro"]["f1"] >= held_current["micro"]["f1"]

    gold = None
    if gold_dir and Path(gold_dir).is_dir():
        g_model = evaluate_gold(clf, gold_dir)
        g_rules = evaluate_gold(rules_model(), gold_dir)
        g_weak = evaluate_gold(RulesClassifier(weak=True).fit(), gold_dir)
        gold = {"model": {k: v for k, v in g_model.items() if k != "pairs"},
                "rules": {k: v for k, v in g_rules.items() if k != "pairs"},
                # the labelling functions the model reads as a feature, alone (no learning)
                "weak_rules": {k: v for k, v in g_weak.items() if k != "pairs"}}
        # the same recipe with each gold report's text left out of training in turn: how
        # the model does on a report it has never read
        gold["model_each_report_unseen"] = _gold_each_unseen(ds, train, gold_dir)
    card = {
        "name": "xxgk claim metric classifier",
        "version": clf.version_,
        "date": _dt.date.today().isoformat(),
        "code_revision": git_revision(),
        "estimator": "ClaimClassifier (ClaimFeatures → DictVectorizer → LogisticRegression, "
                     "CalibratedClassifierCV)",
        "params": MODEL_PARAMS,
        "labels": [str(c) for c in clf.classes_],
        "label_set": list(LABELS),
        "data": {
            "reports": len(ds.reports),
            "train_reports": sorted(ds.names[s] for s in train_ids),
            "held_out_reports": sorted(ds.names[s] for s in test_ids),
            "examples": len(ds.examples),
            "train_examples": len(train),
            "held_out_examples": len(test),
            "by_source": ds.counts("source"),
            "by_label": ds.counts("label"),
            "annotations_read": len(anns),
            "annotations_used": ds.n_annotations,
        },
        "held_out": {"model": held_new, "rules": held_rules, "current_model": held_current,
                     "note": "labels on held-out reports are the weak labels (annotations > "
                             "distant supervision > rules); split by report, seed 0"},
        "gold": gold,
        "replaced": bool(replaced),
        "forced": bool(force),
    }
    if replaced:
        save_model(clf, current_path)
        write_card(card, out_dir)
    return card


def _gold_each_unseen(ds: Dataset, train: list[Example], gold_dir: Union[str, Path]) -> dict[str, Any]:
    """Gold scores of models each trained without one gold report's text, pooled."""
    y_true: list[str] = []
    y_pred: list[str] = []
    found = 0
    for gf in sorted(Path(gold_dir).glob("*.json")):
        name = json.loads(gf.read_text("utf-8"))["file"]
        sub = [e for e in train if ds.names[e.report] != name]
        if not sub:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(gf, tmp)
            res = evaluate_gold(fit_classifier(sub, MODEL_PARAMS), tmp,
                                report_dirs=[Path(gold_dir).parent, PATHS.corpus, Path(gold_dir).parent.parent])
        y_true += [p["gold"] for p in res["pairs"]]
        y_pred += [p["pred"] for p in res["pairs"]]
        found += res["found"]
    out = prf(y_true, y_pred)
    out["found"] = found
    return out
