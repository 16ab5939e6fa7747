"""Cell accuracy of parse_tables() against the hand-read gold files of the corpus: a printer
over ``nlp.model.evaluate`` (``cell_accuracy``, ``compare``; gold keys map to schema rows by the
schema's own labels, ``gold_row``).

    .venv/bin/python scripts/gold_accuracy.py [GOLD_DIR [CORPUS_DIR]]

One line per gold file and the overall figure: cells equal / cells in gold.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# the names other scripts (printshop.py, variant_accuracy.py) import from here
from nlp.model.evaluate import cell_accuracy, compare, compare_tables, find_report, gold_cells, gold_row  # noqa: E402,F401

SHARED_GOLD = ROOT.parent / "shared" / "corpus" / "gold"
GOLD_DIR = SHARED_GOLD if SHARED_GOLD.exists() else ROOT / "data" / "gold"


def main(argv: list[str]) -> int:
    gold_dir = Path(argv[0]) if argv else GOLD_DIR
    corpus_dir = Path(argv[1]) if len(argv) > 1 else None
    rows = cell_accuracy(gold_dir, corpus_dir)
    for name, eq, n, diffs in rows:
        print(f"{name}: {eq}/{n} cells equal ({eq / n:.1%})")
        for d in diffs[:20]:
            print(f"    {d}")
    all_eq, all_n = sum(r[1] for r in rows), sum(r[2] for r in rows)
    if all_n:
        print(f"cell accuracy: {all_eq}/{all_n} = {all_eq / all_n:.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
