"""Error analysis of the claim classifier under the card's grouped cross-validation.

Runs the same outer folds as ``xxgk model train`` (``nlp.model.evaluate.fold_jobs``) and
writes every item the model or its gold calls a claim, with the fold, the report, the gold
label, the model's decision and confidence and the labelling functions' answer (for the
confidently wrong decisions, confidence >= 0.8, and the errors on rare labels). Prints the
summary figures and the rare labels' F1 beside the labelling functions'.

    .venv/bin/python scripts/try_errors.py --out /tmp/errors.json [--params '{"rule_backoff": 0.8}']

The dataset is cached (``--cache``, a scratch file outside the checkout, re-read only by this
script) so that variants are compared on the same items quickly.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from joblib import Parallel  # noqa: E402

from nlp.config import PATHS  # noqa: E402
from nlp.model.dataset import NOT_A_CLAIM, build_dataset, read_annotations, report_paths  # noqa: E402
from nlp.model.estimators import RulesClassifier  # noqa: E402
from nlp.model.evaluate import CONFIDENT, fold_jobs, stage_decisions, summarise  # noqa: E402
from nlp.model.train import CV_FOLDS, MODEL_PARAMS, corpus_dirs  # noqa: E402


def dataset(cache: Path):
    if cache.exists():
        return pickle.loads(cache.read_bytes())  # a scratch cache this script wrote, never shipped
    ds = build_dataset(report_paths(*corpus_dirs()), read_annotations(PATHS.annotations))
    cache.write_bytes(pickle.dumps(ds))
    return ds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/errors.json")
    ap.add_argument("--cache", default="/tmp/xxgk-ds.pkl")
    ap.add_argument("--params", default="{}")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    t0 = time.time()
    ds = dataset(Path(a.cache))
    params = {**MODEL_PARAMS, **json.loads(a.params)}
    runs = Parallel(n_jobs=a.jobs)(fold_jobs(ds, params, CV_FOLDS))
    cv = summarise(ds, runs)
    lf = RulesClassifier(weak=True).fit()
    rows = []
    for k, run in enumerate(runs):
        for it, (p, c), (lp, lc) in zip(run["items"], run["model"], stage_decisions(lf, run["items"])):
            if it.label == NOT_A_CLAIM and p == NOT_A_CLAIM:
                continue
            r = it.record or {}
            rows.append({"fold": k, "report": ds.names.get(it.report, it.report), "gold": it.label, "pred": p,
                         "conf": c, "lf": lp, "lf_conf": lc, "kind": r.get("kind"), "source": it.source,
                         "classified": it.classified, "sentence": r.get("sentence"), "left": r.get("left"),
                         "value": r.get("value"), "num_start": r.get("num_start"),
                         "span": list(it.annotation.span) if it.annotation is not None else None})
    m, lfs = cv["model"], cv["labelling_functions"]
    print(f"model micro {m['micro']['f1']} macro {m['macro_f1']} cw {m['confidently_wrong']} "
          f"ece {m['calibration']['ece']} | LF micro {lfs['micro']['f1']} macro {lfs['macro_f1']} "
          f"| {time.time() - t0:.0f}s")
    support = m["per_label"]
    for lab in sorted((k for k, v in support.items() if 0 < v["support"] < 25), key=lambda k: -support[k]["support"]):
        print(f"  {lab:32s} n={support[lab]['support']:3d} model {support[lab]['f1']:.2f} "
              f"LF {lfs['per_label'].get(lab, {}).get('f1', 0):.2f}")
    Path(a.out).write_text(json.dumps({"cv": cv, "rows": rows, "confident": CONFIDENT},
                                      ensure_ascii=False, default=str), "utf-8")


if __name__ == "__main__":
    main()
