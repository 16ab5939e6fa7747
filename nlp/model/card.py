"""The model card: the figures of a trained model, as JSON, as markdown and as a reliability
diagram.

    write_card(card, out_dir)     models/model_card.json, models/MODEL_CARD.md, models/reliability.svg
    card_markdown(card) -> str
    reliability_svg(bins) -> str
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional, Union

CARD_JSON = "model_card.json"
CARD_MD = "MODEL_CARD.md"
RELIABILITY_SVG = "reliability.svg"
ALTERNATIVES = "alternatives.json"
"""Written by scripts that try other models on the same folds (scripts/try_spacy_textcat.py);
the card shows them when the file is there."""


ASKS = (
    ("micro-F1 at least 10 points above the labelling functions alone",
     lambda m, lf: (m["micro"]["f1"] - lf["micro"]["f1"] >= 0.10, f"{100 * (m['micro']['f1'] - lf['micro']['f1']):+.1f} points")),
    ("macro-F1 at least 15 points above the labelling functions alone",
     lambda m, lf: (m["macro_f1"] - lf["macro_f1"] >= 0.15, f"{100 * (m['macro_f1'] - lf['macro_f1']):+.1f} points")),
    ("confidently wrong (≥ 0.8 and wrong) at most 2% of claims",
     lambda m, lf: (m["confidently_wrong"]["share"] <= 0.02, f"{100 * m['confidently_wrong']['share']:.1f}%")),
    ("expected calibration error at most 0.05",
     lambda m, lf: (m["calibration"]["ece"] <= 0.05, f"{m['calibration']['ece']:.3f}")),
)
"""What issue 10 asks of the model under report-grouped CV on the hand labels; the card says,
for each, whether the figures meet it."""


def write_card(card: dict[str, Any], out_dir: Union[str, Path]) -> None:
    """Write the card as JSON and as markdown, and the reliability diagram beside them."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / CARD_JSON).write_text(json.dumps(card, ensure_ascii=False, indent=1, sort_keys=False) + "\n", "utf-8")
    alternatives = None
    if (out_dir / ALTERNATIVES).exists():
        alternatives = json.loads((out_dir / ALTERNATIVES).read_text("utf-8"))
    (out_dir / CARD_MD).write_text(card_markdown(card, alternatives), "utf-8")
    cv = card.get("cv")
    if cv:
        (out_dir / RELIABILITY_SVG).write_text(reliability_svg(cv["model"]["calibration"]["bins"]), "utf-8")


def _f(v: Optional[float], digits: int = 3) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _pct(v: Optional[float]) -> str:
    return "–" if v is None else f"{100 * v:.1f}%"


def _scores_row(name: str, res: dict[str, Any]) -> str:
    m = res["micro"]
    cw = res["confidently_wrong"]
    return (f"| {name} | {_f(m['f1'])} | {_f(res['macro_f1'])} | {_f(m['precision'])} | {_f(m['recall'])} | "
            f"{_pct(cw['share'])} ({cw['n']}/{cw['of']}) | {_f(res['calibration']['ece'])} |")


def _scores_table(res: dict[str, Any]) -> list[str]:
    """The model, the labelling functions alone and the rules alone, side by side."""
    return ["| | micro-F1 | macro-F1 | precision | recall | confidently wrong | ECE |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            _scores_row("**model**", res["model"]),
            _scores_row("labelling functions alone", res["labelling_functions"]),
            _scores_row("rules alone", res["rules"])]


def _per_label(cv: dict[str, Any]) -> list[str]:
    model, lf, rules = cv["model"], cv["labelling_functions"], cv["rules"]
    rows = ["| label | support | precision | recall | F1 | F1 labelling functions | F1 rules |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for lab, v in sorted(model["per_label"].items(), key=lambda kv: (-kv[1]["support"], kv[0])):
        if not v["support"]:
            continue
        rows.append(f"| {lab} | {v['support']} | {_f(v['precision'], 2)} | {_f(v['recall'], 2)} | {_f(v['f1'], 2)} | "
                    f"{_f(lf['per_label'].get(lab, {}).get('f1'), 2)} | {_f(rules['per_label'].get(lab, {}).get('f1'), 2)} |")
    return rows


def _gold_table(res: dict[str, Any]) -> list[str]:
    rows = ["| label | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    for lab, v in res["per_label"].items():
        rows.append(f"| {lab} | {v['precision']:.2f} | {v['recall']:.2f} | {v['f1']:.2f} | {v['support']} |")
    m = res["micro"]
    rows.append(f"| **micro** | {m['precision']:.3f} | {m['recall']:.3f} | **{m['f1']:.3f}** | {res['n']} |")
    return rows


MOST_WRONG_SKIPPING = 0.2
"""The review threshold the card recommends: the lowest of its table at which at most this share
of the wrong claims skip review."""


def _threshold_lines(review: list[dict[str, Any]]) -> list[str]:
    """The setting's threshold and the one the table recommends, each with the share of wrong
    claims that skip review."""
    from nlp.config import Settings

    rows = {r["threshold"]: r for r in review}
    current = rows.get(Settings().review_threshold)
    best = next((r for r in review if r["wrong_skipping_review"] <= MOST_WRONG_SKIPPING), None)
    lines = []
    if current:
        lines.append(f"With the `review_threshold` setting's default, {current['threshold']}, "
                     f"{_pct(current['reviewed'])} of these claims go to a reviewer and "
                     f"{_pct(current['wrong_skipping_review'])} of the wrong ones skip review.")
    if best and best is not current:
        lines.append(f"The lowest threshold at which at most {_pct(MOST_WRONG_SKIPPING)} of the wrong claims skip review "
                     f"is {best['threshold']}: {_pct(best['reviewed'])} reviewed, "
                     f"{_pct(best['wrong_skipping_review'])} of the wrong ones skipping it (the setting is not changed here).")
    return [" ".join(lines), ""] if lines else []


def card_markdown(card: dict[str, Any], alternatives: Optional[dict[str, Any]] = None) -> str:
    d = card["data"]
    ch = card["chosen"]
    lines = [
        f"# Model card: {card['name']}",
        "",
        f"- version: `{card['version']}`; date {card['date']}; code revision `{card['code_revision']}`",
        f"- estimator: {card['estimator']}; chosen C {ch['C']} (inner grouped CV, micro+macro F1 "
        f"{json.dumps(ch['inner_cv'])}); calibration {ch['calibration']}"
        + (f" (temperature {ch['temperature']})" if ch["calibration"] == "temperature" else "")
        + (f" (of isotonic and conditional by the Brier score cross-fitted on the inner folds: "
           f"{json.dumps(ch['calibration_brier'])})" if ch.get("calibration_brier") else "")
        + (f"; the rules' answer stands for the rare labels {', '.join(ch['rules_stand_for'])}"
           if ch.get("rules_stand_for") else "")
        + (f"; a zero in words is given how often its object's zeros were right in training "
           f"{json.dumps(ch['zero_confidence'], ensure_ascii=False)}" if ch.get("zero_confidence") else ""),
        f"- params `{json.dumps({k: v for k, v in card['params'].items() if k != 'labels'})}`; "
        f"features `{json.dumps(card['features'])}`",
        "- persisted with skops (`claim_model.skops`), loaded with an explicit list of trusted types "
        "(`nlp.model.persist.TRUSTED_TYPES`); no pickle.",
        "",
        "## Data",
        "",
        f"- {d['reports']} reports with labels, {d['fully_labelled_reports']} of them fully hand-labelled "
        "(`annotations/hand/`, docs/labelling.md); annotation records read "
        f"{d['annotations_read']}, used {d['annotations_used']} (matched to a candidate of the claims stage).",
        f"- {d['items']} labelled items; {d['examples']} classifier examples (quantities); by source "
        f"{json.dumps(d['by_source'])}; {d['missed_by_the_finder']} labelled numbers no candidate holds.",
        "- the gold reports (`data/gold`) are evaluation-only: "
        + (f"trained on annotations of {', '.join(d['gold_reports_trained_on'])}."
           if d["gold_reports_trained_on"] else "no annotation names one, so the model never saw them."),
    ]
    if card.get("heldout"):
        trained = d.get("heldout_reports_trained_on") or []
        lines.append("- the held-out hand labels (`data/heldout`) are evaluation-only: "
                     + (f"trained on annotations of {', '.join(trained)}." if trained
                        else "no annotation names one of their reports, so the model never saw them."))
    lines.append("")
    cv = card.get("cv")
    if cv:
        m, lf = cv["model"], cv["labelling_functions"]
        cw = m["confidently_wrong"]
        lines += [
            "## Cross-validation on the hand labels (grouped by report)",
            "",
            f"{cv['folds']} folds over {cv['reports']} fully labelled reports, {cv['items']} items. In each fold "
            "the model is fitted on the training reports alone (its C chosen and its confidence calibrated on "
            "inner grouped folds of those reports); the labelling functions (`RulesClassifier(weak=True)`: the rules, list "
            "propagation and sentence topic, which the model reads as a feature) and the keyword rules "
            "alone (`RulesClassifier()`) answer the same items. Scores are over the metrics (a claim "
            "called not-a-claim, or missed by the finder, is a false negative; a not-claim given a metric a "
            "false positive); macro-F1 averages the metrics with gold support. C chosen per fold: "
            + ", ".join(str(c) for c in cv["chosen"])
            + ("; calibration chosen per fold: " + ", ".join(map(str, cv["calibration_chosen"]))
               if cv.get("calibration_chosen") else "") + ".",
            "",
            *_scores_table(cv),
            "",
            f"Model minus labelling functions: micro-F1 {100 * (m['micro']['f1'] - lf['micro']['f1']):+.1f} points, "
            f"macro-F1 {100 * (m['macro_f1'] - lf['macro_f1']):+.1f} points. Claims found by the finder: "
            f"{m['found']} of {m['claims']}.",
            "",
            "Against what issue 10 asks: "
            + "; ".join(f"{what}: {'met' if ok else '**not met**'} ({fig})"
                        for what, (ok, fig) in ((w, f(m, lf)) for w, f in ASKS)) + ".",
            "",
            "### Per label",
            "",
            *_per_label(cv),
            "",
            "### Calibration",
            "",
            f"Expected calibration error {m['calibration']['ece']:.3f} over the classifier's "
            f"{m['calibration']['n']} decisions (10 equal-width bins; the labelling functions' confidences "
            f"give {lf['calibration']['ece']:.3f}). Reliability diagram: `{RELIABILITY_SVG}`.",
            "",
            "| confidence | decisions | mean confidence | accuracy |",
            "| --- | --- | --- | --- |",
            *[f"| {b['from']:.1f}–{b['to']:.1f} | {b['n']} | {b['confidence']:.3f} | {b['accuracy']:.3f} |"
              for b in m["calibration"]["bins"]],
            "",
            f"Confidently wrong (confidence ≥ 0.8 and wrong, over the claims the stage gave a confidence to, "
            f"gold or decided): {cw['n']} of {cw['of']}, {100 * cw['share']:.1f}%.",
            "",
            "### The review threshold",
            "",
            "A claim no table figure checks has review score = 0.8 × confidence (`nlp.reconcile.review_score`); "
            "below the `review_threshold` setting it goes to a reviewer. Per threshold, over the claims the "
            "model decided:",
            "",
            "| threshold | claims reviewed | wrong claims that skip review | precision of the claims that skip it |",
            "| --- | --- | --- | --- |",
            *[f"| {r['threshold']} | {_pct(r['reviewed'])} | {_pct(r['wrong_skipping_review'])} | "
              f"{_pct(r['precision_skipping_review'])} |" for r in m["review"]],
            "",
            *_threshold_lines(m["review"]),
            "### Learning curve",
            "",
            "The classifier's decisions on each fold's test reports, trained on the first n of its training "
            "reports (with the fold's C):",
            "",
            "| labelled reports | micro-F1 | macro-F1 |",
            "| --- | --- | --- |",
            *[f"| {p['reports']} | {p['micro_f1']:.3f} | {p['macro_f1']:.3f} |" for p in cv["learning_curve"]],
            "",
        ]
    if alternatives:
        lines += ["## Alternatives tried on the same folds", "", alternatives.get("note", ""), "",
                  "| model | micro-F1 | macro-F1 | fit time per fold |", "| --- | --- | --- | --- |",
                  *[f"| {a['name']} | {a['micro_f1']:.3f} | {a['macro_f1']:.3f} | {a.get('fit_seconds', '–')} s |"
                    for a in alternatives.get("models", [])], ""]
    if card.get("gold"):
        g = card["gold"]
        lines += [
            "## Gold narrative claims (hand-read, `data/gold/`)",
            "",
            f"Model micro-F1 {g['model']['micro']['f1']:.3f}, labelling functions "
            f"{g['labelling_functions']['micro']['f1']:.3f}, rules {g['rules']['micro']['f1']:.3f} over "
            f"{g['model']['n']} gold claims (found {g['model']['found']}). Metric names mapped by "
            "`data/gold_metric_map.json`; a gold claim not extracted counts against recall.",
            "",
            *_gold_table(g["model"]),
            "",
        ]
    if card.get("heldout"):
        h = card["heldout"]
        lines += [
            "## Held-out openings (hand-labelled after the model was designed, `data/heldout/`)",
            "",
            f"{len(h['names'])} openings of `data/pages` that were still unlabelled when the features and "
            "rules were written, labelled by reading (docs/labelling.md) and kept out of training: "
            f"{h['items']} items, {h['model']['claims']} claims. Scored as the cross-validation folds are "
            "(the model fitted on all the hand labels).",
            "",
            *_scores_table(h),
            "",
        ]
    lines += ["## Limits", "",
              "The hand labels cover report openings (title, preamble, 总体情况, often table 二) of a few hundred "
              "reports and the bundled reports; request, review and table A metrics are rare in them, so their "
              "per-label figures rest on a handful of examples. The features and the labelling functions were "
              "written with the cross-validation errors in view (the folds were never used to fit or choose a "
              "model); the gold claims and the held-out openings, on reports no annotation names, are the "
              "untouched checks. Linked metrics "
              "are reconciled against the tables afterwards; the classifier never sees the table values.", ""]
    return "\n".join(lines)


def reliability_svg(bins: list[dict[str, Any]], size: int = 320) -> str:
    """A reliability diagram: accuracy against mean confidence per bin (bars, width the bin,
    shade the count), the diagonal of perfect calibration."""
    pad = 40
    w = h = size
    x = lambda v: pad + v * (w - 2 * pad)  # noqa: E731
    y = lambda v: h - pad - v * (h - 2 * pad)  # noqa: E731
    most = max((b["n"] for b in bins), default=1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
             f'<rect x="{pad}" y="{pad}" width="{w - 2 * pad}" height="{h - 2 * pad}" fill="white" stroke="#888"/>']
    for b in bins:
        x0, x1 = x(b["from"]), x(b["to"])
        shade = 0.25 + 0.75 * b["n"] / most
        parts.append(f'<rect x="{x0:.1f}" y="{y(b["accuracy"]):.1f}" width="{x1 - x0 - 1:.1f}" '
                     f'height="{y(0) - y(b["accuracy"]):.1f}" fill="#3b6ea5" fill-opacity="{shade:.2f}"/>')
        parts.append(f'<circle cx="{x(b["confidence"]):.1f}" cy="{y(b["accuracy"]):.1f}" r="2.5" fill="#c0392b"/>')
    parts.append(f'<line x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="#555" stroke-dasharray="4 3"/>')
    for v in (0.0, 0.5, 1.0):
        parts.append(f'<text x="{x(v):.0f}" y="{h - pad + 15}" text-anchor="middle">{v:.1f}</text>')
        parts.append(f'<text x="{pad - 6}" y="{y(v) + 4:.0f}" text-anchor="end">{v:.1f}</text>')
    parts.append(f'<text x="{w / 2:.0f}" y="{h - 8}" text-anchor="middle">confidence</text>')
    parts.append(f'<text x="12" y="{h / 2:.0f}" transform="rotate(-90 12 {h / 2:.0f})" text-anchor="middle">accuracy</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
