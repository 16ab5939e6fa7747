"""nlp/model/rules.py: the labelling functions."""

from __future__ import annotations

from nlp.model.estimators import RulesClassifier
from nlp.model.features import ClaimFeatures
from nlp.model.rules import rule_label, weak_label
from builders import claim_record as _rec


def test_the_rules_name_the_quantity_or_fall_back_to_other():
    assert rule_label(_rec("共收到政府信息公开申请")) == ("requests.new", 0.85)
    assert rule_label(_rec("申请行政诉讼"))[0] == "litigation.total"
    assert rule_label({"kind": "date"}) == ("not_a_claim", 0.99)
    assert rule_label({"kind": "zero", "objects": ["行政复议"]}) == ("reconsideration.total", 0.95)
    assert rule_label(_rec("组织培训", "期")) == ("other", 0.5)


def test_weak_label_extends_the_rules_where_they_fall_back():
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
