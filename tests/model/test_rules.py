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


def test_a_document_column_word_of_its_own_clause_wins_and_lawsuits_after_review():
    """废止规范性文件6件 after 继续有效规范性文件66件 is repealed (its own clause names the
    column, not the clause before); 经复议后起诉的行政诉讼 and 直接起诉 are the two rows of 行政诉讼
    (docs/labelling.md §6)."""
    from nlp.model.rules import rule_label

    rec = {"kind": "quantity", "left": "废止规范性文件", "prev": "梳理出继续有效规范性文件66件", "unit": "件"}
    assert rule_label(rec)[0] == "normative_docs.repealed"
    assert rule_label({**rec, "left": "继续有效规范性文件", "prev": "加强政府信息管理"})[0] == "normative_docs.in_force"
    after = {"kind": "quantity", "left": "因依申请公开工作引起的经复议后起诉的行政诉讼", "prev": "", "unit": "件"}
    assert rule_label(after)[0] == "litigation.after_review"
    assert rule_label({**after, "left": "直接起诉"})[0] == "litigation.direct"
    assert rule_label({**after, "left": "行政诉讼"})[0] == "litigation.total"


def test_calls_are_hotline_questions_mailbox_and_a_caseload_of_every_subject_other():
    """接听转办群众来电 is a hotline's count; 咨询 / 诉求 / 信件 answered are the mailbox's (the guide,
    §3) unless a channel word of its own comes first (电话咨询 is a call); a caseload of reviews
    and lawsuits the agency handles, in a sentence that says nothing of 政府信息公开, is other
    (§8.1), while the reviews against the agency stay the table's."""
    assert rule_label(_rec("接听转办群众来电"))[0] == "hotline"
    assert rule_label(_rec("回复群众诉求"))[0] == "mailbox"
    assert rule_label(_rec("全年收集政策咨询问题", "个"))[0] == "mailbox"
    assert rule_label(_rec("接到网络信件"))[0] == "mailbox"
    assert rule_label(_rec("电话咨询", "人次"))[0] == "hotline"
    assert rule_label(_rec("微信公众号收到咨询", "条"))[0] == "new_media"
    caseload = _rec("受理行政复议申请", sentence="截至11月底,受理行政复议申请56件,目前已办结38件,维持12件")
    assert rule_label(caseload) == ("other", 0.6)
    assert rule_label(_rec("涉行政复议、行政诉讼案件", sentence="涉行政复议、行政诉讼案件743件,结果维持461件"))[0] == "other"
    assert rule_label({**caseload, "section": "review"})[0] == "reconsideration.total"
    assert rule_label({**caseload, "sentence": "受理因政府信息公开引起的行政复议申请56件"})[0] == "reconsideration.total"
    assert rule_label(_rec("被申请行政复议", sentence="本年度被申请行政复议3件"))[0] == "reconsideration.total"


def test_a_published_question_and_answer_category_is_not_the_mailbox():
    """咨询 answered are the mailbox's, the answers published as items too; a collection of
    questions and answers the agency wrote and published is a category of published
    information (the guide, §8.14)."""
    assert rule_label(_rec("发布答复网上咨询问题的信息", "条"))[0] == "mailbox"
    assert rule_label(_rec("办理公众咨询"))[0] == "mailbox"
    assert rule_label(_rec("集中公开发布高频政策咨询事项问答", "条"))[0] != "mailbox"
    assert rule_label(_rec("更新政策咨询问答", "条"))[0] != "mailbox"


def test_a_zero_restated_in_its_sentence_is_one_claim(tmp_path):
    """Guide §8.13: a second phrase of a sentence that denies the same object again is not
    another claim (the reconciliation checks requests.new once); two sentences, two claims;
    a zero of another object in the same sentence stays its own."""
    from nlp.model.dataset import read_report
    from nlp.claims import extract_claims

    path = tmp_path / "report.txt"
    path.write_text("XX局2021年政府信息公开工作年度报告\n一、总体情况\n"
                    "2021年,我局未收到任何要求公开政府信息的申请,无依申请公开政府信息。"
                    "本年度未收到政府信息公开行政复议申请,未收到政府信息公开申请。\n", "utf-8")
    r = read_report(path)
    for model in ("rules", None):
        zeros = [(c.metric, c.text) for c in extract_claims(r.doc, r.sections, r.tables, model=model)
                 if c.value == 0]
        assert sorted(m for m, _ in zeros) == ["reconsideration.total", "requests.new", "requests.new"], zeros
