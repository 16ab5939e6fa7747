"""Weak labels: what labels a narrative number when no person has (the labelling functions
that read more than one record).

    distant_label(record, tables) -> metric or None   distant supervision from the report's tables
    propagate_in_lists(examples, sha)                 an enumeration's uncued items
    label_by_topic(examples, sha)                     a sentence's uncued counts

The single-record labelling functions (the keyword rules, ``weak_label``) are in
``nlp.model.rules``; ``nlp.model.dataset`` applies all of them, a person's annotation first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional

from nlp.metrics import METRIC_CUES, METRICS, reading_value
from nlp.model.rules import COUNT_UNITS, LIST_LABELS, rule_label, sentence_topic
from nlp.schema import Tables

if TYPE_CHECKING:
    from nlp.model.dataset import Example


def distant_label(record: dict[str, Any], tables: Optional[Tables]) -> Optional[str]:
    """The metric a table figure gives this record, or None.

    The record's value must equal a reading of the metric (``reading_value``) and its
    clause (with the clause before it) must hold the metric's cue words. Zeros and
    approximate values are left to the other sources; where several metrics fit, the one the
    rules name wins, else none.
    """
    if tables is None or record.get("kind") != "quantity" or record.get("approx"):
        return None
    v = record.get("value")
    if not isinstance(v, (int, float)) or v == 0:
        return None
    ctx = (record.get("prev") or "")[-12:] + "|" + (record.get("left") or "")
    fits = []
    for key, cue in METRIC_CUES.items():
        m = METRICS[key]
        if not re.search(cue, ctx):
            continue
        if any(reading_value(r, tables) == v for r in m.readings):
            fits.append(key)
    if not fits:
        return None
    if len(fits) == 1:
        return fits[0]
    rule, _ = rule_label(record)
    return rule if rule in fits else None


def propagate_in_lists(examples: list["Example"], sha: str) -> None:
    """A labelling function of structure: an item of an enumeration with no cue of its own
    (the rules' fallback ``other``) takes the label of the item before it in the same
    sentence, when that one has an unlinked label (new media, interpretations, the parts of
    proactive disclosure …) and a count unit. 推送短视频1113个、图文1775条 → both new_media.
    Only weak rule labels are replaced; their weight stays below a rule's."""
    prev: Optional["Example"] = None
    for e in examples:
        if e.report != sha:
            continue
        r = e.record
        if (prev is not None and e.source == "rules" and e.label == "other" and e.weight <= 0.5
                and prev.record["sent_start"] == r["sent_start"] and prev.label in LIST_LABELS
                and r.get("unit") in COUNT_UNITS and prev.record.get("unit") in COUNT_UNITS
                and 0 < r["clause_start"] - prev.record["clause_end"] <= 2
                and (prev.label != "proactive.total" or r.get("in_list"))):
            # after a total, only an item of a list (其中/包括 …) is one of its parts
            e.label = "proactive.part" if prev.label == "proactive.total" else prev.label
            e.source, e.weight = "propagated", 0.6
        prev = e


def label_by_topic(examples: list["Example"], sha: str) -> None:
    """A labelling function of topic: a count the rules leave as ``other`` in a sentence whose
    first clause names new media, policy interpretation or the mailbox
    (``nlp.model.rules.sentence_topic``) takes that label (深化政务新媒体矩阵建设,…开设专栏33个,
    策采新闻稿件2606篇 → new_media), weight 0.5."""
    for e in examples:
        r = e.record
        if e.report != sha or e.source != "rules" or e.label != "other" or e.weight > 0.5:
            continue
        if r.get("unit") not in COUNT_UNITS:
            continue
        topic = sentence_topic(r)
        if topic:
            e.label, e.source, e.weight = topic, "topic", 0.5
