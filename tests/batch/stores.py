"""Comparing two stores as a user would: every computed and human row, without the times
they were written (``checked_at``, ``created_at``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

TABLES = ("reports", "claims", "findings", "cells", "decisions")
TIMES = {"checked_at", "created_at", "id"}  # decisions.id is an autoincrement row number


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, without the time columns."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table in TABLES:
            cur = con.execute(f"SELECT * FROM {table}")
            keep = [i for i, d in enumerate(cur.description) if d[0] not in TIMES or (table != "decisions" and d[0] == "id")]
            out[table] = sorted((tuple(row[i] for i in keep) for row in cur.fetchall()), key=repr)
        return out
    finally:
        con.close()


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
