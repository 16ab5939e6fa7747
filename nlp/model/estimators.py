"""The claim classifiers: which metric (``nlp.metrics.LABELS``) a narrative number speaks of.

Two estimators with one API (scikit-learn's contract: ``__init__`` stores hyperparameters,
``fit`` returns ``self`` and sets ``classes_``, ``predict_proba`` checks it is fitted and
orders its columns as ``classes_``):

- ``RulesClassifier``: the keyword rules alone (``nlp.model.rules.rule_label``), the baseline;
  with ``weak=True`` the labelling functions alone (``weak_label``);
- ``ClaimClassifier``: ``ClaimFeatures`` → ``DictVectorizer`` → a multinomial
  ``LogisticRegression`` whose regularisation is chosen and whose confidences are calibrated
  (a temperature) under cross-validation grouped by report, inside ``fit``; at prediction it is
  one linear model and one division.

Both take *claim records* (``nlp.model.rules``).
"""

from __future__ import annotations

import warnings
from itertools import chain, repeat
from typing import Any, Optional, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from nlp.metrics import LABELS, ZERO_OBJECT_METRIC
from nlp.model.features import ClaimFeatures
from nlp.model.rules import Record, labelling_functions, rule_label, weak_label


BACKOFF_PRIOR = 2.0
"""Strength (in examples) of the prior of the rules' precision on a rare label: their precision
over every label (``ClaimClassifier._backoff``). Fixed a priori."""


class ClaimClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression on claim-context features, with calibrated confidences.

    ``fit`` does the model selection and the calibration itself, under cross-validation
    grouped by report when ``groups`` are given (``GroupKFold``; else ``StratifiedKFold``):

    1. out-of-fold decision values for every ``C`` of ``Cs``; the ``C`` whose out-of-fold
       predictions have the best micro-F1 + macro-F1 is kept (ties: the smaller ``C``);
    2. a temperature ``T`` fitted to those out-of-fold decision values (the negative
       log-likelihood of the true labels, weighted by ``sample_weight``);
    3. the regression fitted on all the data with the chosen ``C``.

    ``predict_proba`` is then ``softmax(decision_function / T)``: one linear model, the
    calibration folded in (temperature scaling keeps the predicted label).

    Parameters
    ----------
    Cs : float or sequence of float, default=(1.0, 4.0)
        Inverse regularisation strengths to choose from (one value: no choice).
    cv : int, default=3
        Folds of the inner cross-validation (fewer when the data has fewer groups, or a class
        fewer examples); with fewer than 2 possible folds neither choice nor calibration is
        made (the first ``C``, ``T`` = 1).
    calibration : {"temperature", "isotonic", None}, default="temperature"
        ``"temperature"``: the decision values are divided by ``T`` (one number, fitted by the
        out-of-fold negative log-likelihood). ``"isotonic"``: the top label's probability is
        mapped through an isotonic regression of the out-of-fold correctness on it (the other
        labels share the rest in proportion), which can bend where one temperature cannot.
        ``"auto"``: the isotonic curve or a *conditional* calibration (a logistic regression of
        correctness on the top probability, its margin, the labelling functions' agreement and
        the predicted label), whichever scores the lower Brier score cross-fitted over the same
        inner folds (``_choose_calibration``; ``calibration_`` says which).
    class_weight : {"balanced", None}, default="balanced"
    min_df : int, default=2
        With claim records: keep the features of at least this many training records (a
        feature of one record teaches nothing beyond it, and costs time).
    features : {"claims", "numeric"}, default="claims"
        ``"claims"``: X is a list of claim records (dicts), features from ``ClaimFeatures``.
        ``"numeric"``: X is a numeric 2-D array used as is (for scikit-learn's estimator
        checks and for callers that build their own features).
    labels : sequence of str or None, default=None
        The full label set. ``None``: ``classes_`` are the labels of ``y``. Given: ``classes_``
        are these and those of ``y``; a class with no training example gets probability 0
        from the regression and is predicted only by the rules' back-off.
    rule_backoff : float, "rare" or None, default=None
        With claim records, where the labelling functions' answer stands instead of the
        regression's. ``"rare"``: on the labels of fewer than ``backoff_support`` training
        examples (``_backoff_rare``): a row where the labelling functions (``weak_label``) or
        the regression name such a label gets the labelling functions' answer, so that on
        those labels the model decides exactly as they do, by construction never worse (a label
        too rare to learn: 其中自然人申请741件, 行政强制事项0条); the regression decides the
        rest. A float: the older rule, the keyword rules' answer of at least this confidence
        stands for a label the regression saw fewer than ``backoff_support`` times, unless the
        rules were more often wrong than right about it in training (``_backoff``). The row's
        confidence is the rules' shrunk precision on the label they answer
        (``backoff_confidence_``), not the rule's own.
    backoff_support : int, default=5
    tol : float, default=1e-4
        The solver's tolerance (lbfgs). A looser one (1e-3) stops short of the optimum at a
        point that moves with any small change of the features or the data, and ranks the
        model's errors worse: under the card's grouped CV 74 confidently wrong claims at
        1e-3 against 66 at 1e-4 at the same review load (``scripts/try_confident.py``).
    random_state : int, default=0
        Seeds the stratified folds (grouped folds are deterministic).

    Attributes
    ----------
    classes_ : ndarray of str
    C_ : float
        The chosen ``C``.
    temperature_ : float
    isotonic_ : tuple of two ndarrays or None
        The isotonic map of the top probability (its knots: probabilities, accuracies).
    calibration_ : str or None
        The calibration used (``"isotonic"`` or ``"conditional"`` with ``calibration="auto"``).
    confidence_model_ : dict or None
        The conditional calibration: ``labels`` (the predicted labels with a term of their
        own), ``coef``, ``intercept``.
    cv_scores_ : dict
        ``C`` → the out-of-fold micro-F1 + macro-F1 it was chosen by.
    regression_ : LogisticRegression or None
        The fitted regression (None when ``y`` has a single class).
    vectorizer_ : DictVectorizer or None
    backoff_ : list of str
        The labels the rules' answer stands for.
    backoff_confidence_ : dict
        Label → the confidence the rules' answer is given (their estimated precision on it).
    zero_confidence_ : dict
        The object a zero in words denies (申请, 行政复议 …; "" for any) → the confidence its
        metric is given (how often it was right in training), when ``fit`` was given zeros.

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

    def __init__(self, Cs: Any = (1.0, 4.0), cv: int = 3, calibration: Optional[str] = "temperature",
                 class_weight: Optional[str] = "balanced", min_df: int = 2, features: str = "claims",
                 labels: Optional[Sequence[str]] = None, rule_backoff: Optional[float] = None,
                 backoff_support: int = 5, tol: float = 1e-4, random_state: int = 0) -> None:
        self.Cs = Cs
        self.cv = cv
        self.min_df = min_df
        self.calibration = calibration
        self.class_weight = class_weight
        self.features = features
        self.labels = labels
        self.rule_backoff = rule_backoff
        self.backoff_support = backoff_support
        self.tol = tol
        self.random_state = random_state

    _parameter_constraints = {
        "calibration": {"temperature", "isotonic", "auto", None},
        "features": {"claims", "numeric"},
    }

    def _check_params(self) -> list[float]:
        for name, allowed in self._parameter_constraints.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {sorted(map(str, allowed))}, got {getattr(self, name)!r}")
        cs = [self.Cs] if isinstance(self.Cs, (int, float)) else list(self.Cs)
        if not cs or not all(isinstance(c, (int, float)) and not isinstance(c, bool) and c > 0 for c in cs):
            raise ValueError(f"Cs must be a positive number or a sequence of them, got {self.Cs!r}")
        if not (isinstance(self.cv, (int, np.integer)) and not isinstance(self.cv, bool) and self.cv >= 2):
            raise ValueError(f"cv must be an int >= 2, got {self.cv!r}")
        return [float(c) for c in cs]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        if self.features == "claims":
            tags.input_tags.two_d_array = False
            tags.input_tags.dict = True
        return tags

    # -- the features ---------------------------------------------------------------------

    def _matrix(self, X: Any, fit: bool, labelled: Any = None) -> Any:
        """X as the regression's input: claim records through ``ClaimFeatures`` and the
        vectorizer (fitted when ``fit``), or the numeric array as it is. ``labelled``: the
        records' labelling functions (``labelling_functions``), when the caller has them."""
        if self.features == "numeric":
            return validate_data(self, X, reset=fit)
        if isinstance(X, dict) or not all(isinstance(r, dict) for r in X):
            raise ValueError("ClaimClassifier(features='claims') takes a list of claim records (dicts)")
        dicts = (ClaimFeatures().transform(list(X)) if labelled is None
                 else ClaimFeatures().transform_labelled(list(X), labelled))
        if not fit:
            return self._vectorize(dicts)
        self.vectorizer_ = DictVectorizer()
        M = self.vectorizer_.fit_transform(dicts)
        if self.min_df > 1:
            keep = np.asarray((M != 0).sum(axis=0)).ravel() >= self.min_df
            self.vectorizer_.restrict(keep)
            M = M[:, np.flatnonzero(keep)]
        M = sp.csr_matrix(M)
        M.indices, M.indptr = M.indices.astype(np.int32), M.indptr.astype(np.int32)
        return M

    def _vectorize(self, dicts: list[dict[str, float]]) -> Any:
        """``vectorizer_.transform(dicts)`` without its per-value checks (``ClaimFeatures``
        makes numbers only): the same matrix (indices sorted, as it leaves them; int32 indices),
        so the same decision values to the last bit."""
        n = sum(map(len, dicts))
        columns = np.fromiter(map(self.vectorizer_.vocabulary_.get, chain.from_iterable(dicts), repeat(-1, n)),
                              dtype=np.int64, count=n)
        values = np.fromiter(chain.from_iterable(map(dict.values, dicts)), dtype=self.vectorizer_.dtype, count=n)
        rows = np.repeat(np.arange(len(dicts)), [len(f) for f in dicts])
        known = columns >= 0  # a feature training never kept is left out
        indptr = np.zeros(len(dicts) + 1, dtype=np.int32)
        np.cumsum(np.bincount(rows[known], minlength=len(dicts)), out=indptr[1:])
        M = sp.csr_matrix((values[known], columns[known].astype(np.int32), indptr),
                          shape=(len(dicts), len(self.vectorizer_.vocabulary_)))
        M.sort_indices()  # as the vectorizer leaves them
        return M

    def _regression(self, C: float, M: Any, y: np.ndarray, w: Optional[np.ndarray],
                    init: Optional[LogisticRegression] = None) -> LogisticRegression:
        """The regression fitted with ``C``; ``init``: a regression of the same rows (another
        ``C``) whose solution the solver starts from (the same optimum, fewer iterations)."""
        lr = LogisticRegression(C=C, solver="lbfgs", tol=self.tol, max_iter=3000, class_weight=self.class_weight)
        if init is not None and np.array_equal(init.classes_, np.unique(y)):
            lr.set_params(warm_start=True)
            lr.coef_, lr.intercept_ = init.coef_.copy(), init.intercept_.copy()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=ConvergenceWarning)
            return lr.fit(M, y, sample_weight=w)

    def _folds(self, y: np.ndarray, groups: Any) -> list[tuple[np.ndarray, np.ndarray]]:
        if groups is not None:
            groups = np.asarray(groups)
            k = min(int(self.cv), len(np.unique(groups)))
            return list(GroupKFold(k).split(y, y, groups)) if k >= 2 else []
        k = min(int(self.cv), int(np.unique(y, return_counts=True)[1].min()))
        if k < 2:
            return []
        return list(StratifiedKFold(k, shuffle=True, random_state=self.random_state).split(y, y))

    # -- fit and predict --------------------------------------------------------------------

    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> "ClaimClassifier":
        """Choose ``C``, fit the temperature and the regression; returns ``self``.

        ``groups`` (one per row, e.g. the report's sha256) make the inner folds grouped, so
        that neither choice nor calibration sees a report from both sides of a fold."""
        cs = self._check_params()
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        self.zero_confidence_ = {}
        if self.features == "claims" and not isinstance(X, dict) and any(
                isinstance(r, dict) and r.get("kind") == "zero" for r in X):
            X, y, sample_weight, groups = self._split_zeros(list(X), list(y), sample_weight, groups)
        if self.features == "numeric":
            M, y = validate_data(self, X, y, reset=True)
        else:
            M = self._matrix(X, fit=True)
            y = np.asarray(y)
            if len(y) != M.shape[0]:
                raise ValueError(f"X has {M.shape[0]} samples but y has {len(y)}")
        check_classification_targets(y)
        y = y.astype(str) if self.features == "claims" else y
        w = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.classes_ = unique_labels(y)
        if self.labels is not None:
            self.classes_ = np.array(sorted(set(map(str, self.labels)) | set(map(str, self.classes_))))
        self.backoff_, self.backoff_confidence_ = [], {}
        if self.rule_backoff and self.rule_backoff != "rare" and self.features == "claims":
            self.backoff_confidence_ = self._backoff(X, y)
            self.backoff_ = sorted(self.backoff_confidence_)
        self.C_, self.temperature_, self.cv_scores_, self.isotonic_ = cs[0], 1.0, {}, None
        self.confidence_model_, self.calibration_ = None, None
        if len(np.unique(y)) == 1:
            self.regression_ = None
            self.constant_ = y[0]
            return self
        folds = self._folds(y, groups) if (len(cs) > 1 or self.calibration) else []
        weak = [weak_label(r)[0] for r in X] if self.features == "claims" else None
        if folds:
            self.C_, self.temperature_, self.cv_scores_, self.isotonic_ = self._select(cs, M, y, w, folds, weak)
        if self.rule_backoff == "rare" and weak is not None:
            self.backoff_, self.backoff_confidence_ = self._backoff_rare(y, weak)
        # the final fit starts from an inner fold's solution with every class (same optimum, fewer iterations)
        warm = [lr for lr in self.__dict__.pop("_warm", ()) if np.array_equal(lr.classes_, np.unique(y))]
        self.regression_ = self._regression(self.C_, M, y, w, init=warm[0] if warm else None)
        return self

    def _split_zeros(self, X: list, y: list, sample_weight: Any, groups: Any) -> tuple[list, list, Any, Any]:
        """The zeros in words of the training records set apart: each is decided by what it
        denies (``ZERO_OBJECT_METRIC``), and how often that is right, per object, in the
        training records (shrunk towards the rate over every zero, a Beta prior of strength
        ``BACKOFF_PRIOR``) is the confidence it is given (``zero_confidence_``). The rest
        (the quantities) are returned for the regression."""
        zero = [i for i, r in enumerate(X) if r.get("kind") == "zero"]
        right: dict[str, int] = {}
        seen: dict[str, int] = {}
        for i in zero:
            objs = X[i].get("objects") or ()
            if not objs:
                continue
            seen[objs[0]] = seen.get(objs[0], 0) + 1
            right[objs[0]] = right.get(objs[0], 0) + (ZERO_OBJECT_METRIC.get(objs[0]) == str(y[i]))
        if seen:
            rate = sum(right.values()) / sum(seen.values())
            self.zero_confidence_ = {o: round(float((right[o] + BACKOFF_PRIOR * rate) / (seen[o] + BACKOFF_PRIOR)), 4)
                                     for o in sorted(seen)}
            self.zero_confidence_[""] = round(float(rate), 4)
        keep = [i for i in range(len(X)) if i not in set(zero)]
        pick = (lambda v: None if v is None else [v[i] for i in keep])
        return [X[i] for i in keep], [y[i] for i in keep], pick(
            None if sample_weight is None else list(sample_weight)), pick(None if groups is None else list(groups))

    def zero_confidence(self, record: Record) -> Optional[float]:
        """The confidence of a zero in words (``_split_zeros``), or None when training saw none."""
        conf = getattr(self, "zero_confidence_", None) or {}
        objs = record.get("objects") or ()
        return conf.get(objs[0] if objs else "", conf.get(""))

    def _backoff(self, X: Any, y: np.ndarray) -> dict[str, float]:
        """The rare labels the rules' answer stands for, each with the confidence it is given:
        the rules' precision on that label in the training records (their answers of at least
        ``rule_backoff`` confidence), shrunk towards their precision over every label (a Beta
        prior of strength ``BACKOFF_PRIOR``), so that one or two examples neither condemn a
        rule nor make it certain. A label stands when that estimate is at least 0.5 (the rules
        more often right than wrong about it) and the regression saw it fewer than
        ``backoff_support`` times."""
        support: dict[str, int] = {}
        right: dict[str, int] = {}
        wrong: dict[str, int] = {}
        for (lab, conf), truth in zip(map(rule_label, X), y):
            support[truth] = support.get(truth, 0) + 1
            if conf >= self.rule_backoff:
                tally = right if lab == truth else wrong
                tally[lab] = tally.get(lab, 0) + 1
        n_right, n_all = sum(right.values()), sum(right.values()) + sum(wrong.values())
        prior = n_right / n_all if n_all else 0.5
        out = {}
        for lab in map(str, self.classes_):
            r, n = right.get(lab, 0), right.get(lab, 0) + wrong.get(lab, 0)
            precision = (r + BACKOFF_PRIOR * prior) / (n + BACKOFF_PRIOR)
            if support.get(lab, 0) < self.backoff_support and precision >= 0.5:
                out[lab] = round(float(precision), 4)
        return out

    def _backoff_rare(self, y: np.ndarray, weak: list[str]) -> tuple[list[str], dict[str, float]]:
        """(labels, confidences): the labels the labelling functions' answer stands for, the
        labels of fewer than ``backoff_support`` training examples (every label of the set the
        regression saw too rarely, decided by the training records' counts alone), and the
        confidence their answer gets, by label: their precision on it in the training
        records, shrunk towards their precision on every label (a Beta prior of strength
        ``BACKOFF_PRIOR``: a label they never named falls to the prior)."""
        right: dict[str, int] = {}
        said: dict[str, int] = {}
        for p, t in zip(weak, y):
            said[p] = said.get(p, 0) + 1
            right[p] = right.get(p, 0) + int(p == t)
        prior = sum(right.values()) / max(sum(said.values()), 1)
        conf = {str(c): round(float((right.get(c, 0) + BACKOFF_PRIOR * prior) / (said.get(c, 0) + BACKOFF_PRIOR)), 4)
                for c in sorted(set(map(str, self.classes_)) | set(said))}
        support = dict(zip(*np.unique(np.asarray(y).astype(str), return_counts=True)))
        rare = [str(c) for c in self.classes_ if str(c) != "not_a_claim" and support.get(str(c), 0) < self.backoff_support]
        return rare, conf

    def _select(self, cs: list[float], M: Any, y: np.ndarray, w: Optional[np.ndarray],
                folds: list[tuple[np.ndarray, np.ndarray]],
                weak: Optional[list[str]] = None) -> tuple[float, float, dict[float, float], Any]:
        """(C, T, scores, isotonic): the C of the best out-of-fold micro-F1 + macro-F1, and the
        calibration fitted to its out-of-fold decision values."""
        classes = np.unique(y)
        index = {c: i for i, c in enumerate(classes)}
        yi = np.array([index[c] for c in y])
        scores: dict[float, float] = {}
        oof: dict[float, np.ndarray] = {}
        last: dict[int, Any] = {}  # each inner fold's regression of the previous C: the next one starts there
        for C in sorted(cs):
            Z = np.zeros((len(y), len(classes)))
            for k, (tr, te) in enumerate(folds):
                lr = self._regression(C, M[tr], y[tr], None if w is None else w[tr], init=last.get(k))
                last[k] = lr
                d = lr.decision_function(M[te])
                if d.ndim == 1:
                    d = np.column_stack([-d / 2, d / 2])
                Zte = np.full((len(te), len(classes)), np.nan)
                Zte[:, [index[c] for c in lr.classes_]] = d
                # a class a fold never saw: below every class it saw
                Z[te] = np.where(np.isnan(Zte), np.nanmin(Zte, axis=1, keepdims=True) - 10.0, Zte)
            pred = classes[Z.argmax(axis=1)]
            scores[C] = float(f1_score(y, pred, average="micro") + f1_score(y, pred, average="macro"))
            oof[C] = Z
        self._warm = list(last.values())  # where the final fit starts (``fit``; not kept)
        best = max(cs, key=lambda c: (round(scores[c], 6), -c))
        T, iso = 1.0, None
        if self.calibration in ("isotonic", "auto"):
            P = softmax(oof[best], axis=1)
            pred = classes[P.argmax(axis=1)]
            ok = (P.argmax(axis=1) == yi).astype(float)
            iso = _fit_isotonic(P, ok, w)
            self.calibration_ = "isotonic"
            if self.calibration == "auto" and weak is not None:
                self.calibration_, self.confidence_model_ = self._choose_calibration(P, pred, ok, w, weak, folds)
                if self.calibration_ != "isotonic":
                    iso = None
        if self.calibration == "temperature":
            Z = oof[best]
            sw = np.ones(len(y)) if w is None else w

            def nll(log_t: float) -> float:
                return float(-(sw * log_softmax(Z / np.exp(log_t), axis=1)[np.arange(len(y)), yi]).sum() / sw.sum())

            T = float(np.exp(minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded").x))
        return best, T, {c: round(v, 4) for c, v in scores.items()}, iso

    def _choose_calibration(self, P: np.ndarray, pred: np.ndarray, ok: np.ndarray, w: Optional[np.ndarray],
                            weak: list[str], folds: list[tuple[np.ndarray, np.ndarray]]) -> tuple[str, Any]:
        """``("isotonic", None)`` or ``("conditional", model)``, whichever gives the out-of-fold
        decisions the lower Brier score when each is fitted on the other inner folds' decisions
        and applied to this one's (cross-fitting over the same grouped folds), then the chosen
        one fitted on all of them. *Conditional*: a logistic regression of correctness on the
        top probability's logit, its margin over the second, whether the labelling functions
        agree, and the predicted label (``_confidence_features``): the confidence of a label the
        model often confuses (a part or a total, key_areas, other) can fall where one curve for
        every label cannot make it."""
        top = P.max(axis=1)
        second = np.sort(P, axis=1)[:, -2] if P.shape[1] > 1 else np.zeros(len(P))
        agree = np.array([a == b for a, b in zip(weak, pred)], dtype=float)
        counts: dict[str, int] = {}
        for c in pred:
            counts[str(c)] = counts.get(str(c), 0) + 1
        labels = sorted(c for c, n in counts.items() if n >= CONDITIONAL_MIN_PREDICTIONS)
        F = _confidence_features(top, second, agree, pred, labels)
        brier = {"isotonic": 0.0, "conditional": 0.0}
        for tr, te in folds:
            if len(np.unique(ok[tr])) < 2:
                return "isotonic", None
            iso = _fit_isotonic(P[tr], ok[tr], None if w is None else w[tr])
            brier["isotonic"] += float(((np.interp(top[te], iso[0], iso[1]) - ok[te]) ** 2).sum())
            cm = _fit_conditional(F[tr], ok[tr], None if w is None else w[tr])
            brier["conditional"] += float(((_apply_conditional(cm, F[te]) - ok[te]) ** 2).sum())
        self.calibration_brier_ = {k: round(v / len(ok), 5) for k, v in brier.items()}
        if brier["conditional"] < brier["isotonic"] and len(np.unique(ok)) > 1:
            cm = _fit_conditional(F, ok, w)
            return "conditional", {"labels": labels, "coef": cm[0], "intercept": cm[1]}
        return "isotonic", None

    def _scores(self, X: Any, labelled: Any = None) -> np.ndarray:
        """The regression's decision values divided by the temperature, one column per class
        the regression saw (``regression_.classes_``)."""
        M = self._matrix(X, fit=False, labelled=labelled)
        if self.features == "claims":  # LogisticRegression.decision_function without its input checks
            reg = self.regression_
            d = M @ reg.coef_.T + reg.intercept_
            d = d.ravel() if d.shape[1] == 1 else d
        else:
            d = self.regression_.decision_function(M)
        if d.ndim == 1:
            d = np.column_stack([-d / 2, d / 2])
        return d / self.temperature_

    def predict_proba(self, X: Any, parts: Optional[Sequence[int]] = None) -> np.ndarray:
        """Calibrated probabilities, one column per class in ``classes_`` order.

        ``parts``: the rows are those of several reports (how many rows each, in order),
        decided in one call: each report's rows are calibrated apart, so that each gets what a
        call of its own gives it to the last bit (the conditional calibration's matrix-vector
        product gives a row's last bit by its place among the rows; the rest is row by row)."""
        check_is_fitted(self)
        X = X if self.features == "claims" else validate_data(self, X, reset=False)
        n = X.shape[0] if hasattr(X, "shape") else len(X)
        out = np.zeros((n, len(self.classes_)))
        index = {c: j for j, c in enumerate(self.classes_)}
        # the labelling functions once a record: the features, the calibration and the back-off read them
        labels = [labelling_functions(r) for r in X] if self.features == "claims" else None
        weaks = [lab.weak for lab in labels] if labels is not None else None
        if self.regression_ is None:
            out[:, index[self.constant_]] = 1.0
        elif n:
            inner = list(self.regression_.classes_)
            P = softmax(self._scores(X, labels), axis=1)
            spans = [(0, n)] if parts is None else list(zip(np.cumsum([0, *parts[:-1]]), np.cumsum(parts)))
            out[:, [index[c] for c in inner]] = np.concatenate(
                [self._recalibrate(P[a:b], X[a:b], None if weaks is None else weaks[a:b]) for a, b in spans])
        backoff = set(getattr(self, "backoff_", ()))
        if self.rule_backoff and self.features == "claims" and backoff:
            k = len(self.classes_)
            confs = getattr(self, "backoff_confidence_", {})
            top = self.classes_[out.argmax(axis=1)].tolist() if n else []
            for i, r in enumerate(X):
                if self.rule_backoff == "rare":  # their answer stands where they or the model name a rare label
                    label, conf = labels[i].weak
                    stands = (label in backoff or top[i] in backoff) and label in index
                else:
                    label, conf = labels[i].rule
                    stands = label in backoff and conf >= self.rule_backoff
                if stands:
                    p = confs.get(label, conf)
                    out[i, :] = (1.0 - p) / max(k - 1, 1)
                    out[i, index[label]] = p
        return out

    def predict(self, X: Any) -> np.ndarray:
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def _recalibrate(self, P: np.ndarray, X: Any = None, weaks: Any = None) -> np.ndarray:
        """The calibration map applied to each row's top probability (the isotonic curve, or
        the conditional model of ``_choose_calibration``), the rest shared by the other labels
        in proportion (the top label stays on top)."""
        iso = getattr(self, "isotonic_", None)
        cm = getattr(self, "confidence_model_", None)
        if (iso is None and cm is None) or not len(P):
            return P
        rows = np.arange(len(P))
        j = P.argmax(axis=1)
        top = P[rows, j]
        if cm is not None and X is not None and self.features == "claims":
            pred = self.regression_.classes_[j]
            second = np.sort(P, axis=1)[:, -2] if P.shape[1] > 1 else np.zeros(len(P))
            weaks = weaks if weaks is not None else [weak_label(r) for r in X]
            agree = np.array([wk[0] == p for wk, p in zip(weaks, pred)], dtype=float)
            new = _apply_conditional((cm["coef"], cm["intercept"]),
                                     _confidence_features(top, second, agree, pred, cm["labels"]))
        elif iso is not None:
            new = np.interp(top, iso[0], iso[1])
        else:
            return P
        rest = np.where(top < 1.0, (1.0 - new) / np.maximum(1.0 - top, 1e-12), 0.0)
        out = P * rest[:, None]
        second = np.sort(out, axis=1)[:, -2]
        out[rows, j] = np.maximum(new, second)
        return out / out.sum(axis=1, keepdims=True)


CONDITIONAL_MIN_PREDICTIONS = 20
"""A predicted label gets its own term in the conditional calibration when the inner folds
predicted it at least this often (the rest share the intercept). Fixed a priori."""


def _fit_isotonic(P: np.ndarray, ok: np.ndarray, w: Optional[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.isotonic import IsotonicRegression

    reg = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(P.max(axis=1), ok, sample_weight=w)
    return np.asarray(reg.X_thresholds_, dtype=float), np.asarray(reg.y_thresholds_, dtype=float)


def _confidence_features(top: np.ndarray, second: np.ndarray, agree: np.ndarray, pred: Sequence[Any],
                         labels: Sequence[str]) -> np.ndarray:
    """What the conditional calibration reads of each decision: the top probability's logit,
    its margin over the second, whether the labelling functions agree, the predicted label."""
    t = np.clip(top, 1e-4, 1 - 1e-4)
    F = np.zeros((len(top), 3 + len(labels)))
    F[:, 0] = np.log(t / (1 - t))
    F[:, 1] = top - second
    F[:, 2] = agree
    index = {lab: i for i, lab in enumerate(labels)}
    for i, p in enumerate(pred):
        k = index.get(str(p))
        if k is not None:
            F[i, 3 + k] = 1.0
    return F


def _fit_conditional(F: np.ndarray, ok: np.ndarray, w: Optional[np.ndarray]) -> tuple[np.ndarray, float]:
    lr = LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000).fit(F, ok, sample_weight=w)
    return np.asarray(lr.coef_[0], dtype=float), float(lr.intercept_[0])


def _apply_conditional(cm: tuple[np.ndarray, float], F: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(F @ cm[0] + cm[1])))


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

    def predict_proba(self, X: Sequence[Record], parts: Optional[Sequence[int]] = None) -> np.ndarray:
        """The rules' probabilities, row by row (``parts``, the rows' reports, changes nothing)."""
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
