"""Training the claim classifier: ``train_model`` (``xxgk model train``).

The labelled set (``nlp.model.dataset``) is every annotated number of the reports in the
corpus folders (the bundled samples, ``data/corpus/`` and the report openings of
``data/pages/``): the hand-labelled set and the Label Studio annotations, read alike from
``annotations/**/*.jsonl``. Training then

1. scores the recipe under cross-validation grouped by report on the fully labelled reports
   (``nlp.model.evaluate.fold_jobs`` and ``summarise``: model, labelling functions and rules side by side,
   calibration, confidently wrong, review threshold, learning curve): the card's figures;
2. fits the model on every labelled example (its C chosen and its confidence calibrated on
   grouped folds);
3. scores it, the rules and the labelling functions on the gold narrative claims of
   ``data/gold`` (reports no annotation names: never trained on);
4. writes ``claim_model.skops`` and the card, unless the current model's card shows a better
   cross-validated micro-F1 (the regression guard; ``force`` writes anyway).

Everything is deterministic (sorted inputs, fixed folds); the folds and the fit on all the
data (steps 1 and 2) are shared between ``n_jobs`` processes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any, Optional, Sequence, Union

from joblib import Parallel, delayed

from nlp.config import PATHS
from nlp.errors import Errors, XxgkError
from nlp.metrics import LABELS
from nlp.model import estimators, features, rules
from nlp.model.card import CARD_JSON, write_card
from nlp.model.dataset import Dataset, build_dataset, read_annotations, report_paths
from nlp.model.estimators import ClaimClassifier, RulesClassifier, rules_model
from nlp.model.evaluate import evaluate_gold, evaluate_heldout, fit, fold_jobs, summarise
from nlp.model.features import ClaimFeatures
from nlp.model.persist import read_card, save_model

MODEL_PARAMS: dict[str, Any] = {"Cs": [1.0, 4.0], "cv": 3, "calibration": "auto",
                                "class_weight": "balanced", "labels": list(LABELS), "rule_backoff": "rare",
                                "backoff_support": 25, "tol": 1e-4, "random_state": 0}
CV_FOLDS = 5
GUARD_TOLERANCE = 0.01
"""A new model replaces the current one unless its cross-validated micro-F1 is lower than the
current card's by more than this (the folds move as annotations are added)."""


def corpus_dirs() -> list[Path]:
    """The folders whose reports training reads (those an annotation names)."""
    return [PATHS.samples, PATHS.corpus, PATHS.data / "pages"]


def fit_classifier(ds: Dataset, params: Optional[dict[str, Any]] = None) -> ClaimClassifier:
    """A ``ClaimClassifier`` fitted on the dataset's examples (weights as sample weights, the
    reports as the groups of its inner folds)."""
    if not ds.examples:
        raise XxgkError(Errors.E011, detail="no labelled claim candidates (annotations/**/*.jsonl)")
    return fit(params or MODEL_PARAMS, ds)


def git_revision() -> Optional[str]:
    try:
        return subprocess.run(["git", "-C", str(PATHS.root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip() or None
    except Exception:
        return None


def _version(ds: Dataset, params: dict[str, Any]) -> str:
    h = hashlib.sha1()
    for e in ds.examples + ds.zeros:  # the zeros in words too: they fit the zeros' confidences
        h.update(f"{e.report}:{e.record['num_start']}:{e.label}:{e.weight}".encode())
        # and what the stages read of each (its section, its sentence …): read otherwise, another model
        h.update(json.dumps(e.record, sort_keys=True, ensure_ascii=False, default=str).encode())
    h.update(json.dumps(params, sort_keys=True).encode())
    # the features and the labelling functions too: the same labels read otherwise are another model
    h.update(json.dumps(ClaimFeatures().get_params(), sort_keys=True).encode())
    for module in (rules, features, estimators):
        h.update(Path(module.__file__).read_bytes())
    return "claims-" + h.hexdigest()[:10]


def train_model(out_dir: Union[str, Path] = PATHS.models,
                annotations_dirs: Union[str, Path, Sequence[Union[str, Path]], None] = None,
                corpus: Optional[Sequence[Path]] = None, force: bool = False,
                gold_dir: Union[str, Path, None] = PATHS.gold,
                heldout_dir: Union[str, Path, None] = PATHS.heldout, cv_folds: int = CV_FOLDS,
                n_jobs: int = 2, progress: bool = False) -> dict[str, Any]:
    """Build the labelled set, score the recipe under grouped cross-validation, fit the model
    on everything, score it on the gold claims and the held-out hand labels, and write ``claim_model.skops`` + the card to
    ``out_dir`` unless the current card there shows a better cross-validated micro-F1
    (``force`` writes anyway). ``annotations_dirs``: one folder or several (default: the
    checkout's ``annotations/``), read recursively; ``cv_folds`` 0 skips the
    cross-validation. Returns the card (a dict), with ``replaced`` telling whether the model
    was written."""
    out_dir = Path(out_dir)
    if annotations_dirs is None:
        annotations_dirs = [PATHS.annotations]
    elif isinstance(annotations_dirs, (str, Path)):
        annotations_dirs = [annotations_dirs]
    anns = read_annotations(*annotations_dirs)
    ds = build_dataset(report_paths(*(corpus or corpus_dirs())), anns, progress=progress)
    params = dict(MODEL_PARAMS)
    if not ds.examples:
        raise XxgkError(Errors.E011, detail="no labelled claim candidates (annotations/**/*.jsonl)")
    # the fit on all the data runs in the same pool as the folds, first (it is the longest job)
    jobs = fold_jobs(ds, params, cv_folds) if cv_folds and len(ds.fully_labelled) >= 2 else []
    clf, *runs = Parallel(n_jobs=n_jobs)([delayed(fit_classifier)(ds, params), *jobs])
    cv = summarise(ds, runs) if runs else None
    clf.version_ = _version(ds, params)

    current = read_card(out_dir)
    cur_f1 = ((current or {}).get("cv") or {}).get("model", {}).get("micro", {}).get("f1")
    new_f1 = cv["model"]["micro"]["f1"] if cv else None
    replaced = force or cur_f1 is None or new_f1 is None or new_f1 >= cur_f1 - GUARD_TOLERANCE

    gold = None
    if gold_dir and Path(gold_dir).is_dir():
        gold = {name: {k: v for k, v in evaluate_gold(m, gold_dir).items() if k != "pairs"}
                for name, m in (("model", clf), ("rules", rules_model()),
                                ("labelling_functions", RulesClassifier(weak=True).fit()))}
    gold_names = {json.loads(p.read_text("utf-8"))["file"] for p in Path(gold_dir).glob("*.json")} if gold else set()
    heldout = evaluate_heldout({"model": clf, "labelling_functions": RulesClassifier(weak=True).fit(),
                                "rules": rules_model()}, heldout_dir, corpus or corpus_dirs()) if heldout_dir else None
    card = {
        "name": "xxgk claim metric classifier",
        "version": clf.version_,
        "date": _dt.date.today().isoformat(),
        "code_revision": git_revision(),
        "estimator": "ClaimClassifier (ClaimFeatures → DictVectorizer → LogisticRegression; C chosen and the "
                     f"confidence calibrated ({params['calibration']}) under cross-validation grouped by report)",
        "params": params,
        "chosen": {"C": clf.C_, "calibration": clf.calibration_ or params["calibration"],
                   "calibration_brier": getattr(clf, "calibration_brier_", None),
                   "zero_confidence": dict(getattr(clf, "zero_confidence_", {}) or {}),
                   "temperature": round(clf.temperature_, 4),
                   "inner_cv": clf.cv_scores_, "rules_stand_for": list(clf.backoff_)},
        "features": ClaimFeatures().get_params(),
        "labels": [str(c) for c in clf.classes_],
        "data": {
            "reports": len(ds.reports),
            "fully_labelled_reports": len(ds.fully_labelled),
            "annotations_read": ds.n_annotations,
            "annotations_used": ds.n_matched,
            "items": len(ds.items),
            "examples": len(ds.examples),
            "by_source": ds.counts("source"),
            "by_label": ds.counts("label"),
            "missed_by_the_finder": sum(it.record is None for it in ds.items),
            "gold_reports_trained_on": sorted(n for n in ds.names.values() if Path(n).name in gold_names),
            "heldout_reports_trained_on": sorted(ds.names[r] for r in (heldout or {}).get("reports", ())
                                                 if r in ds.names),
        },
        "cv": cv,
        "gold": gold,
        "heldout": {k: v for k, v in heldout.items() if k != "reports"} if heldout else None,
        "replaced": bool(replaced),
        "forced": bool(force),
    }
    if replaced:
        save_model(clf, out_dir / PATHS.model_file.name)
        write_card(card, out_dir)
    return card


__all__ = ["CARD_JSON", "MODEL_PARAMS", "corpus_dirs", "fit_classifier", "train_model"]
