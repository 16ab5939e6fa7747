"""nlp/model/features.py: claim records become the features the classifier reads."""

from __future__ import annotations

from nlp.model.features import ClaimFeatures
from builders import claim_record as _rec


def test_features_are_words_around_the_number():
    f = ClaimFeatures().fit_transform([_rec("收到申请", qualifier="近", section="overview")])[0]
    assert f["u=件"] == 1 and f["q=近"] == 1 and f["sec=overview"] == 1 and f["l1=请"] == 1
