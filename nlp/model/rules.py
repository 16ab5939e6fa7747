"""The labelling functions: what the keyword rules say a claim record is.

    rule_label(record) -> (label, confidence)     the keyword rules (the RulesClassifier baseline)
    weak_label(record) -> (label, confidence)     the rules, extended by the list and the topic
    sentence_topic(record) -> label or None       what the sentence is about, from its first clause

A *claim record* is the plain dict ``nlp.claims.claim_record`` builds from the spaCy pipeline
(``left``/``left_tokens``: the clause before the number, ``prev``/``prev_tokens``: the clause
before that, ``right_tokens``, ``sentence``, ``unit``, ``qualifier``, ``section``, ``kind``,
``in_list``, ``prev_quantity``, ``value``).

These functions read the record alone (never a table): the model reads their answer as a
feature (``nlp.model.features``), the baseline answers with it (``nlp.model.estimators``), and
they label training data where nothing better speaks (``nlp.model.weak``).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, Optional

from nlp.metrics import ZERO_OBJECT_METRIC

Record = dict[str, Any]

MONEY_UNITS = {"亿元", "万元", "千元", "元"}

_REQ = re.compile(r"申请|依申请")
_APPLICANTS = (
    ("法人或其他组织", "requests.new.organizations"),  # the five organisation columns together (guide §3)
    ("法人和其他组织", "requests.new.organizations"),
    ("自然人", "requests.new.natural_person"),
    ("商业企业", "requests.new.commercial"),
    ("科研机构", "requests.new.research"),
    ("社会公益组织", "requests.new.social"),
    ("法律服务机构", "requests.new.legal"),
)
_DOC_COLS = (
    (re.compile(r"现行有效|有效"), "in_force"),
    (re.compile(r"废止|失效"), "repealed"),
    (re.compile(r"制发|印发|出台|制定|发布|新增|本年"), "issued"),
)

_UNLINKED_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"新闻发布会|发布会|新闻发布活动|吹风会"), "press_conference"),
    (re.compile(r"解读"), "policy_interpretation"),
    (re.compile(r"信箱|来信|留言|问政|网民"), "mailbox"),
    (re.compile(r"热线|专线|电话|来电"), "hotline"),  # 接听转办群众来电5761件: a call is a hotline's
    (re.compile(r"访问量|访问总量|浏览量|点击量|访问"), "website_visits"),
    (re.compile(r"微博|微信|公众号|粉丝|新媒体|短视频|视频号|抖音|头条号|订阅|关注"), "new_media"),
    (re.compile(r"重点领域"), "key_areas"),
    # the public's questions and requests answered in writing (the guide, §3 mailbox: 咨询), after
    # the channels above so that 热线/电话/微信 … 咨询 keep their channel's label; a published
    # question-and-answer category (发布政策咨询事项问答210条) is published information (§8.14)
    (re.compile(r"(?:咨询|谘询)(?![^，,。；;]{0,3}问答)|诉求|信件"), "mailbox"),
)
KEY_AREA_WORDS = re.compile(
    r"重点领域|财政|预决算|预算|决算|重大建设项目|公共资源|招标|采购|社会公益|脱贫|扶贫|乡村振兴|教育|医疗|卫生"
    r"|环境|环保|生态|食品|药品|安全生产|征地|拆迁|征收|住房|保障|就业|社会保险|社保|养老|救助|疫情|国资|价格"
)
"""The 重点领域 of the labelling guide (§3, key_areas): words that name one. A feature of the
model (``nlp.model.features``), not a labelling function: a category of published information
named so is key_areas only inside a list of such categories, which the model learns."""
_DOC_COLUMN_CLAUSE = re.compile(r"(?:制发|印发|出台|废止|失效|现行有效|继续有效)(?:件数)?共?$")
"""A short clause that ends in a column word of table A's document rows (制发/废止/现行有效)."""
_OUTCOME_HEAD = re.compile(r"予以公开|同意公开|全部公开|部分公开|不予公开|无法提供|不予处理|其他处理")
_NAMED_AFTER_LABEL = {**dict(_APPLICANTS), "予以公开": "requests.granted", "同意公开": "requests.granted",
                      "部分公开": "requests.partial", "不予公开": "requests.denied", "无法提供": "requests.unavailable",
                      "不予处理": "requests.not_processed", "其他处理": "requests.other"}
_NAMED_AFTER = re.compile(r"^件?(?:申请)?(?:类型)?(?:为|属于|是|系)(?P<w>" + "|".join(_NAMED_AFTER_LABEL) + ")")
"""A count of requests the words after it name (N件为自然人申请, N件属于无法提供)."""
_PCT_CHANGE_OR_SCORE = re.compile(r"满意|好评|同比|环比|增长|增加|减少|下降|提高|提升|增幅|降幅")
_PCT_SHARE = re.compile(r"占|比例|比重|率")
_INCLUDES_CARRIED_IN = re.compile(r"^[^。；;]{0,3}[,，(（]?\s*(?:其中|含|包括)[^，,。；;]{0,3}上(?:一)?年(?:度)?结转")


def _after(r: Record) -> str:
    """The record's sentence after its number."""
    sent = r.get("sentence") or ""
    s0 = r.get("sent_start", 0)
    return sent[max(0, r.get("end", s0) - s0):]


_CARRIED_OUT_AFTER = re.compile(r"^[^，,；;。]{0,6}(?:结转|转入|转至|转到|转)(?:至|到)?下(?:一)?年")
_PROACTIVE = re.compile(r"主动公开|公开(?:发布)?(?:各类|各项)?(?:政府)?信息|发布(?:各类)?(?:政府)?信息|公开政府信息")


TOPICS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"新媒体|微博|微信|公众号|抖音|视频号"), "new_media"),
    (re.compile(r"解读"), "policy_interpretation"),
    (re.compile(r"信箱|留言|问政"), "mailbox"),
)
"""What a sentence is about, from its first clause (a feature, and a labelling function of
``nlp.model.weak``)."""


_FIRST_CLAUSE_END = re.compile(r"[,，;；:：]")


def sentence_topic(r: Record) -> Optional[str]:
    """The topic of the record's sentence (``TOPICS``) from its first clause, or None."""
    head = _FIRST_CLAUSE_END.split(r.get("sentence") or "", maxsplit=1)[0]
    for pat, label in TOPICS:
        if pat.search(head):
            return label
    return None


LIST_LABELS = frozenset({"new_media", "policy_interpretation", "mailbox", "website_visits", "hotline",
                         "key_areas", "press_conference", "proactive.part", "proactive.total"})
"""Labels an uncued item of an enumeration takes from the item before it (``weak_label``)."""
COUNT_UNITS = frozenset({"条", "件", "个", "篇", "次", "期", "项", "份", "封"})


_ASK: Any = object()
"""``weak_label``'s default for a labelling function's answer the caller does not have."""


def weak_label(r: Record, rule: Optional[tuple[str, float]] = None, prev: Optional[str] = _ASK,
               topic: Optional[str] = _ASK) -> tuple[str, float]:
    """The keyword rules (``rule_label``) extended by the two labelling functions that read
    only the record, where the rules fall back to a weak ``other`` for a count:

    1. *the list*: an item of an enumeration (the quantity before it ends at most two
       characters before its clause) takes the unlinked label (``LIST_LABELS``) the rules give
       the item before it; after a total (``proactive.total``) only an item of a list
       (其中/包括 …) does, as a part (``proactive.part``). 推送短视频1113个、图文1775条 → new_media, 0.6;
    2. *the sentence topic* (``sentence_topic``): 深化政务新媒体矩阵建设,…开设专栏33个 → new_media, 0.5.

    The same labelling functions label the training data (``nlp.model.weak``); here they are
    what ``ClaimFeatures`` gives the model as the weak label, so a report the model never read
    gets them too. The baseline ``RulesClassifier`` uses ``rule_label`` alone unless
    ``weak=True``. ``rule``, ``prev``, ``topic``: the record's ``rule_label``,
    ``prev_rule_label`` and ``sentence_topic`` when the caller has them already.
    """
    label, conf = rule if rule is not None else rule_label(r)
    if label != "other" or conf > 0.5 or r.get("kind") != "quantity" or r.get("unit") not in COUNT_UNITS:
        return label, conf
    pq = r.get("prev_quantity")
    if pq and 0 < pq.get("gap", 99) <= 2 and pq.get("unit") in COUNT_UNITS:
        plabel = prev_rule_label(r) if prev is _ASK else prev
        if plabel in LIST_LABELS and (plabel != "proactive.total" or r.get("in_list")):
            return ("proactive.part" if plabel == "proactive.total" else plabel), 0.6
    topic = sentence_topic(r) if topic is _ASK else topic
    if topic:
        return topic, 0.5
    return label, conf


def prev_rule_label(r: Record) -> Optional[str]:
    """The keyword rules' label of the quantity before the record when it is the item before
    in the same enumeration (it ends at most two characters before the record's clause), read
    in the record's sentence and section; None when there is no such item."""
    pq = r.get("prev_quantity")
    if not (pq and 0 < pq.get("gap", 99) <= 2):
        return None
    return rule_label({"kind": "quantity", "left": pq.get("left", ""), "unit": pq.get("unit"),
                       "sentence": r.get("sentence", ""), "section": r.get("section")})[0]


class Labels(NamedTuple):
    """A record's answers of the labelling functions (``labelling_functions``)."""

    rule: tuple[str, float]
    weak: tuple[str, float]
    prev: Optional[str]
    topic: Optional[str]


def labelling_functions(r: Record) -> Labels:
    """Every labelling function's answer for ``r``, each computed once (the classifier's
    features, calibration and back-off all read them)."""
    rule, prev, topic = rule_label(r), prev_rule_label(r), sentence_topic(r)
    return Labels(rule, weak_label(r, rule, prev, topic), prev, topic)


# The rules' patterns, compiled once (they run on every candidate); a plain word is an ``in`` test.
_CARRIED_OUT = re.compile(r"结转下(?:一)?年|转入下(?:一)?年|结转(?:至|到)(?:下|\d{4}年)")
_CARRIED_IN = re.compile(r"上(?:一)?年(?:度)?结转|结转上年")
_GRANTED_AND_PARTIAL = re.compile(r"(?:予以|同意|全部)公开.{0,4}(?:及|和|与|、).{0,2}部分公开")
_DENIED = re.compile(r"不予公开|不公开")
_GRANTED = re.compile(r"(?:予以|同意|全部)公开")
_UNAVAILABLE = re.compile(r"无法提供|不掌握|不存在|非本(?:部门|机关|单位)掌握")
_AFTER_REVIEW = re.compile(r"复议后(?:提起)?(?:起诉|诉讼)")
_DIRECT = re.compile(r"直接(?:提起)?(?:起诉|诉讼)")
_LITIGATION = re.compile(r"行政诉讼|起诉|应诉")
_CLOSED = re.compile(r"办结|答复|办理完毕|处理完毕|出具")
_ABOUT_DISCLOSURE = re.compile(r"公开|申请人|信息")
_HANDLES_CASES = re.compile(r"受理|办理|审理|涉")
_TOTAL_WORD = re.compile(r"共|累计|合计")
_RECEIVED = re.compile(r"收到|新收|受理|接收|接到|提出|申请")
_DECIDED = re.compile(r"决定|办理|办结|作出|实施|办件")
_CLOSED_NEAR = re.compile(r"答复书|办结")
_TOTAL_OWN = re.compile(r"共|累计|合计|总计")
_DECISIONS = tuple((word, re.compile(word + r"[^，,、；;。]{0,2}$"), label) for word, label in (
    ("行政许可", "licensing.decisions"), ("行政处罚", "penalty.decisions"), ("行政强制", "coercion.decisions")))


def rule_label(r: Record) -> tuple[str, float]:
    """The label the keyword rules give a claim record, with the rule's confidence.

    Strong rules (the words name the quantity) answer 0.9; weaker ones (a list item after
    其中, a count with no cue) 0.5–0.6; the fallback is ``("other", 0.5)``.
    """
    if r.get("kind") not in ("quantity", "zero"):
        return "not_a_claim", 0.99
    left, prev, unit = r.get("left", ""), r.get("prev", ""), r.get("unit")
    sent = r.get("sentence", "")
    near = left[-14:]
    ctx = prev[-12:] + "|" + left
    if r.get("kind") == "zero":
        objs = r.get("objects") or ()
        return (ZERO_OBJECT_METRIC.get(objs[0], "other") if objs else "other"), 0.95
    if unit in MONEY_UNITS:
        if "处理费" in ctx:
            return "processing_fees", 0.9
        if "行政事业性收费" in ctx and unit == "万元":
            return "fees.admin_10k_yuan", 0.9
        return "other", 0.6
    if unit in ("%", "‰"):
        # the guide (§3, share): a growth rate or a score is other; a part of a total (占, …率) a share
        if _PCT_CHANGE_OR_SCORE.search(near[-8:]):
            return "other", 0.85
        if _PCT_SHARE.search(near[-8:]):
            return "share", 0.8
        return "other", 0.6
    req = bool(_REQ.search(ctx)) or r.get("section") == "requests"
    # the guide's own phrasing (§3): 予以公开7件, 部分公开6件, 其他处理4件 name a request outcome
    # when the count is of 件, whatever the sentence says around them
    outcome = unit == "件" and bool(_OUTCOME_HEAD.search(near[-6:]))
    if _CARRIED_OUT.search(near):
        return "requests.carried_out", 0.9  # 结转至2024年答复1件 (the report's next year)
    if unit in ("件", "份") and _CARRIED_OUT_AFTER.search("".join(r.get("right_tokens") or ())):
        return "requests.carried_out", 0.85  # 剩余26件结转下年度办理
    if _CARRIED_IN.search(near):
        return "requests.carried_in", 0.9
    if unit == "件" and _REQ.search(sent):
        # the words after the number name it: 其中29件为自然人申请, 11件类型属于无法提供
        m = _NAMED_AFTER.match("".join(r.get("right_tokens") or ()))
        if m and not _OUTCOME_HEAD.search(near[-6:]):
            return _NAMED_AFTER_LABEL[m.group("w")], 0.8
    for word, label in _APPLICANTS:
        if word in near and (req or _REQ.search(sent)):
            return label, 0.85
    if _GRANTED_AND_PARTIAL.search(near):
        return "requests.granted_and_partial", 0.9
    if "部分公开" in near and (req or outcome or _REQ.search(sent)):
        return "requests.partial", 0.9
    if _DENIED.search(near) and (req or outcome or _REQ.search(sent)):
        return "requests.denied", 0.9
    if _GRANTED.search(near) and (req or outcome or _REQ.search(sent)):
        return "requests.granted", 0.9
    if _UNAVAILABLE.search(near):
        return "requests.unavailable", 0.85
    if "不予处理" in near:
        return "requests.not_processed", 0.85
    if "其他处理" in near and (req or outcome):
        return "requests.other", 0.85
    if _AFTER_REVIEW.search(near):
        return "litigation.after_review", 0.9  # 经复议后起诉的行政诉讼0件 (the guide, §6)
    if _DIRECT.search(near):
        return "litigation.direct", 0.9
    if (_HANDLES_CASES.search(ctx) and ("复议" in near or _LITIGATION.search(near))
            and r.get("section") != "review" and not _ABOUT_DISCLOSURE.search(sent)):
        # a caseload the agency handles (受理行政复议申请56件, 涉行政复议、行政诉讼案件743件: a 司法局's,
        # on every subject) in a sentence that says nothing of 政府信息公开: not the table's reviews
        # and lawsuits, which count those against the agency (被申请, 被起诉; the guide, §8.1)
        return "other", 0.6
    if "复议" in near and "纠正" in near:
        return "reconsideration.corrected", 0.85
    if "行政复议" in near:
        return "reconsideration.total", 0.9
    if _LITIGATION.search(near):
        return "litigation.total", 0.9
    if _REQ.search(left) and unit in ("件", "条", "个", "次", "份", None):
        if _CLOSED.search(left):
            return "requests.closed", 0.85
        if "受理" in left and _TOTAL_WORD.search(left):
            return "requests.received_all", 0.8
        if _INCLUDES_CARRIED_IN.search(_after(r)[:24]):
            return "requests.received_all", 0.85  # 共收到…4件,其中上年度结转2件 (the guide, §8.5)
        if _RECEIVED.search(left):
            return "requests.new", 0.85
    for word, at_end, label in _DECISIONS:
        if word in near and _DECIDED.search(ctx):
            return label, 0.8  # 公开办结行政许可663条 (the guide, §3): decisions, not requests closed
        if at_end.search(near) and unit in COUNT_UNITS:
            return label, 0.7  # 公开办结行政许可663条、行政处罚29条 (the guide, §3)
    if _CLOSED_NEAR.search(near):
        return "requests.closed", 0.8
    for word, row in (("规范性文件", "normative_docs"), ("规章", "rules")):
        if word in near:
            # the number's own clause first: 继续有效…66件,废止规范性文件6件 (6 is repealed)
            for text in (left, ctx):
                for cue, col in _DOC_COLS:
                    if cue.search(text):
                        return f"{row}.{col}", 0.8
            return f"{row}.issued", 0.5
    if unit == "件" and len(left) <= 8 and _DOC_COLUMN_CLAUSE.search(left):
        # 全区共制发24件,失效及废止31件,…现行有效的行政规范性文件共56件: a clause that is a column
        # word alone counts the documents its sentence names (规章 when only they are named)
        row = "normative_docs" if "规范性文件" in sent else "rules" if "规章" in sent else None
        if row:
            col = next(col for cue, col in _DOC_COLS if cue.search(left))
            return f"{row}.{col}", 0.8
    for pat, label in _UNLINKED_RULES:
        if pat.search(near):
            return label, 0.85
    if unit == "条" and r.get("in_list") and r.get("section") in ("overview", "active", "preamble"):
        return "proactive.part", 0.6
    if _PROACTIVE.search(left) and unit in ("条", "项", "件"):
        # one overall figure is the total; counts side by side (a count before it in the sentence,
        # no 共/累计 of its own) are parts (the guide, §6)
        beside = int(r.get("n_before") or 0) >= 1 and not _TOTAL_OWN.search(left)
        return ("proactive.part" if r.get("in_list") or beside else "proactive.total"), 0.8
    return "other", 0.5
