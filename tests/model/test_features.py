"""nlp/model/features.py: claim records become the features the classifier reads."""

from __future__ import annotations

from nlp.model.features import ClaimFeatures
from builders import claim_record as _rec


def test_features_are_words_around_the_number():
    f = ClaimFeatures().fit_transform([_rec("收到申请", qualifier="近", section="overview")])[0]
    assert f["u=件"] == 1 and f["q=近"] == 1 and f["sec=overview"] == 1 and f["l1=请"] == 1


def _in_sentence(sentence: str, number: str, unit: str = "条") -> dict:
    """A claim record of the first ``number`` + ``unit`` of ``sentence`` (spans in the sentence)."""
    i = sentence.index(number + unit)
    return _rec(sentence[:i].split("，")[-1].split(",")[-1], unit, value=float(number), sentence=sentence,
                sent_start=0, start=i, end=i + len(number))


def test_structure_says_a_total_its_list_adds_up_to_and_a_channel_beside_another():
    s = "通过政府网站主动公开政府信息48条,其中动态类信息8条、通知公告40条"
    total = ClaimFeatures().transform([_in_sentence(s, "48")])[0]
    part = ClaimFeatures().transform([_in_sentence(s, "40")])[0]
    assert total.get("sum=of_following") == 1.0 and total.get("size=largest") == 1.0
    assert "sum=of_following" not in part and part.get("size=above_prev") == 1.0
    assert total.get("chan=own_clause") == 1.0 and total.get("chan=first_count") == 1.0
    s2 = "门户网站发布信息3156条,微信公众号发布信息389条"
    second = ClaimFeatures().transform([_in_sentence(s2, "389")])[0]
    assert second.get("chan=after_another") == 1.0 and second.get("size=below_prev") == 1.0
    assert "sum=of_following" not in ClaimFeatures(structure=False).transform([_in_sentence(s, "48")])[0]
