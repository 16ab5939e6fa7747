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

import hashlib
import json
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from nlp.checks import REGISTRY, check_report, default_checks
from nlp.checks import crossunit, editorial
from nlp.checks.crossunit import Peers, fingerprint, long_enough, narrative, narrative_print, near, near_by
from nlp.checks.crossyear import YearReport
from nlp.schema import Document, ReportMeta, ReportResult, Section, Sections, Tables
from nlp import units
from nlp.units import Unit, identify

if TYPE_CHECKING:
    from nlp.config import Settings
    from nlp.store import Store

CROSS_YEAR_CHECKS = tuple(n for n, s in REGISTRY.items() if "history" in s.needs)
"""The checks that read other years (recomputed by :func:`relink`)."""
CROSS_UNIT_CHECKS = tuple(n for n in default_checks() if "peers" in REGISTRY[n].needs)
"""The checks that read the same year's reports of other units (recomputed by :func:`relink`)."""


class History:
    """The unit's reports of other years, from a store (optional) and the current batch.

    One report a unit and year is what the cross-year checks read: of several (the same
    report published twice, a corrected version), the one with the largest sha256, whatever
    the order they were checked in. Every report's year is indexed (``reports``: what
    :func:`relink` recomputes); with a store the reports themselves are read from it when a
    check needs them (a few kept in memory), so a batch's memory does not grow with its size.
    For the cross-unit checks, the fingerprints of each year's reports (:meth:`peers`): with a
    store (one it may write), an index in the store (:class:`_StoredYear`, derived from its latest
    reports the first time a batch asks for a year, and kept up with the batch's reports as they
    are added), so that nothing of it stays in memory; without, in memory (:class:`_YearIndex`).
    """

    CACHED = 256
    """Reports kept in memory (the units checked lately), of those the cross-year checks read:
    an entry holds a report's text, its tables' JSON and, once compared, its sections' shingles
    (a third of a MB), and copies of one report, not read again but by :func:`relink`, would
    fill the cache."""

    def __init__(self, store: Optional["Store"] = None) -> None:
        self.store = store
        self.aliases: dict[str, str] = store.aliases() if store is not None else {}
        self._years: dict[str, dict[str, Optional[int]]] = {}  # unit key -> {sha256: year}
        self._best: dict[str, dict[Optional[int], str]] = {}  # unit key -> {year: the sha256 read}
        self._kept: dict[str, YearReport] = {}  # no store: the reports the checks read
        self._cache: OrderedDict[str, YearReport] = OrderedDict()  # store: read lately
        self._peer_years: dict[int, Union[_YearIndex, _StoredYear]] = {}  # per year: the store's and the batch's
        self._stored = store is not None and not store.readonly  # the years' index in the store
        # with it: the batch's reports not written to it yet, by year (at most FLUSH; their rows
        # of the store's index, if any, dropped when added), and those not compared
        self._pending: dict[int, _YearIndex] = {}
        self._pending_rows: dict[str, tuple[str, str, int, Optional[str], Optional[frozenset[int]]]] = {}
        self._fresh: dict[int, dict[str, tuple[Unit, frozenset[int]]]] = {}  # the batch's, its year not read yet
        self._reports: dict[str, YearReport] = {}  # no store: the batch's, by sha256
        self._given: dict[str, Optional[frozenset[int]]] = {}  # sha256 -> its worker's narrative_print
        self._last_print: tuple[str, Any, Any, Optional[frozenset[int]]] = ("", None, None, None)  # sha256, text, sections, print
        self.last_added: tuple[str, Optional[int], Optional[int]] = ("", None, None)  # sha256, its year before, now
        if self._stored:
            store.peer_version(_index_version(self.aliases))  # type: ignore[union-attr]
        if store is not None:
            for row in store.report_units():
                unit = identify(row["agency"], self.aliases)
                if unit is not None:
                    self._index(unit.key, row["sha256"], row["year"])

    def _index(self, key: str, sha: str, year: Optional[int]) -> None:
        years, best = self._years.setdefault(key, {}), self._best.setdefault(key, {})
        before = years.get(sha, year)
        years[sha] = year
        if before != year and best.get(before) == sha:  # read again with another year (another reader)
            rest = [o for o, y in years.items() if y == before]
            best.pop(before)
            if rest:
                best[before] = max(rest)
        if sha > best.get(year, ""):
            best[year] = sha

    def unit_of(self, agency: Optional[str]) -> Optional[Unit]:
        return identify(agency, self.aliases)

    def add(self, result: ReportResult, current: Optional[YearReport] = None) -> None:
        """A report of this batch, for the reports checked after it (with a store, saved
        to it before a later report asks for it). ``current``: the report as the checks across
        reports read it (:func:`current_of`), kept among those read lately (with a store) instead
        of read back from the store after it is saved, when the cross-year checks read it (the
        unit's report of its year, :meth:`shown`; :meth:`_report`)."""
        if not result.unit:
            return
        key, sha, year = result.unit["key"], result.document.sha256, result.sections.meta.year
        before = self._best.get(key, {}).get(year)
        self.last_added = (sha, self._years.get(key, {}).get(sha, year), year)
        self._index(key, sha, year)
        self._cache.pop(sha, None)  # checked again: read it again
        if current is not None and self.store is not None and self.shown(key, sha):
            current.memo["context"] = _result_context(result)
            self._keep(sha, current)
        yr = YearReport.from_result(result.to_json(), result.document.text, key) if self.store is None else None
        if yr is not None:
            self._reports[sha] = yr
            if self.shown(key, sha):
                if before is not None and before != sha:
                    self._kept.pop(before, None)
                self._kept[sha] = yr
        fp = self.narrative_print(sha, result.document.text, result.sections.sections)
        self._given.pop(sha, None)
        unit = Unit.from_json(result.unit)
        if self._stored and year is not None and unit is not None:
            self._hold(sha, result.reader_version, year, unit, fp)
        elif year is not None and unit is not None and fp is not None:
            if year in self._peer_years:
                self._peer_years[year].add(sha, unit, fp)
            else:
                self._fresh.setdefault(year, {})[sha] = (unit, fp)

    def shown(self, key: str, sha: str) -> bool:
        """Whether the cross-year checks read this report (of the unit ``key``): the largest
        sha256 of its unit and year."""
        years = self._years.get(key, {})
        return sha in years and self._best[key].get(years[sha]) == sha

    def reports(self, unit: Optional[Unit]) -> dict[str, Optional[int]]:
        """Every report of the unit (sha256 -> year), shown or not."""
        return dict(self._years.get(unit.key, {})) if unit is not None else {}

    def for_unit(self, unit: Optional[Unit], exclude: str = "") -> list[YearReport]:
        """The unit's reports the cross-year checks read (one a year), but ``exclude``,
        in order of year."""
        out = []
        for sha in self.shown_of(unit, exclude):
            got = self._report(sha, unit.key)  # type: ignore[union-attr]
            if got is not None:
                out.append(got)
        return out

    def shown_of(self, unit: Optional[Unit], exclude: str = "") -> list[str]:
        """The sha256 of :meth:`for_unit`'s reports (nothing read)."""
        if unit is None:
            return []
        best = self._best.get(unit.key, {})
        return [sha for year, sha in sorted(best.items(), key=lambda kv: (kv[0] or 0, kv[1])) if sha != exclude]

    def _report(self, sha: str, key: str) -> Optional[YearReport]:
        """The report ``sha`` of the unit ``key``: kept, or read from the store (and kept among
        those read lately when the cross-year checks read it, :meth:`shown`; another report of
        its unit and year is read by :func:`relink` alone)."""
        if sha in self._kept:
            return self._kept[sha]
        if sha in self._cache:
            self._cache.move_to_end(sha)
            return self._cache[sha]
        got = self.store.result_and_text(sha) if self.store is not None else None
        if got is None:
            return None
        yr = YearReport.from_result(got[0], got[1], key)
        yr.memo["context"] = _context_parts(*got)
        return self._keep(sha, yr) if self.shown(key, sha) else yr

    def _keep(self, sha: str, yr: YearReport) -> YearReport:
        """``yr`` among the reports read lately (the oldest dropped beyond :data:`CACHED`)."""
        self._cache[sha] = yr
        if len(self._cache) > self.CACHED:
            self._cache.popitem(last=False)
        return yr

    def _year(self, year: int) -> Union["_YearIndex", "_StoredYear"]:
        """The fingerprints of the stored reports of ``year`` (read once) and the batch's."""
        index = self._peer_years.get(year)
        if index is None and self._stored:
            index = self._peer_years[year] = self._sync(year)
        elif index is None:
            index = self._peer_years[year] = _YearIndex()
            if self.store is not None:
                for row in self.store.year_texts(year):
                    unit = identify(row["agency"], self.aliases)
                    words = narrative(row["text"], json.loads(row["sections"] or "[]"))
                    if unit is not None and long_enough(words):
                        index.add(row["sha256"], unit, fingerprint(words))
            for sha, (unit, fp) in self._fresh.pop(year, {}).items():  # the batch's over the store's
                index.add(sha, unit, fp)
        return index

    def _sync(self, year: int) -> "_StoredYear":
        """The store's index of ``year`` brought up to its latest reports (those the index lacks
        fingerprinted, a batch at a time; those it holds no longer dropped)."""
        store = self.store
        assert store is not None
        self.flush()  # the batch's reports are stored: written, they are not missing
        store.peer_stale(year)
        todo: list = []
        for row in store.peer_missing(year):
            unit = identify(row["agency"], self.aliases)
            words = narrative(row["text"], json.loads(row["sections"] or "[]"))
            todo.append((row["sha256"], row["reader_version"], year, unit.key if unit else None,
                         fingerprint(words) if unit is not None and long_enough(words) else None))
            if len(todo) >= 200:
                store.peer_put(todo)
                todo = []
        store.peer_put(todo)
        self._recount()  # a report read again with another year: its row of another year went
        return _StoredYear(store, year, self._pending)

    def _hold(self, sha: str, reader_version: str, year: int, unit: Unit, fp: Optional[frozenset[int]]) -> None:
        """A report of the batch for the store's index: kept in memory (``_pending``) until
        :data:`FLUSH` are, then written together (one transaction, not one a report); its row
        there, or its place among the pending, dropped at once (it is only here now)."""
        held = self._pending_rows.pop(sha, None)
        if held is not None and held[4] is not None:
            self._pending[held[2]]._remove(sha)
        elif held is None and self.store.peer_drop(sha) is not None:  # type: ignore[union-attr]
            self._recount()
        self._pending_rows[sha] = (sha, reader_version, year, unit.key, fp)
        if fp is not None:
            self._pending.setdefault(year, _YearIndex()).add(sha, unit, fp)
        if len(self._pending_rows) >= self.FLUSH:
            self.flush()

    FLUSH = 128
    """The batch's reports held in memory before they are written to the store's index."""

    def flush(self) -> None:
        """Write the held reports to the store's index (a batch that ends without: the next
        History derives them from the stored reports, fingerprinting them again)."""
        if self._pending_rows:
            self.store.peer_put(self._pending_rows.values())  # type: ignore[union-attr]
            self._pending_rows.clear()
            self._pending.clear()
            self._recount()

    def _recount(self) -> None:
        """The store's counts of the years asked for, to be read again (its index changed)."""
        for index in self._peer_years.values():
            index.stored = None  # type: ignore[union-attr]

    def _peer_report(self, sha256: str) -> Optional[YearReport]:
        if sha256 in self._reports:
            return self._reports[sha256]
        got = self.store.result_and_text(sha256) if self.store is not None else None
        if got is None:
            return None
        data, text = got
        unit = identify((data.get("report") or {}).get("agency"), self.aliases)
        return replace(YearReport.from_result(data, text, unit.key if unit else None),
                       unit_json=unit.to_json() if unit else data.get("unit"))

    def given(self, sha256: str, fp: Optional[frozenset[int]]) -> None:
        """The fingerprint of a report's narrative (``crossunit.narrative_print``; None: too short
        to compare), made by the worker that checked it: :meth:`peers` and :meth:`add` take it
        instead of making it again (:meth:`add` forgets it)."""
        self._given[sha256] = fp

    def narrative_print(self, sha256: str, text: str, sections: Any) -> Optional[frozenset[int]]:
        """``crossunit.narrative_print`` of a report: given (:meth:`given`), or made here (the last
        one kept: a report's is asked for by :meth:`peers` and again by :meth:`add`)."""
        if sha256 in self._given:
            return self._given[sha256]
        last = self._last_print
        if last[0] != sha256 or last[1] is not text or last[2] is not sections:
            last = self._last_print = (sha256, text, sections, narrative_print(text, sections))
        return last[3]

    def has_year(self, year: Optional[int]) -> bool:
        """Whether any report of ``year`` (stored or of this batch) is there to compare with."""
        return year is not None and bool(self._year(year))

    def peers(self, unit: Optional[Unit], year: Optional[int], sha256: str, text: str, sections: Any) -> Optional[Peers]:
        """The reports of ``year`` of units other than ``unit`` whose narrative comes near
        that of the report ``sha256`` (its ``text`` and ``sections``), and how many there were to
        compare; None when there is no year or no unit."""
        if year is None or unit is None:
            return None
        index = self._year(year)  # a worker without the store sees none: its parent assesses again when there are some
        mine = self.narrative_print(sha256, text, sections)  # made once a report: add, and a worker's outcome, take it
        reports = [self._peer_report(sha) for sha in index.near(mine, sha256, unit.key)] if index and mine else []
        return Peers(year, index.others(sha256, unit.key), tuple(r for r in reports if r is not None), mine is not None)


class _StoredYear:
    """One year of the store's index of fingerprints (``Store.peer_*``) and of the batch's reports
    not written to it yet (``pending``: :class:`History`'s, by year; none of them in the store's):
    what :class:`_YearIndex` answers, the store's part read from it (the reports sharing a sampled
    shingle, how many there are), only the count of its reports compared kept (``stored``)."""

    def __init__(self, store: "Store", year: int, pending: dict[int, "_YearIndex"]) -> None:
        self.store, self.year, self.pending = store, year, pending
        self.stored: Optional[int] = None

    def _stored(self) -> int:
        if self.stored is None:
            self.stored = self.store.peer_compared(self.year)
        return self.stored

    def __bool__(self) -> bool:
        return self._stored() > 0 or bool(self.pending.get(self.year))

    def others(self, sha: str, unit_key: str) -> int:
        """How many reports of other units than ``unit_key`` (but ``sha``) there are."""
        held = self.pending.get(self.year)
        return (self._stored() - self.store.peer_own(self.year, sha, unit_key)
                + (held.others(sha, unit_key) if held is not None else 0))

    def near(self, mine: frozenset[int], sha: str, unit_key: str) -> list[str]:
        """The reports of other units (but ``sha``) whose fingerprint is near ``mine``, sorted."""
        held = self.pending.get(self.year)
        prints = [i for i, shared, size in self.store.peer_sharing(self.year, mine) if near_by(shared, len(mine), size)]
        return sorted(self.store.peer_members(prints, sha, unit_key) + (held.near(mine, sha, unit_key) if held is not None else []))


def _index_version(aliases: dict[str, str]) -> str:
    """What the store's index of fingerprints was built by: the code that cuts the narrative and
    fingerprints it and that names a report's unit, and the unit aliases (another: built again)."""
    digest = hashlib.sha256()
    for module in (crossunit, editorial, units):
        digest.update(Path(module.__file__).read_bytes())  # type: ignore[arg-type]
    digest.update(json.dumps(sorted(aliases.items()), ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


class _YearIndex:
    """The fingerprints of one year's reports (``History.peers``), found by their sampled
    shingles: a report is compared only with the fingerprints it shares one with (the same
    answer as ``crossunit.near`` over every report of the year, without reading them all;
    identical fingerprints, copies of one text, kept once)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[Unit, frozenset[int]]] = {}
        self.per_unit: dict[str, int] = {}
        self.groups: dict[frozenset[int], set[str]] = {}  # a fingerprint -> its reports
        self.canon: dict[frozenset[int], frozenset[int]] = {}
        # a sampled shingle -> the fingerprint holding it, or a set of those when several do (most
        # shingles are one narrative's: a set each would cost four times the fingerprint)
        self.postings: dict[int, Union[frozenset[int], set[frozenset[int]]]] = {}

    def __bool__(self) -> bool:
        return bool(self.entries)

    def add(self, sha: str, unit: Unit, fp: frozenset[int]) -> None:
        if sha in self.entries:
            self._remove(sha)
        fp = self.canon.setdefault(fp, fp)  # one object for equal fingerprints
        group = self.groups.get(fp)
        if group is None:
            group = self.groups[fp] = set()
            for h in fp:
                held = self.postings.get(h)
                if held is None:
                    self.postings[h] = fp
                elif type(held) is set:
                    held.add(fp)
                else:
                    self.postings[h] = {held, fp}
        group.add(sha)
        self.entries[sha] = (unit, fp)
        self.per_unit[unit.key] = self.per_unit.get(unit.key, 0) + 1

    def _remove(self, sha: str) -> None:
        unit, fp = self.entries.pop(sha)
        self.per_unit[unit.key] -= 1
        group = self.groups[fp]
        group.discard(sha)
        if not group:
            del self.groups[fp], self.canon[fp]
            for h in fp:
                held = self.postings[h]
                if type(held) is set:
                    held.discard(fp)
                    if len(held) == 1:
                        self.postings[h] = next(iter(held))
                else:
                    del self.postings[h]

    def others(self, sha: str, unit_key: str) -> int:
        """How many reports of other units than ``unit_key`` (but ``sha``) there are."""
        own = self.entries.get(sha)
        return len(self.entries) - self.per_unit.get(unit_key, 0) - (1 if own and own[0].key != unit_key else 0)

    def near(self, mine: frozenset[int], sha: str, unit_key: str) -> list[str]:
        """The reports of other units (but ``sha``) whose fingerprint is near ``mine``, sorted."""
        candidates: set[frozenset[int]] = set()
        for h in mine:
            held = self.postings.get(h)
            if held is None:
                continue
            if type(held) is set:
                candidates |= held
            else:
                candidates.add(held)
        return sorted(o for fp in candidates if near(mine, fp) for o in self.groups[fp]
                      if o != sha and self.entries[o][0].key != unit_key)


def _context_parts(result: dict[str, Any], text: str) -> tuple[Document, Sections, Tables]:
    """A stored result's document, sections and (empty) tables of its template, enough for the
    cross-year checks."""
    doc = Document(source=result.get("source") or "", sha256=result["sha256"], format=(result.get("report") or {}).get("format") or "",
                   display_text=text, text=text, offsets=())
    rep = result.get("report") or {}
    meta = ReportMeta(title=rep.get("title"), agency=rep.get("agency"), year=rep.get("year"), script=rep.get("script") or "hans")
    secs = tuple(Section(**{k: s[k] for k in ("key", "heading", "start", "body_start", "end")}) for s in result.get("sections") or ())
    return doc, Sections(meta=meta, sections=secs), Tables(template=rep.get("template") or "unknown")


def _result_context(result: ReportResult) -> tuple[Document, Sections, Tables]:
    """:func:`_context_parts` of ``result`` as it is stored (``ReportResult.to_json``'s fields it
    reads), made from the result itself."""
    doc, meta = result.document, result.sections.meta
    report = {"title": meta.title, "agency": meta.agency, "year": meta.year, "template": result.tables.template,
              "script": meta.script, "format": doc.format}
    return _context_parts({"source": doc.source, "sha256": doc.sha256, "report": report,
                           "sections": [vars(s) for s in result.sections.sections]}, doc.text)


def relink(store: "Store", history: History, result: ReportResult, settings: Optional["Settings"] = None) -> list[str]:
    """Recompute, in the store, the cross-year findings of the reports of ``result``'s unit
    from later years (their earlier year is ``result``; none when the checks do not read
    ``result``: another report of its unit and year is the one they read, :meth:`History.shown`;
    of those, only the ones whose checks read ``result``'s year, ``CheckSpec.reads``, when ``result``
    was just added with the year it had), and the cross-unit findings of the reports it is or was near (:func:`relink_peers`).
    Returns their sha256."""
    unit = Unit.from_json(result.unit)
    year = result.sections.meta.year
    if unit is None or year is None:
        return []
    later = history.reports(unit) if history.shown(unit.key, result.document.sha256) else {}
    shown = history.for_unit(unit) if later else []
    # only the report of ``year`` changed (added just now, its year as before): a later report
    # none of whose checks reads that year keeps its findings (CheckSpec.reads)
    steady = history.last_added == (result.document.sha256, year, year)
    done = []
    for sha, later_year in sorted(later.items(), key=lambda kv: (kv[1] or 0, kv[0])):
        if later_year is None or later_year <= year:
            continue
        later = history._report(sha, unit.key)  # kept by the history, or read from the store
        if later is None:
            continue
        others = [h for h in shown if h.sha256 != sha]
        if steady and not _reads_year(later, others, year):
            continue
        doc, secs, tables = later.memo["context"]
        checked = check_report(doc, secs, tables, None, CROSS_YEAR_CHECKS, settings=settings, unit=unit, history=others, current=later)
        store.replace_findings(sha, CROSS_YEAR_CHECKS, checked.findings, checked.checklist)
        done.append(sha)
    return done + relink_peers(store, history, result, settings)


def _reads_year(current: YearReport, earlier: list[YearReport], year: int) -> bool:
    """Whether any cross-year check of ``current`` reads the unit's report of ``year`` (of ``earlier``)."""
    for name in CROSS_YEAR_CHECKS:
        reads = REGISTRY[name].reads
        if reads is None or year in reads(current, earlier):
            return True
    return False


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
        doc, secs, tables = _context_parts(data, text)
        unit = history.unit_of(secs.meta.agency) or Unit.from_json(data.get("unit"))
        current = replace(YearReport.from_result(data, text, unit.key if unit else None),
                          unit_json=unit.to_json() if unit else data.get("unit"))
        peers = history.peers(unit, secs.meta.year, other, text, data.get("sections") or ())
        checked = check_report(doc, secs, tables, None, CROSS_UNIT_CHECKS, settings=settings, unit=unit, peers=peers, current=current)
        store.replace_findings(other, CROSS_UNIT_CHECKS, checked.findings, checked.checklist)
        done.append(other)
    return done


def assess_cross_year(result: ReportResult, history: History, unit: Unit,
                      settings: Optional["Settings"] = None, current: Optional[YearReport] = None) -> Optional[ReportResult]:
    """``result``, checked without the unit's other years and the year's other units, with
    the cross-year and cross-unit checks run again with them (``history``): what
    ``Checker.assess`` gives with the history, for those checks only (the others do not read
    it). Their findings and checklist lines take their places in check order. None when the
    findings are not in check order (then assess the whole report again).

    Only the checks whose input differs from what ``result``'s were run with (a batch's
    worker: no other years, no other units, :func:`unseen`) run again: the cross-year ones
    when the unit has other years, the cross-unit ones when the year has other units'
    reports; ``result`` itself when neither (nothing to assess again). ``current``: the report
    as those checks read it (:func:`current_of`, made by the worker that checked it), when
    ``result`` comes without its tables and claims (``nlp.batch.engines.Shipped``)."""
    order = default_checks()
    pos = {n: i for i, n in enumerate(order)}
    at = [pos.get(f.check, -1) for f in result.findings]
    if -1 in at or at != sorted(at) or [c.get("check") for c in result.checklist] != list(order):
        return None
    doc, sections = result.document, result.sections
    others = history.for_unit(unit, exclude=doc.sha256)
    peers = history.peers(unit, sections.meta.year, doc.sha256, doc.text, sections.sections)
    names = [n for n in order if (n in CROSS_YEAR_CHECKS and others) or (n in CROSS_UNIT_CHECKS and not unseen(peers))]
    if not names:
        return result
    checked = check_report(doc, sections, result.tables, result.claims, names, settings=settings,
                           unit=unit, history=others, peers=peers, current=current)
    if any(f.check not in names for f in checked.findings):
        return None
    groups: dict[str, list] = {}
    for f in [f for f in result.findings if f.check not in names] + list(checked.findings):
        groups.setdefault(f.check, []).append(f)
    lines = {c["check"]: c for c in checked.checklist}
    return replace(result, findings=[f for n in order for f in groups.get(n, ())],
                   checklist=[lines.get(c["check"], c) for c in result.checklist])


def current_of(result: ReportResult, settings: Optional["Settings"] = None) -> YearReport:
    """``result``'s report as the cross-year and cross-unit checks read it
    (``nlp.checks.crossyear.this_year``): all they read of its tables and claims."""
    from nlp.checks.registry import CheckContext
    from nlp.checks.crossyear import this_year
    from nlp.config import settings as current_settings

    return this_year(CheckContext(result.document, result.sections, result.tables, result.claims,
                                  settings or current_settings(), Unit.from_json(result.unit)))


def unseen(peers: Optional[Peers]) -> bool:
    """Whether ``peers`` is what a report checked without the year's other reports had (a
    batch's worker, whose history holds none): nothing (no year or no unit), or no report
    compared and none near."""
    return peers is None or (not peers.compared and not peers.reports)


def with_unit(result: ReportResult, unit: Optional[Unit]) -> ReportResult:
    """The result naming its unit (``ReportResult.unit``)."""
    return replace(result, unit=unit.to_json() if unit is not None else None)


__all__ = ["CROSS_UNIT_CHECKS", "CROSS_YEAR_CHECKS", "History", "assess_cross_year", "current_of", "relink", "relink_peers", "unseen",
           "with_unit"]
