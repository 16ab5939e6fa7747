"""Issue 10, session 9: variants aimed at the confidently wrong claims (confidence >= 0.8 and
wrong), scored with ``scripts/try_model10.py``'s machinery (the card's 5 outer folds grouped by
report, ``stage_decisions`` + ``score_stage``; C, calibration and back-off fitted on inner grouped
folds of the training reports only).

    nice -n 10 .venv/bin/python scripts/try_confident.py --variants baseline,second --out /tmp/s9.json

Variants (besides try_model10's, e.g. ``iso``, ``cues``):

- ``second``: the conditional calibration also reads which label came second (one column per
  label predicted at least ``CONDITIONAL_MIN_PREDICTIONS`` times on the inner folds): a part
  whose runner-up is key_areas is not as safe as a part whose runner-up is other;
- ``abstain``: the conditional calibration told when the labelling functions abstained (their
  fallback ``other`` at 0.5), and when the model's ``other`` agrees with that abstention;
- ``boosted``: ``second`` + ``abstain`` + in a list, the count before it, the labelling
  functions' confidence, with the conditional calibration's logistic regression replaced by a
  small gradient-boosted tree model (interactions);
- ``headverb``: features of the clause's verb (the last publishing/handling verb before the
  number) and subject (its first word), and of a list item's head (the words before the
  total's number, before 其中/包括);
- ``nobal``: the regression without class weights (today: balanced); ``c4`` / ``nobalc4``: C
  fixed at 4.0 (no per-fold choice: its noise out of a comparison); ``nobaliso``: + isotonic;
- combinations of the first four joined by ``+`` (``second+abstain``).

Besides the card's figures, compare variants at equal review load (how many of the N most
confident claims are wrong): a variant that only lowers its confidences scores fewer
confidently wrong claims without ranking its errors lower.
"""

from __future__ import annotations

import contextlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402

import try_model10 as base  # noqa: E402
from try_model10 import _extra_confidence_features  # noqa: E402
from nlp.model import estimators  # noqa: E402
from nlp.model.estimators import ClaimClassifier  # noqa: E402


class Second(ClaimClassifier):
    """The conditional calibration reading the runner-up label too."""

    def _second_onehot(self, P: np.ndarray, classes: np.ndarray) -> np.ndarray:
        labels = self._second_labels
        index = {lab: i for i, lab in enumerate(labels)}
        F = np.zeros((len(P), len(labels)))
        if P.shape[1] < 2:
            return F
        j2 = np.argsort(P, axis=1)[:, -2]
        for i, j in enumerate(j2):
            k = index.get(str(classes[j]))
            if k is not None:
                F[i, k] = 1.0
        return F

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        counts: dict = {}
        for c in pred:
            counts[str(c)] = counts.get(str(c), 0) + 1
        self._second_labels = sorted(c for c, n in counts.items() if n >= estimators.CONDITIONAL_MIN_PREDICTIONS)
        classes = np.unique(self._y_sel)
        with _extra_confidence_features(self._second_onehot(P, classes)):
            return super()._choose_calibration(P, pred, ok, w, weak, folds)

    def _select(self, cs, M, y, w, folds, weak=None):
        self._y_sel = y
        return super()._select(cs, M, y, w, folds, weak)

    def _recalibrate(self, P, X=None, weaks=None):
        if getattr(self, "confidence_model_", None) is None or X is None or not len(P):
            return super()._recalibrate(P, X, weaks)
        with _extra_confidence_features(self._second_onehot(P, self.regression_.classes_)):
            return super()._recalibrate(P, X, weaks)


class Abstain(base.CondX):
    """The conditional calibration told when the labelling functions abstained (their fallback
    ``other`` at 0.5): the model agreeing with an abstention is no agreement."""

    def _extra(self, X, pred) -> np.ndarray:
        F = np.zeros((len(X), 2))
        for i, (r, p) in enumerate(zip(X, pred)):
            lab, conf = base.weak_label(r)
            F[i, 0] = float(lab == "other" and conf <= 0.5)
            F[i, 1] = F[i, 0] * float(str(p) == "other")
        return F




@contextlib.contextmanager
def _boosted_conditional():
    """The conditional calibration's logistic regression replaced by a small gradient-boosted
    tree model (interactions: a part whose runner-up is key_areas, in a list, ...)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    fit0, apply0 = estimators._fit_conditional, estimators._apply_conditional

    def fit(F, ok, w):
        m = HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_depth=3,
                                           min_samples_leaf=40, l2_regularization=1.0, random_state=0)
        return m.fit(F, ok, sample_weight=w), 0.0

    def apply(cm, F):
        return cm[0].predict_proba(F)[:, 1]

    estimators._fit_conditional, estimators._apply_conditional = fit, apply
    try:
        yield
    finally:
        estimators._fit_conditional, estimators._apply_conditional = fit0, apply0


class Boosted(Second, Abstain):
    """The conditional calibration as boosted trees over the top probability, margin, agreement,
    predicted and runner-up label, the labelling functions' abstention, in a list."""

    def _extra(self, X, pred):
        F = super()._extra(X, pred)
        G = np.array([[float(bool(r.get("in_list"))), min(int(r.get("n_before") or 0), 3),
                       base.weak_label(r)[1]] for r in X]).reshape(len(X), 3)
        return np.hstack([F, G])

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        with _boosted_conditional():
            return super()._choose_calibration(P, pred, ok, w, weak, folds)

    def _recalibrate(self, P, X=None, weaks=None):
        with _boosted_conditional():
            return super()._recalibrate(P, X, weaks)



_VERB = re.compile(r"发布|公开|推送|回复|答复|办理|受理|接听|刊登|播出|解读|召开|举办|收到|更新|上传|报送|"
                   r"提供|开展|组织|征集|转载|编发|印发|制发|审查|清理|回应|处理|办结|接收|录入|发送")
_LIST = re.compile(r"其中|包括|分别|包含")
_NUMBER = re.compile(r"[0-9０-９.,，万余多]+\s*[条件个篇项次期份场]?$")


def head_verb(r: dict) -> dict:
    """The clause's verb (the last publishing/handling verb before the number) and subject (its
    first word), and for an item of a list the head the list hangs from (the words before the
    total's number, before 其中/包括)."""
    f: dict = {}
    left = [t for t in r.get("left_tokens", []) if t.strip()]
    if left:
        f["subj=" + left[0]] = 1.0
    cleft = r.get("left") or ""
    verbs = _VERB.findall(cleft)
    f["verb=" + (verbs[-1] if verbs else "NONE")] = 1.0
    sent, s0 = r.get("sentence") or "", r.get("sent_start", 0)
    before = sent[:max(0, r.get("start", s0) - s0)]
    cue = None
    for cue in _LIST.finditer(before):
        pass
    if cue is not None:
        head = re.split(r"[，,；;：:]", before[:cue.start()].rstrip("，,：: "))[-1]
        head = _NUMBER.sub("", head)[-8:]
        for a, b in zip(head, head[1:]):
            f["HD2=" + a + b] = 0.3
        hv = _VERB.findall(head)
        f["headverb=" + (hv[-1] if hv else "NONE")] = 1.0
    return f


class HeadVerb(ClaimClassifier):
    """Today's features plus ``head_verb``'s."""

    def _matrix(self, X, fit, labelled=None):
        M = super()._matrix(X, fit, labelled)
        if self.features != "claims":
            return M
        dicts = [head_verb(r) for r in X]
        if fit:
            self.hv_ = DictVectorizer()
            H = self.hv_.fit_transform(dicts)
            keep = np.asarray((H != 0).sum(axis=0)).ravel() >= max(self.min_df, 2)
            self.hv_.restrict(keep)
        H = self.hv_.transform(dicts)
        return sp.hstack([M, H], format="csr")


class Tol(ClaimClassifier):
    """The regression solved to a tolerance of ``1e-4`` (today 1e-3): a model near the same
    optimum whatever small change of the features (less noise between variants)?"""

    tol = 1e-4

    def _regression(self, C, M, y, w, init=None):
        lr = estimators.LogisticRegression(C=C, solver="lbfgs", tol=self.tol, max_iter=3000,
                                           class_weight=self.class_weight)
        with estimators.warnings.catch_warnings():
            estimators.warnings.filterwarnings("ignore", category=estimators.ConvergenceWarning)
            return lr.fit(M, y, sample_weight=w)


VARIANTS = {"tol": Tol, "second": Second, "abstain": Abstain, "boosted": Boosted, "headverb": HeadVerb}
_orig_variant = base.variant


def variant(name: str) -> type:
    parts = name.split("+")
    if all(p in VARIANTS for p in parts):
        if len(parts) == 1:
            return VARIANTS[parts[0]]
        return type(name, tuple(VARIANTS[p] for p in parts), {})
    return _orig_variant(name)


base.variant = variant
_orig_params = base.variant_params


def variant_params(name: str) -> dict:
    """``nobal``: the regression without class weights (today: balanced)."""
    params = dict(_orig_params(name))
    if name.startswith("nobal"):
        params["class_weight"] = None
    if name.endswith("c4") or name == "tolc4":  # no C choice: the per-fold choice's noise out of a comparison
        params["Cs"] = [4.0]
    return params


base.variant_params = variant_params
VARIANTS.update({k: ClaimClassifier for k in ("nobal", "c4", "nobalc4", "nobaliso")})
VARIANTS["tolc4"] = Tol
VARIANTS["tol5"] = type("tol5", (Tol,), {"tol": 1e-5})

if __name__ == "__main__":
    base.main()
