"""Issue 10, session 14: three untried ideas against the confidently wrong claims (confidence
>= 0.8 and wrong), scored with ``scripts/try_model10.py``'s machinery (the card's 5 outer folds
grouped by report, ``stage_decisions`` + ``score_stage``; C, calibration and back-off fitted on
inner grouped folds of the training reports only; nothing is fitted or chosen on an outer fold).

    nice -n 10 .venv/bin/python scripts/try_model14.py --variants baseline,route --out /tmp/m14.json
        --cache /tmp/m14-ds.pkl

Variants (besides try_model10's):

- ``route``: the calibration chosen per fold among temperature-like (a logistic map of the top
  probability's logit without an intercept), sigmoid (Platt: with one), isotonic and the
  conditional one, by a *routing cost* cross-fitted on the inner folds instead of the Brier
  score: the share of the wrong decisions that skip review (confidence >= 0.8) plus the share
  of all decisions sent to review (confidence < 0.8), so that sending everything to review is
  not free; ``routeb``: the same candidates chosen by the Brier score (the control: what the
  extra candidates give without the new criterion);
- ``kaw``: the guide's §8.12 key-area words the feature ``KEY_AREA_WORDS`` lacked (项目建设,
  重大项目, 国有资产, 国有企业, 三公) added (the words are a feature of the model, not a labelling
  function, so the labelling functions' baseline does not move);
- ``chan``: the channels named between the count before the number and the number (website,
  new media, both; both with 共/累计: several channels together) and those named elsewhere in
  its sentence (guide §8.11: total vs part vs new_media);
- ``prevunit``: the item before it in its enumeration has another unit (办理公众咨询27件,
  发布重要会议动态24次: the list's label passed on across units is weaker);
- ``iso``: the isotonic calibration forced (today: isotonic or conditional, per fold, by the
  inner folds' Brier score);
- combinations joined by ``+`` (``kaw+route``).

Run by try_model10's runner (its ``main``, these variants): the card's figures per variant and
each decision's confidence and correctness (``scored``), from which ``wrong_at_load`` counts the
wrong decisions among the N most confident: at the same review load a variant that only lowers
its confidences is told from one that ranks its errors lower.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402

import try_model10 as base  # noqa: E402
from nlp.model import estimators, features, rules  # noqa: E402
from nlp.model.estimators import ClaimClassifier  # noqa: E402
from nlp.model.evaluate import CONFIDENT  # noqa: E402
from nlp.model.train import MODEL_PARAMS  # noqa: E402

KAW_EXTRA = r"|项目建设|重大项目|国有资产|国有企业|三公"

_SEG_WEB = re.compile(r"网站|门户|平台|专栏|栏目|公开栏|目录")
_SEG_NM = re.compile(r"微博|微信|公众号|新媒体|抖音|头条|快手|视频号|客户端|APP|app|小程序")


def channel_features(r, f) -> None:
    """The channels named between the count before the number (or the sentence's start) and
    the number, and those named elsewhere in its sentence (guide §8.11: a channel's count is
    the total alone or over several channels together, new_media when the channels are new
    media, a part beside other channels' counts)."""
    before, after = features._around(r)
    last = None
    for last in features._COUNT.finditer(before):
        pass
    seg = before[last.end():] if last is not None else before
    rest = before[:len(before) - len(seg)] + after
    web, nm = bool(_SEG_WEB.search(seg)), bool(_SEG_NM.search(seg))
    kind = "both" if web and nm else "web" if web else "nm" if nm else "none"
    f["segchan=" + kind] = 1.0
    if kind == "both" and features._TOTAL_CUE.search(seg):
        f["segchan=both_total"] = 1.0
    ow, on = bool(_SEG_WEB.search(rest)), bool(_SEG_NM.search(rest))
    if kind != "none":
        f["segchan=%s|other=%s" % (kind, "both" if ow and on else "web" if ow else "nm" if on else "none")] = 1.0


def prevunit_features(r, f) -> None:
    """The item before in its enumeration has another unit than the number (办理公众咨询27件,
    发布重要会议动态24次): what it passes on (the list's label) is weaker."""
    pq = r.get("prev_quantity")
    if pq and 0 < pq.get("gap", 99) <= 2:
        same = pq.get("unit") == r.get("unit")
        f["prevunit=" + ("same" if same else "diff")] = 1.0
        lab = rules.prev_rule_label(r)
        if lab is not None and not same:
            f["prevrule=" + lab + "|unitdiff"] = 1.0


def _routing_cost(conf: np.ndarray, ok: np.ndarray) -> float:
    """Share of the wrong decisions that skip review (confidence >= CONFIDENT) plus share of all
    decisions sent to review."""
    wrong = ok < 0.5
    skip = conf >= CONFIDENT
    miss = float((wrong & skip).sum() / max(wrong.sum(), 1))
    return miss + float((~skip).mean())


@contextlib.contextmanager
def patch(parts: frozenset):
    """The features of the variant's parts in place (``kaw``, ``chan``, ``prevunit``)."""
    old_kaw, old_one = features.KEY_AREA_WORDS, features.ClaimFeatures._one
    if "kaw" in parts:
        features.KEY_AREA_WORDS = re.compile(old_kaw.pattern + KAW_EXTRA)
    extra = [fn for key, fn in (("chan", channel_features), ("prevunit", prevunit_features)) if key in parts]
    if extra:
        def _one(self, r, labels=None):
            f = old_one(self, r, labels)
            for fn in extra:
                fn(r, f)
            return f
        features.ClaimFeatures._one = _one
    try:
        yield
    finally:
        features.KEY_AREA_WORDS, features.ClaimFeatures._one = old_kaw, old_one


class Variant(ClaimClassifier):
    """``ClaimClassifier`` with the variant's features (``parts``, patched in while it makes its
    matrix, in whatever process it runs) and, with ``criterion``, its calibration chosen among
    temperature-like, sigmoid, isotonic and conditional by the inner folds' cross-fitted routing
    cost (``"route"``) or Brier score (``"brier"``)."""

    parts: frozenset = frozenset()
    criterion = None

    def _matrix(self, X, fit, labelled=None):
        with patch(self.parts):
            return super()._matrix(X, fit, labelled)

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        if self.criterion is None:
            return super()._choose_calibration(P, pred, ok, w, weak, folds)
        ranked = np.sort(P, axis=1)
        top = ranked[:, -1]
        labels = sorted(lab for lab, n in Counter(map(str, pred)).items() if n >= estimators.CONDITIONAL_MIN_PREDICTIONS)
        F = estimators._confidence_features(top, ranked[:, -2], np.array([a == b for a, b in zip(weak, pred)], float),
                                            pred, labels)
        F0 = np.zeros((len(top), 3))
        F0[:, 0] = F[:, 0]  # the top logit alone

        def fit_sig(Fx, okx, wx, intercept):
            from sklearn.linear_model import LogisticRegression
            lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000, fit_intercept=intercept)
            lr.fit(Fx[:, :1], okx, sample_weight=wx)
            return np.array([lr.coef_[0, 0], 0.0, 0.0]), float(lr.intercept_[0]) if intercept else 0.0

        oof = {k: np.zeros(len(ok)) for k in ("temperature", "sigmoid", "isotonic", "conditional")}
        for tr, te in folds:
            if len(np.unique(ok[tr])) < 2:
                return "isotonic", None
            wt = None if w is None else w[tr]
            iso = estimators._fit_isotonic(P[tr], ok[tr], wt)
            oof["isotonic"][te] = np.interp(top[te], iso[0], iso[1])
            oof["conditional"][te] = estimators._apply_conditional(estimators._fit_conditional(F[tr], ok[tr], wt), F[te])
            oof["temperature"][te] = estimators._apply_conditional(fit_sig(F0[tr], ok[tr], wt, False), F0[te])
            oof["sigmoid"][te] = estimators._apply_conditional(fit_sig(F0[tr], ok[tr], wt, True), F0[te])
        if self.criterion == "route":
            cost = {k: _routing_cost(v, ok) for k, v in oof.items()}
        else:
            cost = {k: float(((v - ok) ** 2).mean()) for k, v in oof.items()}
        best = min(cost, key=lambda k: (round(cost[k], 9), k))
        if best == "isotonic":
            return "isotonic", None
        if best == "conditional":
            cm = estimators._fit_conditional(F, ok, w)
            return "conditional", {"labels": labels, "coef": cm[0], "intercept": cm[1]}
        coef, b = fit_sig(F0, ok, w, best == "sigmoid")
        return best, {"labels": [], "coef": coef, "intercept": b}


KNOWN = {"baseline", "route", "routeb", "kaw", "chan", "prevunit", "iso"}


def variant(name: str) -> type:
    parts = frozenset(name.split("+"))
    if parts - KNOWN:
        raise SystemExit(f"unknown variant part {sorted(parts - KNOWN)}")
    criterion = "route" if "route" in parts else "brier" if "routeb" in parts else None
    return type(name.replace("+", "_"), (Variant,), {"parts": parts, "criterion": criterion})


def variant_params(name: str) -> dict:
    return {**MODEL_PARAMS, "calibration": "isotonic"} if "iso" in name.split("+") else MODEL_PARAMS


def wrong_at_load(out: dict, name: str, load: int) -> int:
    """Wrong decisions among the ``load`` most confident of a variant (try_model10's ``scored``)."""
    return sum(e for _, e in sorted(out[name]["scored"], key=lambda t: -t[0])[:load])


if __name__ == "__main__":
    base.variant, base.variant_params = variant, variant_params  # try_model10's runner, these variants
    base.main()
