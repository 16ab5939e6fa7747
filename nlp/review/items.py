"""Queue items: the claims of a check result that need a person, and the Label Studio task and
prediction each one becomes.

    items_from_result(result, threshold) -> list[QueueItem]   one check result (report-json.md)
    items_from_jsonl(path, threshold) / items_from_store(db, threshold)
    task_payload(item, cfg) -> dict     the task push imports (data + the model's prediction)
    prediction(item, cfg) -> dict       the prediction alone (push, and the ML backend)

An item's ``item_id`` is stable across runs (the report's sha256 and the claim id), so a
review decision made in Label Studio stays attached to its claim whatever is re-run.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional

from nlp.errors import Errors, XxgkError
from nlp.metrics import metric_zh
from nlp.review.label_config import METRIC, NOT_A_CLAIM, VALUE, LabelConfig
from nlp.schema import STATUS_ZH, Number, stable_id

LINKED_WEIGHT = 2.0
"""How much more a label teaches where a table figure depends on the claim's metric (a linked
metric, ``nlp.metrics.Metric.linked``): its error would hide or invent a mismatch."""


def priority(confidence: float, metric: str) -> float:
    """How much a person's label of a claim would teach: the doubt (1 − confidence, the
    calibrated top probability or a claim's review score), weighted up ``LINKED_WEIGHT`` times
    where a table figure depends on the metric. ``xxgk queue suggest`` picks by it."""
    from nlp.metrics import METRICS

    m = METRICS.get(metric)
    doubt = 1.0 - min(1.0, max(0.0, float(confidence)))
    return doubt * (LINKED_WEIGHT if m is not None and m.linked else 1.0)


def queue_score(confidence: float, metric: str) -> float:
    """The score a task's prediction carries, which Label Studio sorts the queue by, lowest
    first: ``1 − priority / LINKED_WEIGHT`` (in [0, 1]), so the queue's order follows the
    priority of ``queue suggest``."""
    return round(1.0 - priority(confidence, metric) / LINKED_WEIGHT, 4)


SECTION_ZH = {
    "preamble": "前言",
    "overview": "一、总体情况",
    "active": "二、主动公开",
    "requests": "三、依申请公开",
    "review": "四、复议诉讼",
    "problems": "五、存在的问题",
    "other": "六、其他",
}


@dataclass(frozen=True)
class QueueItem:
    """One claim to review. ``item_id`` is stable across runs (report sha256 + claim id)."""

    item_id: str
    report_sha256: str
    source: str
    report_title: str
    section: Optional[str]
    claim_id: str
    text: str
    sentence: str
    number_text: str
    start: int
    end: int
    num_start: Optional[int]
    num_end: Optional[int]
    value: Optional[Number]
    metric: str
    confidence: float
    review_score: float
    status: str
    needs_review: bool
    model_version: str
    table_value: Optional[Number] = None  # the table figure the claim was compared with
    evidence: str = ""  # what was compared, in words (the reconciler's)


def _num(v: Any) -> Optional[float]:
    return None if v is None else round(float(v), 6)


def items_from_result(result: dict[str, Any], threshold: Optional[float] = None) -> list[QueueItem]:
    """The claims of one check result (report-json.md shape) that need a human.

    A claim is queued when its status is ``ambiguous`` or it needs review: ``needs_review``
    as the check decided it, or, when ``threshold`` is given, ``review_score < threshold``
    (the same rule as ``nlp.reconcile``, with another threshold).
    """
    sha = result.get("sha256") or ""
    report = result.get("report") or {}
    title = report.get("title") or Path(result.get("source") or "").name or sha[:12]
    model_version = result.get("model_version") or f"rules-{result.get('reader_version') or 'unknown'}"
    out = []
    for c in result.get("claims") or []:
        conf = float(c.get("confidence") or 0.0)
        score = float(c["review_score"]) if c.get("review_score") is not None else conf
        needs = bool(c.get("needs_review")) if threshold is None else score < threshold
        if not (needs or c.get("status") == "ambiguous"):
            continue
        claim_id = c.get("id") or stable_id(sha, c.get("start"), c.get("end"), c.get("number_text"))
        out.append(
            QueueItem(
                item_id=stable_id(sha, claim_id, prefix="Q-"),
                report_sha256=sha,
                source=result.get("source") or "",
                report_title=str(title),
                section=c.get("section"),
                claim_id=str(claim_id),
                text=c.get("text") or "",
                sentence=c.get("sentence") or c.get("text") or "",
                number_text=c.get("number_text") or "",
                start=int(c.get("start") or 0),
                end=int(c.get("end") or 0),
                num_start=c.get("num_start"),
                num_end=c.get("num_end"),
                value=c.get("value"),
                metric=c.get("metric") or "other",
                confidence=conf,
                review_score=score,
                status=c.get("status") or "unchecked",
                needs_review=bool(c.get("needs_review")),
                model_version=model_version,
                table_value=c.get("table_value"),
                evidence=c.get("evidence") or "",
            )
        )
    return out


def _highlight(sentence: str, number_text: str, text: str) -> str:
    """The sentence as HTML with the claim's number marked (its first occurrence inside the
    claim's clause when the clause is found, else the first in the sentence)."""
    if not number_text or number_text not in sentence:
        return html.escape(sentence)
    base = sentence.find(text) if text and text in sentence else 0
    at = sentence.find(number_text, base)
    if at < 0:
        at = sentence.find(number_text)
    mark = '<mark style="background:#ffe58f;font-weight:bold">{}</mark>'
    return (
        html.escape(sentence[:at])
        + mark.format(html.escape(number_text))
        + html.escape(sentence[at + len(number_text):])
    )


def _number(v: Optional[Number]) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else str(v)


def compared_text(item: QueueItem) -> str:
    """What the claim was compared with, in words: the table's figure and the evidence."""
    if item.table_value is None and not item.evidence:
        return "表格数值: 无(未与表格核对)"
    figure = f"表格数值: {_number(item.table_value)}"
    return f"{figure}  ·  依据: {item.evidence}" if item.evidence else figure


TASK_COLUMNS = ("sentence", "number_text", "value", "table_value", "status_zh", "metric_zh", "report_title")
"""The task data a reviewer reads in the Data Manager's list, first and in this order (the
list shows a project's data columns in the order of the first task's keys)."""


def task_payload(item: QueueItem, cfg: LabelConfig) -> dict[str, Any]:
    """The task Label Studio imports: the item as data, plus the model's prediction. The data
    starts with what the task list shows (``TASK_COLUMNS``), in Chinese where it is words;
    the labelling view also shows where the claim is and the table figure it was compared
    with (``where``, ``compared``)."""
    fields = asdict(item)
    section = SECTION_ZH.get(item.section or "", item.section or "?")
    shown = {
        "sentence": item.sentence, "number_text": item.number_text, "value": item.value,
        "table_value": item.table_value, "status_zh": STATUS_ZH.get(item.status, item.status),
        "metric_zh": metric_zh(item.metric), "report_title": item.report_title,
    }
    data = {**shown, **{k: v for k, v in fields.items() if k not in shown}}
    data["sentence_html"] = (
        f'<p style="font-size:18px;line-height:1.8">'
        f"{_highlight(item.sentence, item.number_text, item.text)}</p>"
    )
    data["where"] = (f"{section}  ·  {item.source}  ·  状态 {STATUS_ZH.get(item.status, item.status)}"
                     f"  ·  置信度 {item.confidence:.2f}")
    data["compared"] = compared_text(item)
    data["predicted_metric"] = item.metric
    return {"data": data, "predictions": [prediction(item, cfg)]}


def prediction(item: QueueItem, cfg: LabelConfig) -> dict[str, Any]:
    """The prediction of one item: its metric (``other`` if the XML does not offer it) and its
    value. Its score is ``queue_score`` of the item's review score (confidence × status factor,
    nlp.reconcile; the model's confidence for a suggestion) and metric, so sorting the Data
    Manager by prediction score, lowest first, puts first the claims whose label teaches most."""
    metric = item.metric if item.metric in cfg.metrics else ("other" if "other" in cfg.metrics else cfg.metrics[0])
    result: list[dict[str, Any]] = [
        {"from_name": METRIC, "to_name": cfg.to_name, "type": "choices", "value": {"choices": [metric]}}
    ]
    if item.value is not None:
        result.append({"from_name": VALUE, "to_name": cfg.to_name, "type": "number", "value": {"number": item.value}})
    if item.metric == NOT_A_CLAIM:
        result.append(
            {"from_name": NOT_A_CLAIM, "to_name": cfg.to_name, "type": "choices", "value": {"choices": [NOT_A_CLAIM]}}
        )
    return {"model_version": item.model_version, "score": queue_score(item.review_score, item.metric), "result": result}


def _fingerprint_of(pred: dict[str, Any]) -> tuple[Any, ...]:
    metric, value = None, None
    for r in pred.get("result") or []:
        v = r.get("value") or {}
        if r.get("from_name") == METRIC and v.get("choices"):
            metric = v["choices"][0]
        elif r.get("from_name") == VALUE:
            value = v.get("number")
    has_nac = any(
        r.get("from_name") == NOT_A_CLAIM and (r.get("value") or {}).get("choices") for r in pred.get("result") or []
    )
    score = pred.get("score")
    return (NOT_A_CLAIM if has_nac else metric, _num(value), pred.get("model_version"), None if score is None else round(float(score), 4))


def items_from_jsonl(path: Path, threshold: Optional[float] = None) -> list[QueueItem]:
    """Items from JSON Lines of check results (what ``xxgk check --format json`` prints)."""
    out: list[QueueItem] = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                result = json.loads(line)
            except ValueError as e:
                raise XxgkError(Errors.E004, path=f"{path}:{n}", detail=f"not JSON: {e}") from None
            out.extend(items_from_result(result, threshold))
    return out


def items_from_store(db: Path, threshold: Optional[float] = None) -> list[QueueItem]:
    """Items from the latest result of every report in the SQLite store (``nlp.store``)."""
    from nlp.store import Store  # imported only when used

    if str(db) != ":memory:" and not Path(db).exists():
        raise XxgkError(Errors.E030, path=db, detail="no such store: run xxgk check first, or push --from-json")
    out: list[QueueItem] = []
    for result in Store(db).results():
        out.extend(items_from_result(result, threshold))
    return out


# ---------------------------------------------------------------------------
# pull
# ---------------------------------------------------------------------------
