"""The other years of a unit, for the cross-year checks: from the store and from the batch.

``History(store)`` knows every stored report's unit (its agency read through the store's
aliases, ``nlp.units``) and adds the reports of the running batch as they are checked, so
that ``xxgk check`` of a folder of several years checks the chains within it.
:meth:`History.for_unit` gives a unit's reports as ``nlp.checks.crossyear.YearReport``.

:func:`relink` recomputes the cross-year findings of a unit's later reports in the store when
an earlier year is checked again (a cross-year finding belongs to the later report of its
pair), leaving every other finding and every decision as it is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Optional

from nlp.checks import REGISTRY, check_report
from nlp.checks.crossyear import YearReport
from nlp.schema import Document, ReportMeta, ReportResult, Section, Sections, Tables
from nlp.units import Unit, identify

if TYPE_CHECKING:
    from nlp.config import Settings
    from nlp.store import Store

CROSS_YEAR_CHECKS = tuple(n for n, s in REGISTRY.items() if "history" in s.needs)
"""The checks that read other years (recomputed by :func:`relink`)."""


class History:
    """The unit's reports of other years, from a store (optional) and the current batch."""

    def __init__(self, store: Optional["Store"] = None) -> None:
        self.store = store
        self.aliases: dict[str, str] = store.aliases() if store is not None else {}
        self._stored: dict[str, list[tuple[str, Optional[int]]]] = {}
        self._batch: dict[str, dict[str, YearReport]] = {}
        if store is not None:
            for row in store.report_units():
                unit = identify(row["agency"], self.aliases)
                if unit is not None:
                    self._stored.setdefault(unit.key, []).append((row["sha256"], row["year"]))

    def unit_of(self, agency: Optional[str]) -> Optional[Unit]:
        return identify(agency, self.aliases)

    def add(self, result: ReportResult) -> None:
        """A report of this batch, for the reports checked after it."""
        if result.unit:
            yr = YearReport.from_result(result.to_json(), result.document.text, result.unit["key"])
            self._batch.setdefault(yr.unit, {})[yr.sha256] = yr
            self._stored.setdefault(yr.unit, [])

    def for_unit(self, unit: Optional[Unit], exclude: str = "") -> list[YearReport]:
        """The unit's reports (but ``exclude``), the batch's over the store's for one sha256."""
        if unit is None:
            return []
        out = dict(self._batch.get(unit.key, {}))
        if self.store is not None:
            for sha, _ in self._stored.get(unit.key, []):
                if sha not in out:
                    got = self.store.result_and_text(sha)
                    if got is not None:
                        out[sha] = YearReport.from_result(got[0], got[1], unit.key)
        return [r for sha, r in sorted(out.items(), key=lambda kv: (kv[1].year or 0, kv[0])) if sha != exclude]


def _context_parts(result: dict[str, Any], text: str) -> tuple[Document, Sections]:
    """A stored result's document and sections, enough for the cross-year checks."""
    doc = Document(source=result.get("source") or "", sha256=result["sha256"], format=(result.get("report") or {}).get("format") or "",
                   display_text=text, text=text, offsets=())
    rep = result.get("report") or {}
    meta = ReportMeta(title=rep.get("title"), agency=rep.get("agency"), year=rep.get("year"), script=rep.get("script") or "hans")
    secs = tuple(Section(**{k: s[k] for k in ("key", "heading", "start", "body_start", "end")}) for s in result.get("sections") or ())
    return doc, Sections(meta=meta, sections=secs)


def relink(store: "Store", history: History, result: ReportResult, settings: Optional["Settings"] = None) -> list[str]:
    """Recompute, in the store, the cross-year findings of the reports of ``result``'s unit
    from later years (their earlier year is ``result``). Returns their sha256."""
    unit = Unit.from_json(result.unit)
    year = result.sections.meta.year
    if unit is None or year is None:
        return []
    done = []
    for later in history.for_unit(unit, exclude=result.document.sha256):
        if later.year is None or later.year <= year:
            continue
        got = store.result_and_text(later.sha256)
        if got is None:
            continue
        data, text = got
        doc, secs = _context_parts(data, text)
        others = [h for h in history.for_unit(unit, exclude=later.sha256)]
        checked = check_report(doc, secs, Tables(template=(data.get("report") or {}).get("template") or "unknown"),
                               None, CROSS_YEAR_CHECKS, settings=settings, unit=unit, history=others, current=later)
        store.replace_findings(later.sha256, CROSS_YEAR_CHECKS, checked.findings, checked.checklist)
        done.append(later.sha256)
    return done


def with_unit(result: ReportResult, unit: Optional[Unit]) -> ReportResult:
    """The result naming its unit (``ReportResult.unit``)."""
    return replace(result, unit=unit.to_json() if unit is not None else None)


__all__ = ["CROSS_YEAR_CHECKS", "History", "relink", "with_unit"]
