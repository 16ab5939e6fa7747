"""Issue 10, session 19: does the confidence fall where a report's words are new to the model?

The card's cross-validation gives 2.6% confidently wrong claims (confidence >= 0.8 and wrong),
the held-out openings (hand-labelled after the features were written) 7.6%: on reports whose
wording the features were not written against, the model is confidently wrong three times as
often. One reading: the calibration, fitted on inner folds of reports whose phrasing the
features cover well, does not know when a decision rests on words training never saw. This
variant gives the conditional calibration that signal, scored with ``scripts/try_model10.py``'s
machinery (the card's 5 outer folds grouped by report; C, calibration and back-off fitted on
inner grouped folds of the training reports only; nothing fitted or chosen on an outer fold).

    nice -n 10 .venv/bin/python scripts/try_model19.py --variants baseline,nov --out /tmp/m19.json
        --cache /tmp/m19-ds.pkl

- ``nov``: the conditional calibration also reads the decision's *novelty*, the share of its
  feature columns that the training rows never had (the vectorizer leaves them out at
  prediction): on an inner fold, the columns the other inner folds' rows never had; at
  prediction, the keys the fitted vocabulary lacks. Chosen against isotonic by the inner folds'
  Brier score, as the conditional calibration is today;
- ``nov2``: the novelty counted over the columns fewer than two training reports had;
- ``isoscore`` / ``isoscore0``: the conditional calibration's linear score (with / without the
  novelty) made a confidence by an isotonic curve, a third candidate beside isotonic and the
  conditional one; ``conditional!``, ``isoscore!`` (and ``…0!``): that calibration forced;
- ``knn`` (``knnconditional!``, ``knnisoscore!``): instead of the novelty, the
  similarity-weighted share of the decision's 10 nearest training rows (cosine over the
  regression's input) labelled as it is predicted;
- ``isosplit`` (``isosplit!`` forced): two isotonic curves, for decisions of novelty at most
  the training median and above it;
- ``c1``, ``c05``, ``c16``, ``c8``, ``c1664``: other grids of C (today 1 and 4; 4 is chosen
  in every fold, the grid's edge).
- ``onese``: the conditional calibration chosen over isotonic only when its cross-fitted Brier
  score is lower by more than one standard error of the inner folds' differences.

**What it gave** (session 19, main at 8ac8671; the card's folds; cw = confidently wrong):

| variant | micro | macro | cw | ECE | calibration per fold |
| --- | --- | --- | --- | --- | --- |
| baseline | 0.8393 | 0.8386 | 53/2025 2.6% | 0.016 | iso, cond, iso, iso, iso |
| nov / nov2 | 0.8395 | 0.8386 | 53/2024 2.6% | 0.015 / 0.013 | the same |
| isoscore | 0.8395 | 0.8386 | 53/2024 2.6% | 0.015 | the same (never chosen) |
| conditional! / conditional0! | 0.8411 / 0.8405 | 0.8395 / 0.8394 | 67 / 62 | 0.018 / 0.024 | forced |
| isoscore! / isoscore0! | 0.8399 / 0.8411 | 0.8393 / 0.8397 | 69 / 61 | 0.028 / 0.032 | forced |
| knn | 0.8398 | 0.8387 | 55 2.7% | 0.021 | cond, cond, iso, iso, iso |
| knnconditional! / knnisoscore! | 0.8415 / 0.8406 | 0.8397 / 0.8396 | 63 / 64 | 0.024 / 0.029 | forced |
| isosplit / isosplit! | 0.8378 / 0.8373 | 0.8385 / 0.8384 | 57 / 67 | 0.020 / 0.019 | split, split, iso, iso, iso / forced |
| c1 / c05 | 0.8339 / 0.8257 | 0.8376 / 0.8358 | 70 / 72 | 0.019 / 0.018 | all cond |
| c16 / c8 / c1664 | 0.8420 / 0.8386 / 0.8420 | 0.839 | 70 / 70 / 70 | 0.025 / 0.025 / 0.013 | C 16 or 64 mostly |

The novelty is real: on the inner folds, of the decisions with a top probability >= 0.9, the
quarter with the newest features is wrong 6-12% of the time, the quarter with the most familiar
2%. But it does not lower the Brier score of a calibration that reads it below isotonic's on the
top probability alone (0.1166-0.1219 against 0.1152-0.1204, fold by fold, either way), and
forcing any of these calibrations raises the confidently wrong count (61-69). A wider or
narrower grid of C raises it too (70-72). Across these variants the count moves between 53 and
72 on the same 2025 claims: the baseline's 53 is the lowest seen, and differences of a few
claims between variants are within what a change of calibration or C alone moves. None is
adopted; the held-out openings were not scored (nothing to choose).

After the sections change (f462e17: 21 more openings sectioned, their items now in their
overview; the model retrained at af6c1d1), the same baseline gives 64/2029 (3.1%), calibration
per fold iso, cond, iso, cond, cond; ``onese`` and ``iso`` both 71/2029 (3.5%, isotonic in every
fold). The count moves by a tenth or more with a change of a few items and one feature's value on
a twentieth of the reports: a figure to quote with its spread (53-72 here), not to the claim.

``--heldout nov``: fitted on every hand label and scored once on data/heldout.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

import try_model10 as base  # noqa: E402
from nlp.model.estimators import ClaimClassifier  # noqa: E402
from nlp.model.features import ClaimFeatures  # noqa: E402
from nlp.model.train import MODEL_PARAMS  # noqa: E402


class Novelty(ClaimClassifier):
    """The conditional calibration reading the share of a decision's features training lacked."""

    min_reports = 1

    def _matrix(self, X, fit, labelled=None):
        M = super()._matrix(X, fit, labelled)
        if fit and self.features == "claims":
            self._M_fit = M
        return M

    def _folds(self, y, groups):  # the groups of the rows the regression fits (the zeros set apart)
        self._groups_fit = None if groups is None else np.asarray(groups)
        return super()._folds(y, groups)

    def _seen(self, B, rows) -> np.ndarray:
        """Columns at least ``min_reports`` reports among ``rows`` had."""
        if self.min_reports <= 1 or self._groups_fit is None or len(self._groups_fit) != B.shape[0]:
            return np.asarray(B[rows].sum(axis=0)).ravel() > 0
        g = self._groups_fit[rows]
        _, gi = np.unique(g, return_inverse=True)
        G = sp.csr_matrix((np.ones(len(rows)), (gi, np.arange(len(rows)))))
        per_report = (G @ B[rows]) > 0
        return np.asarray(per_report.sum(axis=0)).ravel() >= self.min_reports

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        B = sp.csr_matrix(self._M_fit, copy=True)
        B.data = np.ones_like(B.data)
        nnz = np.maximum(np.diff(B.indptr), 1)
        nov = np.zeros(B.shape[0])
        for tr, te in folds:
            unseen = (~self._seen(B, tr)).astype(float)
            nov[te] = (B[te] @ unseen) / nnz[te]
        if self.min_reports > 1:
            self.seen_ = self._seen(B, np.arange(B.shape[0]))
        with base._extra_confidence_features(nov[:, None]):
            return super()._choose_calibration(P, pred, ok, w, weak, folds)

    def _novelty(self, X) -> np.ndarray:
        voc = self.vectorizer_.vocabulary_
        seen = getattr(self, "seen_", None)
        out = np.zeros(len(X))
        for i, d in enumerate(ClaimFeatures().transform(list(X))):
            cols = [voc.get(k) for k in d]
            new = sum(c is None or (seen is not None and not seen[c]) for c in cols)
            out[i] = new / max(len(cols), 1)
        return out

    def _recalibrate(self, P, X=None, weaks=None):
        if getattr(self, "confidence_model_", None) is None or X is None or not len(P):
            return super()._recalibrate(P, X, weaks)
        with base._extra_confidence_features(self._novelty(X)[:, None]):
            return super()._recalibrate(P, X, weaks)


class Novelty2(Novelty):
    min_reports = 2


def _fold_novelty(self, folds):
    B = sp.csr_matrix(self._M_fit, copy=True)
    B.data = np.ones_like(B.data)
    nnz = np.maximum(np.diff(B.indptr), 1)
    nov = np.zeros(B.shape[0])
    for tr, te in folds:
        nov[te] = (B[te] @ (~self._seen(B, tr)).astype(float)) / nnz[te]
    return nov


Novelty._fold_novelty = _fold_novelty


class IsoScore(Novelty):
    """The conditional calibration's linear score (its features, with the novelty when
    ``novelty``) made a confidence by an isotonic curve instead of the logistic function: the
    score ranks the decisions (the novelty among its terms), the isotonic curve, monotone but
    of any shape, maps the rank to the share right. Cross-fitted on the inner folds against
    isotonic on the top probability and the conditional calibration, by the Brier score."""

    novelty = True
    force = None

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        from collections import Counter

        from nlp.model import estimators as est
        nov = self._extra_fit if hasattr(self, "_extra_fit") else self._fold_novelty(folds)
        ranked = np.sort(P, axis=1)
        top = ranked[:, -1]
        labels = sorted(c for c, n in Counter(map(str, pred)).items() if n >= est.CONDITIONAL_MIN_PREDICTIONS)
        F = est._confidence_features(top, ranked[:, -2], np.array([a == b for a, b in zip(weak, pred)], float),
                                     pred, labels)
        if self.novelty:
            F = np.hstack([F, nov[:, None]])
        brier = {"isotonic": 0.0, "conditional": 0.0, "isoscore": 0.0}
        inner = _inner_folds(P, ok, w, folds)
        if inner is None:
            return "isotonic", None
        for tr, te, wt, iso_sq in inner:
            brier["isotonic"] += iso_sq
            cm = est._fit_conditional(F[tr], ok[tr], wt)
            brier["conditional"] += float(((est._apply_conditional(cm, F[te]) - ok[te]) ** 2).sum())
            curve = _fit_curve(F[tr] @ cm[0], ok[tr], wt)
            brier["isoscore"] += float(((np.interp(F[te] @ cm[0], *curve) - ok[te]) ** 2).sum())
        self.calibration_brier_ = {k: round(v / len(ok), 5) for k, v in brier.items()}
        best = self.force or min(brier, key=lambda k: (round(brier[k], 9), k))
        if best == "isotonic":
            return "isotonic", None
        cm = est._fit_conditional(F, ok, w)
        out = {"labels": labels, "coef": cm[0], "intercept": cm[1]}
        if best == "isoscore":
            out["curve"] = _fit_curve(F @ cm[0], ok, w)
        return best, out

    def _recalibrate(self, P, X=None, weaks=None):
        cm = getattr(self, "confidence_model_", None)
        if cm is None or X is None or not len(P):
            return ClaimClassifier._recalibrate(self, P, X, weaks)
        from nlp.model import estimators as est
        from nlp.model.rules import weak_label
        top, pred = P.max(axis=1), self.regression_.classes_[P.argmax(axis=1)]
        second = np.sort(P, axis=1)[:, -2] if P.shape[1] > 1 else np.zeros(len(P))
        weaks = weaks if weaks is not None else [weak_label(r) for r in X]
        agree = np.array([wk[0] == p for wk, p in zip(weaks, pred)], dtype=float)
        F = est._confidence_features(top, second, agree, pred, cm["labels"])
        if self.novelty:
            F = np.hstack([F, self._novelty(X)[:, None]])
        if "curve" in cm:
            new = np.interp(F @ cm["coef"], *cm["curve"])
        else:
            new = est._apply_conditional((cm["coef"], cm["intercept"]), F)
        return _with_top(P, new)


class IsoScore0(IsoScore):
    novelty = False


class Neighbours(IsoScore):
    """The conditional calibration (and the isotonic curve over its score) reading, instead of
    the novelty, how far the decision's nearest training rows agree with it: of the ``k`` rows
    of training most like it (cosine over the regression's input, the labelling functions'
    columns included), the similarity-weighted share whose label is the predicted one. Where
    like phrasing was labelled otherwise (a category that is a key area in one report and a
    part in another), the decision is less safe than its probability says."""

    k = 10

    def fit(self, X, y, sample_weight=None, groups=None):
        self._y_all = None
        return super().fit(X, y, sample_weight=sample_weight, groups=groups)

    def _folds(self, y, groups):
        self._y_fit = np.asarray(y).astype(str)
        return super()._folds(y, groups)

    @staticmethod
    def _unit(M):
        M = sp.csr_matrix(M, dtype=float)
        norms = np.sqrt(np.asarray(M.multiply(M).sum(axis=1)).ravel())
        return sp.diags(1.0 / np.maximum(norms, 1e-12)) @ M

    def _agreement(self, Q, R, labels, pred) -> np.ndarray:
        S = (Q @ R.T).toarray()
        out = np.zeros(Q.shape[0])
        k = min(self.k, S.shape[1])
        idx = np.argpartition(-S, k - 1, axis=1)[:, :k]
        for i in range(Q.shape[0]):
            s = np.maximum(S[i, idx[i]], 0)
            same = labels[idx[i]] == str(pred[i])
            out[i] = float((s * same).sum() / s.sum()) if s.sum() > 0 else 0.5
        return out

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        U = self._unit(self._M_fit)
        y = self._y_fit
        agree = np.zeros(U.shape[0])
        for tr, te in folds:
            agree[te] = self._agreement(U[te], U[tr], y[tr], pred[te])
        self._train_unit, self._train_y = U, y
        self._extra_fit = agree
        return super()._choose_calibration(P, pred, ok, w, weak, folds)

    def _novelty(self, X):  # the extra column: the neighbours' agreement
        return self._extra_at_predict

    def _recalibrate(self, P, X=None, weaks=None):
        if getattr(self, "confidence_model_", None) is not None and X is not None and len(P):
            pred = self.regression_.classes_[P.argmax(axis=1)]
            Q = self._unit(self._matrix(X, fit=False))
            self._extra_at_predict = self._agreement(Q, self._train_unit, self._train_y, pred)
        return super()._recalibrate(P, X, weaks)


class IsoSplit(Novelty):
    """Two isotonic curves over the top probability, one for the decisions whose novelty is at
    most the training decisions' median, one for the rest (the curve of the new-worded ones can
    sit lower); chosen against the one curve and the conditional calibration by the inner
    folds' cross-fitted Brier score."""

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        nov = self._fold_novelty(folds)
        top = P.max(axis=1)
        from nlp.model import estimators as est
        brier = {"isotonic": 0.0, "isosplit": 0.0}
        inner = _inner_folds(P, ok, w, folds)
        if inner is None:
            return "isotonic", None
        for tr, te, wt, iso_sq in inner:
            brier["isotonic"] += iso_sq
            brier["isosplit"] += float(((_split_apply(_split_fit(P[tr], nov[tr], ok[tr], wt), top[te], nov[te])
                                         - ok[te]) ** 2).sum())
        self.calibration_brier_ = {k: round(v / len(ok), 5) for k, v in brier.items()}
        best = self.force or min(brier, key=lambda k: (round(brier[k], 9), k))
        if best == "isotonic":
            return "isotonic", None
        return "isosplit", {"split": _split_fit(P, nov, ok, w)}

    force = None

    def _recalibrate(self, P, X=None, weaks=None):
        cm = getattr(self, "confidence_model_", None)
        if cm is None or X is None or not len(P):
            return ClaimClassifier._recalibrate(self, P, X, weaks)
        return _with_top(P, _split_apply(cm["split"], P.max(axis=1), self._novelty(X)))


def _split_fit(P, nov, ok, w):
    from nlp.model import estimators as est
    q = float(np.median(nov))
    lo = nov <= q
    curves = []
    for m in (lo, ~lo):
        if m.sum() < 20 or len(np.unique(ok[m])) < 2:
            m = np.ones(len(ok), bool)
        curves.append(est._fit_isotonic(P[m], ok[m], None if w is None else w[m]))
    return q, curves[0], curves[1]


def _split_apply(split, top, nov):
    q, a, b = split
    return np.where(nov <= q, np.interp(top, a[0], a[1]), np.interp(top, b[0], b[1]))


class OneSE(ClaimClassifier):
    """The conditional calibration chosen over isotonic only when its cross-fitted Brier score
    is lower by more than one standard error of the inner folds' differences (the simpler
    calibration unless the other is better by more than the folds' noise)."""

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        from nlp.model import estimators as est
        top = P.max(axis=1)
        second = np.sort(P, axis=1)[:, -2] if P.shape[1] > 1 else np.zeros(len(P))
        agree = np.array([a == b for a, b in zip(weak, pred)], dtype=float)
        from collections import Counter
        labels = sorted(c for c, n in Counter(map(str, pred)).items() if n >= est.CONDITIONAL_MIN_PREDICTIONS)
        F = est._confidence_features(top, second, agree, pred, labels)
        diffs = []
        for tr, te in folds:
            if len(np.unique(ok[tr])) < 2:
                return "isotonic", None
            wt = None if w is None else w[tr]
            iso = est._fit_isotonic(P[tr], ok[tr], wt)
            bi = ((np.interp(top[te], iso[0], iso[1]) - ok[te]) ** 2).mean()
            bc = ((est._apply_conditional(est._fit_conditional(F[tr], ok[tr], wt), F[te]) - ok[te]) ** 2).mean()
            diffs.append(bi - bc)
        d = np.asarray(diffs)
        se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else np.inf
        if d.mean() > se:
            cm = est._fit_conditional(F, ok, w)
            return "conditional", {"labels": labels, "coef": cm[0], "intercept": cm[1]}
        return "isotonic", None


def _forced(cls, how):
    return type(cls.__name__ + how, (cls,), {"force": how})


def _inner_folds(P, ok, w, folds):
    """Each inner fold as ``(train, test, train weights, isotonic's squared errors on test)``
    (the curve fitted on the other folds), or None when a fold's training rows are all right or
    all wrong."""
    from nlp.model import estimators as est
    top, out = P.max(axis=1), []
    for tr, te in folds:
        if len(np.unique(ok[tr])) < 2:
            return None
        wt = None if w is None else w[tr]
        iso = est._fit_isotonic(P[tr], ok[tr], wt)
        out.append((tr, te, wt, float(((np.interp(top[te], iso[0], iso[1]) - ok[te]) ** 2).sum())))
    return out


def _with_top(P, new):
    """``P`` with each row's top probability made ``new`` and the rest shared in proportion (the
    top label stays on top), as ``ClaimClassifier._recalibrate`` does."""
    rows, j = np.arange(len(P)), P.argmax(axis=1)
    top = P[rows, j]
    rest = np.where(top < 1.0, (1.0 - new) / np.maximum(1.0 - top, 1e-12), 0.0)
    out = P * rest[:, None]
    second = np.sort(out, axis=1)[:, -2]
    out[rows, j] = np.maximum(new, second)
    return out / out.sum(axis=1, keepdims=True)


def _fit_curve(score, ok, w):
    from sklearn.isotonic import IsotonicRegression
    reg = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(score, ok, sample_weight=w)
    return np.asarray(reg.X_thresholds_, dtype=float), np.asarray(reg.y_thresholds_, dtype=float)


_BASE_VARIANT, _BASE_PARAMS = base.variant, base.variant_params


def variant(name: str) -> type:
    table = {"nov": Novelty, "nov2": Novelty2, "isoscore": IsoScore, "isoscore0": IsoScore0}
    table["knn"] = Neighbours
    table["isosplit"] = IsoSplit
    table["onese"] = OneSE
    table["isosplit!"] = _forced(IsoSplit, "isosplit")
    table.update({c: ClaimClassifier for c in _CS})
    for how in ("conditional", "isoscore"):
        table[f"knn{how}!"] = _forced(Neighbours, how)
        table[f"{how}!"] = _forced(IsoScore, how)
        table[f"{how}0!"] = _forced(IsoScore0, how)
    return table[name] if name in table else _BASE_VARIANT(name)


_CS = {"c1": [1.0], "c05": [0.5], "c16": [4.0, 16.0], "c8": [2.0, 4.0, 8.0], "c1664": [4.0, 16.0, 64.0]}


def variant_params(name: str) -> dict:
    if name in _CS:
        return {**MODEL_PARAMS, "Cs": _CS[name]}
    return MODEL_PARAMS if name in ("nov", "nov2", "isoscore", "isoscore0") or name.endswith("!") or name in ("knn", "isosplit", "onese") else _BASE_PARAMS(name)


if __name__ == "__main__":
    base.variant, base.variant_params = variant, variant_params
    base.main()
