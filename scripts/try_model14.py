"""Issue 10, session 14: three untried ideas against the confidently wrong claims (confidence
>= 0.8 and wrong), scored with ``scripts/try_model10.py``'s machinery (the card's 5 outer folds
grouped by report, ``stage_decisions`` + ``score_stage``; C, calibration and back-off fitted on
inner grouped folds of the training reports only; nothing is fitted or chosen on an outer fold).

    nice -n 10 .venv/bin/python scripts/try_model14.py --variants baseline,route --out /tmp/m14.json

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

Each variant prints the card's figures and the number of wrong decisions among the N most
confident (N = the baseline's count of decisions >= 0.8): the same review load, so a variant
that only lowers its confidences is told from one that ranks its errors lower.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from joblib import Parallel, delayed  # noqa: E402

import try_model10 as base  # noqa: E402
from nlp.model import estimators, features, rules  # noqa: E402
from nlp.model.dataset import NOT_A_CLAIM, group_folds  # noqa: E402
from nlp.model.estimators import ClaimClassifier, RulesClassifier  # noqa: E402
from nlp.model.evaluate import CONFIDENT, score_stage, stage_decisions  # noqa: E402
from nlp.model.train import CV_FOLDS, MODEL_PARAMS  # noqa: E402
from try_errors import dataset  # noqa: E402

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


class Route(ClaimClassifier):
    """The calibration chosen among temperature-like, sigmoid, isotonic and conditional by the
    inner folds' cross-fitted routing cost (``criterion="route"``) or Brier score ("brier")."""

    criterion = "route"

    def _choose_calibration(self, P, pred, ok, w, weak, folds):
        top = P.max(axis=1)
        second = np.sort(P, axis=1)[:, -2] if P.shape[1] > 1 else np.zeros(len(P))
        agree = np.array([a == b for a, b in zip(weak, pred)], dtype=float)
        counts: dict[str, int] = {}
        for c in pred:
            counts[str(c)] = counts.get(str(c), 0) + 1
        labels = sorted(c for c, n in counts.items() if n >= estimators.CONDITIONAL_MIN_PREDICTIONS)
        F = estimators._confidence_features(top, second, agree, pred, labels)
        F0 = estimators._confidence_features(top, second, agree, pred, [])
        F0[:, 1:] = 0.0  # the top logit alone

        def fit_sig(Fx, okx, wx, intercept):
            from sklearn.linear_model import LogisticRegression
            lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000, fit_intercept=intercept)
            lr.fit(Fx[:, :1], okx, sample_weight=wx)
            coef = np.zeros(F0.shape[1])
            coef[0] = lr.coef_[0, 0]
            return coef, float(lr.intercept_[0]) if intercept else 0.0

        oof = {k: np.zeros(len(ok)) for k in ("temperature", "sigmoid", "isotonic", "conditional")}
        for tr, te in folds:
            if len(np.unique(ok[tr])) < 2:
                return "isotonic", None
            wt = None if w is None else w[tr]
            iso = estimators._fit_isotonic(P[tr], ok[tr], wt)
            oof["isotonic"][te] = np.interp(top[te], iso[0], iso[1])
            cm = estimators._fit_conditional(F[tr], ok[tr], wt)
            oof["conditional"][te] = estimators._apply_conditional(cm, F[te])
            oof["temperature"][te] = estimators._apply_conditional(fit_sig(F0[tr], ok[tr], wt, False), F0[te])
            oof["sigmoid"][te] = estimators._apply_conditional(fit_sig(F0[tr], ok[tr], wt, True), F0[te])
        if self.criterion == "route":
            cost = {k: _routing_cost(v, ok) for k, v in oof.items()}
        else:
            cost = {k: float(((v - ok) ** 2).mean()) for k, v in oof.items()}
        self.calibration_cost_ = {k: round(v, 5) for k, v in cost.items()}
        best = min(cost, key=lambda k: (round(cost[k], 9), k))
        if best == "isotonic":
            return "isotonic", None
        if best == "conditional":
            cm = estimators._fit_conditional(F, ok, w)
            return "conditional", {"labels": labels, "coef": cm[0], "intercept": cm[1]}
        coef, b = fit_sig(F0, ok, w, best == "sigmoid")
        return best, {"labels": [], "coef": coef, "intercept": b}


@contextlib.contextmanager
def patch(parts: set):
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


def variant(name: str):
    parts = set(name.split("+"))
    cls = ClaimClassifier
    if "route" in parts or "routeb" in parts:
        cls = type(name.replace("+", "_"), (Route,), {"criterion": "route" if "route" in parts else "brier"})
    known = {"baseline", "route", "routeb", "kaw", "chan", "prevunit", "iso"}
    if parts - known:
        raise SystemExit(f"unknown variant part {parts - known}")
    return cls, parts


def run_fold(name: str, ds, train, test) -> dict:
    cls, parts = variant(name)
    with patch(parts):
        params = {**MODEL_PARAMS, "calibration": "isotonic"} if "iso" in parts else MODEL_PARAMS
        out = base.run_fold(cls, params, ds, train, test)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", default="baseline")
    ap.add_argument("--out", default="/tmp/m14.json")
    ap.add_argument("--cache", default="/tmp/m14-ds.pkl")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    ds = dataset(Path(a.cache))
    reports = [r for r in ds.reports if r in ds.fully_labelled]
    folds = group_folds(reports, CV_FOLDS)
    lf = RulesClassifier(weak=True).fit()
    out = json.loads(Path(a.out).read_text("utf-8")) if Path(a.out).exists() else {}
    for name in a.variants.split(","):
        t0 = time.time()
        runs = Parallel(n_jobs=a.jobs)(delayed(run_fold)(name, ds, tr, te) for tr, te in folds)
        items = [it for run in runs for it in run["items"]]
        decisions = [d for run in runs for d in run["model"]]
        res = score_stage([it.label for it in items], decisions, [it.classified for it in items])
        lfres = score_stage([it.label for it in items], stage_decisions(lf, items), [it.classified for it in items])
        scored = sorted(((c, int(p != it.label)) for it, (p, c) in zip(items, decisions)
                         if c is not None and (it.label != NOT_A_CLAIM or p != NOT_A_CLAIM)), key=lambda t: -t[0])
        wrong = [{"report": ds.names.get(it.report, it.report), "gold": it.label, "pred": p, "conf": round(c, 3),
                  "sentence": (it.record or {}).get("sentence"), "value": (it.record or {}).get("value")}
                 for it, (p, c) in zip(items, decisions)
                 if c is not None and c >= CONFIDENT and p != it.label
                 and (it.label != NOT_A_CLAIM or p != NOT_A_CLAIM)]
        n_base = out.get("baseline", {}).get("n_confident") or sum(c >= CONFIDENT for c, _ in scored)
        cw = res["confidently_wrong"]
        row = {"micro": res["micro"]["f1"], "macro": res["macro_f1"], "lf_micro": lfres["micro"]["f1"],
               "lf_macro": lfres["macro_f1"], "cw": cw, "ece": res["calibration"]["ece"],
               "n_confident": sum(c >= CONFIDENT for c, _ in scored),
               "wrong_at_base_load": sum(e for _, e in scored[:n_base]), "base_load": n_base,
               "calibration": [r["calibration"] for r in runs], "C": [r["C"] for r in runs],
               "review": res["review"], "wall_s": round(time.time() - t0, 1), "confidently_wrong": wrong}
        out[name] = row
        print(f"{name:14s} micro {row['micro']:.4f} macro {row['macro']:.4f} (LF {row['lf_micro']:.3f}/"
              f"{row['lf_macro']:.3f}) cw {cw['n']}/{cw['of']} {100 * cw['share']:.1f}% ece {row['ece']:.3f} "
              f"n>=0.8 {row['n_confident']} wrong@{n_base} {row['wrong_at_base_load']} "
              f"cal {row['calibration']} C {row['C']} | {row['wall_s']}s", flush=True)
        Path(a.out).write_text(json.dumps(out, ensure_ascii=False, default=str), "utf-8")


if __name__ == "__main__":
    main()
