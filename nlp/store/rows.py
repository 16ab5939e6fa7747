"""What the store writes and reads back, outside SQL: a checked result as the rows of its
report (``rows_of``, made by a batch's workers), the stored document, the targets of
corrections, and reader versions made sortable.
"""

from __future__ import annotations

import json
import re
from array import array
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Optional

from nlp.store._schema import REVIEW_SEVERITIES, REVIEW_STATUSES
from nlp.schema import Document, ReportResult, SourceTable, json_text


@dataclass(frozen=True)


class DocumentText:
    """A stored report's texts: ``offsets[i]`` is the index in ``display_text`` of ``text[i]``."""

    display_text: str
    text: str
    offsets: tuple[int, ...]


def version_key(version: str) -> str:
    """A reader version as text that sorts right: ``0.10.0`` after ``0.9.1``."""
    parts = re.split(r"[.\-+]", version or "")
    return ".".join(p.zfill(8) if p.isdigit() else p for p in parts)


def _document_extras(doc: Document) -> dict[str, Any]:
    """The fields of a Document the ``reports`` row keeps beside its texts, as JSON."""
    return {
        "script": doc.script,
        "encoding": doc.encoding,
        "warnings": list(doc.warnings),
        "source_tables": [
            {"rows": [list(r) for r in t.rows], "start": t.start, "end": t.end,
             "cell_spans": [[list(sp) if sp else None for sp in r] for r in t.cell_spans]}
            for t in doc.source_tables
        ],
    }


def _document(row: dict[str, Any]) -> Document:
    extras = json.loads(row["document_json"])
    offsets = array("I")
    offsets.frombytes(row["offsets"])
    tables = tuple(
        SourceTable(
            rows=tuple(tuple(r) for r in t["rows"]), start=t["start"], end=t["end"],
            cell_spans=tuple(tuple(tuple(sp) if sp else None for sp in r) for r in t["cell_spans"]),
        )
        for t in extras["source_tables"]
    )
    return Document(
        source=row["source"], sha256=row["sha256"], format=row["format"],
        display_text=row["display_text"], text=row["text"], offsets=tuple(offsets),
        script=extras["script"], encoding=extras["encoding"], source_tables=tables,
        warnings=tuple(extras["warnings"]),
    )


CORRECTION_KINDS = ("cell", "claim")


def cell_target(table: str, row: str, col: str) -> str:
    """The target key of a correction of a table cell: ``cell:requests/new/total``."""
    return f"cell:{table}/{row}/{col}"


def claim_target(claim_id: str) -> str:
    """The target key of a correction of a claim: ``claim:C-…``."""
    return f"claim:{claim_id}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _as_list(value: Any) -> Optional[list]:
    """A filter value as a list (``None`` or empty = no filter)."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value) or None
    return [value]


def _cell_refs(evidence: Any) -> set[tuple[str, str, str]]:
    """Every ``(table, row, col)`` an evidence structure names, wherever it is nested:
    dicts with ``table``/``row``/``col`` keys and 3-item lists starting with a table name."""
    out: set[tuple[str, str, str]] = set()
    tables = {"active", "requests", "review"}
    if isinstance(evidence, dict):
        if {"table", "row", "col"} <= evidence.keys() and evidence["table"] in tables:
            out.add((str(evidence["table"]), str(evidence["row"]), str(evidence["col"])))
        for v in evidence.values():
            out |= _cell_refs(v)
    elif isinstance(evidence, (list, tuple)):
        if len(evidence) == 3 and all(isinstance(x, str) for x in evidence) and evidence[0] in tables:
            out.add((evidence[0], evidence[1], evidence[2]))
        else:
            for v in evidence:
                out |= _cell_refs(v)
    return out


@dataclass(frozen=True)


class ReportRows:
    """One report's computed rows, ready to insert (:func:`rows_of`); ``result_json`` is the
    JSON result as stored, whose fields from ``findings`` on (what the checks across reports
    may change, :data:`ASSESSED`) start at ``assessed_at``, its findings' list ending at
    ``findings_end``."""

    sha256: str
    reader_version: str
    report: tuple
    claims: list
    findings: list
    cells: list
    assessed_at: int = 0
    findings_end: int = 0

    @property
    def result_json(self) -> str:
        return self.report[12]

    def reassessed(self, result: ReportResult, before: Optional[ReportResult] = None) -> "ReportRows":
        """These rows for ``result``, the same report assessed again (its findings, checklist
        and unit may differ; nothing else): what a batch's parent makes of a worker's rows
        after running the checks across reports again (``nlp.batch.settle``), without
        encoding the rest of the result again. ``before``: the result these rows were made
        of; its findings' rows (and the cells naming them) are kept when ``result``'s
        findings encode the same (the common case: a check across reports finds nothing
        more, only its checklist line changes), and the rows themselves when nothing else
        changed either."""
        head = self.result_json[:self.assessed_at]
        if before is None or not _same_items(before.findings, result.findings):
            return _with_assessment(self, result, head, result.assessed_json())
        if (_same_items(before.corrections, result.corrections) and _same_items(before.checklist, result.checklist, dict)
                and _same_json(before.unit, result.unit)):
            return self
        at = self.result_json.index("[", self.assessed_at)  # after '"findings":' (': ' in rows made before)
        return _with_assessment(self, result, head, result.assessed_json(findings=False),
                                findings_json=self.result_json[at:self.findings_end])


def _same_json(a: Any, b: Any) -> bool:
    return a is b or _encode(a) == _encode(b)


def _same_items(a: Any, b: Any, as_json: Any = None) -> bool:
    """Whether two lists of findings (corrections; ``as_json``: how else to make an item
    JSON) encode the same; items that are the same object are not encoded."""
    as_json = as_json or _to_json
    return len(a) == len(b) and all(x is y or _encode(as_json(x)) == _encode(as_json(y)) for x, y in zip(a, b))


def _to_json(item: Any) -> Any:
    return item.to_json()


ASSESSED = ("findings", "corrections", "checklist", "unit")
"""The last fields of the JSON result (``ReportResult.assessed_json``): those the checks
across reports may change, with what lies between them."""


_encode = json_text
"""The result JSON's encoder (compact: ``{"a":1}``); the store's results written before it
have ``", "`` and ``": "`` between their items, and read the same."""


def evidence_json(evidence: Any) -> str:
    """A finding's evidence as its ``findings.evidence`` column holds it (exports give this
    text as it is: kept as it was, ``json.dumps``; a few hundred bytes a finding)."""
    return json.dumps(evidence, ensure_ascii=False, default=str)


def rows_of(result: ReportResult, checked_at: Optional[str] = None) -> ReportRows:
    """The rows :meth:`Store.save` writes for ``result`` (no database needed)."""
    doc, meta, data = result.document, result.sections.meta, result.to_json()
    sha, rv = doc.sha256, result.reader_version
    disp = _display(doc.offsets)
    claim_rows = [
        (
            sha, rv, seq, c.id, c.status, c.metric, c.value, c.table_value, c.number_text,
            c.unit, int(bool(c.approx)), c.qualifier, c.confidence, c.review_score,
            int(bool(c.needs_review)), int(c.status in REVIEW_STATUSES or bool(c.needs_review)),
            c.text, c.sentence, c.section, c.start, c.end, disp(c.start), disp(c.end),
            c.evidence, c.reading, c.source,
        )
        for seq, c in enumerate(result.claims)
    ]
    cell_rows = [
        (
            sha, rv, seq, c["table"], c["row"], c["col"], c["value"], c["raw"],
            c.get("start"), c.get("end"), int(bool(c.get("uncertain"))), c.get("note"), "[]",
        )
        for seq, c in enumerate(data["cells"])
    ]
    keys = list(data)
    assert keys[len(keys) - len(ASSESSED):] == list(ASSESSED), keys
    head = _encode({k: data[k] for k in keys[:len(keys) - len(ASSESSED)]})[:-1] + ","  # '{"source":…,'
    report = (
        sha, rv, version_key(rv), doc.source, meta.title, meta.agency, meta.year,
        result.tables.template, meta.script, doc.format, result.model_version,
        checked_at or _now(), head,
        doc.display_text, doc.text, array("I", doc.offsets).tobytes(),
        result.pipeline_version, _encode(_document_extras(doc)),
    )
    assessed = {k: data[k] for k in ASSESSED}
    return _with_assessment(ReportRows(sha, rv, report, claim_rows, [], cell_rows), result, head, assessed)


def _display(offsets: Any) -> Any:
    """Where in the display text a position of the cleaned text is (None for None)."""

    def disp(i: Optional[int]) -> Optional[int]:
        if i is None or not offsets:
            return None
        return offsets[max(0, min(int(i), len(offsets) - 1))]

    return disp


_FINDINGS = '"findings":'


def _with_assessment(rows: ReportRows, result: ReportResult, head: str, assessed: dict[str, Any],
                     findings_json: Optional[str] = None) -> ReportRows:
    """``rows`` with what the assessment of ``result`` gives: its findings' rows, the findings
    naming each cell, and the JSON result (``head``: its encoded fields before ``findings``;
    ``assessed``: the rest, ``result.assessed_json()``). ``findings_json``: the findings are
    those of ``rows``, which are kept, and this their encoded list (``assessed`` without them)."""
    sha, rv = rows.sha256, rows.reader_version
    if findings_json is None:
        finding_rows, cell_rows = _finding_rows(rows, result)
        findings_json = _encode(assessed.pop("findings"))
    else:
        finding_rows, cell_rows = rows.findings, rows.cells
    # '"findings":[…],"corrections":…}': each field encoded as the encoder encodes it in the dict
    tail = _FINDINGS + findings_json + "".join(f',"{k}":{_encode(v)}' for k, v in assessed.items()) + "}"
    report = rows.report[:12] + (head + tail,) + rows.report[13:]
    return ReportRows(sha, rv, report, rows.claims, finding_rows, cell_rows, len(head),
                      len(head) + len(_FINDINGS) + len(findings_json))


def _finding_rows(rows: ReportRows, result: ReportResult) -> tuple[list, list]:
    """The rows of ``result``'s findings, and ``rows``' cells naming them (the findings' display
    spans from ``rows``' offsets: ``result`` may come without them, ``nlp.batch.engines.Shipped``)."""
    sha, rv, disp = rows.sha256, rows.reader_version, _display(array("I", rows.report[15]))
    findings = list(result.findings)
    finding_rows = [
        (
            sha, rv, seq, f.id, f.check, f.kind, f.severity, f.message,
            evidence_json(f.evidence), int(f.severity in REVIEW_SEVERITIES),
            f.span[0] if f.span else None, f.span[1] if f.span else None,
            disp(f.span[0]) if f.span else None, disp(f.span[1]) if f.span else None,
            f.evidence.get("claim_id") if isinstance(f.evidence, dict) else None,
        )
        for seq, f in enumerate(findings)
    ]
    refs = [(f.id, rs) for f in findings for rs in (_cell_refs(f.evidence),) if rs]
    by_col: dict[tuple[str, str], list[tuple[str, int]]] = {}  # (table, col) -> (ref's row, index in refs)
    for k, (_, rs) in enumerate(refs):
        for r in rs:
            by_col.setdefault((r[0], r[2]), []).append((r[1], k))
    cell_rows = rows.cells
    if by_col or any(c[12] != "[]" for c in cell_rows):  # a cell no finding names, and none named before, kept
        cell_rows = [c if c[12] == "[]" and (c[3], c[5]) not in by_col else c[:12] + (_named(c[3], c[4], c[5], by_col, refs),)
                     for c in cell_rows]
    return finding_rows, cell_rows


def _named(table: str, row: str, col: str, by_col: dict, refs: list) -> str:
    """The findings naming a cell itself or a group of table B it is in (``denied``), in
    finding order, as JSON."""
    near = by_col.get((table, col))
    if not near:
        return "[]"
    hit = {k for ref_row, k in near if ref_row == row or row.startswith(ref_row + ".")}
    named = [refs[k][0] for k in sorted(hit)]
    return json.dumps(named) if named else "[]"


_CLAIM_COLS = ", ".join(
    f"c.{col}" for col in (
        "sha256", "reader_version", "seq", "id", "status", "metric", "value", "table_value",
        "number_text", "unit", "approx", "qualifier", "confidence", "review_score", "needs_review",
        "to_review", "text", "sentence", "section", "start", "stop", "display_start",
        "display_stop", "evidence", "reading",
    )
)
"""Every column of ``claims`` but ``source`` (the claim's finder), which would shadow the
report's file name in a join with ``reports``."""
