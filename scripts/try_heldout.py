"""The claims stage on held-out hand labels: the 32 openings of
``annotations/agreement/unlabelled-pool.json`` labelled by reading after the model was designed
(never trained on: training reads ``annotations/`` only), scored as the card's cross-validation
scores (``nlp.model.evaluate.score_stage``): the shipped model and the labelling functions.

    .venv/bin/python scripts/labelling.py import LABELS.jsonl --prepared PREPARED --out /tmp/heldout/h.jsonl
    .venv/bin/python scripts/try_heldout.py /tmp/heldout [--root CHECKOUT]

``--root``: another checkout's code and model (an extracted ``git archive`` of an older commit),
for the figure before a change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("heldout", help="folder of annotation records (*.jsonl) of the held-out reports")
    ap.add_argument("--root", default=str(Path(__file__).resolve().parents[1]))
    a = ap.parse_args()
    sys.path.insert(0, a.root)
    from nlp.config import PATHS
    from nlp.model.dataset import build_dataset, read_annotations, report_paths
    from nlp.model.estimators import RulesClassifier
    from nlp.model.evaluate import score_stage, stage_decisions
    from nlp.model.persist import load_model
    from nlp.model.train import corpus_dirs

    ds = build_dataset(report_paths(*corpus_dirs()), read_annotations(Path(a.heldout)))
    trained = {x.report_sha256 for x in read_annotations(PATHS.annotations)}
    items = ds.items
    golds, classified = [it.label for it in items], [it.classified for it in items]
    model = load_model(PATHS.model_file)
    print(f"{len(ds.reports)} reports, {len(items)} labelled numbers, {sum(g != 'not_a_claim' for g in golds)} claims;"
          f" in the training set: {len(set(ds.reports) & trained)}; model {model.version_} ({PATHS.root})")
    for name, m in (("model", model), ("labelling functions", RulesClassifier(weak=True).fit()),
                    ("rules", RulesClassifier().fit())):
        r = score_stage(golds, stage_decisions(m, items), classified)
        cw = r["confidently_wrong"]
        print(f"{name:20s} micro-F1 {r['micro']['f1']:.3f} macro-F1 {r['macro_f1']:.3f} "
              f"confidently wrong {cw['n']}/{cw['of']} ({100 * cw['share']:.1f}%) ECE {r['calibration']['ece']:.3f}")


if __name__ == "__main__":
    main()
