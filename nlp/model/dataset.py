"""The training set: claim records of real reports, each with its label and where the label
came from.

    read_report(path) -> Report            the report through the real stages (ingest, sections,
                                           tables), as the checker reads it
    report_paths(*dirs) -> list[Path]      the report files of folders
    load_annotations(dir) -> list[dict]    the current label of every annotated number
    build_dataset(paths, annotations) -> Dataset
    group_split(reports) -> (train, test)  by report

Labels come from three sources, the first that speaks winning: a person's **annotation**
(``nlp.review.annotations``), **distant supervision** from the report's own tables
(``nlp.model.weak.distant_label``), and the **labelling rules** (``nlp.model.rules``) with
the list and topic functions (``nlp.model.weak``), weighted by their confidence.
Everything is deterministic (sorted inputs, fixed seeds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Union

import numpy as np

from nlp.claims import claim_records
from nlp.config import PATHS
from nlp.ingest import ingest
from nlp.metrics import LABELS
from nlp.model.rules import rule_label
from nlp.model.weak import distant_label, label_by_topic, propagate_in_lists
from nlp.review import annotations
from nlp.schema import Document, Sections, Tables
from nlp.sections import find_sections
from nlp.tables import parse_tables

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
SEED = 0
HELD_OUT_FRACTION = 0.3
WEIGHTS = {"annotation": 3.0, "distant": 2.0}  # rules: their confidence


@dataclass
class Report:
    """A report as the stages read it."""

    path: Path
    doc: Document
    sections: Sections
    tables: Tables


def read_report(path: Union[str, Path]) -> Report:
    """Ingest, find sections and parse tables with the project's stages."""
    doc = ingest(path)
    sections = find_sections(doc)
    return Report(Path(path), doc, sections, parse_tables(doc, sections))


def report_paths(*dirs: Union[str, Path]) -> list[Path]:
    """Report files of the folders, sorted by name (README files left out)."""
    out: list[Path] = []
    for d in dirs:
        d = Path(d)
        if d.is_dir():
            out += [p for p in sorted(d.iterdir()) if p.suffix.lower() in REPORT_SUFFIXES
                    and p.is_file() and not p.name.lower().startswith("readme")]
    return out


def load_annotations(directory: Union[str, Path] = PATHS.annotations) -> list[dict[str, Any]]:
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
        propagate_in_lists(ds.examples, sha)
        label_by_topic(ds.examples, sha)
    ds.n_annotations = used
    return ds


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
