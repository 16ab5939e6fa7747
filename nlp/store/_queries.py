"""The queries the app, the exports and the service read: the overview and its filters, a
report's claims, findings, cells and checklist, and the export tables. A part of
:class:`nlp.store.Store`.
"""

from __future__ import annotations

import json
from typing import Any, Iterator, Optional, Sequence

from nlp.store._schema import DECISIONS
from nlp.store.rows import _CLAIM_COLS, _as_list
from nlp.schema import CLAIM_STATUSES, SEVERITIES


class Queries:
    """Read-only queries over the latest results (``_rows`` and ``_write`` come from the Store)."""

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
        cond, params = _where("c", sha256, only_to_review)
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
        cond, params = _where("f", sha256, only_to_review)
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

    # -- export (researchers' tables) -------------------------------------------------

    _EXPORT_SQL = {
        "reports": "SELECT r.sha256, r.reader_version, r.pipeline_version, r.model_version, r.source, r.title,"
                   " r.agency, r.year, r.template, r.script, r.format, r.checked_at FROM reports r",
        "cells": "SELECT c.sha256, c.seq, c.tbl, c.row_key, c.col_key, c.value, c.raw, c.start, c.stop,"
                 " c.uncertain, c.note, c.finding_ids FROM cells c",
        "claims": "SELECT c.*, c.source AS found_by, d.decision, d.comment, d.reviewer, d.created_at AS decided_at FROM claims c"
                  " LEFT JOIN current_decisions d ON d.report_sha256 = c.sha256 AND d.item_kind = 'claim'"
                  " AND d.item_id = c.id",
        "findings": "SELECT f.*, d.decision, d.comment, d.reviewer, d.created_at AS decided_at FROM findings f"
                    " LEFT JOIN current_decisions d ON d.report_sha256 = f.sha256 AND d.item_kind = 'finding'"
                    " AND d.item_id = f.id",
    }
    EXPORT_TABLES = ("reports", "cells", "claims", "findings", "decisions", "corrections")
    """The tables :meth:`export_rows` gives."""
    _HUMAN_TABLES = ("decisions", "corrections")

    def export_rows(self, table: str, reports_at_once: int = 500) -> Iterator[list[dict[str, Any]]]:
        """The rows of one of :data:`EXPORT_TABLES`, in batches, for export: the latest
        result of every report (``reports``, ``cells``, ``claims`` and ``findings``, the last
        two with their current decision; a claim's ``found_by`` is its ``source``), or every
        decision or correction ever recorded (``decisions``, ``corrections``, withdrawals
        included). Read ``reports_at_once`` reports at a time, so memory stays flat in the
        store's size."""
        if table in self._HUMAN_TABLES:
            last = 0
            while True:
                rows = self._rows(f"SELECT * FROM {table} WHERE id > ? ORDER BY id LIMIT ?", (last, reports_at_once * 20))
                if not rows:
                    return
                last = rows[-1]["id"]
                yield rows
            return
        if table not in self._EXPORT_SQL:
            raise ValueError(f"table must be one of {self.EXPORT_TABLES}, not {table!r}")
        alias = self._EXPORT_SQL[table].split(" FROM ")[1].split()[1]
        order = f"{alias}.sha256" + ("" if table == "reports" else f", {alias}.seq")
        last_sha = ""
        while True:
            keys = self._rows("SELECT sha256, reader_version FROM latest WHERE sha256 > ? ORDER BY sha256 LIMIT ?",
                              (last_sha, reports_at_once))
            if not keys:
                return
            last_sha = keys[-1]["sha256"]
            values = ",".join("(?, ?)" for _ in keys)
            params = [v for k in keys for v in (k["sha256"], k["reader_version"])]
            rows = self._rows(
                f"WITH k(sha256, reader_version) AS (VALUES {values}) {self._EXPORT_SQL[table]}"
                f" JOIN k ON k.sha256 = {alias}.sha256 AND k.reader_version = {alias}.reader_version"
                f" ORDER BY {order}", params)
            if rows:
                yield rows


def _where(alias: str, sha256: Optional[str], only_to_review: bool) -> tuple[list[str], list[Any]]:
    """The conditions (and their parameters) of one report's rows, or those to review."""
    cond, params = ["1 = 1"], []
    if sha256:
        cond.append(f"{alias}.sha256 = ?")
        params.append(sha256)
    if only_to_review:
        cond.append(f"{alias}.to_review")
    return cond, params
