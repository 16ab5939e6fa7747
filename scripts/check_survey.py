"""Run the checks over folders of reports and print what fires, by check: the reading a
reviewer does before trusting a new check (every finding's message, one a line).

    .venv/bin/python scripts/check_survey.py data/pages --checks editorial.   # the 360 openings
    .venv/bin/python scripts/check_survey.py samples data/corpus              # every check
    .venv/bin/python scripts/check_survey.py samples data/corpus --counts     # findings by kind

Reports are read by the pipeline's stages (``nlp.pipeline.Checker``, bundled model); a folder
of several years of one unit is one batch, so the cross-year checks see the other years.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--checks", default="", help="only checks whose name starts with this")
    ap.add_argument("--counts", action="store_true", help="findings by kind per report instead of messages")
    args = ap.parse_args(argv)

    from nlp.pipeline import check_batch

    inputs = [p for p in args.paths]
    per_check: dict[str, list[str]] = collections.defaultdict(list)
    statuses: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    n = 0
    for o in check_batch(inputs):
        if o.result is None:
            continue
        n += 1
        r = o.result
        for line in r.checklist:
            if line["check"].startswith(args.checks):
                statuses[line["check"]][line["status"]] += 1
        found = [f for f in r.findings if f.check.startswith(args.checks)]
        if args.counts:
            kinds = collections.Counter(f.kind for f in found)
            print(f"{o.path.name}\t" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        for f in found:
            per_check[f.check].append(f"{o.path.name}\t{f.severity}\t{f.message}")
    if not args.counts:
        for check in sorted(per_check):
            print(f"\n## {check}: {len(per_check[check])}")
            print("\n".join(per_check[check]))
    print(f"\n{n} reports")
    for check, c in sorted(statuses.items()):
        print(f"{check:38} " + "  ".join(f"{s} {c[s]}" for s in ("pass", "fail", "not_assessable")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
