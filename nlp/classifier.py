"""The claim classifier: which metric (``nlp.metrics.LABELS``) a narrative number speaks of.

Two estimators with one API (scikit-learn's contract: ``__init__`` stores hyperparameters,
``fit`` returns ``self`` and sets ``classes_``, ``predict_proba`` checks it is fitted and
orders its columns as ``classes_``):

- ``RulesClassifier``: the project's keyword rules alone (``rule_label``), the baseline;
- ``ClaimClassifier``: a ``Pipeline`` of ``ClaimFeatures`` (words around the number) →
  ``DictVectorizer`` → ``LogisticRegression`` in ``CalibratedClassifierCV``.

Both take *claim records*: plain dicts that ``nlp.claims.claim_record`` builds from the
spaCy pipeline (``left``/``left_tokens``: the clause before the number, ``prev``/
``prev_tokens``: the clause before that, ``right_tokens``, ``sentence``, ``unit``,
``qualifier``, ``section``, ``kind``, ``in_list``, ``value``).

Models persist with skops (``save_model``/``load_model``), never pickle.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from nlp.errors import Errors, XxgkError
from nlp.metrics import LABELS

Record = dict[str, Any]

MONEY_UNITS = {"亿元", "万元", "千元", "元"}
ZERO_OBJECT_METRIC = {
    "申请": "requests.new",
    "行政复议": "reconsideration.total",
    "行政诉讼": "litigation.total",
    "收费": "processing_fees",
}
"""The metric of a zero stated in words, by what was not received or charged."""

# ---------------------------------------------------------------------------
# The labelling rules (the baseline, and one source of weak labels for training)
# ---------------------------------------------------------------------------

_REQ = re.compile(r"申请|依申请")
_APPLICANTS = (
    ("自然人", "requests.new.natural_person"),
    ("商业企业", "requests.new.commercial"),
    ("科研机构", "requests.new.research"),
    ("社会公益组织", "requests.new.social"),
    ("法律服务机构", "requests.new.legal"),
)
_DOC_COLS = (
    (re.compile(r"现行有效|有效"), "in_force"),
    (re.compile(r"废止|失效|清理"), "repealed"),
    (re.compile(r"制发|印发|出台|制定|发布|新增|本年"), "issued"),
)

_UNLINKED_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"新闻发布会|发布会"), "press_conference"),
    (re.compile(r"解读"), "policy_interpretation"),
    (re.compile(r"信箱|来信|留言|问政|网民"), "mailbox"),
    (re.compile(r"热线|专线|电话"), "hotline"),
    (re.compile(r"访问量|访问总量|浏览量|点击量|访问"), "website_visits"),
    (re.compile(r"微博|微信|公众号|粉丝|新媒体|短视频|视频号|抖音|头条号|订阅|关注"), "new_media"),
    (re.compile(r"重点领域"), "key_areas"),
)
_PROACTIVE = re.compile(r"主动公开|公开(?:发布)?(?:各类|各项)?(?:政府)?信息|发布(?:各类)?(?:政府)?信息|公开政府信息")


TOPICS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"新媒体|微博|微信|公众号|抖音|视频号"), "new_media"),
    (re.compile(r"解读"), "policy_interpretation"),
    (re.compile(r"信箱|留言|问政"), "mailbox"),
)
"""What a sentence is about, from its first clause (a feature, and a labelling function of
``nlp.training``)."""


def sentence_topic(r: Record) -> Optional[str]:
    """The topic of the record's sentence (``TOPICS``) from its first clause, or None."""
    head = re.split(r"[,，;；:：]", r.get("sentence") or "", maxsplit=1)[0]
    for pat, label in TOPICS:
        if pat.search(head):
            return label
    return None


LIST_LABELS = frozenset({"new_media", "policy_interpretation", "mailbox", "website_visits", "hotline",
                         "key_areas", "press_conference", "proactive.part", "proactive.total"})
"""Labels an uncued item of an enumeration takes from the item before it (``weak_label``)."""
COUNT_UNITS = frozenset({"条", "件", "个", "篇", "次", "期", "项", "份", "封"})


def weak_label(r: Record) -> tuple[str, float]:
    """The keyword rules (``rule_label``) extended by the two labelling functions that read
    only the record, where the rules fall back to a weak ``other`` for a count:

    1. *the list*: an item of an enumeration (the quantity before it ends at most two
       characters before its clause) takes the unlinked label (``LIST_LABELS``) the rules give
       the item before it; after a total (``proactive.total``) only an item of a list
       (其中/包括 …) does, as a part (``proactive.part``). 推送短视频1113个、图文1775条 → new_media, 0.6;
    2. *the sentence topic* (``sentence_topic``): 深化政务新媒体矩阵建设,…开设专栏33个 → new_media, 0.5.

    The same labelling functions label the training data (``nlp.training``); here they are
    what ``ClaimFeatures`` gives the model as the weak label, so a report the model never read
    gets them too. The baseline ``RulesClassifier`` uses ``rule_label`` alone unless
    ``weak=True``.
    """
    label, conf = rule_label(r)
    if label != "other" or conf > 0.5 or r.get("kind") != "quantity" or r.get("unit") not in COUNT_UNITS:
        return label, conf
    pq = r.get("prev_quantity")
    if pq and 0 < pq.get("gap", 99) <= 2 and pq.get("unit") in COUNT_UNITS:
        plabel, _ = rule_label({"kind": "quantity", "left": pq.get("left", ""), "unit": pq.get("unit"),
                                "sentence": r.get("sentence", ""), "section": r.get("section")})
        if plabel in LIST_LABELS and (plabel != "proactive.total" or r.get("in_list")):
            return ("proactive.part" if plabel == "proactive.total" else plabel), 0.6
    topic = sentence_topic(r)
    if topic:
        return topic, 0.5
    return label, conf


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
        if re.search(r"处理费", ctx):
            return "processing_fees", 0.9
        if re.search(r"行政事业性收费", ctx) and unit == "万元":
            return "fees.admin_10k_yuan", 0.9
        return "other", 0.6
    if unit in ("%", "‰"):
        return "other", 0.7
    req = bool(_REQ.search(ctx)) or r.get("section") == "requests"
    if re.search(r"结转下(?:一)?年|转入下(?:一)?年|结转至下", near):
        return "requests.carried_out", 0.9
    if re.search(r"上(?:一)?年(?:度)?结转|结转上年", near):
        return "requests.carried_in", 0.9
    for word, label in _APPLICANTS:
        if word in near and (req or _REQ.search(sent)):
            return label, 0.85
    if re.search(r"(?:予以|同意|全部)公开.{0,4}(?:及|和|与|、).{0,2}部分公开", near):
        return "requests.granted_and_partial", 0.9
    if "部分公开" in near and (req or _REQ.search(sent)):
        return "requests.partial", 0.9
    if re.search(r"不予公开|不公开", near) and (req or _REQ.search(sent)):
        return "requests.denied", 0.9
    if re.search(r"(?:予以|同意|全部)公开", near) and (req or _REQ.search(sent)):
        return "requests.granted", 0.9
    if re.search(r"无法提供|不掌握|不存在", near):
        return "requests.unavailable", 0.85
    if re.search(r"不予处理", near):
        return "requests.not_processed", 0.85
    if re.search(r"复议", near) and "纠正" in near:
        return "reconsideration.corrected", 0.85
    if re.search(r"行政复议", near):
        return "reconsideration.total", 0.9
    if re.search(r"行政诉讼|起诉|应诉", near):
        return "litigation.total", 0.9
    if _REQ.search(left) and unit in ("件", "条", "个", "次", "份", None):
        if re.search(r"办结|答复|办理完毕|处理完毕|出具", left):
            return "requests.closed", 0.85
        if re.search(r"受理", left) and re.search(r"共|累计|合计", left):
            return "requests.received_all", 0.8
        if re.search(r"收到|新收|受理|接收|接到|提出|申请", left):
            return "requests.new", 0.85
    if re.search(r"答复书|办结", near):
        return "requests.closed", 0.8
    for pat, row in ((r"规范性文件", "normative_docs"), (r"规章", "rules")):
        if re.search(pat, near):
            for cue, col in _DOC_COLS:
                if cue.search(ctx):
                    return f"{row}.{col}", 0.8
            return f"{row}.issued", 0.5
    for pat, label in ((r"行政许可", "licensing.decisions"), (r"行政处罚", "penalty.decisions"),
                       (r"行政强制", "coercion.decisions")):
        if re.search(pat, near) and re.search(r"决定|办理|作出|实施|办件", ctx):
            return label, 0.8
    for pat, label in _UNLINKED_RULES:
        if pat.search(near):
            return label, 0.85
    if unit == "条" and r.get("in_list") and r.get("section") in ("overview", "active", "preamble"):
        return "proactive.part", 0.6
    if _PROACTIVE.search(left) and unit in ("条", "项", "件"):
        return ("proactive.part" if r.get("in_list") else "proactive.total"), 0.8
    return "other", 0.5


# ---------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# The estimators
# ---------------------------------------------------------------------------


class ClaimClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression on claim-context features, with calibrated probabilities.

    Parameters
    ----------
    C : float, default=4.0
        Inverse regularisation strength of the logistic regression.
    method : {"sigmoid", "isotonic"}, default="sigmoid"
        Calibration method.
    cv : int or list of (train, test) splits, default=3
        Calibration folds; lowered to the size of the smallest class when that is smaller.
        When a class has a single example, the regression is fitted on all the data and
        calibrated on it (a frozen, "prefit" estimator).
    class_weight : {"balanced", None}, default="balanced"
    features : {"claims", "numeric"}, default="claims"
        ``"claims"``: X is a list of claim records (dicts), features from ``ClaimFeatures``.
        ``"numeric"``: X is a numeric 2-D array used as is (for scikit-learn's estimator
        checks and for callers that build their own features).
    labels : sequence of str or None, default=None
        The full label set. ``None``: ``classes_`` are the labels of ``y``. Given: ``classes_``
        are these and those of ``y``; a class with no training example gets probability 0
        from the regression and is predicted only by the rules' back-off.
    rule_backoff : float or None, default=None
        With claim records: where the keyword rules name, with at least this confidence, a
        label the regression never saw in training, the rules' answer stands for that row;
        not for a label the training data overruled (records the rules gave it, labelled
        otherwise, e.g. by a person's annotation: ``overruled_``).
    random_state : int, default=0

    Attributes
    ----------
    classes_ : ndarray of str
    pipeline_ : sklearn.pipeline.Pipeline
    overruled_ : list of str
        The labels the rules named (with ``rule_backoff`` confidence) for training records that
        were labelled otherwise, with no training example of their own: never backed off.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0], [0.1], [1.0], [1.1], [0.05], [1.05]])
    >>> clf = ClaimClassifier(features="numeric").fit(X, ["a", "a", "b", "b", "a", "b"])
    >>> clf.classes_.tolist()
    ['a', 'b']
    >>> clf.predict([[1.2]]).tolist()
    ['b']
    """

    def __init__(self, C: float = 4.0, method: str = "sigmoid", cv: int = 3,
                 class_weight: Optional[str] = "balanced", features: str = "claims",
                 labels: Optional[Sequence[str]] = None, rule_backoff: Optional[float] = None,
                 random_state: int = 0) -> None:
        self.C = C
        self.labels = labels
        self.rule_backoff = rule_backoff
        self.method = method
        self.cv = cv
        self.class_weight = class_weight
        self.features = features
        self.random_state = random_state

    _parameter_constraints = {
        "method": {"sigmoid", "isotonic"},
        "features": {"claims", "numeric"},
    }

    def _check_params(self) -> None:
        for name, allowed in self._parameter_constraints.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {sorted(allowed)}, got {getattr(self, name)!r}")
        if not (isinstance(self.C, (int, float)) and self.C > 0):
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        if isinstance(self.cv, (int, np.integer)) and not isinstance(self.cv, bool):
            if self.cv < 2:
                raise ValueError(f"cv must be an int >= 2 or a list of splits, got {self.cv!r}")
        elif not hasattr(self.cv, "__iter__"):
            raise ValueError(f"cv must be an int >= 2 or a list of splits, got {self.cv!r}")

    def _validate_X(self, X: Any, reset: bool) -> Any:
        if self.features == "numeric":
            return validate_data(self, X, reset=reset)
        if isinstance(X, dict) or not all(isinstance(r, dict) for r in X):
            raise ValueError("ClaimClassifier(features='claims') takes a list of claim records (dicts)")
        return list(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.features == "claims":
            tags.input_tags.two_d_array = False
            tags.input_tags.dict = True
        return tags

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> "ClaimClassifier":
        """Fit on records (or a numeric array) ``X`` and labels ``y``; returns ``self``."""
        self._check_params()
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        X = self._validate_X(X, reset=True)
        y = np.asarray(y)
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
        check_classification_targets(y)
        self.classes_ = unique_labels(y)
        if self.labels is not None:
            self.classes_ = np.array(sorted(set(map(str, self.labels)) | set(map(str, self.classes_))))
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=float)
        self.overruled_ = []
        if self.rule_backoff and self.features == "claims":
            in_y = set(map(str, y))
            self.overruled_ = sorted({lab for lab, conf in map(rule_label, X)
                                      if conf >= self.rule_backoff and lab not in in_y})
        steps: list[tuple[str, Any]] = []
        if self.features == "claims":
            steps += [("features", ClaimFeatures()), ("vectorize", DictVectorizer())]
        if len(np.unique(y)) == 1:
            self.pipeline_ = None
            self.constant_ = y[0]
            return self
        lr = LogisticRegression(C=self.C, max_iter=5000, class_weight=self.class_weight,
                                random_state=self.random_state)
        counts = np.unique(y, return_counts=True)[1]
        smallest = int(counts.min())
        if smallest >= 2:
            folds = (StratifiedKFold(n_splits=min(int(self.cv), smallest), shuffle=True,
                                     random_state=self.random_state)
                     if isinstance(self.cv, (int, np.integer)) else list(self.cv))
            clf = CalibratedClassifierCV(lr, method=self.method, cv=folds)
            self.pipeline_ = Pipeline(steps + [("classify", clf)])
            fit_kw = {"classify__sample_weight": sample_weight} if sample_weight is not None else {}
            self.pipeline_.fit(X, y, **fit_kw)
        else:  # a class with one example: no folds fit; calibrate the fitted model (prefit)
            pre = Pipeline(steps + [("classify", lr)])
            fit_kw = {"classify__sample_weight": sample_weight} if sample_weight is not None else {}
            pre.fit(X, y, **fit_kw)
            featurize = Pipeline(pre.steps[:-1]) if steps else None
            Xf = featurize.transform(X) if featurize is not None else X
            everything = np.arange(len(y))
            cal = CalibratedClassifierCV(FrozenEstimator(pre.steps[-1][1]), method="sigmoid",
                                         cv=[(everything, everything)])
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*FrozenEstimator does not appear to accept sample_weight.*")
                cal.fit(Xf, y, sample_weight=sample_weight)
            self.pipeline_ = Pipeline(pre.steps[:-1] + [("classify", cal)])
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities, one column per class in ``classes_`` order."""
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        out = np.zeros((len(X), len(self.classes_)))
        index = {c: j for j, c in enumerate(self.classes_)}
        if self.pipeline_ is None:
            out[:, index[self.constant_]] = 1.0
            seen = {self.constant_}
        else:
            proba = self.pipeline_.predict_proba(X)
            inner = list(self.pipeline_.classes_)
            for k, c in enumerate(inner):
                out[:, index[c]] = proba[:, k]
            seen = set(inner)
        if self.rule_backoff and self.features == "claims" and len(seen) < len(self.classes_):
            n = len(self.classes_)
            overruled = set(getattr(self, "overruled_", ()))
            for i, r in enumerate(X):
                label, conf = rule_label(r)
                if label not in seen and label not in overruled and label in index and conf >= self.rule_backoff:
                    out[i, :] = (1.0 - conf) / max(n - 1, 1)
                    out[i, index[label]] = conf
        return out

    def predict(self, X: Any) -> np.ndarray:
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class RulesClassifier(ClassifierMixin, BaseEstimator):
    """The keyword rules (``rule_label``) as an estimator: the baseline model.

    ``fit`` learns nothing but the label set (``classes_``: ``labels`` or, by default,
    ``nlp.metrics.LABELS`` together with the labels of ``y``). ``predict_proba`` puts the
    rule's confidence on its label and spreads the rest evenly.

    Parameters
    ----------
    labels : sequence of str or None, default=None
    weak : bool, default=False
        ``True``: ``weak_label`` (the rules with list propagation and the sentence topic), the
        labelling functions alone, to compare the model with.

    Examples
    --------
    >>> clf = RulesClassifier().fit([], [])
    >>> clf.predict([{"kind": "quantity", "left": "共收到政府信息公开申请", "unit": "件"}]).tolist()
    ['requests.new']
    >>> clf.predict([{"kind": "quantity", "left": "受理政府信息公开申请共", "unit": "件"}]).tolist()
    ['requests.received_all']
    """

    def __init__(self, labels: Optional[Sequence[str]] = None, weak: bool = False) -> None:
        self.labels = labels
        self.weak = weak

    def fit(self, X: Any = None, y: Any = None) -> "RulesClassifier":
        labels = set(self.labels if self.labels is not None else LABELS)
        if y is not None:
            labels |= {str(v) for v in y}
        self.classes_ = np.array(sorted(labels))
        return self

    def predict_proba(self, X: Sequence[Record]) -> np.ndarray:
        check_is_fitted(self)
        index = {c: i for i, c in enumerate(self.classes_)}
        out = np.zeros((len(X), len(self.classes_)))
        n = len(self.classes_)
        label_of = weak_label if getattr(self, "weak", False) else rule_label
        for i, r in enumerate(X):
            label, conf = label_of(r)
            j = index.get(label, index.get("other", 0))
            out[i, :] = (1.0 - conf) / max(n - 1, 1)
            out[i, j] = conf
        return out

    def predict(self, X: Sequence[Record]) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def rules_model() -> RulesClassifier:
    """The fitted rules baseline."""
    m = RulesClassifier().fit()
    m.version_ = "rules"
    return m


# ---------------------------------------------------------------------------
# Persistence: skops, with explicit trusted types
# ---------------------------------------------------------------------------

TRUSTED_TYPES = [
    "nlp.classifier.ClaimClassifier",
    "nlp.classifier.ClaimFeatures",
    "nlp.classifier.RulesClassifier",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.frozen._frozen.FrozenEstimator",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.pipeline.Pipeline",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "numpy.str_",
    "builtins.float",
    "builtins.int",
]
"""The only types a model file may hold; anything else is refused on load."""


def save_model(model: Any, path: Union[str, Path]) -> Path:
    """Write ``model`` to ``path`` with skops (``.skops``)."""
    import skops.io as sio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model, path)
    return path


def load_model_file(path: Union[str, Path]) -> Any:
    """Load a skops model, trusting only ``TRUSTED_TYPES``.

    Raises ``XxgkError``: E013 when the file is missing (the message names the fix: train
    one, or ask for the rules), E010 when it is unreadable or holds other types.
    """
    import skops.io as sio

    path = Path(path)
    if not path.exists():
        raise XxgkError(Errors.E013, path=path)
    try:
        untrusted = sio.get_untrusted_types(file=path)
        unknown = [t for t in untrusted if t not in TRUSTED_TYPES]
        if unknown:
            raise XxgkError(Errors.E010, path=path, detail=f"untrusted types {unknown}")
        return sio.load(path, trusted=[t for t in untrusted])
    except XxgkError:
        raise
    except Exception as e:  # a damaged or foreign file
        raise XxgkError(Errors.E010, path=path, detail=f"{type(e).__name__}: {e}") from e


def read_card(model_dir: Union[str, Path]) -> Optional[dict[str, Any]]:
    """The model card JSON of ``model_dir`` (``model_card.json``), or None."""
    p = Path(model_dir) / "model_card.json"
    return json.loads(p.read_text("utf-8")) if p.exists() else None
