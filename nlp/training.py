"""Training data without hand labels, training, evaluation and the speed measurement.

Labels for the claim classifier come from three sources, the first that speaks winning:

1. **annotations** (``annotations/*.jsonl``, see ``load_annotations``): a person's label;
2. **distant supervision** from the report's own tables: a narrative number equal to a
   table figure (``nlp.metrics.reading_value``) of a metric, in a clause whose words fit
   that metric (``METRIC_CUES``), gets that metric;
3. **the labelling rules** (``nlp.classifier.rule_label``, the same rules as the
   ``RulesClassifier`` baseline), weighted by their confidence.

The corpus is the bundled samples (``samples/``) plus the committed copy of the development
reports (``data/corpus/``), so a fresh clone trains the same model. Everything is
deterministic (fixed seeds, sorted inputs). The held-out split is by report.

Entry points: ``train_model`` (``xxgk model train``), ``evaluate_gold`` (``xxgk model
eval``), ``bench_claims`` (scripts/bench.py).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import statistics
import subprocess
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Union

import numpy as np

from nlp.classifier import (COUNT_UNITS, LIST_LABELS, ClaimClassifier, ClaimFeatures, RulesClassifier,
                            load_model_file, rule_label, rules_model, save_model, sentence_topic)
from nlp.config import PATHS
from nlp.errors import Errors, XxgkError
from nlp.metrics import LABELS, METRICS, reading_value
from nlp.review import annotations
from nlp.schema import Document, Sections, Tables

# The checkout's folders (nlp.config.PATHS), under the names this module has always used.
SAMPLES_DIR = PATHS.samples
CORPUS_DIR = PATHS.corpus
GOLD_DIR = PATHS.gold
GOLD_MAP = PATHS.gold_map
ANNOTATIONS_DIR = PATHS.annotations
MODELS_DIR = PATHS.models
MODEL_FILE = PATHS.model_file.name
CARD_JSON = "model_card.json"
CARD_MD = "MODEL_CARD.md"
REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
SEED = 0
HELD_OUT_FRACTION = 0.3
MODEL_PARAMS: dict[str, Any] = {"C": 4.0, "method": "sigmoid", "cv": 3, "class_weight": "balanced",
                                "labels": list(LABELS), "rule_backoff": 0.8, "random_state": SEED}
WEIGHTS = {"annotation": 3.0, "distant": 2.0}  # rules: their confidence

# ---------------------------------------------------------------------------
# Reading reports (the earlier stages, when they are there)
# ---------------------------------------------------------------------------


@dataclass
class Report:
    path: Path
    doc: Document
    sections: Optional[Sections]
    tables: Optional[Tables]


def _fallback_document(path: Path) -> Document:
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        from bs4 import BeautifulSoup

        text = BeautifulSoup(text, "lxml").get_text("\n")
    text = unicodedata.normalize("NFKC", text)
    return Document(source=str(path), sha256=hashlib.sha256(raw).hexdigest(), format=path.suffix[1:],
                    display_text=text, text=text, offsets=tuple(range(len(text) + 1)))


def read_report(path: Union[str, Path]) -> Report:
    """Ingest, find sections and parse tables with the project's stages (a plain-text
    reading when ``nlp.ingest`` is not there; no tables when ``nlp.tables`` is not)."""
    path = Path(path)
    try:
        from nlp.ingest import ingest
    except ImportError:  # pragma: no cover - the stage not yet built
        doc = _fallback_document(path)
    else:
        doc = ingest(path)
    sections = tables = None
    try:
        from nlp.sections import find_sections

        sections = find_sections(doc)
    except ImportError:  # pragma: no cover
        pass
    try:
        from nlp.tables import parse_tables
    except ImportError:
        pass
    else:
        if sections is not None:
            tables = parse_tables(doc, sections)
    return Report(path, doc, sections, tables)


def report_paths(*dirs: Union[str, Path]) -> list[Path]:
    """Report files of the folders, sorted by name (README files left out)."""
    out: list[Path] = []
    for d in dirs:
        d = Path(d)
        if d.is_dir():
            out += [p for p in sorted(d.iterdir()) if p.suffix.lower() in REPORT_SUFFIXES
                    and p.is_file() and not p.name.lower().startswith("readme")]
    return out


# ---------------------------------------------------------------------------
# Annotations
# ---------------------------------------------------------------------------


def load_annotations(directory: Union[str, Path] = ANNOTATIONS_DIR) -> list[dict[str, Any]]:
    """The current label of every annotated number in ``directory``'s ``*.jsonl`` files.

    The records are those of the one annotation contract (``nlp.review.annotations``: what
    ``xxgk queue pull`` writes). A record counts when it names a report (``report_sha256``), a
    number's span (``num_start``/``num_end``, else ``start``/``end``) and a known label (a
    ``metric`` of ``nlp.metrics.LABELS``, or ``not_a_claim``). Of those, the latest annotation
    of each item wins (``nlp.review.annotations.latest``), and where two items name the same
    number the same rule picks one. Each returned record is a dict with its ``span`` and
    ``metric`` (``not_a_claim`` for a number that is no claim), sorted by report and span.
    """
    recs = [a for a in annotations.read(directory)
            if a.report_sha256 and a.span is not None and a.label in LABELS]
    current = annotations.latest(annotations.latest(recs), key=lambda a: (a.report_sha256, a.span))
    current.sort(key=lambda a: (str(a.report_sha256), a.span))
    return [dict(a.to_dict(), span=list(a.span), metric=a.label) for a in current]


# ---------------------------------------------------------------------------
# Distant supervision
# ---------------------------------------------------------------------------

METRIC_CUES: dict[str, str] = {
    "requests.new": r"收到|新收|受理|申请",
    "requests.carried_in": r"上年.{0,4}结转|结转",
    "requests.received_all": r"受理|收到|申请",
    "requests.granted": r"予以公开|同意公开|全部公开",
    "requests.partial": r"部分公开",
    "requests.granted_and_partial": r"公开",
    "requests.new.natural_person": r"自然人|个人|群众",
    "requests.new.commercial": r"企业",
    "requests.new.research": r"科研",
    "requests.new.social": r"公益",
    "requests.new.legal": r"法律服务",
    "requests.new.other": r"其他组织",
    "requests.denied": r"不予公开|不公开",
    "requests.unavailable": r"无法提供|不掌握|不存在",
    "requests.not_processed": r"不予处理",
    "requests.other": r"其他处理",
    "requests.closed": r"办结|答复|办理|处理|回复",
    "requests.carried_out": r"结转|下(?:一)?年",
    "reconsideration.total": r"复议",
    "reconsideration.corrected": r"纠正",
    "litigation.total": r"诉讼|起诉",
    "licensing.decisions": r"许可",
    "penalty.decisions": r"处罚",
    "coercion.decisions": r"强制",
    "fees.admin_10k_yuan": r"收费",
}
for _m in METRICS:
    if _m.startswith("rules."):
        METRIC_CUES[_m] = r"规章"
    elif _m.startswith("normative_docs."):
        METRIC_CUES[_m] = r"规范性文件"
"""The words a clause must hold for a table-equal number to be labelled with the metric."""


def distant_label(record: dict[str, Any], tables: Optional[Tables]) -> Optional[str]:
    """The metric a table figure gives this record, or None.

    The record's value must equal a reading of the metric (``reading_value``) and its
    clause (with the clause before it) must hold the metric's cue words. Zeros and
    approximate values are left to the other sources; where several metrics fit, the one the
    rules name wins, else none.
    """
    if tables is None or record.get("kind") != "quantity" or record.get("approx"):
        return None
    v = record.get("value")
    if not isinstance(v, (int, float)) or v == 0:
        return None
    ctx = (record.get("prev") or "")[-12:] + "|" + (record.get("left") or "")
    fits = []
    for key, cue in METRIC_CUES.items():
        m = METRICS.get(key)
        if m is None or not re.search(cue, ctx):
            continue
        if any(reading_value(r, tables) == v for r in m.readings):
            fits.append(key)
    if not fits:
        return None
    if len(fits) == 1:
        return fits[0]
    rule, _ = rule_label(record)
    return rule if rule in fits else None


# ---------------------------------------------------------------------------
# The training set
# ---------------------------------------------------------------------------


@dataclass
class Example:
    record: dict[str, Any]
    label: str
    source: str  # annotation | distant | rules
    weight: float
    report: str  # sha256


@dataclass
class Dataset:
    examples: list[Example] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)  # sha256 in order
    names: dict[str, str] = field(default_factory=dict)  # sha256 -> file name
    n_annotations: int = 0

    def counts(self, attr: str = "label") -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.examples:
            k = getattr(e, attr)
            out[k] = out.get(k, 0) + 1
        return dict(sorted(out.items()))


def build_dataset(paths: Iterable[Path], annotations: Optional[list[dict[str, Any]]] = None,
                  progress: bool = False) -> Dataset:
    """Claim records of every report with their labels (annotation > distant > rules).

    Only claim candidates (kind ``quantity``) are examples: zeros in words take their metric
    from what they deny, and the other kinds are set aside before the classifier.
    """
    from nlp.claims import claim_records

    ann = {(a["report_sha256"], int(a["span"][0]), int(a["span"][1])) if "span" in a
           else (a["report_sha256"], int(a["start"]), int(a["end"])): a for a in (annotations or [])}
    ds = Dataset()
    paths = list(paths)
    it: Iterable[Path] = paths
    if progress:
        from rich.progress import track

        it = track(paths, description="Reading reports")
    used = 0
    for p in it:
        rep = read_report(p)
        sha = rep.doc.sha256
        if sha in ds.names:
            continue
        ds.reports.append(sha)
        ds.names[sha] = p.name
        for r in claim_records(rep.doc, rep.sections, rep.tables):
            a = ann.get((sha, r["num_start"], r["num_end"])) or ann.get((sha, r["start"], r["end"]))
            if a is not None and (r["kind"] == "quantity" or a["metric"] != "not_a_claim"):
                used += 1
                r = dict(r, kind="quantity")
                ds.examples.append(Example(r, a["metric"], "annotation", WEIGHTS["annotation"], sha))
                continue
            if r["kind"] != "quantity":
                continue
            d = distant_label(r, rep.tables)
            if d is not None:
                ds.examples.append(Example(r, d, "distant", WEIGHTS["distant"], sha))
                continue
            label, conf = rule_label(r)
            ds.examples.append(Example(r, label, "rules", conf, sha))
        _propagate_in_lists(ds.examples, sha)
        _sentence_topic(ds.examples, sha)
    ds.n_annotations = used
    return ds


_PROPAGATE = LIST_LABELS
_COUNT_UNITS = COUNT_UNITS


def _propagate_in_lists(examples: list[Example], sha: str) -> None:
    """A labelling function of structure: an item of an enumeration with no cue of its own
    (the rules' fallback ``other``) takes the label of the item before it in the same
    sentence, when that one has an unlinked label (new media, interpretations, the parts of
    proactive disclosure …) and a count unit. 推送短视频1113个、图文1775条 → both new_media.
    Only weak rule labels are replaced; their weight stays below a rule's."""
    prev: Optional[Example] = None
    for e in examples:
        if e.report != sha:
            continue
        r = e.record
        if (prev is not None and e.source == "rules" and e.label == "other" and e.weight <= 0.5
                and prev.record["sent_start"] == r["sent_start"] and prev.label in _PROPAGATE
                and r.get("unit") in _COUNT_UNITS and prev.record.get("unit") in _COUNT_UNITS
                and 0 < r["clause_start"] - prev.record["clause_end"] <= 2
                and (prev.label != "proactive.total" or r.get("in_list"))):
            # after a total, only an item of a list (其中/包括 …) is one of its parts
            e.label = "proactive.part" if prev.label == "proactive.total" else prev.label
            e.source, e.weight = "propagated", 0.6
        prev = e


def _sentence_topic(examples: list[Example], sha: str) -> None:
    """A labelling function of topic: a count the rules leave as ``other`` in a sentence whose
    first clause names new media, policy interpretation or the mailbox
    (``nlp.classifier.sentence_topic``) takes that label (深化政务新媒体矩阵建设,…开设专栏33个,
    策采新闻稿件2606篇 → new_media), weight 0.5."""
    for e in examples:
        r = e.record
        if e.report != sha or e.source != "rules" or e.label != "other" or e.weight > 0.5:
            continue
        if r.get("unit") not in _COUNT_UNITS:
            continue
        topic = sentence_topic(r)
        if topic:
            e.label, e.source, e.weight = topic, "topic", 0.5


def group_split(reports: list[str], fraction: float = HELD_OUT_FRACTION, seed: int = SEED
                ) -> tuple[list[str], list[str]]:
    """Reports (sha256) split into train and held-out, deterministically (a seeded shuffle
    of the sorted ids)."""
    ids = sorted(set(reports))
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(ids))
    n_test = max(1, int(round(len(ids) * fraction))) if len(ids) > 1 else 0
    test = sorted(ids[i] for i in order[:n_test])
    train = sorted(ids[i] for i in order[n_test:])
    return train, test


def _prf(y_true: list[str], y_pred: list[str], labels: Optional[list[str]] = None) -> dict[str, Any]:
    from sklearn.metrics import precision_recall_fscore_support

    if labels is None:
        labels = sorted(set(y_true) | set(y_pred) - {"<missed>"})
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="micro",
                                                    zero_division=0)
    _, _, macro, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="macro",
                                                     zero_division=0)
    return {
        "n": len(y_true),
        "micro": {"precision": round(float(mp), 4), "recall": round(float(mr), 4), "f1": round(float(mf), 4)},
        "macro_f1": round(float(macro), 4),
        "per_label": {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                            "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
    }


def score_examples(model: Any, examples: list[Example]) -> dict[str, Any]:
    """Per-label P/R/F1 and micro-F1 of ``model`` against the examples' labels."""
    if not examples:
        return _prf([], [])
    pred = [str(x) for x in model.predict([e.record for e in examples])]
    return _prf([e.label for e in examples], pred)


def fit_classifier(examples: list[Example], params: Optional[dict[str, Any]] = None) -> ClaimClassifier:
    """A ``ClaimClassifier`` fitted on the examples (weights as sample weights)."""
    if not examples:
        raise XxgkError(Errors.E011, detail="no examples")
    clf = ClaimClassifier(**(params or MODEL_PARAMS))
    clf.fit([e.record for e in examples], [e.label for e in examples],
            sample_weight=[e.weight for e in examples])
    return clf


# ---------------------------------------------------------------------------
# Gold evaluation
# ---------------------------------------------------------------------------


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def _overlap(a: str, b: str) -> float:
    """Share of the shorter string's characters that the longest common run covers."""
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size / min(len(a), len(b))


def load_gold_map(path: Union[str, Path] = GOLD_MAP) -> dict[str, str]:
    """The gold files' Chinese metric names → our metric keys (``data/gold_metric_map.json``)."""
    data = json.loads(Path(path).read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def _find_report(name: str, dirs: list[Path]) -> Optional[Path]:
    for d in dirs:
        p = d / name
        if p.exists():
            return p
    return None


def gold_claim_pairs(model: Any, gold_dir: Union[str, Path] = GOLD_DIR,
                     report_dirs: Optional[list[Path]] = None,
                     gold_map: Optional[dict[str, str]] = None,
                     progress: bool = False) -> list[dict[str, Any]]:
    """Each gold narrative claim with the extracted claim it matches (same value, overlapping
    text) and both metrics. A gold claim no extracted claim matches has ``pred`` ``<missed>``."""
    from nlp.claims import extract_claims

    gold_dir = Path(gold_dir)
    report_dirs = report_dirs or [gold_dir.parent, CORPUS_DIR]
    gmap = gold_map if gold_map is not None else load_gold_map()
    out = []
    files: Iterable[Path] = sorted(gold_dir.glob("*.json"))
    if not files:
        raise XxgkError(Errors.E011, detail=f"no gold JSON files in {gold_dir}")
    if progress:
        from rich.progress import track

        files = track(list(files), description="Scoring gold reports")
    for gf in files:
        g = json.loads(gf.read_text("utf-8"))
        path = _find_report(g["file"], report_dirs)
        if path is None:
            raise XxgkError(Errors.E001, path=g["file"])
        rep = read_report(path)
        claims = extract_claims(rep.doc, rep.sections, rep.tables, model=model)
        used: set[int] = set()
        for gc in g.get("narrative_claims", []):
            gt = _norm(gc["text"])
            best, best_score = None, 0.0
            for i, c in enumerate(claims):
                if i in used or c.value is None or float(c.value) != float(gc["value"]):
                    continue
                score = max(_overlap(gt, _norm(c.text)), 0.8 * _overlap(gt, _norm(c.sentence)))
                if score > best_score:
                    best, best_score = i, score
            truth = gmap.get(gc["metric"], "other")
            if best is not None and best_score >= 0.5:
                used.add(best)
                c = claims[best]
                out.append({"file": g["file"], "text": gc["text"], "value": gc["value"], "gold": truth,
                            "gold_zh": gc["metric"], "pred": c.metric, "claim": c.text,
                            "confidence": c.confidence})
            else:
                out.append({"file": g["file"], "text": gc["text"], "value": gc["value"], "gold": truth,
                            "gold_zh": gc["metric"], "pred": "<missed>", "claim": None, "confidence": 0.0})
    return out


def evaluate_gold(model: Any, gold_dir: Union[str, Path] = GOLD_DIR,
                  report_dirs: Optional[list[Path]] = None, progress: bool = False) -> dict[str, Any]:
    """Score a model on the gold ``narrative_claims``: per-label P/R/F1 and micro-F1 over the
    gold claims (a gold claim not extracted counts against recall), plus how many were found.

    Each gold claim is matched to the extracted claim of equal value whose clause (or, at
    0.8 weight, sentence) overlaps its text most (at least half of the shorter text); its
    Chinese metric name is mapped by ``data/gold_metric_map.json`` (unlisted → ``other``).
    Extracted claims the gold does not list are not counted: the gold lists are not
    exhaustive."""
    pairs = gold_claim_pairs(model, gold_dir, report_dirs, progress=progress)
    res = _prf([p["gold"] for p in pairs], [p["pred"] for p in pairs])
    res["found"] = sum(p["pred"] != "<missed>" for p in pairs)
    res["pairs"] = pairs
    return res


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------


def git_revision() -> Optional[str]:
    try:
        return subprocess.run(["git", "-C", str(PATHS.root), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip() or None
    except Exception:
        return None


def _version(examples: list[Example], params: dict[str, Any]) -> str:
    h = hashlib.sha1()
    for e in examples:
        h.update(f"{e.report}:{e.record['num_start']}:{e.label}:{e.weight}".encode())
    h.update(json.dumps(params, sort_keys=True).encode())
    # the features too: the same labels with other features are another model
    h.update(json.dumps(ClaimFeatures().get_params(), sort_keys=True).encode())
    return "claims-" + h.hexdigest()[:10]


def train_model(out_dir: Union[str, Path] = MODELS_DIR,
                annotations_dir: Union[str, Path, None] = ANNOTATIONS_DIR,
                corpus_dirs: Optional[list[Path]] = None, force: bool = False,
                gold_dir: Union[str, Path, None] = GOLD_DIR, progress: bool = False) -> dict[str, Any]:
    """Build the dataset, fit on the training reports, score on the held-out reports, and
    write ``claim_model.skops`` + the model card to ``out_dir`` unless the current model there
    does better on the same held-out reports (``force`` writes anyway).

    Returns the card (a dict), with ``replaced`` telling whether the model was written.
    """
    out_dir = Path(out_dir)
    corpus_dirs = corpus_dirs or [SAMPLES_DIR, CORPUS_DIR]
    anns = load_annotations(annotations_dir) if annotations_dir else []
    ds = build_dataset(report_paths(*corpus_dirs), anns, progress=progress)
    if not ds.examples:
        raise XxgkError(Errors.E011, detail=f"no claims found in {', '.join(map(str, corpus_dirs))}")
    train_ids, test_ids = group_split(ds.reports)
    # a person's annotation is always learned, whichever side of the split its report is on;
    # the held-out score stays on the weak labels of the claims nobody annotated
    train = [e for e in ds.examples if e.report in train_ids or e.source == "annotation"]
    test = [e for e in ds.examples if e.report in test_ids and e.source != "annotation"]
    clf = fit_classifier(train, MODEL_PARAMS)
    clf.version_ = _version(train, MODEL_PARAMS)
    held_new = score_examples(clf, test)
    held_rules = score_examples(rules_model(), test)

    current_path = out_dir / MODEL_FILE
    held_current = None
    if current_path.exists():
        try:
            held_current = score_examples(load_model_file(current_path), test)
        except Exception:  # unreadable, or made by an older ClaimClassifier: replace it
            held_current = None
    replaced = force or held_current is None or held_new["micro"]["f1"] >= held_current["micro"]["f1"]

    gold = None
    if gold_dir and Path(gold_dir).is_dir():
        g_model = evaluate_gold(clf, gold_dir)
        g_rules = evaluate_gold(rules_model(), gold_dir)
        g_weak = evaluate_gold(RulesClassifier(weak=True).fit(), gold_dir)
        gold = {"model": {k: v for k, v in g_model.items() if k != "pairs"},
                "rules": {k: v for k, v in g_rules.items() if k != "pairs"},
                # the labelling functions the model reads as a feature, alone (no learning)
                "weak_rules": {k: v for k, v in g_weak.items() if k != "pairs"}}
        # the same recipe with each gold report's text left out of training in turn: how
        # the model does on a report it has never read
        gold["model_each_report_unseen"] = _gold_each_unseen(ds, train, gold_dir)
    card = {
        "name": "xxgk claim metric classifier",
        "version": clf.version_,
        "date": _dt.date.today().isoformat(),
        "code_revision": git_revision(),
        "estimator": "ClaimClassifier (ClaimFeatures → DictVectorizer → LogisticRegression, "
                     "CalibratedClassifierCV)",
        "params": MODEL_PARAMS,
        "labels": [str(c) for c in clf.classes_],
        "label_set": list(LABELS),
        "data": {
            "reports": len(ds.reports),
            "train_reports": sorted(ds.names[s] for s in train_ids),
            "held_out_reports": sorted(ds.names[s] for s in test_ids),
            "examples": len(ds.examples),
            "train_examples": len(train),
            "held_out_examples": len(test),
            "by_source": ds.counts("source"),
            "by_label": ds.counts("label"),
            "annotations_read": len(anns),
            "annotations_used": ds.n_annotations,
        },
        "held_out": {"model": held_new, "rules": held_rules, "current_model": held_current,
                     "note": "labels on held-out reports are the weak labels (annotations > "
                             "distant supervision > rules); split by report, seed 0"},
        "gold": gold,
        "replaced": bool(replaced),
        "forced": bool(force),
    }
    if replaced:
        save_model(clf, current_path)
        write_card(card, out_dir)
    return card


def _gold_each_unseen(ds: Dataset, train: list[Example], gold_dir: Union[str, Path]) -> dict[str, Any]:
    """Gold scores of models each trained without one gold report's text, pooled."""
    import shutil
    import tempfile

    y_true: list[str] = []
    y_pred: list[str] = []
    found = 0
    for gf in sorted(Path(gold_dir).glob("*.json")):
        name = json.loads(gf.read_text("utf-8"))["file"]
        sub = [e for e in train if ds.names[e.report] != name]
        if not sub:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(gf, tmp)
            res = evaluate_gold(fit_classifier(sub, MODEL_PARAMS), tmp,
                                report_dirs=[Path(gold_dir).parent, CORPUS_DIR, Path(gold_dir).parent.parent])
        y_true += [p["gold"] for p in res["pairs"]]
        y_pred += [p["pred"] for p in res["pairs"]]
        found += res["found"]
    out = _prf(y_true, y_pred)
    out["found"] = found
    return out


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
        "(`nlp.classifier.TRUSTED_TYPES`); no pickle.",
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


# ---------------------------------------------------------------------------
# Speed
# ---------------------------------------------------------------------------


def bench_claims(paths: Optional[list[Path]] = None, repeat: int = 5,
                 model: Any = None) -> dict[str, Any]:
    """Time the claims stage per report (after a warm-up), and jieba alone on the same text.

    Returns ``{"reports": n, "claims_ms_median": …, "jieba_ms_median": …, "per_report": [...]}``
    (medians over reports of the median over ``repeat`` runs).
    """
    import jieba

    from nlp.claims import extract_claims, load_model, load_nlp, load_userdict, narrative_text

    paths = paths or report_paths(SAMPLES_DIR)
    clf = load_model(model)
    load_nlp()
    load_userdict()
    reps = [read_report(p) for p in paths]
    for r in reps:  # warm-up
        extract_claims(r.doc, r.sections, r.tables, model=clf)
    per = []
    for r in reps:
        text = narrative_text(r.doc, r.sections, r.tables)
        tc, tj = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            extract_claims(r.doc, r.sections, r.tables, model=clf)
            tc.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            jieba.lcut(text)
            tj.append((time.perf_counter() - t0) * 1000)
        per.append({"report": r.path.name, "chars": len(text), "claims_ms": round(statistics.median(tc), 2),
                    "jieba_ms": round(statistics.median(tj), 2)})
    return {
        "reports": len(per),
        "model": getattr(clf, "version_", type(clf).__name__),
        "claims_ms_median": round(statistics.median(p["claims_ms"] for p in per), 2),
        "jieba_ms_median": round(statistics.median(p["jieba_ms"] for p in per), 2),
        "per_report": per,
    }


def load_model_spec(spec: Any) -> Any:
    """A model from a CLI spec: ``"rules"``, a skops path, or None for the shipped model."""
    from nlp.claims import load_model

    return load_model(spec)
