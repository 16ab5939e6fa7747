"""The SQLite store: checked reports for the app, and the reviewers' decisions on them.

The only module that writes SQL. ``Store(path)`` opens (or creates) a database file, or an
in-memory one with ``":memory:"``. Two kinds of tables live apart:

- **computed** tables, keyed by ``(sha256, reader_version)``: ``reports``, ``claims``,
  ``findings``, ``cells``. ``save(result)`` replaces the rows of one report and reader version
  in one transaction; a re-run never touches anything else.
- **human** tables: ``decisions`` and ``corrections``, append-only. The current decision on
  an item is its latest row. A decision whose item no longer appears in the latest results is
  *orphaned*: it is kept and listed (``orphaned_decisions``), never dropped. A correction
  (``record_correction``) is a reviewer's figure for a table cell or a claim the reader
  misread, with who, when and why; the original reading is kept in it, and its latest row
  per cell or claim is the one that applies (``corrections``). ``nlp.pipeline`` applies them
  whenever the report is reconciled again.

"Latest results" are, per report (sha256), the rows of its highest reader version (the most
recently checked one on a tie). Every number the app shows comes from a query here.

The package, in the order a reader needs it: ``_schema`` (the tables), ``rows`` (a result as
rows, outside SQL), ``core`` (``Store``: open, migrate, save, read back), and the Store's
parts: ``_reviews`` (decisions, corrections), ``_queries`` (the app's and the exports'
reads), ``_units`` (unit aliases, reports across units and years).

>>> store = Store(":memory:")
>>> store.save(result)                                  # doctest: +SKIP
>>> store.record_decision("F-1a2b", "finding", sha, "false_alarm", reviewer="王")  # doctest: +SKIP
"""

from nlp.store._schema import (DECISIONS, ITEM_KINDS, REVIEW_SEVERITIES, REVIEW_STATUSES,
                               SCHEMA_VERSION)
from nlp.store.core import Store, save_all
from nlp.store.rows import CORRECTION_KINDS, DocumentText, ReportRows, cell_target, claim_target, rows_of, version_key

__all__ = [
    "CORRECTION_KINDS", "DECISIONS", "ITEM_KINDS", "REVIEW_SEVERITIES", "REVIEW_STATUSES", "SCHEMA_VERSION",
    "DocumentText", "ReportRows", "Store", "cell_target", "claim_target", "rows_of", "save_all", "version_key",
]
