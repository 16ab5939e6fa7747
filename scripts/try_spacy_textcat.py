#!/usr/bin/env python
"""A spaCy-trained text classifier against the linear model, on the card's folds.

    .venv/bin/python scripts/try_spacy_textcat.py [--epochs 12] [--folds 5] [--out models/alternatives.json]

The same labelled set and the same folds grouped by report as ``xxgk model train``
(``nlp.model.dataset``, ``group_folds``), the same scoring of the claims stage
(``nlp.model.evaluate.score_stage``): only the classifier of the quantities changes. Each number
becomes a short text, its sentence around it with the number marked (…主动公开信息【1592条】,占76.9%),
read character by character by ``spacy.blank("zh")``; a ``textcat`` component (exclusive classes)
is trained on CPU with two architectures: the bag of character n-grams (``TextCatBOW``) and
spaCy's default ensemble (a CNN over hashed embeddings with the bag of n-grams). The figures go to
``models/alternatives.json``, which the model card shows beside its own.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARCHITECTURES = {
    "spaCy textcat, bag of character 1-3-grams (TextCatBOW)": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 3,
        "no_output_layer": False, "length": 262144,
    },
    "spaCy textcat, ensemble (CNN over hashed embeddings + bag of n-grams)": None,  # spaCy's default
}


def text_of(record: dict) -> str:
    """The number in its sentence, marked, with at most 24 characters before and 12 after."""
    sent, s0 = record["sentence"], record["sent_start"]
    before, after = sent[:record["start"] - s0], sent[record["end"] - s0:]
    return before[-24:] + "【" + sent[record["start"] - s0:record["end"] - s0] + "】" + after[:12]


def train_textcat(model_cfg, texts, labels, epochs, seed=0):
    import spacy
    from spacy.training import Example

    nlp = spacy.blank("zh")
    config = {"threshold": 0.0}
    if model_cfg is not None:
        config["model"] = model_cfg
    textcat = nlp.add_pipe("textcat", config=config)
    for lab in sorted(set(labels)):
        textcat.add_label(lab)
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": {lab: float(lab == y) for lab in textcat.labels}})
                for t, y in zip(texts, labels)]
    rng = random.Random(seed)
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        rng.shuffle(examples)
        for i in range(0, len(examples), 32):
            nlp.update(examples[i:i + 32], sgd=optimizer, drop=0.2)
    return nlp


class TextcatModel:
    """The trained pipeline behind the estimator API ``nlp.claims.decide`` calls."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.classes_ = sorted(nlp.get_pipe("textcat").labels)

    def predict_proba(self, records):
        import numpy as np

        docs = self.nlp.pipe([text_of(r) for r in records])
        return np.array([[d.cats[c] for c in self.classes_] for d in docs])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "alternatives.json")
    args = ap.parse_args()

    from nlp.config import PATHS
    from nlp.model.dataset import build_dataset, group_folds, read_annotations, report_paths
    from nlp.model.evaluate import score_stage, stage_decisions
    from nlp.model.train import corpus_dirs

    ds = build_dataset(report_paths(*corpus_dirs()), read_annotations(PATHS.annotations))
    reports = [r for r in ds.reports if r in ds.fully_labelled]
    folds = group_folds(reports, args.folds)
    results = []
    for name, cfg in ARCHITECTURES.items():
        golds, decisions, classified, seconds = [], [], [], []
        for train, test in folds:
            ex = ds.subset(train).examples
            t0 = time.perf_counter()
            nlp = train_textcat(cfg, [text_of(e.record) for e in ex], [e.label for e in ex], args.epochs)
            seconds.append(time.perf_counter() - t0)
            items = [it for it in ds.items if it.report in set(test)]
            golds += [it.label for it in items]
            decisions += stage_decisions(TextcatModel(nlp), items)
            classified += [it.classified for it in items]
        res = score_stage(golds, decisions, classified)
        row = {"name": name, "micro_f1": res["micro"]["f1"], "macro_f1": res["macro_f1"],
               "confidently_wrong": res["confidently_wrong"]["share"], "ece": res["calibration"]["ece"],
               "fit_seconds": round(sum(seconds) / len(seconds), 1)}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results.append(row)
    note = (f"scripts/try_spacy_textcat.py: spaCy {__import__('spacy').__version__} textcat on CPU, "
            f"{args.epochs} epochs, the same {len(folds)} folds grouped by report and the same scoring as the "
            "cross-validation above (only the classifier of the quantities differs; its probabilities uncalibrated).")
    args.out.write_text(json.dumps({"note": note, "models": results}, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
