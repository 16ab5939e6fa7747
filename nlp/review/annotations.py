"""The one annotation contract: the record of ``annotations/**/*.jsonl``, and the one rule for
"the latest annotation".

    Annotation.from_dict(d) / .to_dict()    one JSON line, read or written
    read(path, recursive=False)             every record of a file or a folder, in order
    append(path, annotations)               add records at the end of a file (never rewrite)
    latest(annotations, key=item)           the current label of each item: THE rule

Two writers make these records and one reader uses them:

- ``xxgk queue pull`` (``nlp.review.queue.pull``) appends one record per version of each
  Label Studio annotation to ``annotations/annotations.jsonl``;
- the hand-labelled set (``annotations/hand/*.jsonl``, docs/labelling.md, written by
  ``scripts/labelling.py import``) holds one record per labelled mention and labeller;
- training (``nlp.model.dataset.read_annotations``) reads them all, and the learning-loop test checks
  what it reads.

The record (other keys are kept as they are, in ``extra``)::

    {
      "item_id": "Q-3f2a…" | "H-9b01…",  # what was labelled: a queue item (one claim) or a
                                         # hand item (one number mention)
      "report_sha256": "…",              # Document.sha256 of the report
      "source": "samples/….txt",         # the report's path as the writer saw it
      "text": "…", "sentence": "…",      # the claim's clause and its sentence
      "number_text": "110",              # the number as written
      "start": 1220, "end": 1237,        # the claim's span in Document.text
      "num_start": 1234, "num_end": 1237,  # the number's span (training matches by it)
      "metric": "requests.received_all", # a key of nlp.metrics.LABELS, or null
      "value": 110,                      # the value, corrected where the reader misread it
      "not_a_claim": false,              # true: this number is no claim at all
      "comment": "",
      "annotator": "reviewer@…",
      "annotated_at": "2026-11-23T14:00:00Z",
      ...                                # pull: task_id, annotation_id, updated_at,
                                         # predicted_metric …; hand: why, share_of, origin …
    }

**The latest annotation** (one rule, used by pull, by training and by the learning-loop test):

1. *The item* is what was labelled: ``item_id`` (a queue item Q-… is one claim, a hand item
   H-… one mention; a zero in words about two things is two items), or, for a record
   without one, the report and the number's span.
2. *For each item, the record with the latest* ``annotated_at`` *wins*, whoever wrote it:
   a newer version of an annotation replaces the older one (pull writes one record per
   version), and when several annotators label one item, the latest label is the item's
   label (so an adjudicator, writing last, settles a disagreement). Records with equal times
   are ordered as read (files by path, lines in order): the one read last wins.
3. Nothing is deleted: earlier records stay in the files as the history, and ``latest`` is
   a view over them. Training applies the same rule once more where two items name the
   same number (a hand label and a Label Studio annotation of one claim): the latest wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Mapping, Optional, Union

ANNOTATIONS_FILE = "annotations.jsonl"
"""The file ``xxgk queue pull`` appends to, in the annotations folder."""


@dataclass(frozen=True)
class Annotation:
    """One annotation record (one line of an annotations JSONL file). ``extra`` keeps every
    other key of the line, so a record read and written again is the same line."""

    item_id: Optional[str] = None
    report_sha256: Optional[str] = None
    source: Optional[str] = None
    text: Optional[str] = None
    sentence: Optional[str] = None
    number_text: Optional[str] = None
    start: Optional[int] = None
    end: Optional[int] = None
    num_start: Optional[int] = None
    num_end: Optional[int] = None
    metric: Optional[str] = None
    value: Any = None
    not_a_claim: bool = False
    comment: Optional[str] = ""
    annotator: Optional[str] = None
    annotated_at: Optional[str] = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Annotation":
        core = {f.name for f in fields(cls)} - {"extra"}
        kw = {k: d[k] for k in core if k in d}
        kw["not_a_claim"] = bool(d.get("not_a_claim"))
        return cls(**kw, extra={k: v for k, v in d.items() if k not in core})

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        out.update(self.extra)
        return out

    def get(self, key: str, default: Any = None) -> Any:
        """A field or an extra key of the record."""
        if key != "extra" and key in self.__dataclass_fields__:
            return getattr(self, key)
        return self.extra.get(key, default)

    @property
    def label(self) -> Optional[str]:
        """``not_a_claim`` when the number is no claim, else the metric (None if unset)."""
        return "not_a_claim" if self.not_a_claim else self.metric

    @property
    def span(self) -> Optional[tuple[int, int]]:
        """The number's span in Document.text (``num_start``/``num_end``; a record without
        them gives ``start``/``end`` as the number's span), or None."""
        for a, b in ((self.num_start, self.num_end), (self.start, self.end)):
            if a is not None and b is not None:
                try:
                    return int(a), int(b)
                except (TypeError, ValueError):
                    return None
        return None

    @property
    def item(self) -> Hashable:
        """What was labelled (rule 1): ``item_id``, else the report and the number's span."""
        return self.item_id or (self.report_sha256, self.span)

    @property
    def time(self) -> str:
        """When it was made (``annotated_at``; a pulled record's ``updated_at`` as fallback)."""
        return str(self.annotated_at or self.extra.get("updated_at") or self.extra.get("created_at") or "")

    @property
    def version(self) -> tuple[Any, Any]:
        """A Label Studio annotation version: ``(annotation_id, updated_at)`` (pull's key)."""
        return self.extra.get("annotation_id"), self.extra.get("updated_at")


def read(path: Union[str, Path], *, recursive: bool = False) -> list[Annotation]:
    """Every record of ``path``: a JSONL file, or a folder's ``*.jsonl`` files (with
    ``recursive``, ``**/*.jsonl``), in path order, lines in order. Blank lines and lines that
    are not a JSON object are skipped; a missing path gives ``[]``."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("**/*.jsonl" if recursive else "*.jsonl"))
    elif path.is_file():
        files = [path]
    else:
        return []
    out: list[Annotation] = []
    for f in files:
        for line in f.read_text("utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(d, dict):
                out.append(Annotation.from_dict(d))
    return out


def append(path: Union[str, Path], annotations: Iterable[Annotation]) -> int:
    """Append the records to the JSONL file ``path`` (created with its folder if needed),
    one sorted-key JSON object a line; returns how many were written. Existing lines are
    never rewritten."""
    rows = [json.dumps(a.to_dict(), ensure_ascii=False, sort_keys=True) for a in annotations]
    if rows:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write("".join(r + "\n" for r in rows))
    return len(rows)


def latest(annotations: Iterable[Annotation],
           key: Callable[[Annotation], Hashable] = lambda a: a.item) -> list[Annotation]:
    """The latest record of each item (the rule of this module's docstring), in the order the
    winners were read. ``key`` says what one item is (default ``Annotation.item``; training
    passes the candidate a record names, to apply the same rule across sources)."""
    best: dict[Hashable, tuple[int, Annotation]] = {}
    for n, a in enumerate(annotations):
        k = key(a)
        old = best.get(k)
        if old is None or a.time >= old[1].time:
            best[k] = (n, a)
    return [a for _, a in sorted(best.values(), key=lambda t: t[0])]
