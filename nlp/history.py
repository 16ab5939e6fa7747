"""The other years of a unit, and the other units of a year, for the checks across reports:
from the store and from the batch.

``History(store)`` knows every stored report's unit (its agency read through the store's
aliases, ``nlp.units``) and adds the reports of the running batch as they are checked, so
that ``xxgk check`` of a folder of several years checks the chains within it.
:meth:`History.for_unit` gives a unit's reports as ``nlp.checks.crossyear.YearReport``;
:meth:`History.peers` gives the same year's reports of other units whose narrative comes near a
report's (``nlp.checks.crossunit.Peers``), from an index of the year's fingerprints built once
per year from the store and kept up to date with the batch.

:func:`relink` recomputes, in the store, the cross-year findings of a unit's later reports when
an earlier year is checked again (a cross-year finding belongs to the later report of its
pair), and the cross-unit findings of the reports a report is near (or was, by their stored
findings) when it is checked again, leaving every other finding and every decision as it is.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Optional

from nlp.checks import REGISTRY, check_report, default_checks
from nlp.checks.crossunit import Peers, fingerprint, long_enough, narrative, near
from nlp.checks.crossyear import YearReport
from nlp.schema import Document, ReportMeta, ReportResult, Section, Sections, Tables
from nlp.units import Unit, identify

if TYPE_CHECKING:
    from nlp.config import Settings
    from nlp.store import Store

CROSS_YEAR_CHECKS = tuple(n for n, s in REGISTRY.items() if "history" in s.needs)
"""The checks that read other years (recomputed by :func:`relink`)."""
CROSS_UNIT_CHECKS = tuple(n for n in default_checks() if "peers" in REGISTRY[n].needs)
"""The checks that read the same year's reports of other units (recomputed by :func:`relink`)."""


class History:
    """The unit's reports of other years, from a store (optional) and the current batch."""

    def __init__(self, store: Optional["Store"] = None) -> None:
        self.store = store
        self.aliases: dict[str, str] = store.aliases() if store is not None else {}
        self._stored: dict[str, list[tuple[str, Optional[int]]]] = {}
        self._batch: dict[str, dict[str, YearReport]] = {}
        self._years: dict[int, dict[str, tuple[Unit, frozenset[int]]]] = {}  # the store's, per year
        self._fresh: dict[int, dict[str, tuple[Unit, frozenset[int]]]] = {}  # the batch's
        self._reports: dict[str, YearReport] = {}  # the batch's, by sha256
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
            self._reports[yr.sha256] = yr
            words = narrative(yr.text, yr.sections)
            unit = Unit.from_json(result.unit)
            if yr.year is not None and unit is not None and long_enough(words):
                self._fresh.setdefault(yr.year, {})[yr.sha256] = (unit, fingerprint(words))

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


    def _year(self, year: int) -> dict[str, tuple[Unit, frozenset[int]]]:
        """The fingerprints of the stored reports of ``year`` (read once) and the batch's."""
        if year not in self._years:
            index: dict[str, tuple[Unit, frozenset[int]]] = {}
            if self.store is not None:
                for row in self.store.year_texts(year):
                    unit = identify(row["agency"], self.aliases)
                    words = narrative(row["text"], json.loads(row["sections"] or "[]"))
                    if unit is not None and long_enough(words):
                        index[row["sha256"]] = (unit, fingerprint(words))
            self._years[year] = index
        return {**self._years[year], **self._fresh.get(year, {})}

    def _report(self, sha256: str) -> Optional[YearReport]:
        if sha256 in self._reports:
            return self._reports[sha256]
        got = self.store.result_and_text(sha256) if self.store is not None else None
        if got is None:
            return None
        data, text = got
        unit = identify((data.get("report") or {}).get("agency"), self.aliases)
        return replace(YearReport.from_result(data, text, unit.key if unit else None),
                       unit_json=unit.to_json() if unit else data.get("unit"))

    def has_year(self, year: Optional[int]) -> bool:
        """Whether any report of ``year`` (stored or of this batch) is there to compare with."""
        return year is not None and bool(self._year(year))

    def peers(self, unit: Optional[Unit], year: Optional[int], sha256: str, words: str) -> Optional[Peers]:
        """The reports of ``year`` of units other than ``unit`` whose narrative comes near
        ``words`` (the report ``sha256``'s), and how many there were to compare; None when
        there is no year or no unit."""
        if year is None or unit is None:
            return None
        index = self._year(year)  # a worker without the store sees none: its parent assesses again when there are some
        others = {sha: fp for sha, (u, fp) in index.items() if sha != sha256 and u.key != unit.key}
        mine = fingerprint(words) if long_enough(words) else frozenset()
        reports = [self._report(sha) for sha, fp in sorted(others.items()) if near(mine, fp)]
        return Peers(year, len(others), tuple(r for r in reports if r is not None))


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
    return done + relink_peers(store, history, result, settings)


def relink_peers(store: "Store", history: History, result: ReportResult, settings: Optional["Settings"] = None) -> list[str]:
    """Recompute, in the store, the cross-unit findings of the reports ``result`` is near (by
    its own findings) or was near (by theirs). Returns their sha256."""
    sha = result.document.sha256
    named = {f.evidence.get("other", {}).get("sha256") for f in result.findings if f.check in CROSS_UNIT_CHECKS}
    done = []
    for other in sorted((named - {None}) | set(store.reports_citing(sha, CROSS_UNIT_CHECKS))):
        got = store.result_and_text(other)
        if got is None:
            continue
        data, text = got
        doc, secs = _context_parts(data, text)
        unit = history.unit_of(secs.meta.agency) or Unit.from_json(data.get("unit"))
        current = replace(YearReport.from_result(data, text, unit.key if unit else None),
                          unit_json=unit.to_json() if unit else data.get("unit"))
        peers = history.peers(unit, secs.meta.year, other, narrative(text, data.get("sections") or ()))
        checked = check_report(doc, secs, Tables(template=(data.get("report") or {}).get("template") or "unknown"),
                               None, CROSS_UNIT_CHECKS, settings=settings, unit=unit, peers=peers, current=current)
        store.replace_findings(other, CROSS_UNIT_CHECKS, checked.findings, checked.checklist)
        done.append(other)
    return done


def with_unit(result: ReportResult, unit: Optional[Unit]) -> ReportResult:
    """The result naming its unit (``ReportResult.unit``)."""
    return replace(result, unit=unit.to_json() if unit is not None else None)


__all__ = ["CROSS_UNIT_CHECKS", "CROSS_YEAR_CHECKS", "History", "relink", "relink_peers", "with_unit"]
