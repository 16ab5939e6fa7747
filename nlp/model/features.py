"""Claim records → feature dicts: what the classifier reads (``ClaimFeatures``).

A claim record (``nlp.claims.claim_record``) holds the number, its unit and kind, and its
context: the clause and the sentence it sits in, the clause before, the words around it and the
quantity before it in the sentence (a sentence is all a task of Label Studio's queue carries,
so the ML backend reads the same). The features read
that context at several grains, so that a phrase the word segmenter cuts differently from
training still matches:

- *the labelling functions* (``nlp.model.rules``): the weak label with its confidence, the
  rules' label of the quantity before it, the sentence's topic;
- *the number*: unit and unit class, qualifier (余/近/约 …), magnitude, kind, section; for a
  percentage, the words that say what it is (占, …率, 同比增长, 满意);
- *the words*: the words of the clause before the number, the last one and two of them, the
  words of the clause before that (weight ``prev_weight``), the first words after it;
- *the window*: character 1- to 3-grams of the ``window`` characters before the number in its
  sentence (weight ``ngram_weight``), the last 2, 3 and 4 characters of its clause, character
  bigrams of the characters after it, a word naming a 重点领域;
- *the clause's subject*: bigrams of the clause's first characters (区管委会…, 各乡镇…);
- *the list it sits in*: whether it is an item (其中/包括 …), the list word and bigrams of what
  comes before it (the list's head: 主动公开信息11284条(其中…), its position in the sentence,
  whether a list follows it (a total);
- *the sentence's topic*: bigrams of its first characters (政务新媒体…, 依申请公开…).
"""

from __future__ import annotations

import math
import re
from typing import Any, Optional, Sequence

from sklearn.base import BaseEstimator, TransformerMixin

from nlp.model.rules import KEY_AREA_WORDS, MONEY_UNITS, Labels, Record, labelling_functions

_LIST_CUE = re.compile(r"其中|包括|分别|包含|涉及")
_RATE_WORDS = re.compile(r"满意|好评|增长|增加|减少|下降|提升|提高|同比|环比|较上年|率|占|比例|比重")
"""Words that say what a percentage is: a share of a total (占, 比例, …率) or a change or a
score (同比增长, 满意率), which the labelling guide keeps apart (share vs other)."""


_TOTAL_CUE = re.compile(r"共|累计|合计|总计|总数|总量|各类")
_ITEM_SEP = re.compile(r"[、，,；;]")
_KEY_AREA_HEAD = re.compile(r"重点领域|重点公开领域|重点工作领域")
_DIGIT = re.compile(r"[0-9０-９]")
_ORGAN_AFTER = re.compile(r"[^，,、；;。]{0,2}?(?:局|厅|委员会|委|部门|办公室|中心)")
_NEW_MEDIA_WORDS = re.compile(r"微博|微信|公众号|新媒体|抖音|头条|视频号|客户端|APP|app")


def _magnitude(v: Any) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "none"
    if v <= 0:
        return "0"
    return str(min(int(math.log10(v)), 6))


def _add_ngrams(f: dict[str, float], prefix: str, text: str, n: int, w: float) -> None:
    """``w`` added to ``prefix`` + each character ``n``-gram of ``text`` (once per occurrence)."""
    get = f.get
    for i in range(len(text) - n + 1):
        key = prefix + text[i:i + n]
        f[key] = get(key, 0.0) + w


class ClaimFeatures(TransformerMixin, BaseEstimator):
    """Claim records → feature dicts (for ``DictVectorizer``); see the module docstring.

    Parameters
    ----------
    prev_weight : float, default=0.5
        Weight of the words of the clause before the number's clause.
    char_window : int, default=8
        Character bigrams of this many characters before the number, in its clause.
    sent_weight : float, default=0.3
        Weight of the character bigrams of the sentence's first words (what the sentence is
        about: 政务新媒体…, 依申请公开…).
    window : int, default=12
        Characters before the number, in its sentence, read as character 1- to 3-grams.
    ngram_weight : float, default=0.3
        Weight of each character n-gram of the window, of the text after the number and of
        the clause's and the list's head.
    rule_feature : float, default=5.0
        Weight of the weak label (``weak_label``: the keyword rules, with list propagation
        and the sentence topic where the rules fall back) as a feature, times its
        confidence; 0 leaves it out. The model learns where to trust it and where the context
        says otherwise.
    weak : bool, default=True
        ``False``: the rule feature is the keyword rules' label alone (``rule_label``).
    structure : bool, default=True
        The counts around the number (``_sums``): it is the sum of the counts after it (a
        total its list adds up to) or before it, the largest, above or below the count
        before it; a channel named in its clause, first or after another channel.
    """

    def __init__(self, prev_weight: float = 0.5, char_window: int = 8, sent_weight: float = 0.3,
                 window: int = 12, ngram_weight: float = 0.3, rule_feature: float = 5.0,
                 weak: bool = True, structure: bool = True) -> None:
        self.prev_weight = prev_weight
        self.char_window = char_window
        self.sent_weight = sent_weight
        self.window = window
        self.ngram_weight = ngram_weight
        self.rule_feature = rule_feature
        self.weak = weak
        self.structure = structure

    def fit(self, X: Sequence[Record], y: Any = None) -> "ClaimFeatures":
        self.is_fitted_ = True
        return self

    def transform(self, X: Sequence[Record]) -> list[dict[str, float]]:
        return [self._one(r) for r in X]

    def transform_labelled(self, X: Sequence[Record], labels: Sequence[Labels]) -> list[dict[str, float]]:
        """``transform`` with each record's labelling functions given (``labelling_functions``:
        the classifier computes them once a prediction and reads them again)."""
        return [self._one(r, lab) for r, lab in zip(X, labels)]

    def _one(self, r: Record, labels: Optional[Labels] = None) -> dict[str, float]:
        f: dict[str, float] = {}
        before, after = _around(r)
        self._labelling_functions(r, f, labels if labels is not None else labelling_functions(r))
        self._number(r, f, before)
        self._words(r, f)
        self._window(r, f, before, after)
        self._list_and_paragraph(r, f, before, after)
        if self.structure:
            _sums(r, before, after, f)
        return f

    def _labelling_functions(self, r: Record, f: dict[str, float], labels: Labels) -> None:
        if self.rule_feature:
            label, conf = labels.weak if self.weak else labels.rule
            f["rule=" + label] = self.rule_feature * conf
        if labels.topic:
            f["topic=" + labels.topic] = 1.0
        if labels.prev is not None:  # the item before, in the same enumeration
            f["prevrule=" + labels.prev] = 1.0
            f["prevrule=" + labels.prev + "|rule=" + labels.rule[0]] = 1.0

    def _number(self, r: Record, f: dict[str, float], before: str) -> None:
        unit = r.get("unit") or "NONE"
        f["u=" + unit] = 1.0
        f["uc=" + ("money" if unit in MONEY_UNITS else "pct" if unit in ("%", "‰") else "count")] = 1.0
        f["q=" + (r.get("qualifier") or "NONE")] = 1.0
        f["sec=" + (r.get("section") or "NONE")] = 1.0
        f["kind=" + str(r.get("kind"))] = 1.0
        f["mag=" + _magnitude(r.get("value"))] = 1.0
        for o in r.get("objects") or ():
            f["obj=" + o] = 1.0
        if unit in ("%", "‰"):
            for m in _RATE_WORDS.finditer(before[-10:]):
                f["pctword=" + m.group()] = 1.0

    def _words(self, r: Record, f: dict[str, float]) -> None:
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
        for t in r.get("right_tokens", [])[:2]:
            if t.strip():
                f["r=" + t] = 0.5

    def _window(self, r: Record, f: dict[str, float], before: str, after: str) -> None:
        cleft = r.get("left") or ""
        chars = cleft[-self.char_window:]
        for a, b in zip(chars, chars[1:]):
            f["c2=" + a + b] = 0.5
        for k in (2, 3, 4):
            if len(cleft) >= k:
                f[f"suf{k}=" + cleft[-k:]] = 1.0
        w = self.ngram_weight
        win = before[-self.window:] if self.window else ""
        for n in (1, 2, 3):
            _add_ngrams(f, f"L{n}=", win, n, w)
        _add_ngrams(f, "R2=", after[:6], 2, w)
        _add_ngrams(f, "H2=", cleft[:6], 2, w)
        # a 重点领域 word that names an organ (市财政局, 教育局) is the agency, not the area
        m = next((m for m in KEY_AREA_WORDS.finditer(cleft) if not _ORGAN_AFTER.match(cleft, m.end())), None)
        if m:
            f["keyarea"] = 1.0
            f["keyarea=" + m.group()] = 0.5

    def _list_and_paragraph(self, r: Record, f: dict[str, float], before: str, after: str) -> None:
        if r.get("in_list"):
            f["in_list"] = 1.0
        cue = None
        for cue in _LIST_CUE.finditer(before):
            pass
        w = self.ngram_weight
        if cue is not None:
            f["listcue=" + cue.group()] = 1.0
            _add_ngrams(f, "LH=", before[max(0, cue.start() - 10):cue.start()], 2, w)
        f["nb=%d" % min(int(r.get("n_before") or 0), 3)] = 1.0
        if _LIST_CUE.search(after[:20]):
            f["nextlist"] = 1.0
        self._frame(r, f, before, after, cue)

    def _frame(self, r: Record, f: dict[str, float], before: str, after: str, cue: Any) -> None:
        """The sentence's structure around the number: the frame 共/累计 X，其中 Y (a total, then
        its parts), the number's place in the enumeration after the list word, the separator
        before it (、 or ；), and whether a 重点领域 governs the clause (named before it in the
        sentence, or in the list's head)."""
        cleft = r.get("left") or ""
        if _TOTAL_CUE.search(cleft):
            f["frame=total_cue"] = 1.0
            if _LIST_CUE.search(after[:12]):
                f["frame=total_then_list"] = 1.0
        if cue is not None:
            head = before[:cue.start()]
            f["frame=after_list" + ("_of_total" if _TOTAL_CUE.search(head[-24:]) else "")] = 1.0
            items = _ITEM_SEP.findall(before[cue.end():])
            f["listpos=%d" % min(len(items), 3)] = 1.0
            if _KEY_AREA_HEAD.search(head):
                f["ka_governs=list_head"] = 1.0
        elif _KEY_AREA_HEAD.search(before):
            f["ka_governs=sentence"] = 1.0
        # what stands beside it: a channel's count is a part beside new-media counts, the total alone (guide §8.3)
        if not _DIGIT.search(before) and not _DIGIT.search(after):
            f["frame=only_count"] = 1.0
        if _NEW_MEDIA_WORDS.search(before + after):
            f["frame=new_media_beside"] = 1.0
        sep = before[len(before) - len(cleft) - 1:len(before) - len(cleft)] if len(before) > len(cleft) else ""
        if sep:
            f["sep=" + sep] = 1.0
        sent_head = before[:12]
        for a, b in zip(sent_head, sent_head[1:]):
            f["s2=" + a + b] = self.sent_weight


_COUNT = re.compile(r"(\d\d*(?:\.\d+)?)\s*(万)?\s*(?:余|多)?\s*(条|件|个|篇|项|次|期|份)")
_GROUP_END = re.compile(r"[；;。]")
_CHANNEL = re.compile(r"网站|门户|公众号|微博|微信|平台|专栏|栏目|公开栏|公报|客户端|头条|抖音")


def _counts(text: str) -> list[tuple[float, str]]:
    """The counts written in Arabic digits in ``text`` (value, unit), in order."""
    out = []
    for m in _COUNT.finditer(text):
        v = float(m.group(1)) * (10000 if m.group(2) else 1)
        out.append((v, m.group(3)))
    return out


def _sums(r: Record, before: str, after: str, f: dict[str, float]) -> None:
    """What the counts around it say of a part or a total: it equals the sum of the counts of
    its unit after it (in its clause group: up to a 。/；) or before it in the sentence (a
    list's total), it is the largest of them, it is above or below the count before it."""
    try:
        v = float(r.get("value"))
    except (TypeError, ValueError):
        return
    unit = r.get("unit")
    tail = _GROUP_END.split(after, maxsplit=1)[0]
    nxt = [x for x, u in _counts(tail) if u == unit]
    prv = [x for x, u in _counts(before) if u == unit]
    if len(nxt) >= 2 and v > 0 and abs(sum(nxt) - v) < 0.5:
        f["sum=of_following"] = 1.0
    elif nxt and v > 0 and sum(nxt) < v:
        f["sum=above_following"] = 1.0
    if len(prv) >= 2 and v > 0 and abs(sum(prv) - v) < 0.5:
        f["sum=of_preceding"] = 1.0
    if prv or nxt:
        f["size=largest" if v >= max(prv + nxt) else "size=not_largest"] = 1.0
    if prv:
        f["size=above_prev" if v > prv[-1] else "size=below_prev"] = 1.0
    cleft = r.get("left") or ""
    if _CHANNEL.search(cleft):
        f["chan=own_clause"] = 1.0
        if _CHANNEL.search(before[:max(0, len(before) - len(cleft))]):
            f["chan=after_another"] = 1.0
        elif not prv:
            f["chan=first_count"] = 1.0


def _around(r: Record) -> tuple[str, str]:
    """The sentence's text before the number and after it."""
    sent = r.get("sentence") or ""
    s0 = r.get("sent_start", 0)
    return sent[:max(0, r.get("start", s0) - s0)], sent[max(0, r.get("end", s0) - s0):]
