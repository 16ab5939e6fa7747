"""How well the reader reads the report openings of data/pages, held against what their pages
published (data/pages/index.jsonl: the report year, the agency, the template of the tables):

- recognised: the openings the pipeline takes for a 政府信息公开工作年度报告 (not E012);
- year: ``sections.meta.year`` equal to the published year;
- agency: ``sections.meta.agency`` equal to the published agency (full-width and traditional
  forms folded), one holding the other (an abbreviation: 临夏州公安局 / 临夏回族自治州公安局), none
  read, or another;
- template: the template the tables stage reads, of the openings that hold table 二.

    .venv/bin/python scripts/pages_accuracy.py            # the figures
    .venv/bin/python scripts/pages_accuracy.py --list     # and each opening that misses

The published fields were written by whoever collected the pages, from the page around the
report (its title bar, its site): an opening whose text does not name its agency is right to
read none. The openings are the project's labelling material, not its judges: a rule tuned to
these figures is tuned to the training set.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=ROOT / "data" / "pages")
    ap.add_argument("--list", action="store_true", help="print each opening that misses")
    args = ap.parse_args(argv)

    from nlp.pipeline import check_batch
    from nlp.text import fold

    tally: Counter = Counter()
    index = [json.loads(line) for line in (args.pages / "index.jsonl").read_text("utf-8").splitlines() if line.strip()]
    paths = [args.pages / f"{meta['id']}.txt" for meta in index]
    for meta, outcome in zip(index, check_batch(paths)):  # in input order, the batch going on past a bad file
        if outcome.result is None:
            tally["not recognised"] += 1
            if args.list:
                print(f"{meta['id']}\tnot recognised\t{outcome.error}")
            continue
        tally["recognised"] += 1
        got, tables = outcome.result.sections.meta, outcome.result.tables
        if got.year == meta["year"]:
            tally["year equal"] += 1
        elif args.list:
            print(f"{meta['id']}\tyear\t{got.year} (published {meta['year']}; {got.year_evidence})")
        want = fold(meta["agency"] or "")
        agency = fold(got.agency) if got.agency else None
        how = ("none" if agency is None else "equal" if agency == want
               else "contained" if agency in want or want in agency else "other")
        tally[f"agency {how}"] += 1
        if args.list and how == "other":
            print(f"{meta['id']}\tagency\t{got.agency} (published {meta['agency']})")
        if meta.get("has_table_a"):
            tally["with table 二"] += 1
            if str(tables.template) == meta["template"]:
                tally["template equal"] += 1
            elif args.list:
                print(f"{meta['id']}\ttemplate\t{tables.template} (published {meta['template']})")
    n = len(index)
    print(f"openings {n}: recognised {tally['recognised']}, not recognised (E012) {tally['not recognised']}")
    print(f"year equal to the published one: {tally['year equal']} of {tally['recognised']}")
    print("agency against the published one: " + ", ".join(
        f"{k} {tally['agency ' + k]}" for k in ("equal", "contained", "none", "other")))
    print(f"template of table 二: {tally['template equal']} of {tally['with table 二']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
