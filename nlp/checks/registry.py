"""The one registry of checks, and the one context every check reads.

A check is a pure function ``(ctx: CheckContext) -> list[Finding]`` registered under a
versioned name, with what it reports and what it needs declared at registration (the way
spaCy's factories declare ``assigns`` and ``requires``)::

    @register("table_b.row_sum.v1", kind="table_arithmetic", severity=("error", "warning"))
    def table_b_row_sum(ctx: CheckContext) -> list[Finding]: ...

- ``kind``: the finding kind(s) it emits; each has a Chinese name in ``nlp.schema.KIND_ZH``.
- ``severity``: the severities it may give (error, warning, info).
- ``needs``: what the context must hold for the check to run: ``"tables"`` (always there),
  ``"claims"`` (the reconciled claims; a run without them skips the check).

A new version of a check is registered beside the old one under ``.v2``; the default run
takes the latest version of each base name (:func:`default_checks`), and the finding id
depends on the base name, not the version (``nlp.schema.finding``), so a reviewer's decision
survives the upgrade. Names never change once released: ids hang on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Optional, Sequence, Union

from nlp.config import Settings, settings as current_settings
from nlp.errors import Errors, XxgkError
from nlp.reconcile import in_table
from nlp.schema import Claim, Document, Finding, ReportMeta, Sections, Tables

__all__ = ["CHECKS", "REGISTRY", "CheckContext", "CheckSpec", "default_checks", "register", "run_checks"]

NEEDS = ("tables", "claims")
"""What a check may need from its context."""
SEVERITIES = ("error", "warning", "info")


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
        return [c for c in self.claims or () if in_table(c, self.tables) is None]

    def has(self, need: str) -> bool:
        return need != "claims" or self.claims is not None


CheckFn = Callable[[CheckContext], list[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: its function and what it declares."""

    name: str
    fn: CheckFn
    kinds: tuple[str, ...]
    severities: tuple[str, ...]
    needs: tuple[str, ...]

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
             needs: Union[str, Sequence[str]] = ("tables",)) -> Callable[[CheckFn], CheckFn]:
    """Register a check under a versioned name (``"table_b.row_sum.v1"``); returns it unchanged."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"check name {name!r} must look like 'area.what.v1'")
    kinds, severities, wanted = _tuple(kind), _tuple(severity), _tuple(needs)
    if not kinds or not severities or set(severities) - set(SEVERITIES) or set(wanted) - set(NEEDS):
        raise ValueError(f"check {name}: kind, severity ({SEVERITIES}) and needs ({NEEDS}) must be declared")

    def deco(fn: CheckFn) -> CheckFn:
        if name in REGISTRY:
            raise ValueError(f"check {name} registered twice")
        REGISTRY[name] = CheckSpec(name, fn, kinds, severities, wanted)
        CHECKS[name] = fn
        return fn

    return deco


def unregister(name: str) -> None:
    """Remove a check (for tests that register one of their own)."""
    REGISTRY.pop(name, None)
    CHECKS.pop(name, None)


def default_checks() -> tuple[str, ...]:
    """The latest version of every registered check, in the order the checks were first registered."""
    latest: dict[str, CheckSpec] = {}
    for spec in REGISTRY.values():
        old = latest.get(spec.base)
        if old is None or spec.version > old.version:
            latest[spec.base] = spec
    return tuple(s.name for s in latest.values())


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
    ctx = CheckContext(doc, sections, tables, claims, settings or current_settings())
    out: list[Finding] = []
    for name in default_checks() if names is None else names:
        spec = REGISTRY.get(name)
        if spec is None:
            raise XxgkError(Errors.E041, name=name, known=", ".join(REGISTRY))
        if all(ctx.has(n) for n in spec.needs):
            out.extend(spec.fn(ctx))
    return out
