"""Claim records → feature dicts: what the classifier reads (``ClaimFeatures``)."""

from __future__ import annotations

import math
from typing import Any, Sequence

from sklearn.base import BaseEstimator, TransformerMixin

from nlp.model.rules import MONEY_UNITS, Record, rule_label, sentence_topic, weak_label


def _magnitude(v: Any) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "none"
    if v <= 0:
        return "0"
    return str(min(int(math.log10(v)), 6))


class ClaimFeatures(TransformerMixin, BaseEstimator):
    """Claim records → feature dicts (for ``DictVectorizer``).

    Features: the unit and its class; the qualifier; the section; the last one and two
    words before the number and their bigram; every word of the clause before it, of the
    previous clause (weight ``prev_weight``) and the first words after it; character
    bigrams of the last ``char_window`` characters before it (robust to segmentation);
    whether it is an item of a list (其中/包括 …); its magnitude.

    Parameters
    ----------
    prev_weight : float, default=0.5
    char_window : int, default=8
    sent_weight : float, default=0.3
        Weight of the character bigrams of the sentence's first words (what the sentence is
        about: 政务新媒体…, 依申请公开…).
    rule_feature : float, default=5.0
        Weight of the weak label (``weak_label``: the keyword rules, with list propagation
        and the sentence topic where the rules fall back) as a feature, times its
        confidence; 0 leaves it out. The model learns where to trust it and where the context
        says otherwise.
    weak : bool, default=True
        ``False``: the rule feature is the keyword rules' label alone (``rule_label``).
    """

    def __init__(self, prev_weight: float = 0.5, char_window: int = 8, sent_weight: float = 0.3,
                 rule_feature: float = 5.0, weak: bool = True) -> None:
        self.rule_feature = rule_feature
        self.weak = weak
        self.prev_weight = prev_weight
        self.char_window = char_window
        self.sent_weight = sent_weight

    def fit(self, X: Sequence[Record], y: Any = None) -> "ClaimFeatures":
        self.is_fitted_ = True
        return self

    def transform(self, X: Sequence[Record]) -> list[dict[str, float]]:
        return [self._one(r) for r in X]

    def _one(self, r: Record) -> dict[str, float]:
        f: dict[str, float] = {}
        if self.rule_feature:
            label, conf = (weak_label if getattr(self, "weak", False) else rule_label)(r)
            f["rule=" + label] = self.rule_feature * conf
        unit = r.get("unit") or "NONE"
        f["u=" + unit] = 1.0
        f["uc=" + ("money" if unit in MONEY_UNITS else "pct" if unit in ("%", "‰") else "count")] = 1.0
        f["q=" + (r.get("qualifier") or "NONE")] = 1.0
        f["sec=" + (r.get("section") or "NONE")] = 1.0
        f["kind=" + str(r.get("kind"))] = 1.0
        f["mag=" + _magnitude(r.get("value"))] = 1.0
        if r.get("in_list"):
            f["in_list"] = 1.0
        for o in r.get("objects") or ():
            f["obj=" + o] = 1.0
        left = [t for t in r.get("left_tokens", []) if t.strip()]
        if left:
            f["l1=" + left[-1]] = 1.0
            if len(left) > 1:
                f["l2=" + left[-2]] = 1.0
                f["lb=" + left[-2] + "_" + left[-1]] = 1.0
        for t in left:
            f["lw=" + t] = 1.0
        for t in r.get("prev_tokens", [])[-8:]:
            if t.strip():
                f["pw=" + t] = self.prev_weight
        topic = sentence_topic(r)
        if topic:
            f["topic=" + topic] = 1.0
        pq = r.get("prev_quantity")
        if pq and 0 < pq.get("gap", 99) <= 2:  # the item before, in the same enumeration
            plabel, _ = rule_label({"kind": "quantity", "left": pq.get("left", ""), "unit": pq.get("unit"),
                                    "sentence": r.get("sentence", ""), "section": r.get("section")})
            f["prevrule=" + plabel] = 1.0
            f["prevrule=" + plabel + "|rule=" + rule_label(r)[0]] = 1.0
        head = (r.get("sentence") or "")[: max(0, r.get("start", 0) - r.get("sent_start", 0))]
        for a, b in zip(head[:12], head[1:12]):
            f["s2=" + a + b] = self.sent_weight
        for t in r.get("right_tokens", [])[:2]:
            if t.strip():
                f["r=" + t] = 0.5
        chars = (r.get("left") or "")[-self.char_window:]
        for a, b in zip(chars, chars[1:]):
            f["c2=" + a + b] = 0.5
        return f
