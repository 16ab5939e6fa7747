"""The human tables: reviewers' decisions and corrections, append-only (never replaced by a
re-run). A part of :class:`nlp.store.Store`.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

from nlp.errors import Errors, XxgkError
from nlp.store._schema import DECISIONS, ITEM_KINDS
from nlp.store.rows import _now, cell_target, claim_target


class Reviews:
    """Decisions and corrections: ``record_*`` append, the rest read the latest rows."""

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

    def item(self, item_kind: str, item_id: str) -> Optional[dict[str, Any]]:
        """The claim or finding ``item_id`` of the latest results (its report's sha256, and
        whether it is to be reviewed), or None."""
        rows = self._rows("SELECT sha256, item_kind, item_id, to_review FROM items"
                          " WHERE item_kind = ? AND item_id = ? LIMIT 1", (item_kind, item_id))
        return rows[0] if rows else None

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
