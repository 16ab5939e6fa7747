"""The model card: the figures of a trained model, as JSON and as markdown.

    write_card(card, out_dir)     models/model_card.json and models/MODEL_CARD.md
    card_markdown(card) -> str
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional, Union

CARD_JSON = "model_card.json"
CARD_MD = "MODEL_CARD.md"


def write_card(card: dict[str, Any], out_dir: Union[str, Path]) -> None:
    """Write the card as JSON and as markdown."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / CARD_JSON).write_text(json.dumps(card, ensure_ascii=False, indent=1, sort_keys=False) + "\n", "utf-8")
    (out_dir / CARD_MD).write_text(card_markdown(card), "utf-8")


def _table(res: Optional[dict[str, Any]]) -> list[str]:
    if not res:
        return ["(none)"]
    rows = ["| label | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    for lab, v in res["per_label"].items():
        rows.append(f"| {lab} | {v['precision']:.2f} | {v['recall']:.2f} | {v['f1']:.2f} | {v['support']} |")
    m = res["micro"]
    rows.append(f"| **micro** | {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** | {res['n']} |")
    return rows


def card_markdown(card: dict[str, Any]) -> str:
    d = card["data"]
    lines = [
        f"# Model card: {card['name']}",
        "",
        f"- version: `{card['version']}`; date {card['date']}; code revision `{card['code_revision']}`",
        f"- estimator: {card['estimator']}; params `{json.dumps(card['params'])}`",
        "- persisted with skops (`claim_model.skops`), loaded with an explicit list of trusted types "
        "(`nlp.model.persist.TRUSTED_TYPES`); no pickle.",
        "",
        "## Data",
        "",
        f"- {d['reports']} reports (bundled samples + `data/corpus/`), {d['examples']} claim candidates; "
        f"train {d['train_examples']} ({len(d['train_reports'])} reports), held out {d['held_out_examples']} "
        f"({len(d['held_out_reports'])} reports: {', '.join(d['held_out_reports'])}).",
        f"- label sources: {d['by_source']} (annotations read {d['annotations_read']}, used {d['annotations_used']}).",
        "- no hand labels besides annotations; the gold files are never trained on.",
        "",
        "## Held-out reports (weak labels)",
        "",
        f"Model micro-F1 {card['held_out']['model']['micro']['f1']:.3f}; rules baseline "
        f"{card['held_out']['rules']['micro']['f1']:.3f}"
        + (f"; the model it replaced {card['held_out']['current_model']['micro']['f1']:.3f}"
           if card['held_out'].get('current_model') else "") + ".",
        "",
        *_table(card["held_out"]["model"]),
        "",
    ]
    if card.get("gold"):
        lines += [
            "## Gold narrative claims (hand-read, `data/gold/`)",
            "",
            f"Model micro-F1 {card['gold']['model']['micro']['f1']:.3f} vs rules "
            f"{card['gold']['rules']['micro']['f1']:.3f} over {card['gold']['model']['n']} gold claims "
            f"(found {card['gold']['model']['found']}). Metric names mapped by `data/gold_metric_map.json`."
            + (f" The same recipe trained without the report it is scored on (each gold report in "
               f"turn): micro-F1 {card['gold']['model_each_report_unseen']['micro']['f1']:.3f}."
               if card['gold'].get('model_each_report_unseen') else "")
            + (f" The labelling functions alone (rules + list propagation + sentence topic, "
               f"`RulesClassifier(weak=True)`, the model's weak-label feature): micro-F1 "
               f"{card['gold']['weak_rules']['micro']['f1']:.3f}."
               if card['gold'].get('weak_rules') else ""),
            "",
            "Model:",
            "",
            *_table(card["gold"]["model"]),
            "",
            "Rules baseline:",
            "",
            *_table(card["gold"]["rules"]),
            "",
        ]
    lines += ["## Limits", "",
              "Trained on a dozen reports with weak labels: treat confidences as a ranking for "
              "review, not as certainty. Linked metrics are reconciled against the tables "
              "afterwards; the classifier never sees the table values. The held-out labels come "
              "from the same labelling functions the model reads as a feature, so beating the "
              "rules there is expected; the gold figures (above all the report-unseen one) are "
              "the fair comparison.", ""]
    return "\n".join(lines)
