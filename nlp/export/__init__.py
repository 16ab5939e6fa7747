"""Export the claims and findings, with their current review decisions and the reviewers'
corrections, for people who work in Excel: CSV (UTF-8 with a BOM, so Excel reads the
Chinese right) and .xlsx (one sheet each), one report's JSON result, the store's tables as
Parquet for researchers' notebooks (``to_parquet``), and for the units the
Word documents a reviewer sends: a report's 问题清单 (``issue_list_docx``) and a batch's
通报 (``circular_docx``). Column headers are Chinese; a metric shows its key and its Chinese
name.

The package: ``words`` (a finding, its evidence and a review in Chinese words), ``tables``
(CSV, .xlsx, JSON), ``parquet`` (the store's tables for notebooks), ``documents`` (the
问题清单 and the 通报 as Word documents).

>>> data = claims_csv(store)                      # doctest: +SKIP
>>> Path("claims.csv").write_bytes(data)          # doctest: +SKIP
"""

from nlp.export.words import (
    SEVERITY_ZH, DECISION_ZH, CHECK_STATUS_ZH, kind_zh, cell_label, report_ref_text,
    evidence_lines, evidence_text,
)
from nlp.export.tables import (
    CLAIM_COLUMNS, FINDING_COLUMNS, CHECKLIST_COLUMNS, claim_table, finding_table,
    CORRECTION_COLUMNS, correction_table, corrections_csv, claims_csv, findings_csv,
    checklist_table, checklist_summary, checklist_csv, to_xlsx, report_json,
)
from nlp.export.parquet import (
    PARQUET_COLUMNS, to_parquet,
)
from nlp.export.documents import (
    DOCX, find_reports, document_name, figures, confirmed_items, issue_list_docx,
    circular_summary, circular_docx,
)
from nlp.schema import KIND_ZH, STATUS_ZH  # the labels the exports use, from the one schema

__all__ = [
    'CHECKLIST_COLUMNS', 'CHECK_STATUS_ZH', 'CLAIM_COLUMNS', 'CORRECTION_COLUMNS',
    'DECISION_ZH', 'DOCX', 'FINDING_COLUMNS', 'KIND_ZH', 'PARQUET_COLUMNS', 'SEVERITY_ZH',
    'STATUS_ZH', 'cell_label', 'checklist_csv', 'checklist_summary', 'checklist_table',
    'circular_docx', 'circular_summary', 'claim_table', 'claims_csv', 'confirmed_items',
    'correction_table', 'corrections_csv', 'document_name', 'evidence_lines', 'evidence_text',
    'figures', 'find_reports', 'finding_table', 'findings_csv', 'issue_list_docx', 'kind_zh',
    'report_json', 'report_ref_text', 'to_parquet', 'to_xlsx',
]
