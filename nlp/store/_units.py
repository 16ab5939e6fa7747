"""Across reports: the register's unit aliases, the stored reports of a unit or a year, and
the cross-report findings a later report recomputes. A part of :class:`nlp.store.Store`.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from typing import Any, Iterable, Iterator, Optional, Sequence

from nlp.store._schema import REVIEW_SEVERITIES
from nlp.store.rows import _encode, _now, evidence_json

UNREAD = ("cells", "findings", "checklist", "corrections")
"""The fields of a stored JSON result :meth:`Units.result_and_text` leaves out: no check across
reports reads them (``nlp.checks.crossyear.YearReport`` and the report's sections do not)."""


class Units:
    """Unit aliases (append-only) and the cross-report reads and rewrites."""

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
        """A report's JSON result and its (cleaned) text, latest reader version: what the checks
        across reports read of another report (``nlp.history``), so without the fields none of
        them reads (:data:`UNREAD`: the cells are over half the JSON)."""
        rows = self._rows(f"SELECT json_remove(result_json, {', '.join('?' * len(UNREAD))}) AS result_json, text"
                          " FROM latest_reports WHERE sha256 = ?", (*(f"$.{k}" for k in UNREAD), sha256))
        return (json.loads(rows[0]["result_json"]), rows[0]["text"]) if rows else None

    def year_texts(self, year: int, batch: int = 200) -> Iterator[dict[str, Any]]:
        """Every latest report of ``year``: sha256, source, agency, text and its sections (the
        result's ``sections`` as JSON text), read a ``batch`` at a time: what the index of a
        year's reports for the cross-unit checks is built from (``nlp.history.History.peers``)."""
        last = ""
        while True:
            rows = self._rows(
                "SELECT sha256, source, agency, text, json_extract(result_json, '$.sections') AS sections"
                " FROM latest_reports WHERE year = ? AND sha256 > ? ORDER BY sha256 LIMIT ?",
                (year, last, batch),
            )
            yield from rows
            if len(rows) < batch:
                return
            last = rows[-1]["sha256"]

    # -- the cross-unit index (``nlp.history.History.peers``): the tables ``peer_*`` ----------

    def peer_version(self, version: str) -> None:
        """Empty the cross-unit index when it was built by another version than ``version`` (its
        rows are derived from the latest reports again, a year at a time, as they are asked for)."""
        with self._write() as db:
            if db.execute("SELECT 1 FROM peer_version WHERE version = ?", (version,)).fetchone():
                return
            for table in ("peer_postings", "peer_prints", "peer_entries", "peer_version"):
                db.execute(f"DELETE FROM {table}")
            db.execute("INSERT INTO peer_version (version) VALUES (?)", (version,))

    def peer_put(self, entries: Iterable[tuple[str, str, int, Optional[str], Optional[Iterable[int]]]]) -> list[Optional[int]]:
        """Index reports (sha256, reader_version, year, unit key, fingerprint; no fingerprint:
        not compared), each over the row it had; a fingerprint the year already holds gains a
        member (its shingles are written once). Returns, for each, the year it was compared in
        before (None: it was not)."""
        before, postings = [], []
        with self._write() as db:
            for sha, rv, year, unit_key, fp in entries:
                before.append(_peer_drop(db, sha))
                print_id = None if fp is None else _peer_print(db, year, _signed_all(fp), postings)
                db.execute("INSERT INTO peer_entries (sha256, reader_version, year, unit_key, print) VALUES (?,?,?,?,?)",
                           (sha, rv, year, unit_key, print_id))
            postings.sort()  # in the table's order: each of its pages written once
            db.executemany("INSERT INTO peer_postings (year, shingle, print) VALUES (?,?,?)", postings)
        return before

    def peer_drop(self, sha256: str) -> Optional[int]:
        """Remove a report from the index (when it is there); the year it was compared in (None: it was not)."""
        if not self._rows("SELECT 1 FROM peer_entries WHERE sha256 = ?", (sha256,)):
            return None
        with self._write() as db:
            return _peer_drop(db, sha256)

    def peer_stale(self, year: int) -> int:
        """Drop from the index the reports of ``year`` that are not latest reports of that year
        as indexed (removed, read again by another reader, of another year now). Returns how many
        of them were compared."""
        with self._write() as db:  # the latest of the year by their keys: latest_reports (r.*) would be
            # copied whole (texts, JSON) into a temporary table, the store's size written at every call
            stale = [r[0] for r in db.execute(
                "SELECT p.sha256 FROM peer_entries p LEFT JOIN (SELECT sha256, reader_version FROM latest"
                " JOIN reports USING (sha256, reader_version) WHERE year = ?) r USING (sha256, reader_version)"
                " WHERE p.year = ? AND r.sha256 IS NULL", (year, year))]
            return sum(_peer_drop(db, sha) is not None for sha in stale)

    def peer_missing(self, year: int, batch: int = 200) -> Iterator[dict[str, Any]]:
        """The latest reports of ``year`` the index lacks (as :meth:`year_texts` gives them, with
        their reader_version), a ``batch`` at a time."""
        last = ""
        while True:
            rows = self._rows(
                "SELECT sha256, reader_version, source, agency, text, json_extract(result_json, '$.sections') AS sections"
                " FROM latest_reports r WHERE year = ? AND sha256 > ? AND NOT EXISTS (SELECT 1 FROM peer_entries p"
                " WHERE p.sha256 = r.sha256 AND p.reader_version = r.reader_version AND p.year = r.year)"
                " ORDER BY sha256 LIMIT ?", (year, last, batch))
            yield from rows
            if len(rows) < batch:
                return
            last = rows[-1]["sha256"]

    def peer_compared(self, year: int) -> int:
        """How many reports of ``year`` the index compares."""
        return self._rows("SELECT COUNT(print) AS n FROM peer_entries WHERE year = ?", (year,))[0]["n"]

    def peer_own(self, year: int, sha256: str, unit_key: str) -> int:
        """Of the reports of ``year`` compared, how many are of the unit ``unit_key`` or are ``sha256``."""
        return self._rows(
            "SELECT (SELECT COUNT(print) FROM peer_entries WHERE year = ? AND unit_key = ?)"
            " + (SELECT COUNT(print) FROM peer_entries WHERE sha256 = ? AND year = ? AND unit_key != ?) AS n",
            (year, unit_key, sha256, year, unit_key))[0]["n"]

    def peer_sharing(self, year: int, fingerprint: Iterable[int]) -> list[tuple[int, int, int]]:
        """The distinct fingerprints of ``year`` sharing a sampled shingle with ``fingerprint``:
        (their id, shingles shared, their size)."""
        shingles = _signed_all(fingerprint)
        if not shingles:
            return []
        rows = self._rows(  # the shingles shared counted per fingerprint first, then their sizes read
            "SELECT f.id AS id, g.shared AS shared, f.size AS size FROM (SELECT print, COUNT(*) AS shared"
            " FROM peer_postings WHERE year = ? AND shingle IN (SELECT value FROM json_each(?)) GROUP BY print) g"
            " JOIN peer_prints f ON f.id = g.print", (year, json.dumps(shingles)))
        return [(r["id"], r["shared"], r["size"]) for r in rows]

    def peer_members(self, prints: Sequence[int], sha256: str, unit_key: str) -> list[str]:
        """The reports holding one of the fingerprints ``prints``, of units other than ``unit_key``
        (but ``sha256``)."""
        if not prints:
            return []
        return [r["sha256"] for r in self._rows(
            "SELECT sha256 FROM peer_entries WHERE print IN (SELECT value FROM json_each(?))"
            " AND unit_key != ? AND sha256 != ?", (json.dumps(list(prints)), unit_key, sha256))]

    def reports_citing(self, sha256: str, checks: Iterable[str]) -> list[str]:
        """The other reports whose findings of ``checks`` name ``sha256`` in their evidence
        (their cross-report findings to recompute when it is checked again)."""
        checks = list(checks)
        if not checks:
            return []
        rows = self._rows(  # the check's findings first (an index), then only the latest results'
            "SELECT DISTINCT sha256, reader_version FROM findings"
            f" WHERE check_name IN ({','.join('?' * len(checks))}) AND sha256 != ? AND instr(evidence, ?) > 0",
            (*checks, sha256, sha256),
        )
        return sorted({r["sha256"] for r in rows
                       if self._rows("SELECT 1 FROM latest WHERE sha256 = ? AND reader_version = ?",
                                     (r["sha256"], r["reader_version"]))})

    def replace_findings(self, sha256: str, checks: Iterable[str], findings: Sequence[Any],
                         checklist: Sequence[dict[str, Any]]) -> None:
        """Replace the findings (and checklist lines) of the named checks in a stored report's
        latest result, leaving every other finding and every decision as it is: how the
        cross-year findings of a report are recomputed when a neighbouring year is checked again.
        Nothing is written when the report already holds them, as they would be written."""
        checks = set(checks)
        with self._write() as db:
            row = db.execute("SELECT reader_version, result_json FROM latest_reports WHERE sha256 = ?",
                             (sha256,)).fetchone()
            if row is None:
                return
            rv = row["reader_version"]
            head, stored = _split(row["result_json"])
            data = _replace_findings(stored, checks, findings, checklist)
            marks = ",".join("?" * len(checks))
            (top,) = db.execute(f"SELECT COALESCE(MAX(seq), -1) FROM findings WHERE sha256 = ? AND reader_version = ?"
                                f" AND (check_name IS NULL OR check_name NOT IN ({marks}))", (sha256, rv, *checks)).fetchone()
            rows = [(sha256, rv, top + 1 + i, f.id, f.check, f.kind, f.severity, f.message,
                     evidence_json(f.evidence), int(f.severity in REVIEW_SEVERITIES),
                     None, None, None, None, None) for i, f in enumerate(findings)]
            if _same(stored, data) and rows == [tuple(r) for r in db.execute(
                    f"SELECT {_FINDING_COLS} FROM findings WHERE sha256 = ? AND reader_version = ?"
                    f" AND check_name IN ({marks}) ORDER BY seq", (sha256, rv, *checks))]:
                return  # recomputed as they are (the usual case: the neighbouring year read as before)
            db.execute(f"DELETE FROM findings WHERE sha256 = ? AND reader_version = ? AND check_name IN ({marks})",
                       (sha256, rv, *checks))
            db.executemany(f"INSERT INTO findings ({_FINDING_COLS}) VALUES ({','.join('?' * 15)})", rows)
            db.execute("UPDATE reports SET result_json = ? WHERE sha256 = ? AND reader_version = ?",
                       (head + _encode(data)[1:] if head else _encode(data), sha256, rv))


def _signed(h: int) -> int:
    """A 64-bit hash as SQLite's signed integer."""
    return h - (1 << 64) if h >= 1 << 63 else h


def _signed_all(hashes: Iterable[int]) -> list[int]:
    """The hashes as SQLite's signed integers, sorted (``crossunit.fingerprint`` gives them so
    already: then only looked at)."""
    out = sorted(hashes)
    return out if not out or out[-1] < 1 << 63 else sorted(map(_signed, out))


def _peer_print(db: Any, year: int, shingles: list[int], postings: list[tuple[int, int, int]]) -> int:
    """The id of ``year``'s fingerprint of these (sorted) shingles, one member more; a new one's
    postings added to ``postings``."""
    blob = array("q", shingles).tobytes()
    digest = hashlib.blake2b(blob, digest_size=16).digest()
    row = db.execute("SELECT id FROM peer_prints WHERE year = ? AND digest = ?", (year, digest)).fetchone()
    if row is not None:
        db.execute("UPDATE peer_prints SET members = members + 1 WHERE id = ?", (row["id"],))
        return row["id"]
    cur = db.execute("INSERT INTO peer_prints (year, digest, size, fingerprint, members) VALUES (?,?,?,?,1)",
                     (year, digest, len(shingles), blob))
    postings += [(year, h, cur.lastrowid) for h in shingles]
    return cur.lastrowid


def _peer_drop(db: Any, sha256: str) -> Optional[int]:
    """Remove a report from the cross-unit index (its fingerprint too when it was the last to hold
    it); the year it was compared in (None: it was not)."""
    row = db.execute("SELECT id, year, print FROM peer_entries WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        return None
    db.execute("DELETE FROM peer_entries WHERE id = ?", (row["id"],))
    if row["print"] is None:
        return None
    fp = db.execute("SELECT members, fingerprint FROM peer_prints WHERE id = ?", (row["print"],)).fetchone()
    if fp["members"] > 1:
        db.execute("UPDATE peer_prints SET members = members - 1 WHERE id = ?", (row["print"],))
    else:
        db.executemany("DELETE FROM peer_postings WHERE year = ? AND shingle = ? AND print = ?",
                       [(row["year"], h, row["print"]) for h in array("q", fp["fingerprint"])])
        db.execute("DELETE FROM peer_prints WHERE id = ?", (row["print"],))
    return row["year"]


_FINDING_COLS = ("sha256, reader_version, seq, id, check_name, kind, severity, message, evidence, to_review,"
                 " span_start, span_stop, display_start, display_stop, claim_id")


_TAIL = ',"findings":['


def _split(text: str) -> tuple[str, dict[str, Any]]:
    """A stored JSON result as (its text before ``"findings"``, the fields from there on
    decoded): the findings and checklist are near its end (``nlp.store.rows.ASSESSED``), so
    replacing them need not decode and encode the whole (its cells, claims, tables). ``("",
    the whole decoded)`` when the text is not written so: written by ``json.dumps`` before the
    compact encoder (``", "`` between items; then re-written whole, compact), or not ending
    in the fields its encoder writes."""
    at = text.find(_TAIL)
    if at > 0:
        rest = "{" + text[at + 1:]
        try:
            tail = json.loads(rest)
        except ValueError:  # not the top level's key
            tail = None
        if isinstance(tail, dict) and _encode(tail) == rest:
            return text[:at + 1], tail
    return "", json.loads(text)


def _same(stored: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether ``data`` (``stored`` with findings and checklist lines replaced) is written as
    ``stored`` was: the same JSON text (the other fields are the same objects)."""
    return all(_encode(stored.get(k)) == _encode(data.get(k)) for k in ("findings", "checklist"))


def _replace_findings(data: dict[str, Any], checks: set[str], findings: Sequence[Any],
                      checklist: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A stored JSON result with the findings and checklist lines of ``checks`` replaced."""
    data = dict(data)
    data["findings"] = [f for f in data.get("findings", []) if f.get("check") not in checks] + [f.to_json() for f in findings]
    new_lines = {c["check"]: c for c in checklist}
    lines = [new_lines.pop(c["check"], c) if c.get("check") in checks else c for c in data.get("checklist", [])]
    data["checklist"] = lines + list(new_lines.values())
    return data
