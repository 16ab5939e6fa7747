"""Does a stacked learner beat the linear model on the same features, under the card's folds?

For each outer fold of the grouped CV: the linear model (``ClaimClassifier``, the shipped
params) is fitted on the training reports; its out-of-fold decision values on inner grouped
folds of those reports, with the labelling functions' answer one-hot, train a small
gradient-boosted model (``HistGradientBoostingClassifier``); both then decide the test
reports' quantities. Prints the accuracy and macro-F1 over the test quantities, the linear
model's argmax against the stack's (no calibration, no back-off: the learners alone).

    .venv/bin/python scripts/try_stacking.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from scipy.special import softmax  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from nlp.model.dataset import group_folds  # noqa: E402
from nlp.model.evaluate import fit  # noqa: E402
from nlp.model.rules import weak_label  # noqa: E402
from nlp.model.train import CV_FOLDS, MODEL_PARAMS  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from try_errors import dataset  # noqa: E402


def stack_features(P: np.ndarray, weak: list[tuple[str, float]], classes: np.ndarray) -> np.ndarray:
    index = {c: i for i, c in enumerate(classes)}
    W = np.zeros((len(weak), len(classes) + 1))
    for i, (lab, conf) in enumerate(weak):
        if lab in index:
            W[i, index[lab]] = 1.0
        W[i, -1] = conf
    return np.hstack([P, W])


def main() -> None:
    ds = dataset(Path("/tmp/xxgk-ds.pkl"))
    reports = [r for r in ds.reports if r in ds.fully_labelled]
    params = {**MODEL_PARAMS, "calibration": None, "Cs": [4.0]}
    golds, lin, stk = [], [], []
    for train, test in group_folds(reports, CV_FOLDS):
        sub = ds.subset(train)
        ex = sub.examples
        X, y, g = [e.record for e in ex], np.array([e.label for e in ex]), np.array([e.report for e in ex])
        m = fit(params, sub)
        classes = m.regression_.classes_
        M = m._matrix(X, fit=False)
        Z = np.zeros((len(y), len(classes)))
        for tr, te in GroupKFold(3).split(M, y, g):
            lr = m._regression(m.C_, M[tr], y[tr], None)
            Zte = np.full((len(te), len(classes)), -30.0)
            Zte[:, [list(classes).index(c) for c in lr.classes_]] = lr.decision_function(M[te])
            Z[te] = Zte
        F = stack_features(softmax(Z, axis=1), [weak_label(r) for r in X], classes)
        gb = HistGradientBoostingClassifier(max_iter=150, learning_rate=0.08, max_depth=4, l2_regularization=1.0,
                                            class_weight="balanced", random_state=0).fit(F, y)
        items = [it for it in ds.items if it.report in set(test) and it.classified and it.source != "implicit"]
        Xt = [it.record for it in items]
        Pt = softmax(m._scores(Xt), axis=1)
        Ft = stack_features(Pt, [weak_label(r) for r in Xt], classes)
        golds += [it.label for it in items]
        lin += list(classes[Pt.argmax(axis=1)])
        stk += list(gb.predict(Ft))
    golds, lin, stk = map(np.array, (golds, lin, stk))
    labels = sorted(set(golds) - {"not_a_claim"})
    for name, p in (("linear", lin), ("stacked", stk)):
        print(f"{name:8s} accuracy {np.mean(p == golds):.4f} micro-F1 {f1_score(golds, p, labels=labels, average='micro'):.4f}"
              f" macro-F1 {f1_score(golds, p, labels=labels, average='macro'):.4f} over {len(golds)} test quantities")


if __name__ == "__main__":
    main()
