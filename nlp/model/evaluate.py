"""Evaluation as library functions (scripts and the CLI only print them): the claim model
against labels, and the reader against the hand-read gold files.

    prf(y_true, y_pred) -> dict                 per-label P/R/F1, micro and macro
    score_examples(model, examples) -> dict     a model against a dataset's labels
    evaluate_gold(model, gold_dir) -> dict      the gold ``narrative_claims`` (data/gold)
    compare(gold_path) -> (equal, total, diffs) the gold table cells of one report
    cell_accuracy(gold_dir) -> list             every gold file's cells (scripts/gold_accuracy.py)

The gold files (``data/gold``) are evaluation-only: nothing here trains on them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Union

from sklearn.metrics import precision_recall_fscore_support

from nlp.claims import extract_claims
from nlp.config import PATHS
from nlp.errors import Errors, XxgkError
from nlp.model.dataset import read_report
from nlp.schema import TABLE_A_2019, TABLE_A_2021, TABLE_B_2019, TABLE_B_2021, TABLE_C, RowDef, TableDef
from nlp.text import norm_label

if TYPE_CHECKING:
    from nlp.model.dataset import Example


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


def prf(y_true: list[str], y_pred: list[str], labels: Optional[list[str]] = None) -> dict[str, Any]:
    """Per-label precision, recall, F1 and support, micro P/R/F1 and macro-F1 (``<missed>``, a
    gold claim no extracted claim matched, counts against recall and is no label)."""
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


def score_examples(model: Any, examples: list["Example"]) -> dict[str, Any]:
    """Per-label P/R/F1 and micro-F1 of ``model`` against the examples' labels."""
    if not examples:
        return prf([], [])
    pred = [str(x) for x in model.predict([e.record for e in examples])]
    return prf([e.label for e in examples], pred)


# ---------------------------------------------------------------------------
# Gold narrative claims
# ---------------------------------------------------------------------------


def find_report(gold: dict[str, Any], gold_dir: Union[str, Path], corpus_dir: Optional[Path] = None, *,
                dirs: Optional[Iterable[Path]] = None) -> Path:
    """The report a gold file describes: in ``corpus_dir`` if given; else in the first of
    ``dirs`` that holds it (default: beside the gold folder, as ``../shared/corpus/gold``;
    ``corpus/`` beside it, as ``data/gold``; the checkout's ``data/corpus``); else the path
    beside the gold folder (which does not exist)."""
    gold_dir = Path(gold_dir)
    if corpus_dir is not None:
        return Path(corpus_dir) / gold["file"]
    for d in dirs or (gold_dir.parent, gold_dir.parent / "corpus", PATHS.corpus):
        if (Path(d) / gold["file"]).exists():
            return Path(d) / gold["file"]
    return gold_dir.parent / gold["file"]


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


def load_gold_map(path: Union[str, Path] = PATHS.gold_map) -> dict[str, str]:
    """The gold files' Chinese metric names → our metric keys (``data/gold_metric_map.json``)."""
    data = json.loads(Path(path).read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def gold_claim_pairs(model: Any, gold_dir: Union[str, Path] = PATHS.gold,
                     report_dirs: Optional[list[Path]] = None,
                     gold_map: Optional[dict[str, str]] = None,
                     progress: bool = False) -> list[dict[str, Any]]:
    """Each gold narrative claim with the extracted claim it matches (same value, overlapping
    text) and both metrics. A gold claim no extracted claim matches has ``pred`` ``<missed>``."""
    gold_dir = Path(gold_dir)
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
        path = find_report(g, gold_dir, dirs=report_dirs)
        if not path.exists():
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


def evaluate_gold(model: Any, gold_dir: Union[str, Path] = PATHS.gold,
                  report_dirs: Optional[list[Path]] = None, progress: bool = False) -> dict[str, Any]:
    """Score a model on the gold ``narrative_claims``: per-label P/R/F1 and micro-F1 over the
    gold claims (a gold claim not extracted counts against recall), plus how many were found.

    Each gold claim is matched to the extracted claim of equal value whose clause (or, at
    0.8 weight, sentence) overlaps its text most (at least half of the shorter text); its
    Chinese metric name is mapped by ``data/gold_metric_map.json`` (unlisted → ``other``).
    Extracted claims the gold does not list are not counted: the gold lists are not
    exhaustive."""
    pairs = gold_claim_pairs(model, gold_dir, report_dirs, progress=progress)
    res = prf([p["gold"] for p in pairs], [p["pred"] for p in pairs])
    res["found"] = sum(p["pred"] != "<missed>" for p in pairs)
    res["pairs"] = pairs
    return res


# ---------------------------------------------------------------------------
# Gold table cells
# ---------------------------------------------------------------------------

GOLD_TABLES = {"table_active": "active", "table_requests": "requests", "table_review": "review"}


def gold_row(table: TableDef, key: str) -> RowDef:
    """The schema row a gold key names: its last ``/`` part, tried ``_`` piece by piece
    against the row labels (equal, or the start of a label, without punctuation)."""
    name = key.split("/")[-1]
    found: list[RowDef] = []
    for piece in name.split("_"):
        n = norm_label(piece)
        if not n:
            continue
        for rd in table.rows:
            labels = [norm_label(x) for x in rd.labels]
            if n in labels or (len(n) >= 3 and any(lab.startswith(n) for lab in labels)):
                if rd not in found:
                    found.append(rd)
        if found:
            break
    if len(found) != 1:
        raise KeyError(f"gold key {key!r} names {len(found)} rows of table {table.name}")
    return found[0]


def gold_cells(gold: dict[str, Any], template: str,
               templates: Optional[dict[str, str]] = None) -> Iterator[tuple[str, str, str, Optional[float]]]:
    """Every gold cell as ``(table, row key, column key, value)``."""
    forms = {name: (templates or {}).get(name, template) for name in ("active", "requests")}
    defs = {
        "active": TABLE_A_2019 if forms["active"] == "2019" else TABLE_A_2021,
        "requests": TABLE_B_2019 if forms["requests"] == "2019" else TABLE_B_2021,
        "review": TABLE_C,
    }
    for gkey, name in GOLD_TABLES.items():
        table = gold.get(gkey)
        if table is None:
            continue
        tdef = defs[name]
        for key, val in table.items():
            if key == "columns":
                continue
            rd = gold_row(tdef, key)
            cols = tdef.cols_of(rd)
            if isinstance(val, dict):
                vals = list(val.values())
            elif isinstance(val, list):
                vals = val
            else:
                vals = [val]
            if len(vals) != len(cols):
                raise ValueError(f"gold {gkey}/{key}: {len(vals)} values for {len(cols)} columns")
            for col, v in zip(cols, vals):
                yield name, rd.key, col, v


def compare(gold_path: Path, corpus_dir: Optional[Path] = None) -> tuple[int, int, list[str]]:
    """(cells equal, cells in gold, differences) for one gold file and its corpus report."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return compare_tables(gold, read_report(find_report(gold, gold_path.parent, corpus_dir)).tables)


def compare_tables(gold: dict[str, Any], tables: Any) -> tuple[int, int, list[str]]:
    """(cells equal, cells in gold, differences) of parsed ``Tables`` against a gold dict."""
    equal, total, diffs = 0, 0, []
    for name, row, col, want in gold_cells(gold, tables.template, tables.templates()):
        total += 1
        table = tables.get(name)
        cell = None if table is None else table.cells.get((row, col))
        got = None if cell is None else cell.value
        present = cell is not None
        if present and got == want:  # None only equals None: a blank read as 0 is wrong
            equal += 1
        else:
            diffs.append(f"{name}.{row}.{col}: gold {want!r}, read {got!r}" + ("" if present else " (no cell)"))
    return equal, total, diffs


def cell_accuracy(gold_dir: Union[str, Path] = PATHS.gold, corpus_dir: Optional[Path] = None
                  ) -> list[tuple[str, int, int, list[str]]]:
    """``(gold file name, cells equal, cells in gold, differences)`` of every gold file."""
    return [(p.name, *compare(p, corpus_dir)) for p in sorted(Path(gold_dir).glob("*.json"))]
