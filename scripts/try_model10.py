"""Research for issue 10's two unmet targets (confidently wrong <= 2%, macro-F1 +15 over the
labelling functions): variants of ``ClaimClassifier`` scored under the card's grouped 5-fold CV
(``nlp.model.dataset.group_folds`` over the fully labelled reports, ``stage_decisions`` and
``score_stage`` of ``nlp.model.evaluate``: the same folds and scoring as ``xxgk model train``),
each beside the baseline run by this same script.

    nice -n 10 .venv/bin/python scripts/try_model10.py --variants baseline,bag5 --out /tmp/m10.json

Variants (all subclasses of the project's ``ClaimClassifier`` with the card's ``MODEL_PARAMS``:
the C choice, the calibration and the back-off are the project's, fitted on inner grouped
folds of the training reports only; nothing is fitted on a test fold):

- ``baseline``: ``ClaimClassifier`` as trained today;
- ``bagN`` / ``bagNlogit``: the regression replaced by N logistic regressions, each on a
  bootstrap sample of the training REPORTS (the rows of the drawn reports, weighted by how often
  the report was drawn), their probabilities (``bagN``) or decision values (``bagNlogit``: one
  linear model at prediction) averaged; then the same calibration; ``bagNwarm``: each member's
  solver started from the regression fitted on every row (cheaper training); ``bagNs1``: another bootstrap seed;
- ``iso`` (and any variant + ``iso``, e.g. ``bag5iso``): the isotonic calibration forced;
- ``char``: a second view, character 1-3-grams of the number's clause (the number masked,
  ``HashingVectorizer``, columns seen in >= 2 training records kept) as a separate regression,
  its probabilities averaged with today's, then the same calibration; ``charcat``: the two views
  concatenated into one regression;
- ``condx``: the conditional calibration also reading disagreement features (the labelling
  functions abstain, the predicted label is rare in training, the number is in a list, follows
  another count of the clause), chosen against isotonic on the inner folds as today;
  ``condx2``: also the share of the other quantities of its sentence the model labels
  otherwise, and whether it is alone in its sentence (from the error analysis: list items
  labelled part where their siblings are key_areas, and the reverse);
- ``cues``: three cues from the error analysis added as columns (``TextCues``);
- ``ruleW``: the labelling functions' feature weighted W instead of 5.0 (``rule2``, ``rule10``).

Dumps the confidently wrong decisions of each variant (sentence, gold, predicted, LF).
``--heldout VARIANT``: the final candidate, fitted on every hand label, scored ONCE on the
held-out openings (data/heldout; never used for choosing).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402
from scipy.special import softmax  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.feature_extraction.text import HashingVectorizer  # noqa: E402

from nlp.model import estimators  # noqa: E402
from nlp.model.dataset import NOT_A_CLAIM, group_folds  # noqa: E402
from nlp.model.estimators import ClaimClassifier, RulesClassifier  # noqa: E402
from nlp.config import PATHS  # noqa: E402
from nlp.model.evaluate import CONFIDENT, evaluate_heldout, score_stage, stage_decisions  # noqa: E402
from nlp.model.rules import KEY_AREA_WORDS, weak_label  # noqa: E402
from nlp.model.train import CV_FOLDS, MODEL_PARAMS, corpus_dirs  # noqa: E402
from try_errors import dataset  # noqa: E402  (the dataset, cached in a scratch file)


# ---------------------------------------------------------------------------
# Ensembles of regressions, as the "regression" of ClaimClassifier
# ---------------------------------------------------------------------------


class Ensemble:
    """Member regressions whose probabilities (``mode="proba"``) or decision values
    (``mode="logit"``) are averaged; ``decision_function`` returns log-probabilities (softmax
    of them gives the average back) or the averaged decision values."""

    def __init__(self, members: list[tuple[Any, Any]], classes: np.ndarray, mode: str = "proba") -> None:
        self.members = members  # (regression, column selector or None)
        self.classes_ = classes
        self.mode = mode

    def decision_function(self, M: Any) -> np.ndarray:
        index = {c: i for i, c in enumerate(self.classes_)}
        acc = np.zeros((M.shape[0], len(self.classes_)))
        for lr, cols in self.members:
            X = M if cols is None else M[:, cols]
            d = X @ lr.coef_.T + lr.intercept_
            j = [index[c] for c in lr.classes_]
            if self.mode == "proba":
                acc[:, j] += softmax(d, axis=1)
            else:
                full = np.repeat(d.min(axis=1, keepdims=True) - 10.0, len(self.classes_), axis=1)
                full[:, j] = d
                acc += full
        acc /= len(self.members)
        return np.log(np.clip(acc, 1e-12, None)) if self.mode == "proba" else acc


class _Grouped(ClaimClassifier):
    """``ClaimClassifier`` that remembers the rows' reports (after its zeros are set apart) and
    its inner folds, so that a regression fitted inside ``fit`` knows its rows' reports."""

    def _folds(self, y, groups):
        folds = super()._folds(y, groups)
        self._g_all = None if groups is None else np.asarray(groups)
        self._y_all, self._inner = np.asarray(y), folds
        return folds

    def _row_groups(self, y: np.ndarray) -> np.ndarray:
        g = getattr(self, "_g_all", None)
        if g is None:
            return np.arange(len(y))
        if len(y) == len(g):
            return g
        for tr, _ in self._inner:
            if len(tr) == len(y) and np.array_equal(self._y_all[tr], y):
                return g[tr]
        raise RuntimeError("rows of an inner fit not found among the inner folds")

    def _scores(self, X, labelled=None):
        M = self._matrix(X, fit=False, labelled=labelled)
        return self.regression_.decision_function(M) / self.temperature_


class Bagged(_Grouped):
    """N regressions on bootstrap samples of the reports, averaged (``Ensemble``)."""

    n_bags = 5
    mode = "proba"
    warm = False
    seed = 0

    def _regression(self, C, M, y, w, init=None):
        groups = self._row_groups(y)
        reports = np.unique(groups)
        rng = np.random.RandomState(self.random_state + self.seed)
        base = super()._regression(C, M, y, w) if self.warm else None
        members = []
        for _ in range(self.n_bags):
            drawn = Counter(rng.choice(reports, len(reports), replace=True))
            mult = np.array([drawn.get(g, 0) for g in groups], dtype=float)
            rows = np.flatnonzero(mult > 0)
            wb = mult[rows] * (1.0 if w is None else w[rows])
            if base is not None and set(np.unique(y[rows])) == set(base.classes_):
                lr = clone(base).set_params(warm_start=True)  # started from the fit on every row
                lr.coef_, lr.intercept_ = base.coef_.copy(), base.intercept_.copy()
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", category=ConvergenceWarning)
                    members.append((lr.fit(M[rows], y[rows], sample_weight=wb), None))
            else:
                members.append((super()._regression(C, M[rows], y[rows], wb), None))
        return Ensemble(members, np.unique(y), self.mode)


class CharView(_Grouped):
    """Today's features plus a second view, character 1-3-grams of the number's clause (the
    number masked), as a separate regression averaged with today's (``concat``: one
    regression over both)."""

    concat = False
    hasher = HashingVectorizer(analyzer="char", ngram_range=(1, 3), n_features=2 ** 18,
                               alternate_sign=False, norm="l2")

    @staticmethod
    def _text(r: dict) -> str:
        clause, a = r.get("clause") or "", r.get("clause_start", 0)
        s, e = r.get("num_start", a) - a, r.get("num_end", a) - a
        if 0 <= s <= e <= len(clause):
            clause = clause[:s] + "#" + clause[e:]
        return clause

    def _matrix(self, X, fit, labelled=None):
        M1 = super()._matrix(X, fit, labelled)
        if self.features != "claims":
            return M1
        M2 = self.hasher.transform([self._text(r) for r in X])
        if fit:
            self.char_keep_ = np.flatnonzero(np.asarray((M2 != 0).sum(axis=0)).ravel() >= max(self.min_df, 2))
            self.split_ = M1.shape[1]
        M = sp.hstack([M1, M2[:, self.char_keep_]], format="csr")
        return M

    def _regression(self, C, M, y, w, init=None):
        if self.concat:
            return Ensemble([(super()._regression(C, M, y, w), None)], np.unique(y), "logit")
        k = self.split_
        a = np.arange(k)
        b = np.arange(k, M.shape[1])
        return Ensemble([(super()._regression(C, M[:, a], y, w), a),
                         (super()._regression(C, M[:, b], y, w), b)], np.unique(y), "proba")


@contextlib.contextmanager
def _extra_confidence_features(extra: np.ndarray):
    """The project's ``_confidence_features`` with ``extra`` columns appended (the conditional
    calibration's inputs), for the duration of one calibration fit or application."""
    orig = estimators._confidence_features
    estimators._confidence_features = lambda *a: np.hstack([orig(*a), extra])
    try:
        yield
    finally:
        estimators._confidence_features = orig


class CondX(ClaimClassifier):
    """The conditional calibration also reading disagreement features (``_extra``)."""

    rare_support = 25
    siblings = False

    def _matrix(self, X, fit, labelled=None):
        if fit and self.features == "claims":
            self._X_fit = list(X)
        return super()._matrix(X, fit, labelled)

    def _extra(self, X, pred) -> np.ndarray:
        support = self._support_
        F = np.zeros((len(X), 6 if self.siblings else 4))
        for i, (r, p) in enumerate(zip(X, pred)):
            lab, conf = weak_label(r)
            F[i, 0] = float(lab == "other" and conf <= 0.5)  # the labelling functions abstain
            F[i, 1] = float(support.get(str(p), 0) < self.rare_support)  # a rare label predicted
            F[i, 2] = float(bool(r.get("in_list")))  # an item of a list
            pq = r.get("prev_quantity") or {}
            F[i, 3] = float(0 < pq.get("gap", 99) <= 2)  # follows another count closely
        if self.siblings:  # the other quantities of its sentence: how many the model labels otherwise
            by_sent: dict = {}
            for i, r in enumerate(X):
                by_sent.setdefault((r.get("sentence"), r.get("sent_start")), []).append(i)
            for rows in by_sent.values():
                labs = [str(pred[i]) for i in rows]
                for i in rows:
                    others = len(rows) - 1
                    differ = sum(lab != str(pred[i]) for lab in labs)
                    F[i, 4] = differ / others if others else 0.0
                    F[i, 5] = float(others == 0)
        return F

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        self._support_ = dict(Counter(map(str, getattr(self, "_y_fit", pred))))
        with _extra_confidence_features(self._extra(self._X_fit, pred)):
            return super()._choose_calibration(P, pred, ok, w, weak, folds)

    def _folds(self, y, groups):
        self._y_fit = np.asarray(y)
        return super()._folds(y, groups)

    def _recalibrate(self, P, X=None, weaks=None):
        if getattr(self, "confidence_model_", None) is None or X is None or not len(P):
            return super()._recalibrate(P, X, weaks)
        pred = self.regression_.classes_[P.argmax(axis=1)]
        with _extra_confidence_features(self._extra(X, pred)):
            return super()._recalibrate(P, X, weaks)


class BaggedCondX(CondX, Bagged):
    pass


class RuleWeight(ClaimClassifier):
    """The labelling functions' feature (``rule=<label>``, weight ``rule_feature`` 5.0 times
    their confidence) scaled to the weight ``rule_weight``: does the model lean on them too
    much (56 of the 76 confident errors are theirs too)?"""

    rule_weight = 5.0

    def _matrix(self, X, fit, labelled=None):
        M = super()._matrix(X, fit, labelled)
        if self.features == "claims":
            cols = [j for j, name in enumerate(self.vectorizer_.feature_names_) if name.startswith("rule=")]
            scale = np.ones(M.shape[1])
            scale[cols] = self.rule_weight / 5.0
            M = sp.csr_matrix(M @ sp.diags(scale))
        return M


_CHANNEL = re.compile(r"网站|公众号|微博|微信|客户端|APP|app|抖音|头条|快手|视频号|公开栏|平台|政务新媒体")


class TextCues(ClaimClassifier):
    """Three cues the error analysis says are in the text (columns added to today's features):
    two or more channels named in the number's clause (门户网站、“辽宁发布”公众号发布…2.96万条: a
    total, not new_media); a 重点领域 word in the clause of a list item (国有资产交易信息27条 in a
    其中 list); the number inside quotes or a title (“创业富民30条”: a name, not a claim)."""

    def _matrix(self, X, fit, labelled=None):
        M = super()._matrix(X, fit, labelled)
        if self.features != "claims":
            return M
        F = np.zeros((len(X), 3))
        for i, r in enumerate(X):
            clause, a = r.get("clause") or "", r.get("clause_start", 0)
            before = clause[:max(r.get("num_start", a) - a, 0)]
            F[i, 0] = float(len(set(_CHANNEL.findall(clause))) >= 2)
            F[i, 1] = float(bool(r.get("in_list")) and KEY_AREA_WORDS.search(clause) is not None)
            F[i, 2] = float(before.count("“") > before.count("”") or before.count('"') % 2 == 1
                            or before.count("《") > before.count("》"))
        return sp.hstack([M, sp.csr_matrix(F)], format="csr")


def variant_params(name: str) -> dict:
    """``MODEL_PARAMS`` for a variant: ``...iso`` forces the isotonic calibration (today: isotonic
    or conditional, chosen per fold on the inner folds by the Brier score)."""
    return {**MODEL_PARAMS, "calibration": "isotonic"} if name.endswith("iso") else MODEL_PARAMS


def variant(name: str) -> type:
    name = name[:-3] if name.endswith("iso") and name != "iso" else name
    if name in ("baseline", "iso"):
        return ClaimClassifier
    if name.startswith("bag"):
        stem, _, seed = name.partition("s")  # bag5s1: another bootstrap seed
        n = int(stem[3:].replace("logit", "").replace("condx", "").replace("warm", "") or 5)
        mode = "logit" if "logit" in name else "proba"
        base = BaggedCondX if "condx" in name else Bagged
        return type(name, (base,), {"n_bags": n, "mode": mode, "warm": "warm" in name, "seed": int(seed or 0)})
    if name in ("char", "charcat"):
        return type(name, (CharView,), {"concat": name == "charcat"})
    if name == "cues":
        return TextCues
    if name.startswith("rule"):
        return type(name, (RuleWeight,), {"rule_weight": float(name[4:])})
    if name in ("condx", "condx2"):
        return type(name, (CondX,), {"siblings": name == "condx2"})
    raise SystemExit(f"unknown variant {name}")


# ---------------------------------------------------------------------------
# The card's CV, per variant
# ---------------------------------------------------------------------------


def run_fold(cls: type, params: dict, ds, train: list[str], test: list[str]) -> dict:
    sub = ds.subset(train)
    ex = sub.examples + sub.zeros
    t0 = time.perf_counter()
    model = cls(**params).fit([e.record for e in ex], [e.label for e in ex],
                              sample_weight=[e.weight for e in ex], groups=[e.report for e in ex])
    fit_s = time.perf_counter() - t0
    items = [it for it in ds.items if it.report in set(test)]
    t0 = time.process_time()
    dec = stage_decisions(model, items)
    pred_cpu = time.process_time() - t0
    return {"items": items, "model": dec, "fit_s": fit_s, "pred_ms_report": 1000 * pred_cpu / len(test),
            "C": model.C_, "calibration": getattr(model, "calibration_", None)}


def heldout(cls: type, params: dict, ds) -> None:
    """The final candidate fitted on every hand label (as ``xxgk model train`` fits) and scored
    once on the held-out openings (``evaluate_heldout``), beside the labelling functions."""
    ex = ds.examples + ds.zeros
    t0 = time.perf_counter()
    model = cls(**params).fit([e.record for e in ex], [e.label for e in ex],
                              sample_weight=[e.weight for e in ex], groups=[e.report for e in ex])
    fit_s = time.perf_counter() - t0
    res = evaluate_heldout({"model": model, "labelling_functions": RulesClassifier(weak=True).fit()},
                           PATHS.heldout, corpus_dirs())
    for name in ("model", "labelling_functions"):
        r, cw = res[name], res[name]["confidently_wrong"]
        print(f"heldout {cls.__name__} {name}: micro {r['micro']['f1']:.4f} macro {r['macro_f1']:.4f} "
              f"cw {cw['n']}/{cw['of']} {100 * cw['share']:.1f}% ece {r['calibration']['ece']:.3f}")
    print(f"items {res['items']}, fit on every label {fit_s:.1f}s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="baseline")
    ap.add_argument("--out", default="/tmp/m10.json")
    ap.add_argument("--cache", default="/tmp/m10-ds.pkl")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--heldout", default=None,
                    help="a variant: fit it on every hand label and score it once on data/heldout")
    a = ap.parse_args()
    ds = dataset(Path(a.cache))
    if a.heldout:
        return heldout(variant(a.heldout), variant_params(a.heldout), ds)
    reports = [r for r in ds.reports if r in ds.fully_labelled]
    folds = group_folds(reports, CV_FOLDS)
    lf = RulesClassifier(weak=True).fit()
    out = json.loads(Path(a.out).read_text("utf-8")) if Path(a.out).exists() else {}
    for name in a.variants.split(","):
        t0 = time.time()
        cls = variant(name)
        runs = Parallel(n_jobs=a.jobs)(delayed(run_fold)(cls, variant_params(name), ds, tr, te) for tr, te in folds)
        items = [it for run in runs for it in run["items"]]
        decisions = [d for run in runs for d in run["model"]]
        res = score_stage([it.label for it in items], decisions, [it.classified for it in items])
        lfd = stage_decisions(lf, items)
        lfres = score_stage([it.label for it in items], lfd, [it.classified for it in items])
        wrong = []
        for it, (p, c), (lp, _) in zip(items, decisions, lfd):
            if c is not None and c >= CONFIDENT and p != it.label and (it.label != NOT_A_CLAIM or p != NOT_A_CLAIM):
                r = it.record or {}
                wrong.append({"report": ds.names.get(it.report, it.report), "gold": it.label, "pred": p,
                              "conf": round(c, 3), "lf": lp, "kind": r.get("kind"), "clause": r.get("clause"),
                              "sentence": r.get("sentence"), "value": r.get("value")})
        scored = [(round(c, 4), int(p != it.label)) for it, (p, c) in zip(items, decisions)
                  if c is not None and (it.label != NOT_A_CLAIM or p != NOT_A_CLAIM)]
        row = {"scored": scored, "micro": res["micro"]["f1"], "macro": res["macro_f1"], "lf_micro": lfres["micro"]["f1"],
               "lf_macro": lfres["macro_f1"], "cw": res["confidently_wrong"], "ece": res["calibration"]["ece"],
               "bins": res["calibration"]["bins"], "per_label": res["per_label"],
               "fit_s_fold_median": round(float(np.median([r["fit_s"] for r in runs])), 1),
               "pred_ms_report_median": round(float(np.median([r["pred_ms_report"] for r in runs])), 2),
               "C": [r["C"] for r in runs], "calibration": [r["calibration"] for r in runs],
               "wall_s": round(time.time() - t0, 1), "confidently_wrong": wrong}
        out[name] = row
        cw = res["confidently_wrong"]
        print(f"{name:14s} micro {row['micro']:.4f} macro {row['macro']:.4f} (LF {row['lf_micro']:.3f}/"
              f"{row['lf_macro']:.3f}) cw {cw['n']}/{cw['of']} {100 * cw['share']:.1f}% ece {row['ece']:.3f} "
              f"fit/fold {row['fit_s_fold_median']}s pred {row['pred_ms_report_median']} ms/report "
              f"C {row['C']} cal {row['calibration']} | {row['wall_s']}s", flush=True)
        Path(a.out).write_text(json.dumps(out, ensure_ascii=False, default=str), "utf-8")


if __name__ == "__main__":
    main()
