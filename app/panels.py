"""Tabs other parts of the project add to the report page (报告详情), without editing it.

Each entry is ``(label, draw)``: ``label`` a short, fixed Chinese tab name (it is also the
value of the page's ``?tab=`` parameter), ``draw(sha256, report)`` draws the tab with ``st.*``
calls from store queries (``report`` is the page's ``Store.report`` row). A tab's function
runs only while its tab is open. Add one by appending here, e.g. the checks' per-report
checklist::

    from app.checklist import checklist_tab
    REPORT_TABS.append(("检查清单", checklist_tab))
"""

from __future__ import annotations

from typing import Any, Callable

ReportTab = Callable[[str, dict[str, Any]], None]

REPORT_TABS: list[tuple[str, ReportTab]] = []

from app.checklist import checklist_tab  # noqa: E402  (the checks' per-report checklist, issue 11)

REPORT_TABS.append(("检查清单", checklist_tab))
