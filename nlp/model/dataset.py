"""The labelled set: every annotated number of real reports, matched to the claims stage's
candidates, as the classifier is trained and the stage is scored on them.

    read_report(path) -> Report                the report through the real stages
    report_paths(*dirs) -> list[Path]          the report files of folders
    read_annotations(*dirs) -> list[Annotation]  every record of annotations/**/*.jsonl, current
    load_annotations(*dirs) -> list[dict]      the same, one per number, as dicts
    build_dataset(paths, annotations) -> Dataset
    group_folds(reports, k) -> [(train, test)]  folds of whole reports

**Where the labels come from.** The one annotation contract (``nlp.review.annotations``):
the hand-labelled set (``annotations/hand/``, docs/labelling.md: every number mention of a
report opening, labelled by reading) and what ``xxgk queue pull`` brings back from Label
Studio, read alike. Each item's latest record is its label.

**Matching a label to a candidate.** A labelled number is matched to the candidate of the
claims stage (``nlp.claims.claim_records``) whose number span overlaps it: of several, the
one whose kind agrees (a claim label and a quantity or zero-in-words; a not-a-claim and any
kind), then the zero whose object names the label (未收到…行政复议、行政诉讼 is two
candidates), then the largest overlap. Of several labels on one candidate the one a zero's
object names wins, then the largest overlap, then the one whose span holds the fewest numbers
(a label of this number alone before an added quote that covers it and another number), then
the latest (the contract's rule). A
labelled number no candidate overlaps is kept as *missed*: it counts against the stage's
recall when it is a claim.

**What a report holds.** A hand-labelled report (the labellers labelled every mention and
added what the patterns missed) is *fully labelled*: a claim-kind candidate nobody labelled
is scored as not a claim. A report with Label Studio annotations only is scored on those.

The data/gold reports are never read here unless an annotation names one: their gold files
stay evaluation-only (``nlp.model.evaluate``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

from nlp.claims import claim_records
from nlp.config import PATHS
from nlp.ingest import ingest
from nlp.metrics import LABELS, ZERO_OBJECT_METRIC
from nlp.numbers import CLAIM_KINDS
from nlp.review import annotations
from nlp.review.annotations import Annotation
from nlp.schema import Document, Sections, Tables
from nlp.sections import find_sections
from nlp.tables import parse_tables

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
NOT_A_CLAIM = "not_a_claim"
CLASSIFIED_KINDS = ("quantity",)
"""The candidate kinds the classifier decides (a zero in words takes its metric from what it
denies; the other kinds are never claims)."""
WEIGHTS = {"hand": 1.0, "annotation": 3.0}
"""Sample weights by origin: a hand label, and a person's answer in Label Studio to a claim
the model was unsure of (rarer, and aimed where the model errs)."""


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


def read_annotations(*dirs: Union[str, Path]) -> list[Annotation]:
    """The current record of every labelled item of the folders' ``**/*.jsonl`` files (the
    contract's rule, ``nlp.review.annotations.latest``), keeping those with a report, a
    number's span and a known label."""
    recs = [a for d in dirs for a in annotations.read(d, recursive=True)]
    return [a for a in annotations.latest(recs) if a.report_sha256 and a.span is not None and a.label in LABELS]


def load_annotations(*dirs: Union[str, Path]) -> list[dict[str, Any]]:
    """The current label of every annotated number of the folders (default: the checkout's
    ``annotations/``), as plain dicts: ``read_annotations``, where two items name the same
    number the same rule picks one (the latest), each record with its ``span`` (a list) and
    ``metric`` (``not_a_claim`` for a number that is no claim), sorted by report and span."""
    current = annotations.latest(read_annotations(*(dirs or (PATHS.annotations,))),
                                 key=lambda a: (a.report_sha256, a.span))
    current.sort(key=lambda a: (str(a.report_sha256), a.span))
    return [dict(a.to_dict(), span=list(a.span), metric=a.label) for a in current]


def origin(a: Annotation) -> str:
    """``hand`` for the hand-labelled set, else ``annotation`` (Label Studio, corrections)."""
    return "hand" if a.get("origin") == "hand" else "annotation"


@dataclass
class Item:
    """One labelled thing of a report: a candidate of the claims stage with its label, or a
    labelled number no candidate holds (``record`` None)."""

    report: str  # sha256
    record: Optional[dict[str, Any]]
    label: str
    source: str  # hand | annotation | implicit (a candidate of a fully labelled report nobody labelled)
    weight: float = 1.0
    annotation: Optional[Annotation] = None

    @property
    def classified(self) -> bool:
        """Whether the classifier decides this one (a candidate of a classified kind)."""
        return self.record is not None and self.record.get("kind") in CLASSIFIED_KINDS


@dataclass
class Dataset:
    """The labelled items of every report read, in report order."""

    items: list[Item] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)  # sha256, in order
    names: dict[str, str] = field(default_factory=dict)  # sha256 -> file path (relative to the checkout)
    fully_labelled: set[str] = field(default_factory=set)
    n_annotations: int = 0  # records read
    n_matched: int = 0  # records matched to a candidate

    @property
    def examples(self) -> list[Item]:
        """What the classifier learns from: the labelled candidates it decides."""
        return [it for it in self.items if it.classified and it.source != "implicit"]

    @property
    def zeros(self) -> list[Item]:
        """The zeros in words of the labelled reports with their labels (a candidate nobody
        labelled in a fully labelled report as not a claim): what the confidence of a zero is
        estimated from (``ClaimClassifier.zero_confidence``)."""
        return [it for it in self.items if it.record is not None and it.record.get("kind") == "zero"]

    def subset(self, reports: Iterable[str]) -> "Dataset":
        keep = set(reports)
        return Dataset([it for it in self.items if it.report in keep], [r for r in self.reports if r in keep],
                       {r: n for r, n in self.names.items() if r in keep}, self.fully_labelled & keep)

    def counts(self, attr: str = "label", items: Optional[Sequence[Item]] = None) -> dict[str, int]:
        out: dict[str, int] = {}
        for it in self.examples if items is None else items:
            k = getattr(it, attr)
            out[k] = out.get(k, 0) + 1
        return dict(sorted(out.items()))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_DIGITS = re.compile(r"[0-9０-９]+")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match(a: Annotation, records: list[dict[str, Any]]) -> Optional[int]:
    """The index of the candidate a labelled number names (see the module docstring)."""
    best, best_key = None, None
    claim = a.label != NOT_A_CLAIM
    for i, r in enumerate(records):
        o = _overlap(a.span, (r["num_start"], r["num_end"]))
        if o <= 0:
            continue
        objs = r.get("objects") or ()
        key = (claim == (r["kind"] in CLAIM_KINDS),
               r["kind"] == "zero" and bool(objs) and ZERO_OBJECT_METRIC.get(objs[0]) == a.label, o)
        if best_key is None or key > best_key:
            best, best_key = i, key
    return best


def build_dataset(paths: Iterable[Union[str, Path]], anns: Sequence[Annotation] = (),
                  progress: bool = False) -> Dataset:
    """The labelled items of the reports among ``paths`` that an annotation names (by the
    report's sha256), read through the stages, in path order."""
    by_report: dict[str, list[Annotation]] = {}
    for a in anns:
        by_report.setdefault(str(a.report_sha256), []).append(a)
    ds = Dataset(n_annotations=len(anns))
    todo = [(Path(p), s) for p in paths if (s := _sha(Path(p))) in by_report]
    it: Iterable[tuple[Path, str]] = todo
    if progress:
        from rich.progress import track

        it = track(todo, description="Reading labelled reports")
    for path, sha in it:
        if sha in ds.names:
            continue
        rep = read_report(path)
        ds.reports.append(sha)
        try:
            ds.names[sha] = path.resolve().relative_to(PATHS.root).as_posix()
        except ValueError:
            ds.names[sha] = str(path)
        records = claim_records(rep.doc, rep.sections, rep.tables)
        labels: dict[int, tuple[int, Annotation]] = {}
        mine = by_report[sha]
        if any(origin(a) == "hand" for a in mine):
            ds.fully_labelled.add(sha)
        for a in mine:
            i = _match(a, records)
            if i is None:
                ds.items.append(Item(sha, None, str(a.label), origin(a), WEIGHTS[origin(a)], a))
                continue
            rec = records[i]
            objs = rec.get("objects") or ()
            # of several labels on one zero in words (未发生…行政复议、行政诉讼和申诉), the one its
            # object names (reconsideration.total on the 行政复议 candidate) before a larger overlap
            key = (rec["kind"] == "zero" and bool(objs) and ZERO_OBJECT_METRIC.get(objs[0]) == a.label,
                   _overlap(a.span, (rec["num_start"], rec["num_end"])),
                   # a label of this number alone beats a labeller's added quote that covers it and
                   # another candidate (行政复议7件,结果维持6件 added for the 6, over the 7's own label)
                   -len(_DIGITS.findall(rep.doc.text, *a.span)))
            old = labels.get(i)
            if old is None or (key, a.time) >= (old[0], old[1].time):
                labels[i] = (key, a)
        for i, r in enumerate(records):
            if i in labels:
                a = labels[i][1]
                ds.items.append(Item(sha, r, str(a.label), origin(a), WEIGHTS[origin(a)], a))
                ds.n_matched += 1
            elif sha in ds.fully_labelled and r["kind"] in CLAIM_KINDS:
                ds.items.append(Item(sha, r, NOT_A_CLAIM, "implicit"))
    return ds


def group_folds(reports: Sequence[str], k: int) -> list[tuple[list[str], list[str]]]:
    """``k`` folds of whole reports (sha256): each report is in one test fold, assigned in
    the order of the sorted ids' hash so that the folds do not follow file names."""
    ids = sorted(set(reports), key=lambda s: hashlib.sha1(s.encode()).hexdigest())
    k = max(2, min(k, len(ids)))
    tests = [ids[i::k] for i in range(k)]
    return [(sorted(set(ids) - set(t)), sorted(t)) for t in tests]
