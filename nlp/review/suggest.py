"""Active learning: the unlabelled numbers whose labels would teach the model most.

    suggest(folder, n, model=None) -> list[QueueItem]     what ``xxgk queue suggest N --from FOLDER`` pushes

Every report of the folder is read through the stages; each quantity the claims stage would
hand the classifier, and that no annotation labels yet (the hand set or Label Studio's, by
report and number span: ``nlp.model.dataset.read_annotations``), is scored by its *priority*
(``nlp.review.items.priority``): the model's doubt, 1 − its calibrated top probability,
weighted up where the metric it guesses is linked to a table figure (a wrong label there hides
or invents a mismatch). The ``n`` of highest priority are the suggestions, as queue items
whose prediction is the model's guess; their prediction score (``queue_score``) is that same
priority turned round, so that Label Studio's queue, sorted lowest first, shows them in the
order they were picked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Optional, Union

from nlp.review.items import QueueItem, priority


def _labelled(annotations_dirs: Iterable[Union[str, Path]]) -> dict[str, list[tuple[int, int]]]:
    from nlp.model.dataset import read_annotations

    out: dict[str, list[tuple[int, int]]] = {}
    for a in read_annotations(*annotations_dirs):
        out.setdefault(str(a.report_sha256), []).append(a.span)
    return out


def suggest(folder: Union[str, Path], n: int, model: Any = None,
            annotations_dirs: Optional[Iterable[Union[str, Path]]] = None,
            per_report: Optional[int] = None) -> list[QueueItem]:
    """The ``n`` unlabelled quantities of the reports in ``folder`` with the highest priority,
    highest first (ties: report and text order). ``model``: a spec for ``nlp.model.load_model``
    (None: the ``model`` setting). ``annotations_dirs``: where the labels are (default: the
    checkout's ``annotations/``). ``per_report``: at most this many from one report."""
    from nlp.claims import claim_records
    from nlp.config import PATHS
    from nlp.model import load_model
    from nlp.model.dataset import read_report, report_paths
    from nlp.schema import stable_id

    clf = load_model(model)
    version = str(getattr(clf, "version_", None) or type(clf).__name__)
    labelled = _labelled(annotations_dirs if annotations_dirs is not None else [PATHS.annotations])
    scored: list[tuple[float, int, QueueItem]] = []
    order = 0
    for path in report_paths(folder):
        rep = read_report(path)
        sha = rep.doc.sha256
        spans = labelled.get(sha, [])
        records = [r for r in claim_records(rep.doc, rep.sections, rep.tables) if r["kind"] == "quantity"
                   and not any(a < r["num_end"] and r["num_start"] < b for a, b in spans)]
        if not records:
            continue
        proba = clf.predict_proba(records)
        classes = [str(c) for c in clf.classes_]
        seen: dict[str, int] = {}
        mine: list[tuple[float, int, QueueItem]] = []
        for r, row in zip(records, proba):
            j = int(row.argmax())
            metric, conf = classes[j], float(row[j])
            clause = r["clause"].strip()
            k = seen.get(clause, 0)
            seen[clause] = k + 1
            claim_id = stable_id(sha, clause, k, prefix="C-")
            lead = len(r["clause"]) - len(r["clause"].lstrip())
            item = QueueItem(
                item_id=stable_id(sha, claim_id, prefix="Q-"), report_sha256=sha, source=str(path),
                report_title=rep.sections.meta.title or path.name, section=r.get("section"), claim_id=claim_id,
                text=clause, sentence=r["sentence"].strip(), number_text=r["number_text"],
                start=r["clause_start"] + lead, end=r["clause_start"] + lead + len(clause),
                num_start=r["num_start"], num_end=r["num_end"], value=r["value"], metric=metric,
                confidence=round(conf, 4), review_score=round(conf, 4), status="unchecked",
                needs_review=True, model_version=version,
            )
            mine.append((priority(conf, metric), order, item))
            order += 1
        mine.sort(key=lambda t: (-t[0], t[1]))
        scored += mine[:per_report] if per_report else mine
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [item for _, _, item in scored[:max(0, n)]]
