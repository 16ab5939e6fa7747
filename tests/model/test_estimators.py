"""nlp/model/estimators.py: the sklearn contract (estimator checks), calibration, the baseline.

``ClaimClassifier`` takes claim records (dicts) by default. scikit-learn's estimator checks
feed numeric arrays, so they run on the same class with ``features="numeric"`` (the same
fit/predict_proba code, the featurizer step left out); the records path is tested below.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks

from nlp.metrics import LABELS
from nlp.model.estimators import ClaimClassifier, RulesClassifier
from nlp.model.rules import rule_label
from builders import RECORD_LABELS as LABELS_OF, RECORDS, claim_record as _rec


def _expected_failures(estimator):
    return {
        # the inner folds (the choice of C, the calibration) see a repeated row twice but a
        # weighted row once, so a weight of 2 and a repeated row give slightly different models
        "check_sample_weight_equivalence_on_dense_data": "calibration folds differ for repeated rows",
    }


@parametrize_with_checks([ClaimClassifier(features="numeric")], expected_failed_checks=_expected_failures)
def test_sklearn_contract(estimator, check):
    check(estimator)


def test_records_fit_and_calibrated_proba():
    clf = ClaimClassifier(cv=2).fit(RECORDS, LABELS_OF)
    assert list(clf.classes_) == sorted(set(LABELS_OF))
    p = clf.predict_proba([_rec("收到申请"), _rec("主动公开信息", "条")])
    assert p.shape == (2, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert list(clf.predict([_rec("收到申请"), _rec("主动公开信息", "条")])) == ["requests.new", "proactive.total"]


def test_a_class_with_one_example_still_fits():
    clf = ClaimClassifier().fit(RECORDS + [_rec("行政诉讼")], LABELS_OF + ["litigation.total"])
    assert "litigation.total" in clf.classes_
    assert clf.predict_proba(RECORDS[:1]).shape == (1, 4)


def test_rare_labels_are_decided_as_the_labelling_functions_decide_them():
    """``rule_backoff="rare"``: on a label of fewer than ``backoff_support`` training examples
    the model answers as the labelling functions do, wherever either names it (never worse
    than them on that label, by construction); the frequent labels stay the regression's."""
    from nlp.model.rules import weak_label

    rare = [_rec("行政强制事项", "条"), _rec("公开办结行政许可", "条")]
    X = RECORDS * 2 + rare
    y = LABELS_OF * 2 + ["coercion.decisions", "proactive.part"]  # the second: the rules name it otherwise
    clf = ClaimClassifier(cv=2, rule_backoff="rare", backoff_support=3, labels=list(LABELS)).fit(X, y)
    assert "coercion.decisions" in clf.backoff_ and "licensing.decisions" in clf.backoff_
    assert "requests.new" not in clf.backoff_ and "proactive.part" in clf.backoff_
    probe = [_rec("行政强制措施", "条"), _rec("行政许可", "条"), _rec("收到政府信息公开申请")]
    pred = clf.predict(probe)
    for r, p in zip(probe, pred):
        if weak_label(r)[0] in clf.backoff_ or p in clf.backoff_:
            assert p == weak_label(r)[0]
    assert pred[2] == "requests.new"
    conf = clf.predict_proba(probe).max(axis=1)
    assert conf[0] == pytest.approx(clf.backoff_confidence_["coercion.decisions"])


def test_init_stores_only_and_clone_matches():
    clf = ClaimClassifier(Cs=(2.0,), cv=4)
    assert clone(clf).get_params() == clf.get_params()
    with pytest.raises(NotFittedError):
        clf.predict_proba(RECORDS)
    with pytest.raises(ValueError):
        ClaimClassifier(calibration="magic").fit(RECORDS, LABELS_OF)
    with pytest.raises(ValueError):
        ClaimClassifier(Cs=(-1.0,)).fit(RECORDS, LABELS_OF)


def _grouped(n_groups=6, per_group=8, seed=0):
    """Records of two labels told apart by a word, in groups (reports), some rows mislabelled."""
    rng = np.random.RandomState(seed)
    X, y, g = [], [], []
    for k in range(n_groups):
        for i in range(per_group):
            label = ("requests.new", "proactive.total")[i % 2]
            left = ("收到申请", "主动公开信息")[i % 2] + "第" * rng.randint(3)
            X.append(_rec(left, "件" if i % 2 == 0 else "条"))
            y.append(label if rng.rand() > 0.15 else ("proactive.total", "requests.new")[i % 2])
            g.append(f"r{k}")
    return X, y, g


@pytest.mark.parametrize("calibration", ["temperature", "isotonic", "auto"])
def test_choice_and_calibration_are_made_on_folds_grouped_by_report(calibration):
    X, y, g = _grouped()
    clf = ClaimClassifier(Cs=(0.5, 4.0), calibration=calibration).fit(X, y, groups=g)
    assert clf.C_ in (0.5, 4.0) and set(clf.cv_scores_) == {0.5, 4.0}
    raw = ClaimClassifier(Cs=(clf.C_,), calibration=None).fit(X, y)
    p, q = clf.predict_proba(X), raw.predict_proba(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert (p.argmax(axis=1) == q.argmax(axis=1)).all()  # calibration keeps the predicted label
    if calibration == "temperature":
        assert clf.temperature_ > 0 and clf.isotonic_ is None
    elif calibration == "auto":
        # one of the two, chosen by the Brier score cross-fitted on the same grouped folds
        assert clf.calibration_ in ("isotonic", "conditional")
        assert (clf.isotonic_ is None) == (clf.calibration_ == "conditional") == (clf.confidence_model_ is not None)
        assert set(clf.calibration_brier_) == {"isotonic", "conditional"}
    else:
        assert clf.temperature_ == 1.0 and clf.isotonic_ is not None
        # the top probability is the out-of-fold accuracy of its neighbourhood: below 1 here
        assert p.max() < 1.0


def test_warm_started_fits_reach_the_optimum_of_a_cold_fit():
    # the inner fits of the larger C start from the smaller C's solution, the final fit from an
    # inner fold's: the solver (tol 1e-4) ends at the optimum a fit from zero reaches
    X, y, g = _grouped()
    clf = ClaimClassifier(Cs=(0.5, 4.0), calibration=None).fit(X, y, groups=g)
    cold = ClaimClassifier(Cs=(clf.C_,), calibration=None).fit(X, y)
    assert clf.regression_.n_iter_.max() < clf.regression_.max_iter and clf.tol == 1e-4
    np.testing.assert_allclose(clf.regression_.coef_, cold.regression_.coef_, atol=2e-3)
    np.testing.assert_allclose(clf.predict_proba(X), cold.predict_proba(X), atol=1e-3)
    assert not hasattr(clf, "_warm")  # nothing of the inner fits is kept (or persisted)


def test_one_group_leaves_neither_choice_nor_calibration():
    X, y, _ = _grouped(n_groups=1)
    clf = ClaimClassifier(Cs=(0.5, 4.0)).fit(X, y, groups=["r"] * len(y))
    assert (clf.C_, clf.temperature_, clf.cv_scores_) == (0.5, 1.0, {})


def test_rules_classifier_same_api():
    clf = RulesClassifier().fit()
    assert set(LABELS) <= set(clf.classes_)
    p = clf.predict_proba([_rec("受理政府信息公开申请共")])
    assert p.shape == (1, len(clf.classes_))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert clf.predict([_rec("申请行政诉讼")])[0] == "litigation.total"
    assert rule_label({"kind": "date"})[0] == "not_a_claim"


def test_docstring_examples():
    import doctest

    import nlp.model.estimators

    assert doctest.testmod(nlp.model.estimators).failed == 0


def test_the_rows_of_several_reports_get_what_a_call_each_gives_to_the_last_bit():
    """``predict_proba(X, parts=...)`` (a batch's reports decided in one call) gives each
    report's rows exactly what a call of its own gives them (the shipped model, whose
    conditional calibration's matrix-vector product gives a row's last bit by its place)."""
    from nlp.claims import claim_candidates
    from nlp.model import load_model
    from nlp.model.dataset import read_report
    from conftest import seed_path

    clf = load_model(None)
    reports = []
    for prefix in ("000", "001", "002", "003", "004"):
        r = read_report(seed_path(prefix))
        reports.append([x for x in claim_candidates(r.doc, r.sections, r.tables).records if x["kind"] == "quantity"])
    together = clf.predict_proba([x for rows in reports for x in rows], parts=[len(rows) for rows in reports])
    alone = np.concatenate([clf.predict_proba(rows) for rows in reports])
    assert together.shape == alone.shape and np.array_equal(together, alone)
    rules = RulesClassifier().fit()
    assert np.array_equal(rules.predict_proba(reports[0], parts=[len(reports[0])]), rules.predict_proba(reports[0]))
