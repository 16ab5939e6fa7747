"""Evaluation as library functions (scripts and the CLI only print them): the claims stage
against the hand labels, and the reader against the hand-read gold files.

    prf(y_true, y_pred) -> dict                 per-label P/R/F1, micro and macro
    stage_decisions(model, items)               what the claims stage decides for labelled items
    score_stage(golds, decisions, classified)   F1, calibration, confidently wrong, review threshold
    cross_validate(dataset, params, k)          the above under cross-validation grouped by report,
                                                the labelling functions and the rules beside the
                                                model, and the learning curve
    evaluate_gold(model, gold_dir) -> dict      the gold ``narrative_claims`` (data/gold)
    compare(gold_path) -> (equal, total, diffs) the gold table cells of one report
    cell_accuracy(gold_dir) -> list             every gold file's cells (scripts/gold_accuracy.py)

**How the stage is scored on the hand labels.** Every labelled number of a test report is one
item: its gold label (a metric, or ``not_a_claim``) against what the stage decides for its
candidate (``nlp.claims.decide``: the model for a quantity, the words for a zero, nothing for
the other kinds), or ``not_a_claim`` when the finder made no candidate of it (a missed claim
counts against recall). Precision, recall and F1 are over the metric labels: a claim called
``not_a_claim`` is a false negative, a not-claim given a metric a false positive. Macro-F1
averages the metrics with gold support. The calibration figures are over the classifier's own
decisions (quantities); *confidently wrong* is over the claims (gold or decided) the stage gave
a confidence to: those it decided with confidence ≥ 0.8 and got wrong.

The gold files (``data/gold``) are evaluation-only: nothing here trains on them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from nlp.claims import decide, extract_claims
from nlp.config import PATHS
from nlp.errors import Errors, XxgkError
from nlp.metrics import LABELS
from nlp.model.dataset import NOT_A_CLAIM, Dataset, Item, build_dataset, read_annotations, read_report, report_paths
from nlp.model.estimators import ClaimClassifier, RulesClassifier
from nlp.numbers import CLAIM_KINDS
from nlp.schema import TABLE_A_2019, TABLE_A_2021, TABLE_B_2019, TABLE_B_2021, TABLE_C, RowDef, TableDef
from nlp.text import norm_label

METRIC_LABELS = [k for k in LABELS if k != NOT_A_CLAIM]
CONFIDENT = 0.8
"""A decision this confident skips review unless something else sends it there."""


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


def prf(y_true: list[str], y_pred: list[str], labels: Optional[list[str]] = None) -> dict[str, Any]:
    """Per-label precision, recall, F1 and support, micro P/R/F1 and macro-F1 (``<missed>``, a
    gold claim no extracted claim matched, counts against recall and is no label)."""
    if labels is None:
        labels = sorted(set(y_true) | set(y_pred) - {"<missed>"})
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="micro",
                                                    zero_division=0)
    _, _, macro, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="macro",
                                                     zero_division=0)
    return {
        "n": len(y_true),
        "micro": {"precision": round(float(mp), 4), "recall": round(float(mr), 4), "f1": round(float(mf), 4)},
        "macro_f1": round(float(macro), 4),
        "per_label": {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                            "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
    }


Decision = tuple[str, Optional[float]]  # (label, confidence or None)


def stage_decisions(model: Any, items: Sequence[Item]) -> list[Decision]:
    """What the claims stage decides for each item (one model call for all of them):
    ``(label, confidence)``, the confidence None where no one gave one (a kind that is never a
    claim, a number the finder missed)."""
    records = [it.record for it in items if it.record is not None]
    decided = iter(decide(records, model))
    out: list[Decision] = []
    for it in items:
        if it.record is None:
            out.append((NOT_A_CLAIM, None))
            continue
        label, conf, _ = next(decided)
        out.append((label, conf if it.record["kind"] in CLAIM_KINDS else None))
    return out


def calibration(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> dict[str, Any]:
    """Expected calibration error and the reliability table: equal-width confidence bins,
    each with its count, mean confidence and accuracy."""
    conf = np.asarray(confidences, dtype=float)
    ok = np.asarray(correct, dtype=float)
    rows = []
    ece = 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, bins - 1)
    for b in range(bins):
        m = which == b
        if not m.any():
            continue
        gap = abs(ok[m].mean() - conf[m].mean())
        ece += gap * m.sum() / max(len(conf), 1)
        rows.append({"from": round(float(edges[b]), 2), "to": round(float(edges[b + 1]), 2), "n": int(m.sum()),
                     "confidence": round(float(conf[m].mean()), 4), "accuracy": round(float(ok[m].mean()), 4)})
    return {"ece": round(float(ece), 4), "n": int(len(conf)), "bins": rows}


def score_stage(golds: Sequence[str], decisions: Sequence[Decision], classified: Sequence[bool]) -> dict[str, Any]:
    """The stage's figures on labelled items (the module docstring says how): micro and
    per-label P/R/F1 and macro-F1 over the metrics, the calibration of the classifier's
    decisions, the confidently wrong share and the review threshold table."""
    # Many confidences are fractions (a labelling function's precision in training) that land
    # on a bin edge or a threshold give or take a unit in the last place, and which side they
    # land on differs between machines (BLAS, SIMD): snapped to 1e-9, the card is the same on each.
    decisions = [(p, None if c is None else round(float(c), 9)) for p, c in decisions]
    preds = [d[0] for d in decisions]
    labels = sorted((set(golds) | set(preds)) - {NOT_A_CLAIM})
    res = prf(list(golds), preds, labels=labels)
    present = [k for k in labels if k in set(golds)]
    res["macro_f1"] = round(float(np.mean([res["per_label"][k]["f1"] for k in present])), 4) if present else 0.0
    res["claims"] = sum(g != NOT_A_CLAIM for g in golds)
    res["found"] = sum(g != NOT_A_CLAIM and p != NOT_A_CLAIM for g, p in zip(golds, preds))
    cal = [(c, g == p) for g, (p, c), k in zip(golds, decisions, classified) if k and c is not None]
    res["calibration"] = calibration([c for c, _ in cal], [ok for _, ok in cal])
    claims = [(g, p, c) for g, (p, c) in zip(golds, decisions)
              if c is not None and (g != NOT_A_CLAIM or p != NOT_A_CLAIM)]
    wrong = sum(1 for g, p, c in claims if c >= CONFIDENT and g != p)
    res["confidently_wrong"] = {"n": wrong, "of": len(claims), "share": round(wrong / max(len(claims), 1), 4)}
    res["review"] = review_table([(g, p, c) for g, p, c in claims if p != NOT_A_CLAIM])
    return res


def evaluate_heldout(models: dict[str, Any], heldout_dir: Union[str, Path] = PATHS.heldout,
                     report_dirs: Sequence[Path] = ()) -> Optional[dict[str, Any]]:
    """Each of ``models`` (name -> classifier) scored as the claims stage on the held-out hand
    labels (``data/heldout``: labelled reports nothing trains on), as ``score_stage`` scores
    a cross-validation fold; with ``reports`` (their sha256) and ``names``. None when there
    are none, or none of their reports is among ``report_dirs``."""
    anns = read_annotations(heldout_dir) if Path(heldout_dir).is_dir() else []
    if not anns:
        return None
    ds = build_dataset(report_paths(*report_dirs), anns)
    if not ds.items:  # none of their reports among report_dirs
        return None
    golds = [it.label for it in ds.items]
    classified = [it.classified for it in ds.items]
    out: dict[str, Any] = {name: score_stage(golds, stage_decisions(m, ds.items), classified)
                           for name, m in models.items()}
    out.update(reports=list(ds.reports), names=sorted(ds.names.values()), items=len(ds.items))
    return out


REVIEW_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def review_table(claims: Sequence[tuple[str, str, float]]) -> list[dict[str, Any]]:
    """For each threshold of the review score of a claim no table figure checks
    (``nlp.reconcile.review_score(confidence, "unchecked")``): the share of the stage's claims
    sent to review, the share of its wrong claims that skip review, and the precision of those
    that skip it."""
    from nlp.reconcile import review_score

    out = []
    wrong = [(g != p) for g, p, _ in claims]
    for t in REVIEW_THRESHOLDS:
        skip = [review_score(c, "unchecked") >= t for _, _, c in claims]
        n_skip = sum(skip)
        out.append({
            "threshold": t,
            "reviewed": round(1 - n_skip / max(len(claims), 1), 4),
            "wrong_skipping_review": round(sum(s and w for s, w in zip(skip, wrong)) / max(sum(wrong), 1), 4),
            "precision_skipping_review": round(sum(s and not w for s, w in zip(skip, wrong)) / max(n_skip, 1), 4),
        })
    return out


def fit(params: dict[str, Any], ds: Dataset) -> ClaimClassifier:
    """A ``ClaimClassifier`` of ``params`` fitted on the dataset's examples and its zeros in
    words (their weights as sample weights, their reports as the groups of its inner folds)."""
    ex = ds.examples + ds.zeros
    return ClaimClassifier(**params).fit([e.record for e in ex], [e.label for e in ex],
                                         sample_weight=[e.weight for e in ex], groups=[e.report for e in ex])


LEARNING_CURVE_SIZES = (25, 50, 100, 150)
"""Numbers of labelled reports the learning curve trains on (and all a fold's training reports)."""


def _fold(params: dict[str, Any], ds: Dataset, train: list[str], test: list[str]) -> dict[str, Any]:
    """One outer fold: the model fitted on ``train`` (choosing its C and calibrating on inner
    folds of ``train`` only) and the decisions on ``test``; the learning curve's models on the
    first n training reports, with the fold's C."""
    from nlp.model.dataset import group_folds

    items = [it for it in ds.items if it.report in set(test)]
    model = fit(params, ds.subset(train))
    out = {"items": items, "model": stage_decisions(model, items), "C": model.C_, "curve": [],
           "calibration": getattr(model, "calibration_", None)}
    ordered = [r for fold in group_folds(train, len(train)) for r in fold[1]]  # the hashed order
    for n in [n for n in LEARNING_CURVE_SIZES if n < len(train)] + [len(train)]:
        small = model if n == len(train) else fit({**params, "Cs": (model.C_,), "calibration": None},
                                                   ds.subset(ordered[:n]))
        dec = small.predict(
            [it.record for it in items if it.classified]) if any(it.classified for it in items) else []
        out["curve"].append((n, list(map(str, dec))))
    return out


def cross_validate(ds: Dataset, params: dict[str, Any], k: int = 5, n_jobs: int = 1,
                   progress: bool = False) -> dict[str, Any]:
    """The stage under ``k``-fold cross-validation grouped by report, on the fully labelled
    reports: the model (fitted on the training reports of each fold, choosing its C and
    calibrating its confidence on inner grouped folds of those alone), the labelling functions alone
    (``RulesClassifier(weak=True)``) and the keyword rules alone on the same items; the
    chosen C of each fold; the learning curve (F1 against the number of
    labelled training reports). The folds run in ``n_jobs`` processes (``fold_jobs``,
    ``summarise``: training runs the fit on all the data in the same pool)."""
    from joblib import Parallel

    jobs = fold_jobs(ds, params, k)
    return summarise(ds, Parallel(n_jobs=n_jobs)(jobs))


def fold_jobs(ds: Dataset, params: dict[str, Any], k: int = 5) -> list[Any]:
    """The outer folds of ``cross_validate`` as joblib jobs (``delayed`` calls), one a fold."""
    from joblib import delayed

    from nlp.model.dataset import group_folds

    reports = [r for r in ds.reports if r in ds.fully_labelled]
    return [delayed(_fold)(params, ds, tr, te) for tr, te in group_folds(reports, k)]


def summarise(ds: Dataset, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of ``cross_validate`` from the results of its ``fold_jobs``."""
    items = [it for run in runs for it in run["items"]]
    golds = [it.label for it in items]
    classified = [it.classified for it in items]
    lf = RulesClassifier(weak=True).fit()
    rules = RulesClassifier().fit()
    out = {
        "folds": len(runs), "reports": sum(r in ds.fully_labelled for r in ds.reports), "items": len(items),
        "model": score_stage(golds, [d for run in runs for d in run["model"]], classified),
        "labelling_functions": score_stage(golds, stage_decisions(lf, items), classified),
        "rules": score_stage(golds, stage_decisions(rules, items), classified),
        "chosen": [run["C"] for run in runs],
        "calibration_chosen": [run.get("calibration") for run in runs],
    }
    out["learning_curve"] = _learning_curve(runs)
    return out


def _learning_curve(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """F1 of the classifier's decisions against the number of training reports: the sizes
    every fold has, in turn (each fold's test items, pooled)."""
    sizes = sorted(set.intersection(*[{n for n, _ in run["curve"]} for run in runs]))
    out = []
    for i, n in enumerate(sizes + ["all"]):
        golds, preds = [], []
        for run in runs:
            curve = dict(run["curve"]) if n != "all" else {"all": run["curve"][-1][1]}
            dec = iter(curve[n])
            for it, d in zip(run["items"], run["model"]):
                if it.classified:
                    golds.append(it.label)
                    preds.append(next(dec))
        labels = sorted((set(golds) | set(preds)) - {NOT_A_CLAIM})
        res = prf(golds, preds, labels=labels)
        present = [k for k in labels if k in set(golds)]
        n_reports = n if n != "all" else round(float(np.mean([run["curve"][-1][0] for run in runs])), 1)
        out.append({"reports": n_reports, "micro_f1": res["micro"]["f1"],
                    "macro_f1": round(float(np.mean([res["per_label"][k]["f1"] for k in present])), 4)})
    return out


# ---------------------------------------------------------------------------
# Gold narrative claims
# ---------------------------------------------------------------------------


def find_report(gold: dict[str, Any], gold_dir: Union[str, Path], corpus_dir: Optional[Path] = None, *,
                dirs: Optional[Iterable[Path]] = None) -> Path:
    """The report a gold file describes: in ``corpus_dir`` if given; else in the first of
    ``dirs`` that holds it (default: beside the gold folder, as ``../shared/corpus/gold``;
    ``corpus/`` beside it, as ``data/gold``; the checkout's ``data/corpus``); else the path
    beside the gold folder (which does not exist)."""
    gold_dir = Path(gold_dir)
    if corpus_dir is not None:
        return Path(corpus_dir) / gold["file"]
    for d in dirs or (gold_dir.parent, gold_dir.parent / "corpus", PATHS.corpus):
        if (Path(d) / gold["file"]).exists():
            return Path(d) / gold["file"]
    return gold_dir.parent / gold["file"]


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def _overlap(a: str, b: str) -> float:
    """Share of the shorter string's characters that the longest common run covers."""
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size / min(len(a), len(b))


def load_gold_map(path: Union[str, Path] = PATHS.gold_map) -> dict[str, str]:
    """The gold files' Chinese metric names → our metric keys (``data/gold_metric_map.json``)."""
    data = json.loads(Path(path).read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def gold_claim_pairs(model: Any, gold_dir: Union[str, Path] = PATHS.gold,
                     report_dirs: Optional[list[Path]] = None,
                     gold_map: Optional[dict[str, str]] = None,
                     progress: bool = False) -> list[dict[str, Any]]:
    """Each gold narrative claim with the extracted claim it matches (same value, overlapping
    text) and both metrics. A gold claim no extracted claim matches has ``pred`` ``<missed>``."""
    gold_dir = Path(gold_dir)
    gmap = gold_map if gold_map is not None else load_gold_map()
    out = []
    files: Iterable[Path] = sorted(gold_dir.glob("*.json"))
    if not files:
        raise XxgkError(Errors.E011, detail=f"no gold JSON files in {gold_dir}")
    if progress:
        from rich.progress import track

        files = track(list(files), description="Scoring gold reports")
    for gf in files:
        g = json.loads(gf.read_text("utf-8"))
        path = find_report(g, gold_dir, dirs=report_dirs)
        if not path.exists():
            raise XxgkError(Errors.E001, path=g["file"])
        rep = read_report(path)
        claims = extract_claims(rep.doc, rep.sections, rep.tables, model=model)
        used: set[int] = set()
        for gc in g.get("narrative_claims", []):
            gt = _norm(gc["text"])
            best, best_score = None, 0.0
            for i, c in enumerate(claims):
                if i in used or c.value is None or float(c.value) != float(gc["value"]):
                    continue
                score = max(_overlap(gt, _norm(c.text)), 0.8 * _overlap(gt, _norm(c.sentence)))
                if score > best_score:
                    best, best_score = i, score
            truth = gmap.get(gc["metric"], "other")
            if best is not None and best_score >= 0.5:
                used.add(best)
                c = claims[best]
                out.append({"file": g["file"], "text": gc["text"], "value": gc["value"], "gold": truth,
                            "gold_zh": gc["metric"], "pred": c.metric, "claim": c.text,
                            "confidence": c.confidence})
            else:
                out.append({"file": g["file"], "text": gc["text"], "value": gc["value"], "gold": truth,
                            "gold_zh": gc["metric"], "pred": "<missed>", "claim": None, "confidence": 0.0})
    return out


def evaluate_gold(model: Any, gold_dir: Union[str, Path] = PATHS.gold,
                  report_dirs: Optional[list[Path]] = None, progress: bool = False) -> dict[str, Any]:
    """Score a model on the gold ``narrative_claims``: per-label P/R/F1 and micro-F1 over the
    gold claims (a gold claim not extracted counts against recall), plus how many were found.

    Each gold claim is matched to the extracted claim of equal value whose clause (or, at
    0.8 weight, sentence) overlaps its text most (at least half of the shorter text); its
    Chinese metric name is mapped by ``data/gold_metric_map.json`` (unlisted → ``other``).
    Extracted claims the gold does not list are not counted: the gold lists are not
    exhaustive."""
    pairs = gold_claim_pairs(model, gold_dir, report_dirs, progress=progress)
    res = prf([p["gold"] for p in pairs], [p["pred"] for p in pairs])
    res["found"] = sum(p["pred"] != "<missed>" for p in pairs)
    res["pairs"] = pairs
    return res


# ---------------------------------------------------------------------------
# Gold table cells
# ---------------------------------------------------------------------------

GOLD_TABLES = {"table_active": "active", "table_requests": "requests", "table_review": "review"}


def gold_row(table: TableDef, key: str) -> RowDef:
    """The schema row a gold key names: its last ``/`` part, tried ``_`` piece by piece
    against the row labels (equal, or the start of a label, without punctuation)."""
    name = key.split("/")[-1]
    found: list[RowDef] = []
    for piece in name.split("_"):
        n = norm_label(piece)
        if not n:
            continue
        for rd in table.rows:
            labels = [norm_label(x) for x in rd.labels]
            if n in labels or (len(n) >= 3 and any(lab.startswith(n) for lab in labels)):
                if rd not in found:
                    found.append(rd)
        if found:
            break
    if len(found) != 1:
        raise KeyError(f"gold key {key!r} names {len(found)} rows of table {table.name}")
    return found[0]


def gold_cells(gold: dict[str, Any], template: str,
               templates: Optional[dict[str, str]] = None) -> Iterator[tuple[str, str, str, Optional[float]]]:
    """Every gold cell as ``(table, row key, column key, value)``."""
    forms = {name: (templates or {}).get(name, template) for name in ("active", "requests")}
    defs = {
        "active": TABLE_A_2019 if forms["active"] == "2019" else TABLE_A_2021,
        "requests": TABLE_B_2019 if forms["requests"] == "2019" else TABLE_B_2021,
        "review": TABLE_C,
    }
    for gkey, name in GOLD_TABLES.items():
        table = gold.get(gkey)
        if table is None:
            continue
        tdef = defs[name]
        for key, val in table.items():
            if key == "columns":
                continue
            rd = gold_row(tdef, key)
            cols = tdef.cols_of(rd)
            if isinstance(val, dict):
                vals = list(val.values())
            elif isinstance(val, list):
                vals = val
            else:
                vals = [val]
            if len(vals) != len(cols):
                raise ValueError(f"gold {gkey}/{key}: {len(vals)} values for {len(cols)} columns")
            for col, v in zip(cols, vals):
                yield name, rd.key, col, v


def compare(gold_path: Path, corpus_dir: Optional[Path] = None) -> tuple[int, int, list[str]]:
    """(cells equal, cells in gold, differences) for one gold file and its corpus report."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return compare_tables(gold, read_report(find_report(gold, gold_path.parent, corpus_dir)).tables)


def compare_tables(gold: dict[str, Any], tables: Any) -> tuple[int, int, list[str]]:
    """(cells equal, cells in gold, differences) of parsed ``Tables`` against a gold dict."""
    equal, total, diffs = 0, 0, []
    for name, row, col, want in gold_cells(gold, tables.template, tables.templates()):
        total += 1
        table = tables.get(name)
        cell = None if table is None else table.cells.get((row, col))
        got = None if cell is None else cell.value
        present = cell is not None
        if present and got == want:  # None only equals None: a blank read as 0 is wrong
            equal += 1
        else:
            diffs.append(f"{name}.{row}.{col}: gold {want!r}, read {got!r}" + ("" if present else " (no cell)"))
    return equal, total, diffs


def cell_accuracy(gold_dir: Union[str, Path] = PATHS.gold, corpus_dir: Optional[Path] = None
                  ) -> list[tuple[str, int, int, list[str]]]:
    """``(gold file name, cells equal, cells in gold, differences)`` of every gold file."""
    return [(p.name, *compare(p, corpus_dir)) for p in sorted(Path(gold_dir).glob("*.json"))]
