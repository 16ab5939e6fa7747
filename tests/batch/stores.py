"""Comparing two stores as a user would: every computed and human row, without the times
they were written (``checked_at``, ``created_at``)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

TABLES = ("reports", "claims", "findings", "cells", "decisions")
TIMES = {"checked_at", "created_at", "id"}  # decisions.id is an autoincrement row number


def dump(db: Path, unordered: bool = False) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, without the time columns. ``unordered``: also
    without the findings' order (their ``seq``, their order in the stored JSON), which
    depends on the order the cross-year checks saw the unit's years in."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table in TABLES:
            cur = con.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cur.description]
            keep = [i for i, n in enumerate(names) if n not in TIMES or (table != "decisions" and n == "id")]
            if unordered and table == "findings":
                keep = [i for i in keep if names[i] != "seq"]
            rows = [tuple(_unordered(names[i], row[i]) if unordered else row[i] for i in keep) for row in cur.fetchall()]
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def _unordered(name: str, value: object) -> object:
    if name != "result_json":
        return value
    data = json.loads(value)
    for key in ("findings", "checklist"):
        data[key] = sorted(data.get(key) or [], key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def count_reports(db: Path) -> int:
    """Reports stored so far (read while another process writes: WAL)."""
    if not db.exists():
        return 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return con.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        con.close()
