"""nlp/model/persist.py: skops files with trusted types only, and the model of a spec."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.errors import XxgkError
from nlp.model.estimators import ClaimClassifier, RulesClassifier
from nlp.model.persist import TRUSTED_TYPES, load_model, load_model_file, save_model
from builders import RECORD_LABELS as LABELS_OF, RECORDS


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


def test_a_spec_names_the_model(tmp_path):
    assert isinstance(load_model("rules"), RulesClassifier)
    clf = ClaimClassifier(cv=2).fit(RECORDS, LABELS_OF)
    assert load_model(clf) is clf
    with pytest.raises(XxgkError) as e:
        load_model(tmp_path / "none.skops")
    assert e.value.code == "E013" and "xxgk model train" in str(e.value)
