"""The metrics a claim can speak of, and the table figures each one reconciles against.

One place for the label set (claims.md) and what is known about each metric: the classifier's
labels, the words that name each (``cues``: what a clause must hold; the checks read them), the zeros stated in words (``zero_objects``: 未收到…申请 is
``requests.new`` = 0) and the reconciliation all read it.

A metric has *readings*: the table figures its wording may mean (``共受理`` is 本年新收 in one
report, 本年新收 + 上年结转 in another). A claim equal to any reading matches on that reading.
*Related* figures are parts or neighbours of the quantity (行政诉讼 8 equals only 复议后起诉): a
claim equal to one of them is ``ambiguous``, never a match. Keys are stable once models are
trained on them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional

from nlp.schema import REQUEST_COLUMNS, Number, Tables

CellRef = tuple[str, str, str]  # (table, row, col); row may be a group ("denied") = sum of its rows


@dataclass(frozen=True)
class Reading:
    """A table figure: the sum of ``cells``. ``templates`` limits it to a template.

    ``cue``: words the claim's clause must hold for the figure to be compared with it (a
    pattern), where the metric alone says too little: the statistics table of a pre-2019
    report, whose narratives the claim model was not trained on."""

    name: str
    zh: str
    cells: tuple[CellRef, ...]
    templates: tuple[str, ...] = ("2021", "2019")
    cue: Optional[str] = None


@dataclass(frozen=True)
class Metric:
    """A quantity a claim can speak of.

    ``readings``: the table figures its wording may mean; ``related``: parts or neighbours of
    it (a claim equal to one is ambiguous); ``cues``: a regular expression of the words a
    clause must hold for a number equal to a reading to be labelled with this metric by
    the keyword rules (``nlp.model.rules``); ``zero_objects``: what a zero in words denies
    (``nlp.numbers`` finds them: 未收到…申请 → ``申请``) when it is this metric; ``part_of``:
    the metric of the total a count of this metric is a part of, which its share
    (占23.1%, 办结率) is taken of (none: a rate of the count itself, 答复率 of letters).
    """

    key: str
    zh: str
    readings: tuple[Reading, ...] = ()
    related: tuple[Reading, ...] = ()
    cues: str = ""
    zero_objects: tuple[str, ...] = ()
    part_of: str = ""

    @property
    def linked(self) -> bool:
        return bool(self.readings)


def _b(row: str, col: str = "total") -> CellRef:
    return ("requests", row, col)


def _c(row: str, col: str = "total") -> CellRef:
    return ("review", row, col)


def _r(name: str, zh: str, *cells: CellRef, templates: tuple[str, ...] = ("2021", "2019")) -> Reading:
    return Reading(name, zh, tuple(cells), templates)


_NEW = _r("new", "本年新收 总计", _b("new"))
_NEW_AND_CARRIED = _r("new+carried_in", "本年新收+上年结转 总计", _b("new"), _b("carried_in"))
_CLOSED = _r("closed", "(七)总计 总计", _b("closed"))
_NEW_ORGANIZATIONS = _r(
    "new.organizations",
    "本年新收 法人或其他组织(商业企业至其他五列之和)",
    *(_b("new", col) for col in REQUEST_COLUMNS[1:-1]),
)
_LIT_DIRECT = _r("litigation_direct", "未经复议直接起诉 总计", _c("litigation_direct"))
_LIT_AFTER = _r("litigation_after", "复议后起诉 总计", _c("litigation_after"))

_APPLICANT_ZH = dict(zip(REQUEST_COLUMNS, ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他组织")))
_APPLICANT_CUES = dict(zip(REQUEST_COLUMNS, (r"自然人|个人|群众", r"企业", r"科研", r"公益", r"法律服务", r"其他组织")))


def _doc_metrics(row: str, zh: str, cues: str) -> list[Metric]:
    out = []
    for col21, col19, what in (
        ("issued", "made", "本年制发"),
        ("repealed", None, "本年废止"),
        ("in_force", "total", "现行有效"),
    ):
        readings = [_r(col21, f"表A {zh} {what}", ("active", row, col21), templates=("2021",))]
        if col19:
            readings.append(_r(col19, f"表A {zh} {col19}", ("active", row, col19), templates=("2019",)))
        related = []
        if col21 == "issued":
            related.append(_r("published", f"表A {zh} 本年新公开", ("active", row, "published"), templates=("2019",)))
        out.append(Metric(f"{row}.{col21}", f"{zh}{what}数", tuple(readings), tuple(related), cues=cues))
    return out


def _item(row: str, zh: str, cues: str) -> Metric:
    return Metric(
        f"{row}.decisions",
        f"{zh}处理决定数",
        (_r("decisions", f"表A {zh} 处理决定数量", ("active", row, "decisions")),),
        cues=cues,
    )


def _s(row: str, zh: str, cue: str) -> Reading:
    """A figure of the statistics table (统计表) of a report of 2008–2018: the year's column,
    compared with a claim whose clause holds ``cue``."""
    return Reading(f"stats.{row}", f"统计表 {zh} 本年", (("stats", row, "year"),), ("pre2019",), cue)


_LINKED: list[Metric] = [
    Metric("requests.new", "本年新收申请数", (_NEW, _s("requests", "受理依申请公开信息总数", r"申请")),
           (_NEW_AND_CARRIED, _CLOSED, _NEW_ORGANIZATIONS),
           cues=r"收到|新收|受理|申请", zero_objects=("申请",)),
    Metric("requests.carried_in", "上年结转申请数", (_r("carried_in", "上年结转 总计", _b("carried_in")),),
           cues=r"上年.{0,4}结转|结转"),
    Metric("requests.received_all", "共受理申请数", (_NEW_AND_CARRIED, _NEW, _s("requests", "受理依申请公开信息总数", r"申请")),
           (_CLOSED,), cues=r"受理|收到|申请", zero_objects=("受理申请",)),
    Metric("requests.granted", "予以公开数", (_r("granted", "(一)予以公开 总计", _b("granted")),
                                           _s("replies.granted", "同意公开答复数", r"申请|答复")),
           cues=r"予以公开|同意公开|全部公开"),
    Metric("requests.partial", "部分公开数", (_r("partial", "(二)部分公开 总计", _b("partial")),
                                           _s("replies.partial", "同意部分公开答复数", r"申请|答复")), cues=r"部分公开"),
    Metric(
        "requests.granted_and_partial",
        "予以公开及部分公开数",
        (_r("granted+partial", "(一)+(二) 总计", _b("granted"), _b("partial")),),
        cues=r"公开",
    ),
    *[
        Metric(
            f"requests.new.{col}",
            f"{_APPLICANT_ZH[col]}申请数",
            (_r(f"new.{col}", f"本年新收 {_APPLICANT_ZH[col]}", _b("new", col)),),
            (
                _r(f"closed.{col}", f"(七)总计 {_APPLICANT_ZH[col]}", _b("closed", col)),
                _r(
                    f"new+carried_in.{col}",
                    f"本年新收+上年结转 {_APPLICANT_ZH[col]}",
                    _b("new", col),
                    _b("carried_in", col),
                ),
            ),
            cues=_APPLICANT_CUES[col],
        )
        for col in REQUEST_COLUMNS[:-1]
    ],
    Metric("requests.new.organizations", "法人或其他组织申请数", (_NEW_ORGANIZATIONS,),
           (_r("closed.organizations", "(七)总计 法人或其他组织", *(_b("closed", col) for col in REQUEST_COLUMNS[1:-1])),),
           cues=r"法人|组织"),
    Metric("requests.denied", "不予公开数", (_r("denied", "(三)不予公开 小计", _b("denied")),), cues=r"不予公开|不公开",
           zero_objects=("不予公开",)),
    Metric("requests.unavailable", "无法提供数", (_r("unavailable", "(四)无法提供 小计", _b("unavailable")),),
           cues=r"无法提供|不掌握|不存在"),
    Metric("requests.not_processed", "不予处理数", (_r("not_processed", "(五)不予处理 小计", _b("not_processed")),),
           cues=r"不予处理"),
    Metric("requests.other", "其他处理数", (_r("other", "(六)其他处理 小计", _b("other")),), cues=r"其他处理"),
    Metric("requests.closed", "办结(答复)数", (_CLOSED, _s("replies", "对申请的答复总数", r"申请|答复")), (_NEW, _NEW_AND_CARRIED),
           cues=r"办结|答复|办理|处理|回复"),
    Metric("requests.carried_out", "结转下年度数", (_r("carried_out", "结转下年度继续办理 总计", _b("carried_out")),),
           cues=r"结转|下(?:一)?年"),
    Metric(
        "reconsideration.total",
        "行政复议数",
        (_r("reconsideration", "行政复议 总计", _c("reconsideration")), _s("reconsideration", "行政复议数", r"复议")),
        cues=r"复议",
        zero_objects=("行政复议",),
    ),
    Metric(
        "reconsideration.corrected",
        "行政复议纠正数",
        (_r("reconsideration.corrected", "行政复议 结果纠正", _c("reconsideration", "corrected")),),
        cues=r"纠正",
    ),
    Metric(
        "litigation.total",
        "行政诉讼数",
        (_r("litigation", "行政诉讼 总计(直接起诉+复议后起诉)", _c("litigation_direct"), _c("litigation_after")),
         _s("litigation", "行政诉讼数", r"诉讼")),
        (_LIT_DIRECT, _LIT_AFTER),
        cues=r"诉讼|起诉",
        zero_objects=("行政诉讼",),
    ),
    Metric("litigation.direct", "未经复议直接起诉数", (_LIT_DIRECT,), cues=r"直接起诉|未经复议"),
    Metric("litigation.after_review", "复议后起诉数", (_LIT_AFTER,), cues=r"复议后"),
    *_doc_metrics("rules", "规章", r"规章"),
    *_doc_metrics("normative_docs", "规范性文件", r"规范性文件"),
    _item("licensing", "行政许可", r"许可"),
    _item("penalty", "行政处罚", r"处罚"),
    _item("coercion", "行政强制", r"强制"),
    Metric(
        "fees.admin_10k_yuan",
        "行政事业性收费(万元)",
        (_r("fees", "表A 行政事业性收费 金额(万元)", ("active", "fees", "amount_10k_yuan"), templates=("2021",)),),
        cues=r"收费",
    ),
]

_UNLINKED: list[Metric] = [
    # no figure of the standard tables; only the statistics table of a pre-2019 report has it
    # (kept here: LABELS' order is the trained model's)
    Metric("proactive.total", "主动公开信息总数", (_s("active", "主动公开信息数", r"主动公开"),)),
    Metric("proactive.part", "主动公开信息分项数"),
    Metric("key_areas", "重点领域信息数"),
    Metric("policy_interpretation", "政策解读数"),
    Metric("press_conference", "新闻发布会数"),
    Metric("mailbox", "信箱来信数", zero_objects=("咨询",)),
    Metric("hotline", "热线电话数"),
    Metric("website_visits", "网站访问量"),
    Metric("new_media", "政务新媒体数(账号/发文/粉丝)"),
    Metric("processing_fees", "信息处理费", zero_objects=("收费",)),
    Metric("share", "占比或比率(%)"),
    Metric("other", "其他数量", zero_objects=("投诉", "责任追究")),
    Metric("not_a_claim", "非声明数字"),
]

SHARE = "share"
"""A percentage that says what part of a total something is (占31.2%, 办结率100%): a claim of
its own, linked to the count it follows and the total it is a share of (docs/labelling.md §3)."""

METRICS: dict[str, Metric] = {m.key: m for m in _LINKED + _UNLINKED}
LABELS: tuple[str, ...] = tuple(METRICS)
"""The classifier's label set, in a stable order."""

_PART_OF = {
    "proactive.part": "proactive.total", "key_areas": "proactive.total",
    **{k: "requests.received_all" for k in (
        "requests.granted", "requests.partial", "requests.granted_and_partial", "requests.denied",
        "requests.unavailable", "requests.not_processed", "requests.other", "requests.closed",
        "requests.carried_out")},
    **{k: "requests.new" for k in METRICS if k.startswith("requests.new.")},
    "reconsideration.corrected": "reconsideration.total",
    "litigation.direct": "litigation.total", "litigation.after_review": "litigation.total",
}
METRICS = {k: replace(m, part_of=_PART_OF.get(k, "")) for k, m in METRICS.items()}

METRIC_CUES: dict[str, str] = {m.key: m.cues for m in METRICS.values() if m.cues}
"""The words a clause must hold for a table-equal number to be labelled with the metric."""

ZERO_OBJECT_METRIC: dict[str, str] = {obj: m.key for m in METRICS.values() for obj in m.zero_objects}
"""The metric of a zero stated in words, by what was not received or charged."""


def metric_zh(key: str) -> str:
    """The Chinese name of a metric key, for the interface (the key itself if unknown)."""
    m = METRICS.get(key)
    return m.zh if m else key


def template_fits(reading: Reading, tables: Tables) -> bool:
    """Does every table the reading names follow a template the reading is for? Each table by
    its own form (a hybrid report's tables A and B follow different editions; table C has one)."""
    for table_name, _, _ in reading.cells:
        table = tables.get(table_name)
        form = table.definition.template if table is not None else tables.template
        if form != "any" and form not in reading.templates:
            return False
    return True


def reading_value(reading: Reading, tables: Tables) -> Optional[Number]:
    """The figure a reading names in these tables, or None when a cell is missing or blank.

    A row that is a group of table B (``denied``, ``unavailable``…) sums its sub-rows.
    """
    if not template_fits(reading, tables):
        return None
    total: Number = 0
    for table_name, row, col in reading.cells:
        table = tables.get(table_name)
        if table is None:
            return None
        rows = [row]
        if row not in {r.key for r in table.definition.rows}:
            rows = [r.key for r in table.definition.rows if r.parent == row]
            if not rows:
                return None
        for r in rows:
            v = table.value(r, col)
            if v is None:
                return None
            total += v
    return total
