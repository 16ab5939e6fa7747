"""The claim classifiers: which metric (``nlp.metrics.LABELS``) a narrative number speaks of.

Two estimators with one API (scikit-learn's contract: ``__init__`` stores hyperparameters,
``fit`` returns ``self`` and sets ``classes_``, ``predict_proba`` checks it is fitted and
orders its columns as ``classes_``):

- ``RulesClassifier``: the keyword rules alone (``nlp.model.rules.rule_label``), the baseline;
- ``ClaimClassifier``: a ``Pipeline`` of ``ClaimFeatures`` (words around the number) →
  ``DictVectorizer`` → ``LogisticRegression`` in ``CalibratedClassifierCV``.

Both take *claim records* (``nlp.model.rules``).
"""

from __future__ import annotations

import warnings
from typing import Any, Optional, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from nlp.metrics import LABELS
from nlp.model.features import ClaimFeatures
from nlp.model.rules import Record, rule_label, weak_label


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
