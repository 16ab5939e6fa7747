"""xxgk-audit: read a 政府信息公开工作年度报告, parse its standard tables, extract the
narrative's quantitative claims and reconcile them.

The stages, in the order the data flows::

    ingest -> sections -> tables -> claims -> reconcile -> checks -> store

``nlp.pipeline.check(path)`` composes them.
"""

from nlp.schema import READER_VERSION

__version__ = READER_VERSION
__all__ = ["__version__"]
