"""The store's tables as Parquet for researchers' notebooks (``to_parquet``), with fixed column
types.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from nlp.store import Store


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
               ("evidence", _STR), ("reading", _STR), ("found_by", _STR)] + _DECIDED,
    "findings": [("sha256", _STR), ("reader_version", _STR), ("seq", _INT), ("id", _STR), ("check_name", _STR),
                 ("kind", _STR), ("severity", _STR), ("message", _STR), ("evidence", _STR), ("to_review", _BOOL),
                 ("span_start", _INT), ("span_stop", _INT), ("display_start", _INT), ("display_stop", _INT),
                 ("claim_id", _STR)] + _DECIDED,
    "decisions": [("id", _INT), ("item_id", _STR), ("item_kind", _STR), ("report_sha256", _STR),
                  ("decision", _STR), ("comment", _STR), ("reviewer", _STR), ("created_at", _STR)],
    "corrections": [("id", _INT), ("report_sha256", _STR), ("target", _STR), ("kind", _STR), ("tbl", _STR),
                    ("row_key", _STR), ("col_key", _STR), ("claim_id", _STR), ("original_value", _FLOAT),
                    ("original_raw", _STR), ("original_metric", _STR), ("value", _FLOAT), ("metric", _STR),
                    ("withdrawn", _BOOL), ("reason", _STR), ("reviewer", _STR), ("created_at", _STR)],
}
"""Each Parquet file's columns and types: the store's rows, English names, typed (numbers as
float64, flags as bool, a cell's ``finding_ids`` as a list; a finding's ``evidence`` stays JSON
text). ``claims`` and ``findings`` carry their current decision (a claim's ``found_by``: the
rules or the model); ``decisions`` and ``corrections`` are every row ever recorded (the latest
per item or target applies)."""


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
