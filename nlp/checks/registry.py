"""The one registry of checks, and the one context every check reads.

A check is a pure function ``(ctx: CheckContext) -> list[Finding]`` registered under a
versioned name, with what it reports and what it needs declared at registration (the way
spaCy's factories declare ``assigns`` and ``requires``)::

    @register("table_b.row_sum.v1", kind="table_arithmetic", severity=("error", "warning"))
    def table_b_row_sum(ctx: CheckContext) -> list[Finding]: ...

- ``kind``: the finding kind(s) it emits; each has a Chinese name in ``nlp.schema.KIND_ZH``.
- ``severity``: the severities it may give (error, warning, info).
- ``needs``: what the context must hold for the check to run: ``"tables"`` (always there),
  ``"claims"`` (the reconciled claims; a run without them skips the check), ``"unit"`` (the
  unit the report belongs to, ``nlp.units``), ``"history"`` (the unit's reports of other
  years, from the store or the same batch), ``"peers"`` (the same year's reports of other units,
  from the store or the same batch).
- ``title``: what the check verifies, in Chinese: the line of the report's checklist.

Every run keeps a **checklist**: for each check, ``pass`` (no finding), ``fail`` (findings) or
``not_assessable`` with the reason: a need the context lacks, or a check that raised
:class:`NotAssessable` (no table B to add up, no section 五 to read …).

A new version of a check is registered beside the old one under ``.v2``; the default run
takes the latest version of each base name (:func:`default_checks`), and the finding id
depends on the base name, not the version (``nlp.schema.finding``), so a reviewer's decision
survives the upgrade. Names never change once released: ids hang on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Optional, Sequence, Union

from nlp.config import Settings, settings as current_settings
from nlp.errors import Errors, XxgkError
from nlp.reconcile import in_table, is_percent, placed_tables
from nlp.schema import Claim, Document, Finding, ReportMeta, Sections, Tables

__all__ = ["CHECKS", "REGISTRY", "CheckContext", "CheckSpec", "Checked", "NotAssessable", "check_report",
           "default_checks", "register", "run_checks"]

NEEDS = ("tables", "claims", "unit", "history", "peers")
"""What a check may need from its context."""
NEEDS_MISSING = {
    "claims": "本次未抽取叙述中的数字",
    "unit": "未能识别报告所属单位及其地区",
    "history": "没有该单位相邻年度的报告可比",
    "peers": "没有同年度其他单位的报告可比(以数据库或同一批次检查时才有)",
}
"""Why a check is not assessable when its context lacks a need."""
SEVERITIES = ("error", "warning", "info")
CHECK_STATUSES = ("pass", "fail", "not_assessable")


class NotAssessable(Exception):
    """Raised by a check that cannot judge this report; the message (Chinese) says why."""


@dataclass(frozen=True)
class CheckContext:
    """What every check reads: one report's stages and the settings.

    ``claims`` is None when the run has no claims (a table-only run); checks that need them
    are then skipped. ``narrative`` is the claims outside the parsed tables' extent (a number
    inside a table is table text, not narrative).
    """

    doc: Document
    sections: Sections
    tables: Tables
    claims: Optional[Sequence[Claim]] = None
    settings: Settings = field(default_factory=current_settings)
    unit: Optional[Any] = None  # nlp.units.Unit
    history: Optional[Sequence[Any]] = None  # nlp.checks.crossyear.YearReport of the unit's other years
    current: Optional[Any] = None  # this report as a YearReport, when it is read back from the store
    peers: Optional[Any] = None  # nlp.checks.crossunit.Peers: the same year's reports of other units near this one

    @property
    def sha256(self) -> str:
        return self.doc.sha256

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def meta(self) -> Optional[ReportMeta]:
        return self.sections.meta if self.sections is not None else None

    @property
    def year(self) -> Optional[int]:
        return self.meta.year if self.meta is not None else None

    @property
    def confidence_floor(self) -> float:
        """Below this classifier confidence a claim's metric is uncertain (a setting)."""
        return self.settings.confidence_floor

    @cached_property
    def narrative(self) -> list[Claim]:
        """The claims whose number is not inside a parsed table."""
        placed = placed_tables(self.tables)
        return [c for c in self.claims or () if in_table(c, self.tables, placed) is None]

    # What several checks of one report read, made once a report (the context is the report's):

    @cached_property
    def narrative_spans(self) -> list[tuple[int, int]]:
        """The stretches of the text outside the parsed tables."""
        cuts = sorted((t.start, t.end) for t in self.tables.all() if t.start is not None and t.end is not None)
        out, pos = [], 0
        for a, b in cuts:
            if a > pos:
                out.append((pos, a))
            pos = max(pos, b)
        if pos < len(self.text):
            out.append((pos, len(self.text)))
        return out

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """What a check keeps for the next one that asks (``nlp.checks.crossyear.this_year``), by
        what it is of: this report's, gone with its context."""
        return {}

    @cached_property
    def counts(self) -> list[Claim]:
        """The narrative's counts in the order of their numbers (``nlp.checks._parts.counts_in_order``):
        what its totals, parts, rates and shares are read from."""
        from nlp.checks._parts import counts_in_order

        return counts_in_order(self.narrative)

    @cached_property
    def parts_groups(self) -> list[Any]:
        """The narrative's totals with their listed parts (``nlp.checks._parts.parts_groups``)."""
        from nlp.checks._parts import parts_groups

        return parts_groups(self.text, self.narrative, self.counts)

    @cached_property
    def percents(self) -> list[Claim]:
        """The narrative's percentages (``nlp.reconcile.is_percent``), in claim order: what its rates are."""
        return [c for c in self.narrative if is_percent(c)]

    @cached_property
    def rates(self) -> list[Any]:
        """The narrative's rates with the two counts that determine them (``nlp.checks._parts.rate_checks``)."""
        from nlp.checks._parts import rate_checks

        return rate_checks(self.text, self.narrative, self.counts, self.percents)

    def has(self, need: str) -> bool:
        if need == "tables":
            return True
        return bool(getattr(self, need)) if need == "history" else getattr(self, need) is not None


CheckFn = Callable[[CheckContext], list[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: its function and what it declares."""

    name: str
    fn: CheckFn
    kinds: tuple[str, ...]
    severities: tuple[str, ...]
    needs: tuple[str, ...]
    title: str = ""
    reads: Optional[Callable[[Any, Sequence[Any]], set]] = None
    """A check across years: the years of the unit's earlier reports it reads, given this report and
    those (``crossyear.YearReport``); None: every earlier year. ``nlp.history.relink`` need not run it
    again on a later report when no year it reads changed."""

    @property
    def base(self) -> str:
        """The name without its version: what finding ids hang on."""
        return self.name.rsplit(".v", 1)[0]

    @property
    def version(self) -> int:
        return int(self.name.rsplit(".v", 1)[1])

    @property
    def doc(self) -> str:
        """The first line of the check's docstring."""
        return (self.fn.__doc__ or "").strip().splitlines()[0] if self.fn.__doc__ else ""


REGISTRY: dict[str, CheckSpec] = {}
"""Every registered check by versioned name, in registration order."""
CHECKS: dict[str, CheckFn] = {}
"""Name → function, derived from :data:`REGISTRY` (kept in step by :func:`register`)."""

_NAME = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*\.v\d+")


def _tuple(v: Union[str, Sequence[str]]) -> tuple[str, ...]:
    return (v,) if isinstance(v, str) else tuple(v)


def register(name: str, *, kind: Union[str, Sequence[str]], severity: Union[str, Sequence[str]],
             title: str, needs: Union[str, Sequence[str]] = ("tables",),
             reads: Optional[Callable[[Any, Sequence[Any]], set]] = None) -> Callable[[CheckFn], CheckFn]:
    """Register a check under a versioned name (``"table_b.row_sum.v1"``); returns it unchanged.
    ``reads``: a check across years, the earlier years it reads (:attr:`CheckSpec.reads`)."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"check name {name!r} must look like 'area.what.v1'")
    kinds, severities, wanted = _tuple(kind), _tuple(severity), _tuple(needs)
    if not kinds or not severities or set(severities) - set(SEVERITIES) or set(wanted) - set(NEEDS) or not title:
        raise ValueError(f"check {name}: kind, severity ({SEVERITIES}), title and needs ({NEEDS}) must be declared")

    def deco(fn: CheckFn) -> CheckFn:
        if name in REGISTRY:
            raise ValueError(f"check {name} registered twice")
        REGISTRY[name] = CheckSpec(name, fn, kinds, severities, wanted, title, reads)
        CHECKS[name] = fn
        _LATEST.clear()
        return fn

    return deco


def unregister(name: str) -> None:
    """Remove a check (for tests that register one of their own)."""
    REGISTRY.pop(name, None)
    CHECKS.pop(name, None)
    _LATEST.clear()


_LATEST: list[tuple[str, ...]] = []
""":func:`default_checks` as the registry stands (emptied by :func:`register` and :func:`unregister`)."""


def default_checks() -> tuple[str, ...]:
    """The latest version of every registered check, in the order the checks were first registered."""
    if not _LATEST:
        latest: dict[str, CheckSpec] = {}
        for spec in REGISTRY.values():
            old = latest.get(spec.base)
            if old is None or spec.version > old.version:
                latest[spec.base] = spec
        _LATEST.append(tuple(s.name for s in latest.values()))
    return _LATEST[0]


@dataclass(frozen=True)
class Checked:
    """What a run of the checks gives: the findings, and the checklist of every check that ran."""

    findings: list[Finding]
    checklist: list[dict[str, Any]]


_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def checklist_entry(spec: CheckSpec, findings: Sequence[Finding], why: Optional[str] = None) -> dict[str, Any]:
    """One line of the checklist: the check, its title, pass / fail / not_assessable and why."""
    worst = min((f.severity for f in findings), key=lambda s: _ORDER.get(s, 9)) if findings else None
    status = "not_assessable" if why is not None else ("fail" if findings else "pass")
    return {"check": spec.name, "title": spec.title, "kinds": list(spec.kinds), "status": status,
            "findings": len(findings), "worst": worst, "why": why}


def _lacking(ctx: CheckContext) -> dict[str, str]:
    """Need → why a check needing it is not assessable, for each need ``ctx`` lacks (asked once a run)."""
    return {need: NEEDS_MISSING[need] for need in NEEDS if not ctx.has(need)}


def check_report(doc: Document, sections: Sections, tables: Tables, claims: Optional[Sequence[Claim]] = None,
                 names: Optional[Sequence[str]] = None, *, settings: Optional[Settings] = None,
                 unit: Any = None, history: Optional[Sequence[Any]] = None, current: Any = None,
                 peers: Any = None) -> Checked:
    """Run the named checks (the default ones when ``names`` is None) over one report, keeping
    the checklist: :func:`run_checks` with the pass / fail / not-assessable line of each check.

    ``unit`` and ``history`` are the report's unit (``nlp.units.Unit``) and the unit's reports
    of other years (``nlp.checks.crossyear.YearReport``), ``peers`` the same year's reports of
    other units that look like this one (``nlp.checks.crossunit.Peers``); the checks that need
    them are not assessable without them. Raises ``XxgkError`` (E041) for a name that is not registered.
    """
    ctx = CheckContext(doc, sections, tables, claims, settings or current_settings(), unit, history, current, peers)
    lacking = _lacking(ctx)
    findings: list[Finding] = []
    checklist: list[dict[str, Any]] = []
    for name in default_checks() if names is None else names:
        spec = REGISTRY.get(name)
        if spec is None:
            raise XxgkError(Errors.E041, name=name, known=", ".join(REGISTRY))
        missing = next(filter(lacking.__contains__, spec.needs), None) if lacking else None
        if missing is not None:
            checklist.append(checklist_entry(spec, [], lacking[missing]))
            continue
        try:
            found = spec.fn(ctx)
        except NotAssessable as why:
            checklist.append(checklist_entry(spec, [], str(why)))
            continue
        findings.extend(found)
        checklist.append(checklist_entry(spec, found))
    return Checked(findings, checklist)


def run_checks(doc: Document, sections: Sections, tables: Tables, claims: Optional[Sequence[Claim]] = None,
               names: Optional[Sequence[str]] = None, *, settings: Optional[Settings] = None) -> list[Finding]:
    """Run the named checks (the default ones when ``names`` is None) over one report.

    Parameters
    ----------
    doc, sections, tables:
        The outputs of ``ingest``, ``find_sections`` and ``parse_tables`` for one report.
    claims:
        The reconciled claims (``nlp.reconcile.reconcile``); None runs only the checks that
        do not need them.
    names:
        Registered check names, in the order to run them.
    settings:
        The settings checks read (default: ``nlp.config.settings()``, read now).

    Returns
    -------
    list[Finding]
        The findings of every check, in check order. Raises ``XxgkError`` (E041) for a name
        that is not registered.
    """
    return check_report(doc, sections, tables, claims, names, settings=settings).findings
