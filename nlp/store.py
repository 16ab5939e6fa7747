"""The SQLite store: checked reports for the app, and the reviewers' decisions on them.

The only module that writes SQL. ``Store(path)`` opens (or creates) a database file, or an
in-memory one with ``":memory:"``. Two kinds of tables live apart:

- **computed** tables, keyed by ``(sha256, reader_version)``: ``reports``, ``claims``,
  ``findings``, ``cells``. ``save(result)`` replaces the rows of one report and reader version
  in one transaction; a re-run never touches anything else.
- **human** tables: ``decisions`` and ``corrections``, append-only. The current decision on
  an item is its latest row. A decision whose item no longer appears in the latest results is
  *orphaned*: it is kept and listed (``orphaned_decisions``), never dropped. A correction
  (``record_correction``) is a reviewer's figure for a table cell or a claim the reader
  misread, with who, when and why; the original reading is kept in it, and its latest row
  per cell or claim is the one that applies (``corrections``). ``nlp.pipeline`` applies them
  whenever the report is reconciled again.

"Latest results" are, per report (sha256), the rows of its highest reader version (the most
recently checked one on a tie). Every number the app shows comes from a query here.

>>> store = Store(":memory:")
>>> store.save(result)                                  # doctest: +SKIP
>>> store.record_decision("F-1a2b", "finding", sha, "false_alarm", reviewer="王")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from array import array
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

from nlp.errors import Errors, XxgkError
from nlp.schema import CLAIM_STATUSES, SEVERITIES, Claim, Document, ReportResult, SourceTable

SCHEMA_VERSION = 1

ITEM_KINDS = ("claim", "finding")
DECISIONS = ("confirmed_defect", "false_alarm", "needs_follow_up")
REVIEW_STATUSES = ("mismatch", "ambiguous")
"""Claims in these statuses need a reviewer (as do claims the model marks ``needs_review``)."""
REVIEW_SEVERITIES = ("error", "warning")
"""Findings of these severities need a reviewer."""

_SCHEMA = f"""
CREATE TABLE schema_version (version INTEGER NOT NULL);

-- computed tables: replaced by save(), keyed by (sha256, reader_version)
CREATE TABLE reports (
    sha256 TEXT NOT NULL,
    reader_version TEXT NOT NULL,
    version_key TEXT NOT NULL,          -- reader_version made sortable as text
    source TEXT, title TEXT, agency TEXT, year INTEGER, template TEXT, script TEXT,
    format TEXT, model_version TEXT,
    checked_at TEXT NOT NULL,
    result_json TEXT NOT NULL,
    display_text TEXT NOT NULL,
    text TEXT NOT NULL,
    offsets BLOB NOT NULL,              -- uint32 array, offsets[i] = display index of text[i]
    PRIMARY KEY (sha256, reader_version)
);
CREATE TABLE claims (
    sha256 TEXT NOT NULL, reader_version TEXT NOT NULL, seq INTEGER NOT NULL,
    id TEXT NOT NULL, status TEXT NOT NULL, metric TEXT, value NUMERIC, table_value NUMERIC,
    number_text TEXT, unit TEXT, approx INTEGER, qualifier TEXT, confidence REAL,
    review_score REAL, needs_review INTEGER NOT NULL DEFAULT 0, to_review INTEGER NOT NULL,
    text TEXT, sentence TEXT, section TEXT, start INTEGER, stop INTEGER,
    display_start INTEGER, display_stop INTEGER, evidence TEXT, reading TEXT, source TEXT,
    PRIMARY KEY (sha256, reader_version, seq),
    FOREIGN KEY (sha256, reader_version) REFERENCES reports ON DELETE CASCADE
);
CREATE INDEX claims_id ON claims (id);
CREATE TABLE findings (
    sha256 TEXT NOT NULL, reader_version TEXT NOT NULL, seq INTEGER NOT NULL,
    id TEXT NOT NULL, check_name TEXT, kind TEXT, severity TEXT NOT NULL, message TEXT,
    evidence TEXT NOT NULL,             -- JSON
    to_review INTEGER NOT NULL,
    span_start INTEGER, span_stop INTEGER, display_start INTEGER, display_stop INTEGER,
    PRIMARY KEY (sha256, reader_version, seq),
    FOREIGN KEY (sha256, reader_version) REFERENCES reports ON DELETE CASCADE
);
CREATE INDEX findings_id ON findings (id);
CREATE TABLE cells (
    sha256 TEXT NOT NULL, reader_version TEXT NOT NULL, seq INTEGER NOT NULL,
    tbl TEXT NOT NULL, row_key TEXT NOT NULL, col_key TEXT NOT NULL,
    value NUMERIC, raw TEXT, start INTEGER, stop INTEGER, uncertain INTEGER, note TEXT,
    finding_ids TEXT NOT NULL,          -- JSON list of the findings whose evidence names it
    PRIMARY KEY (sha256, reader_version, seq),
    FOREIGN KEY (sha256, reader_version) REFERENCES reports ON DELETE CASCADE
);

-- human table: append-only, never touched by save()
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('claim', 'finding')),
    report_sha256 TEXT NOT NULL,
    decision TEXT NOT NULL
        CHECK (decision IN ('confirmed_defect', 'false_alarm', 'needs_follow_up')),
    comment TEXT NOT NULL DEFAULT '',
    reviewer TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX decisions_item ON decisions (report_sha256, item_kind, item_id);

-- views over the latest reader version of each report
CREATE VIEW latest AS
SELECT sha256, reader_version FROM (
    SELECT sha256, reader_version, ROW_NUMBER() OVER (
        PARTITION BY sha256 ORDER BY version_key DESC, checked_at DESC) AS rn
    FROM reports)
WHERE rn = 1;
CREATE VIEW latest_reports AS
SELECT r.* FROM reports r JOIN latest USING (sha256, reader_version);
CREATE VIEW latest_claims AS
SELECT c.* FROM claims c JOIN latest USING (sha256, reader_version);
CREATE VIEW latest_findings AS
SELECT f.* FROM findings f JOIN latest USING (sha256, reader_version);
CREATE VIEW current_decisions AS
SELECT id, item_id, item_kind, report_sha256, decision, comment, reviewer, created_at FROM (
    SELECT d.*, ROW_NUMBER() OVER (
        PARTITION BY report_sha256, item_kind, item_id ORDER BY id DESC) AS rn
    FROM decisions d)
WHERE rn = 1;
CREATE VIEW items AS
SELECT sha256, 'claim' AS item_kind, id AS item_id, to_review FROM latest_claims
UNION ALL
SELECT sha256, 'finding' AS item_kind, id AS item_id, to_review FROM latest_findings;

INSERT INTO schema_version (version) VALUES ({SCHEMA_VERSION});
"""


_ADDITIONS = """
-- human table: append-only, never touched by save(); the latest row per (report, target) applies
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report_sha256 TEXT NOT NULL,
    target TEXT NOT NULL,               -- 'cell:<table>/<row>/<col>' or 'claim:<claim id>'
    kind TEXT NOT NULL CHECK (kind IN ('cell', 'claim')),
    tbl TEXT, row_key TEXT, col_key TEXT, claim_id TEXT,
    original_value NUMERIC,             -- what the reader read (a cell's value, a claim's value)
    original_raw TEXT,                  -- the cell or number as written in the report
    original_metric TEXT,               -- a claim's metric as the model gave it
    value NUMERIC,                      -- the reviewer's figure (NULL: a blank cell)
    metric TEXT,                        -- a claim's metric as the reviewer gives it
    withdrawn INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS corrections_target ON corrections (report_sha256, target);
CREATE VIEW IF NOT EXISTS current_corrections AS
SELECT id, report_sha256, target, kind, tbl, row_key, col_key, claim_id, original_value,
       original_raw, original_metric, value, metric, withdrawn, reason, reviewer, created_at
FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY report_sha256, target ORDER BY id DESC) AS rn
    FROM corrections c)
WHERE rn = 1 AND NOT withdrawn;
"""
"""Tables added after schema version 1, created where missing on every open (additive, so
stores written before them open unchanged)."""

_ADDED_COLUMNS = (
    ("reports", "document_json", "TEXT"),  # Document fields beyond the texts (source tables …)
    ("findings", "claim_id", "TEXT"),      # the claim a claim_mismatch/claim_ambiguous finding reports
)

_ADDITIVE_SCHEMA = (
    # human table: aliases of unit names, append-only; the latest row per alias is current,
    # an empty target removes the alias (nlp.units.identify reads them through aliases())
    """CREATE TABLE IF NOT EXISTS unit_aliases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alias TEXT NOT NULL,
        target TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS unit_aliases_alias ON unit_aliases (alias)",
)
"""Tables added after schema version 1, created when missing (older stores gain them on open)."""


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


def _cell_matches(ref: tuple[str, str, str], tbl: str, row: str, col: str) -> bool:
    """A reference names a cell itself, or a group of table B it belongs to (``denied``)."""
    return ref[0] == tbl and ref[2] == col and (ref[1] == row or row.startswith(ref[1] + "."))


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


class Store:
    """A SQLite database of checked reports and review decisions.

    Parameters
    ----------
    path:
        A file path (created if missing, WAL mode) or ``":memory:"``.
    timeout:
        Seconds a write waits for another connection's lock (``busy_timeout``).

    One ``Store`` may be shared by threads (its connection is guarded by a lock); separate
    processes or reviewers each open their own ``Store`` on the same file.
    """

    def __init__(self, path: Union[str, Path] = ":memory:", timeout: float = 30.0, *,
                 create: bool = True, readonly: bool = False) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        self.readonly = readonly
        if self.path != ":memory:":
            folder = Path(self.path).resolve().parent
            if not folder.is_dir():
                raise XxgkError(Errors.E032, path=self.path, folder=folder)
            if not Path(self.path).exists() and (not create or readonly):
                raise XxgkError(Errors.E031, path=self.path)
            if Path(self.path).exists() and not os.access(self.path, os.W_OK):
                self.readonly = True  # a file we may read but not write: open it to read
        try:
            self._connect(timeout)
        except sqlite3.OperationalError as err:
            if readonly or "readonly" not in str(err).replace("-", ""):
                raise XxgkError(Errors.E030, path=self.path, detail=str(err)) from err
            self.readonly = True  # a file we may read but not write: open it to read
            self._conn.close()
            try:
                self._connect(timeout)
            except sqlite3.DatabaseError as err2:
                raise XxgkError(Errors.E030, path=self.path, detail=str(err2)) from err2
        except sqlite3.DatabaseError as err:
            raise XxgkError(Errors.E030, path=self.path, detail=str(err)) from err

    def _connect(self, timeout: float) -> None:
        if self.readonly:
            uri = f"{Path(self.path).resolve().as_uri()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None,
                                         check_same_thread=False)
        else:
            self._conn = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        self._conn.execute("PRAGMA foreign_keys = ON")
        if self.readonly:
            self._check_version(self._conn)
            return
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    # -- plumbing ---------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (``BEGIN IMMEDIATE``: takes the write lock at once,
        so two writers queue on ``busy_timeout`` instead of failing mid-way). A store opened
        read-only raises E033."""
        if self.readonly:
            raise XxgkError(Errors.E033, path=self.path)
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            except sqlite3.OperationalError as err:
                if "readonly" in str(err).replace("-", "").replace(" ", ""):
                    raise XxgkError(Errors.E033, path=self.path) from err
                raise

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._conn.execute(sql, params).fetchall()]

    def _migrate(self) -> None:
        with self._write() as db:
            exists = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
            if not exists:
                for stmt in _SCHEMA.split(";\n"):
                    if stmt.strip():
                        db.execute(stmt)
            else:
                self._check_version(db)
            for stmt in _ADDITIVE_SCHEMA:
                db.execute(stmt)
            for stmt in _ADDITIONS.split(";\n"):
                if stmt.strip():
                    db.execute(stmt)
            for table, column, decl in _ADDED_COLUMNS:
                have = {r["name"] for r in db.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    def _check_version(self, db: sqlite3.Connection) -> None:
        try:
            (version,) = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        except sqlite3.OperationalError as err:  # not a store of ours (or an empty file)
            raise XxgkError(Errors.E030, path=self.path, detail=f"not an xxgk store ({err})") from err
        if version is None or version > SCHEMA_VERSION:
            raise XxgkError(
                Errors.E030,
                path=self.path,
                detail=f"schema version {version} is newer than this reader's {SCHEMA_VERSION}",
            )

    @property
    def schema_version(self) -> int:
        return self._rows("SELECT MAX(version) AS v FROM schema_version")[0]["v"]

    # -- computed tables --------------------------------------------------------------

    def save(self, result: ReportResult, checked_at: Optional[str] = None) -> str:
        """Store one checked report, replacing the computed rows of its
        ``(sha256, reader_version)`` in one transaction. Decisions are never touched.

        Returns the report's sha256.
        """
        doc, meta, data = result.document, result.sections.meta, result.to_json()
        sha, rv = doc.sha256, result.reader_version
        offsets = doc.offsets

        def disp(i: Optional[int]) -> Optional[int]:
            if i is None or not offsets:
                return None
            return offsets[max(0, min(int(i), len(offsets) - 1))]

        findings = list(result.findings)
        refs = [(f.id, _cell_refs(f.evidence)) for f in findings]
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
        finding_rows = [
            (
                sha, rv, seq, f.id, f.check, f.kind, f.severity, f.message,
                json.dumps(f.evidence, ensure_ascii=False, default=str),
                int(f.severity in REVIEW_SEVERITIES),
                f.span[0] if f.span else None, f.span[1] if f.span else None,
                disp(f.span[0]) if f.span else None, disp(f.span[1]) if f.span else None,
                f.evidence.get("claim_id") if isinstance(f.evidence, dict) else None,
            )
            for seq, f in enumerate(findings)
        ]
        cell_rows = []
        for seq, c in enumerate(data["cells"]):
            named = [fid for fid, rs in refs if any(_cell_matches(r, c["table"], c["row"], c["col"]) for r in rs)]
            cell_rows.append(
                (
                    sha, rv, seq, c["table"], c["row"], c["col"], c["value"], c["raw"],
                    c.get("start"), c.get("end"), int(bool(c.get("uncertain"))), c.get("note"),
                    json.dumps(named),
                )
            )
        with self._write() as db:
            db.execute("DELETE FROM reports WHERE sha256 = ? AND reader_version = ?", (sha, rv))
            db.execute(
                "INSERT INTO reports (sha256, reader_version, version_key, source, title, agency,"
                " year, template, script, format, model_version, checked_at, result_json,"
                " display_text, text, offsets, document_json)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sha, rv, version_key(rv), doc.source, meta.title, meta.agency, meta.year,
                    result.tables.template, meta.script, doc.format, result.model_version,
                    checked_at or _now(), json.dumps(data, ensure_ascii=False, default=str),
                    doc.display_text, doc.text, array("I", offsets).tobytes(),
                    json.dumps(_document_extras(doc), ensure_ascii=False),
                ),
            )
            db.executemany(f"INSERT INTO claims VALUES ({','.join('?' * 26)})", claim_rows)
            db.executemany(
                "INSERT INTO findings (sha256, reader_version, seq, id, check_name, kind, severity,"
                " message, evidence, to_review, span_start, span_stop, display_start, display_stop,"
                f" claim_id) VALUES ({','.join('?' * 15)})", finding_rows)
            db.executemany(f"INSERT INTO cells VALUES ({','.join('?' * 13)})", cell_rows)
        return sha

    def results(self) -> Iterator[dict[str, Any]]:
        """The JSON result (report-json.md) of every report, latest reader version each,
        in order of source."""
        for row in self._rows("SELECT result_json FROM latest_reports ORDER BY source, sha256"):
            yield json.loads(row["result_json"])

    def get_result(self, sha256: str, reader_version: Optional[str] = None) -> Optional[dict[str, Any]]:
        """One report's JSON result (the latest reader version unless one is given)."""
        if reader_version:
            rows = self._rows(
                "SELECT result_json FROM reports WHERE sha256 = ? AND reader_version = ?",
                (sha256, reader_version),
            )
        else:
            rows = self._rows("SELECT result_json FROM latest_reports WHERE sha256 = ?", (sha256,))
        return json.loads(rows[0]["result_json"]) if rows else None

    def get_document_text(self, sha256: str) -> Optional[DocumentText]:
        """The display text, the cleaned text and the offsets between them."""
        rows = self._rows(
            "SELECT display_text, text, offsets FROM latest_reports WHERE sha256 = ?", (sha256,)
        )
        if not rows:
            return None
        offsets = array("I")
        offsets.frombytes(rows[0]["offsets"])
        return DocumentText(rows[0]["display_text"], rows[0]["text"], tuple(offsets))

    def get_document(self, sha256: str) -> Optional[Document]:
        """The stored report's ``Document`` as ingest gave it (texts, offsets, source tables),
        so that later stages can run again without the file; None if the store lacks the
        report, or stored it before it kept source tables (re-check the file then)."""
        rows = self._rows(
            "SELECT sha256, source, format, display_text, text, offsets, document_json"
            " FROM latest_reports WHERE sha256 = ?", (sha256,)
        )
        if not rows or not rows[0]["document_json"]:
            return None
        return _document(rows[0])

    def get_claims(self, sha256: str) -> list[Claim]:
        """The stored report's claims (latest result) as ``Claim`` objects, in text order."""
        result = self.get_result(sha256)
        return [Claim(**{k: v for k, v in c.items() if k in Claim.__dataclass_fields__})
                for c in (result or {}).get("claims", [])]

    def resolve_sha(self, prefix: str) -> Optional[str]:
        """The full sha256 of the one stored report whose sha256 starts with ``prefix``."""
        prefix = (prefix or "").strip().lower()
        if not re.fullmatch(r"[0-9a-f]{4,64}", prefix):
            return None
        rows = self._rows(
            "SELECT DISTINCT sha256 FROM reports WHERE sha256 LIKE ? LIMIT 2", (prefix + "%",)
        )
        return rows[0]["sha256"] if len(rows) == 1 else None

    # -- human tables -----------------------------------------------------------------

    def record_decision(
        self,
        item_id: str,
        item_kind: str,
        report_sha256: str,
        decision: str,
        comment: str = "",
        reviewer: str = "",
        created_at: Optional[str] = None,
    ) -> int:
        """Append a reviewer's decision on a claim or finding; the latest one per item is its
        current decision. Returns the decision's row id.

        ``decision`` is one of ``confirmed_defect``, ``false_alarm``, ``needs_follow_up``.
        """
        [row_id] = self.record_decisions([(item_id, item_kind)], report_sha256, decision, comment,
                                         reviewer, created_at)
        return row_id

    def record_decisions(
        self,
        items: Sequence[tuple[str, str]],
        report_sha256: str,
        decision: str,
        comment: str = "",
        reviewer: str = "",
        created_at: Optional[str] = None,
    ) -> list[int]:
        """One decision on several items of one report at once (a claim and the finding that
        reports it), in one transaction: ``items`` are ``(item_id, item_kind)`` pairs.
        Returns the rows' ids."""
        for _, kind in items:
            if kind not in ITEM_KINDS:
                raise ValueError(f"item_kind must be one of {ITEM_KINDS}, not {kind!r}")
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
        when = created_at or _now()
        with self._write() as db:
            return [
                int(db.execute(
                    "INSERT INTO decisions (item_id, item_kind, report_sha256, decision, comment,"
                    " reviewer, created_at) VALUES (?,?,?,?,?,?,?)",
                    (item_id, kind, report_sha256, decision, comment or "", reviewer or "", when),
                ).lastrowid)
                for item_id, kind in items
            ]

    def record_correction(
        self,
        report_sha256: str,
        *,
        cell: Optional[tuple[str, str, str]] = None,
        claim_id: Optional[str] = None,
        value: Any = None,
        metric: Optional[str] = None,
        reason: str,
        reviewer: str,
        withdraw: bool = False,
        created_at: Optional[str] = None,
    ) -> int:
        """Record a reviewer's correction of a misread figure; returns its row id.

        Exactly one target: ``cell=(table, row, col)`` (``value`` is the figure the table
        really shows, None for a blank cell) or ``claim_id`` (``value`` the number the
        sentence really states; ``metric`` optionally what it counts). ``reason`` (why) and
        ``reviewer`` (who) are required; the time is now. The original reading — the value,
        raw text and metric the reader gave, before any correction — is kept in the row.
        ``withdraw=True`` takes the current correction of the target back.

        Only stored: ``nlp.pipeline.rereconcile(store, sha256)`` applies the corrections
        (``nlp.pipeline.correct`` does both). Raises E034 for a target the report does not
        have, or a missing reason or reviewer.
        """
        if (cell is None) == (claim_id is None):
            raise XxgkError(Errors.E034, sha=report_sha256[:12], detail="give a cell or a claim_id, not both")
        if not (reason or "").strip() and not withdraw:
            raise XxgkError(Errors.E034, sha=report_sha256[:12], detail="say why (reason)")
        if not (reviewer or "").strip():
            raise XxgkError(Errors.E034, sha=report_sha256[:12], detail="say who (reviewer)")
        if value is not None and not isinstance(value, (int, float)):
            raise XxgkError(Errors.E034, sha=report_sha256[:12], detail=f"value {value!r} is not a number")
        target = cell_target(*cell) if cell else claim_target(str(claim_id))
        first = self._rows(
            "SELECT original_value, original_raw, original_metric FROM corrections"
            " WHERE report_sha256 = ? AND target = ? ORDER BY id LIMIT 1", (report_sha256, target)
        )
        if cell:
            found = self._rows(
                "SELECT c.value, c.raw FROM cells c JOIN latest USING (sha256, reader_version)"
                " WHERE c.sha256 = ? AND c.tbl = ? AND c.row_key = ? AND c.col_key = ?",
                (report_sha256, *cell),
            )
            if not found:
                raise XxgkError(Errors.E034, sha=report_sha256[:12],
                                detail=f"the report has no cell {'/'.join(cell)}")
            original = first[0] if first else {
                "original_value": found[0]["value"], "original_raw": found[0]["raw"], "original_metric": None}
            metric = None
        else:
            found = self._rows(
                "SELECT value, number_text, metric FROM latest_claims WHERE sha256 = ? AND id = ?",
                (report_sha256, claim_id),
            )
            if not found:
                raise XxgkError(Errors.E034, sha=report_sha256[:12], detail=f"the report has no claim {claim_id}")
            original = first[0] if first else {
                "original_value": found[0]["value"], "original_raw": found[0]["number_text"],
                "original_metric": found[0]["metric"]}
            if value is None and not withdraw:
                value = original["original_value"]
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO corrections (report_sha256, target, kind, tbl, row_key, col_key,"
                " claim_id, original_value, original_raw, original_metric, value, metric,"
                " withdrawn, reason, reviewer, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    report_sha256, target, "cell" if cell else "claim",
                    *(cell or (None, None, None)), claim_id, original["original_value"],
                    original["original_raw"], original["original_metric"], value, metric,
                    int(withdraw), (reason or "").strip(), reviewer.strip(), created_at or _now(),
                ),
            )
            return int(cur.lastrowid)

    def corrections(self, sha256: Optional[str] = None, history: bool = False) -> list[dict[str, Any]]:
        """The corrections that apply (the latest per cell or claim, not withdrawn), of one
        report if given, oldest first, each with the report's source and title; with
        ``history=True`` every row ever recorded, withdrawals included."""
        view = "corrections" if history else "current_corrections"
        cond, params = ("WHERE k.report_sha256 = ?", [sha256]) if sha256 else ("", [])
        return self._rows(
            f"SELECT k.*, r.source, r.title, r.agency, r.year FROM {view} k"
            f" LEFT JOIN latest_reports r ON r.sha256 = k.report_sha256 {cond} ORDER BY k.id",
            params,
        )

    def decisions(self, item_id: Optional[str] = None) -> list[dict[str, Any]]:
        """Every decision ever recorded (of one item if given), oldest first."""
        if item_id:
            return self._rows("SELECT * FROM decisions WHERE item_id = ? ORDER BY id", (item_id,))
        return self._rows("SELECT * FROM decisions ORDER BY id")

    def current_decisions(self) -> list[dict[str, Any]]:
        """The current (latest) decision of every decided item."""
        return self._rows("SELECT * FROM current_decisions ORDER BY id")

    def orphaned_decisions(self) -> list[dict[str, Any]]:
        """Current decisions whose item no longer appears in the latest results (its claim
        or finding is gone after a re-run), with the report's source and title if known."""
        return self._rows(
            "SELECT d.*, r.source, r.title FROM current_decisions d"
            " LEFT JOIN latest_reports r ON r.sha256 = d.report_sha256"
            " WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.sha256 = d.report_sha256"
            "   AND i.item_kind = d.item_kind AND i.item_id = d.item_id)"
            " ORDER BY d.id"
        )

    # -- queries for the app ------------------------------------------------------------

    @staticmethod
    def _filter_sql(
        year: Any = None,
        agency: Any = None,
        status: Any = None,
        severity: Any = None,
        reviewed: Optional[bool] = None,
        sha256: Any = None,
        alias: str = "r",
    ) -> tuple[str, list[Any]]:
        """A WHERE clause over ``latest_reports {alias}`` for the overview's filters:
        years, agencies, claim statuses (a report with such a claim), finding severities,
        reviewed (no item left to review) or not, and reports by sha256."""
        where, params = ["1 = 1"], []
        for col, values in (("year", _as_list(year)), ("agency", _as_list(agency)),
                            ("sha256", _as_list(sha256))):
            if values:
                where.append(f"{alias}.{col} IN ({','.join('?' * len(values))})")
                params += values
        statuses = _as_list(status)
        if statuses:
            where.append(
                f"EXISTS (SELECT 1 FROM latest_claims c WHERE c.sha256 = {alias}.sha256"
                f" AND c.status IN ({','.join('?' * len(statuses))}))"
            )
            params += statuses
        severities = _as_list(severity)
        if severities:
            where.append(
                f"EXISTS (SELECT 1 FROM latest_findings f WHERE f.sha256 = {alias}.sha256"
                f" AND f.severity IN ({','.join('?' * len(severities))}))"
            )
            params += severities
        if reviewed is not None:
            open_items = (
                f"EXISTS (SELECT 1 FROM items i WHERE i.sha256 = {alias}.sha256 AND i.to_review"
                " AND NOT EXISTS (SELECT 1 FROM current_decisions d WHERE d.report_sha256 = i.sha256"
                " AND d.item_kind = i.item_kind AND d.item_id = i.item_id))"
            )
            where.append(f"NOT {open_items}" if reviewed else open_items)
        return " AND ".join(where), params

    def filter_options(self) -> dict[str, list[Any]]:
        """The values the overview's filters can take: years and agencies present."""
        years = self._rows("SELECT DISTINCT year FROM latest_reports WHERE year IS NOT NULL ORDER BY year")
        agencies = self._rows(
            "SELECT DISTINCT agency FROM latest_reports WHERE agency IS NOT NULL ORDER BY agency"
        )
        return {
            "year": [r["year"] for r in years],
            "agency": [r["agency"] for r in agencies],
            "status": list(CLAIM_STATUSES),
            "severity": list(SEVERITIES),
        }

    def overview(self, **filters: Any) -> list[dict[str, Any]]:
        """One row a report: source, title, agency, year, template, claim counts by status,
        finding counts by severity, items to review, decided, open, and ``reviewed``
        (nothing left open). Filters: see ``_filter_sql``."""
        where, params = self._filter_sql(**filters)
        status_cols = ", ".join(f"SUM(status = '{s}') AS \"{s}\"" for s in CLAIM_STATUSES)
        sev_cols = ", ".join(f"SUM(severity = '{s}') AS \"{s}\"" for s in SEVERITIES)
        sql = f"""
        WITH c AS (SELECT sha256, COUNT(*) AS claims, {status_cols}
                   FROM latest_claims GROUP BY sha256),
             f AS (SELECT sha256, COUNT(*) AS findings, {sev_cols}
                   FROM latest_findings GROUP BY sha256),
             rv AS (SELECT i.sha256, SUM(i.to_review) AS to_review,
                           SUM(i.to_review AND d.id IS NOT NULL) AS decided,
                           SUM(d.id IS NOT NULL) AS decisions
                    FROM items i LEFT JOIN current_decisions d
                      ON d.report_sha256 = i.sha256 AND d.item_kind = i.item_kind
                     AND d.item_id = i.item_id
                    GROUP BY i.sha256)
        SELECT r.sha256, r.source, r.title, r.agency, r.year, r.template, r.format,
               r.reader_version, r.checked_at,
               COALESCE(c.claims, 0) AS claims,
               {", ".join(f'COALESCE(c."{s}", 0) AS "{s}"' for s in CLAIM_STATUSES)},
               COALESCE(f.findings, 0) AS findings,
               {", ".join(f'COALESCE(f."{s}", 0) AS "{s}"' for s in SEVERITIES)},
               COALESCE(rv.to_review, 0) AS to_review,
               COALESCE(rv.decided, 0) AS decided,
               COALESCE(rv.to_review, 0) - COALESCE(rv.decided, 0) AS open,
               COALESCE(rv.decisions, 0) AS decisions,
               (COALESCE(rv.to_review, 0) - COALESCE(rv.decided, 0)) = 0 AS reviewed
        FROM latest_reports r
        LEFT JOIN c ON c.sha256 = r.sha256
        LEFT JOIN f ON f.sha256 = r.sha256
        LEFT JOIN rv ON rv.sha256 = r.sha256
        WHERE {where}
        ORDER BY r.source, r.sha256"""
        rows = self._rows(sql, params)
        for r in rows:
            r["reviewed"] = bool(r["reviewed"])
        return rows

    def mismatches_by_year(self, **filters: Any) -> list[dict[str, Any]]:
        """Claims that disagree with their tables, by report year and status
        (``mismatch``, ``ambiguous``): rows of year, status, n (year None if unknown)."""
        where, params = self._filter_sql(**filters)
        return self._rows(
            f"SELECT r.year, c.status, COUNT(*) AS n FROM latest_claims c"
            f" JOIN latest_reports r ON r.sha256 = c.sha256"
            f" WHERE c.status IN ('mismatch', 'ambiguous') AND {where}"
            f" GROUP BY r.year, c.status ORDER BY r.year, c.status",
            params,
        )

    def findings_by_kind(self, **filters: Any) -> list[dict[str, Any]]:
        """Findings by kind and severity: rows of kind, severity, n."""
        where, params = self._filter_sql(**filters)
        return self._rows(
            f"SELECT f.kind, f.severity, COUNT(*) AS n FROM latest_findings f"
            f" JOIN latest_reports r ON r.sha256 = f.sha256 WHERE {where}"
            f" GROUP BY f.kind, f.severity ORDER BY n DESC, f.kind",
            params,
        )

    def confidence_histogram(self, bins: int = 10, **filters: Any) -> list[dict[str, Any]]:
        """The claims' model confidence in ``bins`` equal bins over [0, 1]: rows of bin,
        lo, hi, label ("0.9–1.0"), n — every bin, empty ones with n = 0."""
        where, params = self._filter_sql(**filters)
        return self._rows(
            f"""WITH RECURSIVE b(bin) AS (SELECT 0 UNION ALL SELECT bin + 1 FROM b WHERE bin + 1 < ?),
            h AS (SELECT MIN(MAX(CAST(c.confidence * ? AS INTEGER), 0), ? - 1) AS bin, COUNT(*) AS n
                  FROM latest_claims c JOIN latest_reports r ON r.sha256 = c.sha256
                  WHERE c.confidence IS NOT NULL AND {where} GROUP BY 1)
            SELECT b.bin, ROUND(b.bin * 1.0 / ?, 3) AS lo, ROUND((b.bin + 1) * 1.0 / ?, 3) AS hi,
                   printf('%.1f–%.1f', b.bin * 1.0 / ?, (b.bin + 1) * 1.0 / ?) AS label,
                   COALESCE(h.n, 0) AS n
            FROM b LEFT JOIN h ON h.bin = b.bin ORDER BY b.bin""",
            [bins, bins, bins, *params, bins, bins, bins, bins],
        )

    def review_progress(self, **filters: Any) -> dict[str, int]:
        """Items needing review (mismatch/ambiguous/flagged claims, error/warning findings):
        ``to_review``, ``decided``, ``open``, and the decided ones by current decision."""
        where, params = self._filter_sql(**filters)
        dec_cols = ", ".join(
            f"COALESCE(SUM(i.to_review AND d.decision = '{d}'), 0) AS {d}" for d in DECISIONS
        )
        rows = self._rows(
            f"SELECT COALESCE(SUM(i.to_review), 0) AS to_review,"
            f" COALESCE(SUM(i.to_review AND d.id IS NOT NULL), 0) AS decided,"
            f" COALESCE(SUM(i.to_review AND d.id IS NULL), 0) AS open, {dec_cols}"
            f" FROM items i JOIN latest_reports r ON r.sha256 = i.sha256"
            f" LEFT JOIN current_decisions d ON d.report_sha256 = i.sha256"
            f"  AND d.item_kind = i.item_kind AND d.item_id = i.item_id WHERE {where}",
            params,
        )
        return {k: int(v) for k, v in rows[0].items()}

    def report(self, sha256: str) -> Optional[dict[str, Any]]:
        """One report's metadata and counts (an ``overview`` row), or None."""
        rows = self.overview(sha256=sha256)
        return rows[0] if rows else None

    _DECISION_COLS = (
        "d.id AS decision_id, d.decision, d.comment, d.reviewer, d.created_at AS decided_at"
    )
    _CORRECTION_COLS = (
        "k.id AS correction_id, k.original_value, k.original_metric, k.reason AS correction_reason,"
        " k.reviewer AS corrected_by, k.created_at AS corrected_at"
    )

    def claims(self, sha256: Optional[str] = None, only_to_review: bool = False) -> list[dict[str, Any]]:
        """Claims of the latest results (of one report if given) in text order, each with the
        report's ``source`` (its file) and title and its current decision (``decision`` None
        if none). The claim's own ``source`` (model, rules, zero_words) is ``found_by``;
        ``finding_id`` is the finding that reports the claim itself (claim_mismatch,
        claim_ambiguous), whose decision goes with the claim's; a corrected claim has its
        correction's ``correction_id``, ``original_value``, ``original_metric``,
        ``correction_reason``, ``corrected_by``, ``corrected_at`` (else None)."""
        cond = ["1 = 1"]
        params: list[Any] = []
        if sha256:
            cond.append("c.sha256 = ?")
            params.append(sha256)
        if only_to_review:
            cond.append("c.to_review")
        return self._rows(
            f"SELECT {_CLAIM_COLS}, c.source AS found_by, r.source, r.title, r.agency, r.year,"
            f" {self._DECISION_COLS}, {self._CORRECTION_COLS},"
            f" (SELECT f.id FROM latest_findings f WHERE f.sha256 = c.sha256 AND f.claim_id = c.id"
            f"  ORDER BY f.seq LIMIT 1) AS finding_id"
            f" FROM latest_claims c JOIN latest_reports r ON r.sha256 = c.sha256"
            f" LEFT JOIN current_corrections k ON k.report_sha256 = c.sha256 AND k.target = 'claim:' || c.id"
            f" LEFT JOIN current_decisions d ON d.report_sha256 = c.sha256"
            f"  AND d.item_kind = 'claim' AND d.item_id = c.id"
            f" WHERE {' AND '.join(cond)} ORDER BY r.source, c.sha256, c.seq",
            params,
        )

    def findings(self, sha256: Optional[str] = None, only_to_review: bool = False) -> list[dict[str, Any]]:
        """Findings of the latest results (of one report if given), most severe first, each
        with its evidence (parsed), the report's source and its current decision; ``claim_id``
        is the claim a claim_mismatch/claim_ambiguous finding reports (else None)."""
        cond = ["1 = 1"]
        params: list[Any] = []
        if sha256:
            cond.append("f.sha256 = ?")
            params.append(sha256)
        if only_to_review:
            cond.append("f.to_review")
        rows = self._rows(
            f"SELECT f.*, r.source, r.title, r.agency, r.year, {self._DECISION_COLS}"
            f" FROM latest_findings f JOIN latest_reports r ON r.sha256 = f.sha256"
            f" LEFT JOIN current_decisions d ON d.report_sha256 = f.sha256"
            f"  AND d.item_kind = 'finding' AND d.item_id = f.id"
            f" WHERE {' AND '.join(cond)}"
            f" ORDER BY r.source, f.sha256,"
            f"  CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.seq",
            params,
        )
        for r in rows:
            r["evidence"] = json.loads(r["evidence"])
        return rows

    # -- units and their aliases ---------------------------------------------------------

    def set_alias(self, alias: str, target: str, reviewer: str = "", created_at: Optional[str] = None) -> int:
        """Record that the unit name ``alias`` stands for ``target`` (``""`` removes the alias).
        Append-only: earlier rows stay, the latest per alias is current."""
        alias, target = (alias or "").strip(), (target or "").strip()
        if not alias or alias == target:
            raise ValueError("an alias needs a name and another name it stands for")
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO unit_aliases (alias, target, reviewer, created_at) VALUES (?,?,?,?)",
                (alias, target, reviewer or "", created_at or _now()),
            )
            return int(cur.lastrowid)

    def remove_alias(self, alias: str, reviewer: str = "") -> int:
        """Remove an alias (an empty target appended; the history stays)."""
        alias = (alias or "").strip()
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO unit_aliases (alias, target, reviewer, created_at) VALUES (?,'',?,?)",
                (alias, reviewer or "", _now()),
            )
            return int(cur.lastrowid)

    def alias_rows(self) -> list[dict[str, Any]]:
        """The current aliases: alias, target, reviewer, created_at (latest row per alias)."""
        return self._rows(
            "SELECT alias, target, reviewer, created_at FROM (SELECT a.*, ROW_NUMBER() OVER"
            " (PARTITION BY alias ORDER BY id DESC) AS rn FROM unit_aliases a) WHERE rn = 1 AND target != ''"
            " ORDER BY alias"
        )

    def aliases(self) -> dict[str, str]:
        """Alias → the name it stands for (what ``nlp.units.identify`` takes)."""
        return {r["alias"]: r["target"] for r in self.alias_rows()}

    def report_units(self) -> list[dict[str, Any]]:
        """Every report of the latest results with what identifies its unit: sha256, source,
        title, agency, year and the unit its result names (``unit_json``, JSON text or None)."""
        return self._rows(
            "SELECT sha256, source, title, agency, year, json_extract(result_json, '$.unit') AS unit_json"
            " FROM latest_reports ORDER BY year, source"
        )

    def result_and_text(self, sha256: str) -> Optional[tuple[dict[str, Any], str]]:
        """A report's JSON result and its (cleaned) text, latest reader version."""
        rows = self._rows("SELECT result_json, text FROM latest_reports WHERE sha256 = ?", (sha256,))
        return (json.loads(rows[0]["result_json"]), rows[0]["text"]) if rows else None

    def replace_findings(self, sha256: str, checks: Iterable[str], findings: Sequence[Any],
                         checklist: Sequence[dict[str, Any]]) -> None:
        """Replace the findings (and checklist lines) of the named checks in a stored report's
        latest result, leaving every other finding and every decision as it is: how the
        cross-year findings of a report are recomputed when a neighbouring year is checked again."""
        checks = set(checks)
        with self._write() as db:
            row = db.execute("SELECT reader_version, result_json FROM latest_reports WHERE sha256 = ?",
                             (sha256,)).fetchone()
            if row is None:
                return
            rv = row["reader_version"]
            data = _replace_findings(json.loads(row["result_json"]), checks, findings, checklist)
            marks = ",".join("?" * len(checks))
            db.execute(f"DELETE FROM findings WHERE sha256 = ? AND reader_version = ? AND check_name IN ({marks})",
                       (sha256, rv, *checks))
            (top,) = db.execute("SELECT COALESCE(MAX(seq), -1) FROM findings WHERE sha256 = ? AND reader_version = ?",
                                (sha256, rv)).fetchone()
            db.executemany(
                "INSERT INTO findings (sha256, reader_version, seq, id, check_name, kind, severity, message,"
                " evidence, to_review, span_start, span_stop, display_start, display_stop)"
                f" VALUES ({','.join('?' * 14)})",
                [(sha256, rv, top + 1 + i, f.id, f.check, f.kind, f.severity, f.message,
                  json.dumps(f.evidence, ensure_ascii=False, default=str), int(f.severity in REVIEW_SEVERITIES),
                  None, None, None, None) for i, f in enumerate(findings)],
            )
            db.execute("UPDATE reports SET result_json = ? WHERE sha256 = ? AND reader_version = ?",
                       (json.dumps(data, ensure_ascii=False, default=str), sha256, rv))

    def checklist(self, sha256: Optional[str] = None) -> list[dict[str, Any]]:
        """The checklist lines of the latest results (of one report if given): every check that
        ran, in run order, with the report's sha256, source, title, agency and year, and the
        line's ``check``, ``check_title``, ``status`` (pass / fail / not_assessable), ``findings``,
        ``worst`` and ``why`` (docs/report-json.md)."""
        cond, params = ("WHERE r.sha256 = ?", (sha256,)) if sha256 else ("", ())
        rows = self._rows(
            "SELECT r.sha256, r.source, r.title, r.agency, r.year, j.key AS seq, j.value AS line"
            " FROM latest_reports r, json_each(r.result_json, '$.checklist') j"
            f" {cond} ORDER BY r.source, r.sha256, j.key",
            params,
        )
        out = []
        for r in rows:
            line = json.loads(r.pop("line"))
            r.pop("seq")
            out.append({**r, "check": line.get("check"), "check_title": line.get("title"),
                        "status": line.get("status"), "findings": line.get("findings", 0),
                        "worst": line.get("worst"), "why": line.get("why")})
        return out

    def table_figures(self, cells: Sequence[tuple[str, str, str]]) -> dict[str, dict[tuple[str, str, str], Any]]:
        """The named cells ``(table, row, col)`` of every latest result: sha256 → cell → value
        (a blank cell is None; a cell the report does not have is left out). What the triage
        indicators (``nlp.indicators``) are computed from."""
        wanted = set(cells)
        tables, cols = sorted({t for t, _, _ in wanted}), sorted({c for _, _, c in wanted})
        if not tables:
            return {}
        rows = self._rows(
            "SELECT c.sha256, c.tbl, c.row_key, c.col_key, c.value FROM cells c JOIN latest USING (sha256, reader_version)"
            f" WHERE c.tbl IN ({','.join('?' * len(tables))}) AND c.col_key IN ({','.join('?' * len(cols))})",
            [*tables, *cols],
        )
        out: dict[str, dict[tuple[str, str, str], Any]] = {}
        for r in rows:
            key = (r["tbl"], r["row_key"], r["col_key"])
            if key in wanted:
                out.setdefault(r["sha256"], {})[key] = r["value"]
        return out

    def cells(self, sha256: str) -> list[dict[str, Any]]:
        """The table cells of a report's latest result: tbl, row_key, col_key, value, raw,
        uncertain, note and ``finding_ids`` (the findings whose evidence names the cell); a
        corrected cell has its correction's ``correction_id``, ``original_value`` (as read),
        ``correction_reason``, ``corrected_by`` and ``corrected_at`` (else None)."""
        rows = self._rows(
            f"SELECT c.*, {self._CORRECTION_COLS} FROM cells c JOIN latest USING (sha256, reader_version)"
            " LEFT JOIN current_corrections k ON k.report_sha256 = c.sha256"
            "  AND k.target = 'cell:' || c.tbl || '/' || c.row_key || '/' || c.col_key"
            " WHERE c.sha256 = ? ORDER BY c.seq",
            (sha256,),
        )
        for r in rows:
            r["finding_ids"] = json.loads(r["finding_ids"])
        return rows


def _replace_findings(data: dict[str, Any], checks: set[str], findings: Sequence[Any],
                      checklist: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A stored JSON result with the findings and checklist lines of ``checks`` replaced."""
    data = dict(data)
    data["findings"] = [f for f in data.get("findings", []) if f.get("check") not in checks] + [f.to_json() for f in findings]
    new_lines = {c["check"]: c for c in checklist}
    lines = [new_lines.pop(c["check"], c) if c.get("check") in checks else c for c in data.get("checklist", [])]
    data["checklist"] = lines + list(new_lines.values())
    return data


def save_all(store: Store, results: Iterable[ReportResult]) -> list[str]:
    """Save several results; returns their sha256 in order."""
    return [store.save(r) for r in results]
