"""Export the claims and findings, with their current review decisions, for people who work in
Excel: CSV (UTF-8 with a BOM, so Excel reads the Chinese right) and .xlsx (one sheet each),
and one report's JSON result. Column headers are Chinese; a metric shows its key and its
Chinese name.

>>> data = claims_csv(store)                      # doctest: +SKIP
>>> Path("claims.csv").write_bytes(data)          # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Optional

from nlp.metrics import metric_zh
from nlp.schema import KIND_ZH
from nlp.store import Store

STATUS_ZH = {
    "match": "一致",
    "approx_match": "近似一致",
    "mismatch": "不一致",
    "ambiguous": "需复核",
    "unchecked": "未核对",
}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
DECISION_ZH = {"confirmed_defect": "确认问题", "false_alarm": "误报", "needs_follow_up": "需跟进"}

# (header, how to get the value from a store row)
_REPORT_COLUMNS: list[tuple[str, Any]] = [
    ("报告文件", "source"),
    ("报告标题", "title"),
    ("机关", "agency"),
    ("年度", "year"),
]
_DECISION_COLUMNS: list[tuple[str, Any]] = [
    ("需复核", lambda r: "是" if r["to_review"] else ""),
    ("复核结论", lambda r: DECISION_ZH.get(r["decision"], "") if r["decision"] else ""),
    ("复核意见", "comment"),
    ("复核人", "reviewer"),
    ("复核时间", "decided_at"),
    ("报告SHA256", "sha256"),
]

CLAIM_COLUMNS: list[tuple[str, Any]] = _REPORT_COLUMNS + [
    ("声明编号", "id"),
    ("原文", "text"),
    ("状态", lambda r: STATUS_ZH.get(r["status"], r["status"])),
    ("指标", lambda r: metric_zh(r["metric"])),
    ("指标键", "metric"),
    ("报告数值", "value"),
    ("数字原文", "number_text"),
    ("约数", lambda r: "是" if r["approx"] else ""),
    ("表格数值", "table_value"),
    ("依据", "evidence"),
    ("读法", "reading"),
    ("置信度", "confidence"),
] + _DECISION_COLUMNS

FINDING_COLUMNS: list[tuple[str, Any]] = _REPORT_COLUMNS + [
    ("问题编号", "id"),
    ("严重程度", lambda r: SEVERITY_ZH.get(r["severity"], r["severity"])),
    ("类型", lambda r: kind_zh(r["kind"])),
    ("类型键", "kind"),
    ("检查", "check_name"),
    ("说明", "message"),
    ("证据", lambda r: json.dumps(r["evidence"], ensure_ascii=False)),
] + _DECISION_COLUMNS


def kind_zh(kind: str) -> str:
    """The Chinese name of a finding kind (the key itself if unknown)."""
    return KIND_ZH.get(kind, kind)


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, Any]]) -> list[list[Any]]:
    out = [[h for h, _ in columns]]
    for r in rows:
        out.append([get(r) if callable(get) else r.get(get) for _, get in columns])
    return out


def claim_table(store: Store, sha256: Optional[str] = None) -> list[list[Any]]:
    """The claims (of one report, or all) with decisions: a header row then one row each."""
    return _table(store.claims(sha256), CLAIM_COLUMNS)


def finding_table(store: Store, sha256: Optional[str] = None) -> list[list[Any]]:
    """The findings (of one report, or all) with decisions: a header row then one row each."""
    return _table(store.findings(sha256), FINDING_COLUMNS)


def _csv(table: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([["" if v is None else v for v in row] for row in table])
    return buf.getvalue().encode("utf-8-sig")


def claims_csv(store: Store, sha256: Optional[str] = None) -> bytes:
    """Claims with their decisions as CSV bytes (UTF-8 with BOM)."""
    return _csv(claim_table(store, sha256))


def findings_csv(store: Store, sha256: Optional[str] = None) -> bytes:
    """Findings with their decisions as CSV bytes (UTF-8 with BOM)."""
    return _csv(finding_table(store, sha256))


def to_xlsx(store: Store, sha256: Optional[str] = None) -> bytes:
    """An Excel workbook with two sheets, 问题 (findings) and 声明 (claims), with decisions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for title, table in (("问题", finding_table(store, sha256)), ("声明", claim_table(store, sha256))):
        ws = wb.create_sheet(title)
        for row in table:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, header in enumerate(table[0], start=1):
            width = max([len(str(header)) * 2] + [min(len(str(r[i - 1] or "")), 60) for r in table[1:]])
            ws.column_dimensions[get_column_letter(i)].width = max(8, min(width + 2, 62))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_json(store: Store, sha256: str) -> Optional[bytes]:
    """One report's JSON result (report-json.md), UTF-8, or None if the store lacks it."""
    result = store.get_result(sha256)
    if result is None:
        return None
    return json.dumps(result, ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------------------
# Parquet: the store's tables for researchers' notebooks
# ---------------------------------------------------------------------------

_STR, _INT, _FLOAT, _BOOL = "string", "int64", "float64", "bool"
_DECIDED = [("decision", _STR), ("comment", _STR), ("reviewer", _STR), ("decided_at", _STR)]
PARQUET_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "reports": [("sha256", _STR), ("reader_version", _STR), ("pipeline_version", _STR), ("model_version", _STR),
                ("source", _STR), ("title", _STR), ("agency", _STR), ("year", _INT), ("template", _STR),
                ("script", _STR), ("format", _STR), ("checked_at", _STR)],
    "cells": [("sha256", _STR), ("seq", _INT), ("tbl", _STR), ("row_key", _STR), ("col_key", _STR),
              ("value", _FLOAT), ("raw", _STR), ("start", _INT), ("stop", _INT), ("uncertain", _BOOL),
              ("note", _STR), ("finding_ids", "list<string>")],
    "claims": [("sha256", _STR), ("reader_version", _STR), ("seq", _INT), ("id", _STR), ("status", _STR),
               ("metric", _STR), ("value", _FLOAT), ("table_value", _FLOAT), ("number_text", _STR), ("unit", _STR),
               ("approx", _BOOL), ("qualifier", _STR), ("confidence", _FLOAT), ("review_score", _FLOAT),
               ("needs_review", _BOOL), ("to_review", _BOOL), ("text", _STR), ("sentence", _STR), ("section", _STR),
               ("start", _INT), ("stop", _INT), ("display_start", _INT), ("display_stop", _INT),
               ("evidence", _STR), ("reading", _STR), ("source", _STR)] + _DECIDED,
    "findings": [("sha256", _STR), ("reader_version", _STR), ("seq", _INT), ("id", _STR), ("check_name", _STR),
                 ("kind", _STR), ("severity", _STR), ("message", _STR), ("evidence", _STR), ("to_review", _BOOL),
                 ("span_start", _INT), ("span_stop", _INT), ("display_start", _INT), ("display_stop", _INT)] + _DECIDED,
    "decisions": [("id", _INT), ("item_id", _STR), ("item_kind", _STR), ("report_sha256", _STR),
                  ("decision", _STR), ("comment", _STR), ("reviewer", _STR), ("created_at", _STR)],
}
"""Each Parquet file's columns and types: the store's rows, English names, typed (numbers as
float64, flags as bool, a cell's ``finding_ids`` as a list; a finding's ``evidence`` stays JSON
text). ``claims`` and ``findings`` carry their current decision."""


def _arrow_schema(table: str) -> Any:
    import pyarrow as pa

    types = {_STR: pa.string(), _INT: pa.int64(), _FLOAT: pa.float64(), _BOOL: pa.bool_(),
             "list<string>": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in PARQUET_COLUMNS[table]])


def _typed(rows: list[dict[str, Any]], table: str) -> list[dict[str, Any]]:
    cols = PARQUET_COLUMNS[table]
    out = []
    for r in rows:
        row = {}
        for name, kind in cols:
            v = r.get(name)
            if v is not None:
                if kind == _BOOL:
                    v = bool(v)
                elif kind == _FLOAT:
                    v = float(v)
                elif kind == "list<string>" and isinstance(v, str):
                    v = json.loads(v)
                elif kind == _STR and not isinstance(v, str):
                    v = json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v)
            row[name] = v
        out.append(row)
    return out


def to_parquet(store: Store, folder: Any, tables: Optional[list[str]] = None) -> dict[str, Any]:
    """Write ``{table}.parquet`` into ``folder`` for each of reports, cells, claims, findings
    and decisions (or ``tables``), streaming the store a few hundred reports at a time.
    Returns the written paths by table.

    >>> paths = to_parquet(Store("xxgk.sqlite"), "out/")          # doctest: +SKIP
    >>> pandas.read_parquet(paths["claims"]).groupby("status").size()  # doctest: +SKIP
    """
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in tables or list(PARQUET_COLUMNS):
        schema = _arrow_schema(table)
        path = folder / f"{table}.parquet"
        tmp = path.with_name(path.name + ".part")
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            wrote = False
            for rows in store.export_rows(table):
                writer.write_table(pa.Table.from_pylist(_typed(rows, table), schema=schema))
                wrote = True
            if not wrote:
                writer.write_table(schema.empty_table())
        tmp.replace(path)
        written[table] = path
    return written
