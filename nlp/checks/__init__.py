"""The checks: one registry of pure functions over one report, run after the claims are
reconciled.

    run_checks(doc, sections, tables, claims=None, names=None) -> list[Finding]

Every check is registered in :mod:`nlp.checks.registry` under a stable versioned name with
the finding kinds and severities it emits and what it needs, and reads one
:class:`CheckContext` (the document, sections, tables, reconciled claims and settings). The
modules are the rooms of the checks:

- :mod:`~nlp.checks.tables`: arithmetic inside tables A, B and C;
- :mod:`~nlp.checks.stats`: arithmetic inside the statistics table of a pre-2019 report;
- :mod:`~nlp.checks.cells`: damaged, blank and uncertain cells;
- :mod:`~nlp.checks.report`: tables present, template and year, sections that say nothing;
- :mod:`~nlp.checks.narrative`: claims against the tables and the narrative against itself;
- :mod:`~nlp.checks.crossyear`: this report against the unit's reports of other years;
- :mod:`~nlp.checks.editorial`: enumerations, doubled words, repeated sentences, other places, years, copied text;
- :mod:`~nlp.checks.statements`: what the narrative says of requests and cases against itself and tables B, C;
- :mod:`~nlp.checks.crossunit`: this report against the same year's reports of other units (one report, two issuers).

``CHECKS`` (name → function) and ``DEFAULT_CHECKS`` (the latest version of each check, in
registration order) are derived from the registry.
"""

from nlp.checks.registry import (
    CHECKS,
    REGISTRY,
    CheckContext,
    Checked,
    CheckSpec,
    NotAssessable,
    check_report,
    default_checks,
    register,
    run_checks,
)

# Importing the modules registers their checks, in this order (the order findings come in).
from nlp.checks import tables, stats, cells, report, narrative, crossyear, editorial, statements, crossunit  # noqa: E402,F401  isort: skip

DEFAULT_CHECKS: tuple[str, ...] = default_checks()
"""The checks a run does when no names are given (at import; :func:`default_checks` is live)."""

__all__ = ["CHECKS", "DEFAULT_CHECKS", "REGISTRY", "CheckContext", "CheckSpec", "Checked", "NotAssessable",
           "check_report", "default_checks", "register", "run_checks"]
