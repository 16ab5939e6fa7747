"""nlp.classifier: the sklearn contract (estimator checks), calibration, skops round trip.

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

from nlp.classifier import (ClaimClassifier, ClaimFeatures, RulesClassifier, TRUSTED_TYPES,
                            load_model_file, rule_label, save_model)
from nlp.errors import XxgkError
from nlp.metrics import LABELS


def _expected_failures(estimator):
    return {
        # calibration folds see a repeated row twice but a weighted row once, so a weight
        # of 2 and a repeated row give slightly different calibrators (as CalibratedClassifierCV)
        "check_sample_weight_equivalence_on_dense_data": "calibration folds differ for repeated rows",
        # sigmoid calibration re-fits the probabilities on unweighted folds, so an extreme
        # class_weight does not move the predictions as far as the check asks
        "check_class_weight_classifiers": "calibration undoes extreme class weights",
    }


@parametrize_with_checks([ClaimClassifier(features="numeric")], expected_failed_checks=_expected_failures)
def test_sklearn_contract(estimator, check):
    check(estimator)


def _rec(left, unit="件", **kw):
    return {"kind": "quantity", "left": left, "left_tokens": list(left), "unit": unit, "value": 3, **kw}


RECORDS = [_rec("收到政府信息公开申请"), _rec("共收到依申请公开"), _rec("受理申请"), _rec("新收申请"),
           _rec("申请行政复议"), _rec("行政复议案件"), _rec("收到行政复议"), _rec("复议"),
           _rec("主动公开政府信息", "条"), _rec("公开信息", "条"), _rec("发布政府信息", "条"), _rec("主动公开", "条")]
LABELS_OF = ["requests.new"] * 4 + ["reconsideration.total"] * 4 + ["proactive.total"] * 4


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


def test_init_stores_only_and_clone_matches():
    clf = ClaimClassifier(C=2.0, cv=4)
    assert clone(clf).get_params() == clf.get_params()
    with pytest.raises(NotFittedError):
        clf.predict_proba(RECORDS)
    with pytest.raises(ValueError):
        ClaimClassifier(method="magic").fit(RECORDS, LABELS_OF)


def test_features_are_words_around_the_number():
    f = ClaimFeatures().fit_transform([_rec("收到申请", qualifier="近", section="overview")])[0]
    assert f["u=件"] == 1 and f["q=近"] == 1 and f["sec=overview"] == 1 and f["l1=请"] == 1


def test_rules_classifier_same_api():
    clf = RulesClassifier().fit()
    assert set(LABELS) <= set(clf.classes_)
    p = clf.predict_proba([_rec("受理政府信息公开申请共")])
    assert p.shape == (1, len(clf.classes_))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert clf.predict([_rec("申请行政诉讼")])[0] == "litigation.total"
    assert rule_label({"kind": "date"})[0] == "not_a_claim"


def test_skops_round_trip_without_pickle(tmp_path):
    clf = ClaimClassifier(cv=2).fit(RECORDS, LABELS_OF)
    path = save_model(clf, tmp_path / "m.skops")
    with open(path, "rb") as fh:
        assert fh.read(2) == b"PK"  # a skops zip, not a pickle stream
    back = load_model_file(path)
    np.testing.assert_allclose(back.predict_proba(RECORDS), clf.predict_proba(RECORDS))


def test_untrusted_types_are_refused(tmp_path):
    import skops.io as sio

    from nlp.schema import Cell

    path = tmp_path / "bad.skops"
    sio.dump({"x": Cell(value=1, raw="1")}, path)
    with pytest.raises(XxgkError) as e:
        load_model_file(path)
    assert e.value.code == "E010"
    assert "nlp.schema.Cell" not in TRUSTED_TYPES


def test_weak_label_extends_the_rules_where_they_fall_back():
    from nlp.classifier import weak_label

    # an uncued item after a new-media item of the same enumeration
    item = _rec("图文", "条", sentence="推送短视频1113个、图文1775条",
                prev_quantity={"left": "推送短视频", "unit": "个", "gap": 1})
    assert rule_label(item) == ("other", 0.5)
    assert weak_label(item) == ("new_media", 0.6)
    # an uncued count in a sentence about new media
    topic = _rec("开设专栏", "个", sentence="深化政务新媒体矩阵建设,开设专栏33个")
    assert weak_label(topic) == ("new_media", 0.5)
    # the rules' own answer stands; an amount is not a count
    assert weak_label(_rec("收到政府信息公开申请")) == rule_label(_rec("收到政府信息公开申请"))
    assert weak_label(_rec("开设专栏", "万元", sentence="深化政务新媒体矩阵建设,开设专栏33万元"))[0] == "other"
    assert RulesClassifier(weak=True).fit().predict([topic])[0] == "new_media"
    assert RulesClassifier().fit().predict([topic])[0] == "other"
    f = ClaimFeatures().fit_transform([topic])[0]
    assert f["rule=new_media"] > 0 and "rule=other" not in f
    assert "rule=other" in ClaimFeatures(weak=False).fit_transform([topic])[0]
