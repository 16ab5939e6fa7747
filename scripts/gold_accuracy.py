"""Cell accuracy of parse_tables() against the hand-read gold files of the corpus.

    .venv/bin/python scripts/gold_accuracy.py [GOLD_DIR [CORPUS_DIR]]

For each ``gold/*.json`` (keys in Chinese, as the report labels its rows), the matching report
of the corpus is ingested and its tables parsed; every gold cell is compared with the parsed
cell (``null`` = a blank cell). Prints one line per file and the overall figure:
cells equal / cells in gold.

Gold row keys are mapped to schema row keys by the schema's own ``RowDef.labels``
(``不予公开/1.属于国家秘密`` -> ``denied.state_secret``, ``行政事业性收费_万元`` -> ``fees``,
``诉讼_未经复议`` -> ``litigation_direct``); columns by their position.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterator, Optional

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from nlp.schema import TABLE_A_2019, TABLE_A_2021, TABLE_B_2019, TABLE_B_2021, TABLE_C, RowDef, TableDef  # noqa: E402
from nlp.tables import parse_tables  # noqa: E402
from nlp.text import norm_label  # noqa: E402

SHARED = ROOT.parent / "shared"
GOLD_DIR = SHARED / "corpus" / "gold" if (SHARED / "corpus" / "gold").exists() else ROOT / "data" / "gold"

GOLD_TABLES = {"table_active": "active", "table_requests": "requests", "table_review": "review"}


def gold_row(table: TableDef, key: str) -> RowDef:
    """The schema row a gold key names: its last ``/`` part, tried ``_`` piece by piece
    against the row labels (equal, or the start of a label, without punctuation)."""
    name = key.split("/")[-1]
    found: list[RowDef] = []
    for piece in name.split("_"):
        n = norm_label(piece)
        if not n:
            continue
        for rd in table.rows:
            labels = [norm_label(x) for x in rd.labels]
            if n in labels or (len(n) >= 3 and any(lab.startswith(n) for lab in labels)):
                if rd not in found:
                    found.append(rd)
        if found:
            break
    if len(found) != 1:
        raise KeyError(f"gold key {key!r} names {len(found)} rows of table {table.name}")
    return found[0]


def gold_cells(gold: dict[str, Any], template: str,
               templates: Optional[dict[str, str]] = None) -> Iterator[tuple[str, str, str, Optional[float]]]:
    """Every gold cell as ``(table, row key, column key, value)``; each table in the edition
    ``templates`` gives it (a hybrid report's tables A and B differ), else ``template``."""
    forms = {name: (templates or {}).get(name, template) for name in ("active", "requests")}
    defs = {
        "active": TABLE_A_2019 if forms["active"] == "2019" else TABLE_A_2021,
        "requests": TABLE_B_2019 if forms["requests"] == "2019" else TABLE_B_2021,
        "review": TABLE_C,
    }
    for gkey, name in GOLD_TABLES.items():
        table = gold.get(gkey)
        if table is None:
            continue
        tdef = defs[name]
        for key, val in table.items():
            if key == "columns":
                continue
            rd = gold_row(tdef, key)
            cols = tdef.cols_of(rd)
            if isinstance(val, dict):
                vals = list(val.values())
            elif isinstance(val, list):
                vals = val
            else:
                vals = [val]
            if len(vals) != len(cols):
                raise ValueError(f"gold {gkey}/{key}: {len(vals)} values for {len(cols)} columns")
            for col, v in zip(cols, vals):
                yield name, rd.key, col, v


def find_report(gold: dict[str, Any], gold_dir: Path, corpus_dir: Optional[Path] = None) -> Path:
    """The report a gold file describes: in ``corpus_dir`` if given, else beside the gold
    folder (``corpus/gold`` of ../shared) or in ``corpus/`` beside it (``data/gold``)."""
    if corpus_dir is not None:
        return corpus_dir / gold["file"]
    for d in (gold_dir.parent, gold_dir.parent / "corpus"):
        if (d / gold["file"]).exists():
            return d / gold["file"]
    return gold_dir.parent / gold["file"]


def compare(gold_path: Path, corpus_dir: Optional[Path] = None) -> tuple[int, int, list[str]]:
    """(cells equal, cells in gold, differences) for one gold file and its corpus report."""
    from nlp.ingest import ingest
    from nlp.sections import find_sections

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc = ingest(find_report(gold, gold_path.parent, corpus_dir))
    return compare_tables(gold, parse_tables(doc, find_sections(doc)))


def compare_tables(gold: dict[str, Any], tables: Any) -> tuple[int, int, list[str]]:
    """(cells equal, cells in gold, differences) of parsed ``Tables`` against a gold dict."""
    equal, total, diffs = 0, 0, []
    for name, row, col, want in gold_cells(gold, tables.template, tables.templates()):
        total += 1
        table = tables.get(name)
        cell = None if table is None else table.cells.get((row, col))
        got = None if cell is None else cell.value
        present = cell is not None
        if present and got == want:  # None only equals None: a blank read as 0 is wrong
            equal += 1
        else:
            diffs.append(f"{name}.{row}.{col}: gold {want!r}, read {got!r}" + ("" if present else " (no cell)"))
    return equal, total, diffs


def main(argv: list[str]) -> int:
    gold_dir = Path(argv[0]) if argv else GOLD_DIR
    corpus_dir = Path(argv[1]) if len(argv) > 1 else None
    all_eq = all_n = 0
    for path in sorted(gold_dir.glob("*.json")):
        eq, n, diffs = compare(path, corpus_dir)
        all_eq += eq
        all_n += n
        print(f"{path.name}: {eq}/{n} cells equal ({eq / n:.1%})")
        for d in diffs[:20]:
            print(f"    {d}")
    if all_n:
        print(f"cell accuracy: {all_eq}/{all_n} = {all_eq / all_n:.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
