"""The SQLite store: checked reports for the app, and the reviewers' decisions on them.

The only module that writes SQL. ``Store(path)`` opens (or creates) a database file, or an
in-memory one with ``":memory:"``. Two kinds of tables live apart:

- **computed** tables, keyed by ``(sha256, reader_version)``: ``reports``, ``claims``,
  ``findings``, ``cells``. ``save(result)`` replaces the rows of one report and reader version
  in one transaction; a re-run never touches anything else.
- **human** tables: ``decisions``, append-only. The current decision on an item is its latest
  row. A decision whose item no longer appears in the latest results is *orphaned*: it is
  kept and listed (``orphaned_decisions``), never dropped.

"Latest results" are, per report (sha256), the rows of its highest reader version (the most
recently checked one on a tie). Every number the app shows comes from a query here.

>>> store = Store(":memory:")
>>> store.save(result)                                  # doctest: +SKIP
>>> store.record_decision("F-1a2b", "finding", sha, "false_alarm", reviewer="王")  # doctest: +SKIP
"""

from __future__ import annotations

import json
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
from nlp.schema import CLAIM_STATUSES, SEVERITIES, ReportResult, Tables, tables_from_result

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

    def __init__(self, path: Union[str, Path] = ":memory:", timeout: float = 30.0) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        try:
            self._conn = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._conn.execute("PRAGMA journal_mode = WAL")
                self._conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise XxgkError(Errors.E030, path=self.path, detail=str(err)) from err

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
        so two writers queue on ``busy_timeout`` instead of failing mid-way)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

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
                return
            (version,) = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
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
                " display_text, text, offsets) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    sha, rv, version_key(rv), doc.source, meta.title, meta.agency, meta.year,
                    result.tables.template, meta.script, doc.format, result.model_version,
                    checked_at or _now(), json.dumps(data, ensure_ascii=False, default=str),
                    doc.display_text, doc.text, array("I", offsets).tobytes(),
                ),
            )
            db.executemany(f"INSERT INTO claims VALUES ({','.join('?' * 26)})", claim_rows)
            db.executemany(f"INSERT INTO findings VALUES ({','.join('?' * 14)})", finding_rows)
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

    def tables_of(self, agency: Optional[str], year: Optional[int]) -> Optional[Tables]:
        """The tables of the report of ``agency`` for ``year`` (the latest checked, latest
        reader version), or None: last year's figures for a report of the same unit."""
        if not agency or year is None:
            return None
        rows = self._rows(
            "SELECT result_json FROM latest_reports WHERE agency = ? AND year = ? ORDER BY checked_at DESC LIMIT 1",
            (agency, year),
        )
        return tables_from_result(json.loads(rows[0]["result_json"])) if rows else None

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
        if item_kind not in ITEM_KINDS:
            raise ValueError(f"item_kind must be one of {ITEM_KINDS}, not {item_kind!r}")
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO decisions (item_id, item_kind, report_sha256, decision, comment,"
                " reviewer, created_at) VALUES (?,?,?,?,?,?,?)",
                (item_id, item_kind, report_sha256, decision, comment or "", reviewer or "",
                 created_at or _now()),
            )
            return int(cur.lastrowid)

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

    def claims(self, sha256: Optional[str] = None, only_to_review: bool = False) -> list[dict[str, Any]]:
        """Claims of the latest results (of one report if given) in text order, each with the
        report's source and title and its current decision (``decision`` None if none)."""
        cond = ["1 = 1"]
        params: list[Any] = []
        if sha256:
            cond.append("c.sha256 = ?")
            params.append(sha256)
        if only_to_review:
            cond.append("c.to_review")
        return self._rows(
            f"SELECT c.*, r.source, r.title, r.agency, r.year, {self._DECISION_COLS}"
            f" FROM latest_claims c JOIN latest_reports r ON r.sha256 = c.sha256"
            f" LEFT JOIN current_decisions d ON d.report_sha256 = c.sha256"
            f"  AND d.item_kind = 'claim' AND d.item_id = c.id"
            f" WHERE {' AND '.join(cond)} ORDER BY r.source, c.sha256, c.seq",
            params,
        )

    def findings(self, sha256: Optional[str] = None, only_to_review: bool = False) -> list[dict[str, Any]]:
        """Findings of the latest results (of one report if given), most severe first, each
        with its evidence (parsed), the report's source and its current decision."""
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

    def cells(self, sha256: str) -> list[dict[str, Any]]:
        """The table cells of a report's latest result: tbl, row_key, col_key, value, raw,
        uncertain, note and ``finding_ids`` (the findings whose evidence names the cell)."""
        rows = self._rows(
            "SELECT c.* FROM cells c JOIN latest USING (sha256, reader_version)"
            " WHERE c.sha256 = ? ORDER BY c.seq",
            (sha256,),
        )
        for r in rows:
            r["finding_ids"] = json.loads(r["finding_ids"])
        return rows


def save_all(store: Store, results: Iterable[ReportResult]) -> list[str]:
    """Save several results; returns their sha256 in order."""
    return [store.save(r) for r in results]
