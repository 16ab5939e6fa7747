"""The ``Store`` itself: opening a database (created, migrated, read-only when it must be),
writing a checked report's rows in one transaction and reading results back; the human
tables, the app's queries and the unit register come from its parts (``_reviews``,
``_queries``, ``_units``).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from array import array
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

from nlp.errors import Errors, XxgkError
from nlp.schema import Claim, Document, ReportResult
from nlp.store._queries import Queries
from nlp.store._reviews import Reviews
from nlp.store._schema import _ADDED_COLUMNS, _ADDITIONS, _ADDITIVE_SCHEMA, _MIGRATIONS, _SCHEMA, SCHEMA_VERSION
from nlp.store._units import Units
from nlp.store.rows import DocumentText, ReportRows, _document, rows_of


class Store(Reviews, Queries, Units):
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
                version = self._check_version(db)
                for step in range(version + 1, SCHEMA_VERSION + 1):  # additive migrations, in order
                    for stmt in _MIGRATIONS[step]:
                        db.execute(stmt)
                    db.execute("INSERT INTO schema_version (version) VALUES (?)", (step,))
            for stmt in _ADDITIVE_SCHEMA:
                db.execute(stmt)
            for stmt in _ADDITIONS.split(";\n"):
                if stmt.strip():
                    db.execute(stmt)
            for table, column, decl in _ADDED_COLUMNS:
                have = {r["name"] for r in db.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")

    def _check_version(self, db: sqlite3.Connection) -> int:
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
        return int(version)

    @property
    def schema_version(self) -> int:
        return self._rows("SELECT MAX(version) AS v FROM schema_version")[0]["v"]

    # -- computed tables --------------------------------------------------------------

    def save(self, result: ReportResult, checked_at: Optional[str] = None) -> str:
        """Store one checked report, replacing the computed rows of its
        ``(sha256, reader_version)`` in one transaction. Decisions are never touched.

        Returns the report's sha256.
        """
        return self.save_rows(rows_of(result, checked_at))

    def save_rows(self, rows: "ReportRows") -> str:
        """:meth:`save` for rows made by :func:`rows_of` (a batch's workers make them, so
        that the process that writes the store only writes)."""
        with self._write() as db:
            db.execute("DELETE FROM reports WHERE sha256 = ? AND reader_version = ?", (rows.sha256, rows.reader_version))
            db.execute(
                "INSERT INTO reports (sha256, reader_version, version_key, source, title, agency,"
                " year, template, script, format, model_version, checked_at, result_json,"
                " display_text, text, offsets, pipeline_version, document_json)"
                f" VALUES ({','.join('?' * 18)})",
                rows.report,
            )
            db.executemany(f"INSERT INTO claims VALUES ({','.join('?' * 26)})", rows.claims)
            db.executemany(
                "INSERT INTO findings (sha256, reader_version, seq, id, check_name, kind, severity,"
                " message, evidence, to_review, span_start, span_stop, display_start, display_stop,"
                f" claim_id) VALUES ({','.join('?' * 15)})", rows.findings)
            db.executemany(f"INSERT INTO cells VALUES ({','.join('?' * 13)})", rows.cells)
        return rows.sha256

    def checked(self, sha256: str, pipeline_version: str) -> bool:
        """Whether the report with this content is stored as checked by this pipeline
        version (what a batch skips)."""
        return bool(self._rows(
            "SELECT 1 FROM reports WHERE sha256 = ? AND pipeline_version = ? LIMIT 1",
            (sha256, pipeline_version),
        ))

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

    def get_result_text(self, sha256: str) -> Optional[str]:
        """One report's JSON result as stored (latest reader version), unparsed."""
        rows = self._rows("SELECT result_json FROM latest_reports WHERE sha256 = ?", (sha256,))
        return rows[0]["result_json"] if rows else None

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


def save_all(store: Store, results: Iterable[ReportResult]) -> list[str]:
    """Save several results; returns their sha256 in order."""
    return [store.save(r) for r in results]
