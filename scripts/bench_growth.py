#!/usr/bin/env python
"""Does a batch's cost per report grow with the reports already in it? CPU ms a report (user
and system) and this process's RSS, per bucket of reports, over one in-process batch (``nlp.batch.run``,
``--jobs 1``: the parent checks, settles and stores every report) into a fresh store, with
the store reads of other reports (``result_and_text``: the cross-year and cross-unit reads,
``relink``) and the stored reports whose findings were written again (``replace_findings``:
``relink``'s recomputations) counted per bucket. Flat columns: no growth.

Inputs are unique copies (nlp.batch.copies) of the print shop's PDFs, or of the HTML or text
reports bench_batch.py uses, written into a temporary folder.

Usage: .venv/bin/python scripts/bench_growth.py [--kind pdf|html|text] [--n 2400] [--every 200]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def _times() -> tuple[float, float]:
    """This process's user and system CPU seconds (system: the kernel's work for it, such as
    SQLite's reads and writes of pages, which an instruction count of user code does not see)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime, ru.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kind", default="pdf", choices=("pdf", "html", "text"))
    ap.add_argument("--n", type=int, default=2400, help="copies (default 2,400)")
    ap.add_argument("--every", type=int, default=200, help="reports a line (default 200)")
    ap.add_argument("--copies", default="cycled", choices=("cycled", "distinct"),
                    help="copies of the same reports (default), or each round another unit's with its narrative "
                         "rewritten (nlp.batch.copies.distinct_copies: text and HTML)")
    args = ap.parse_args()

    from bench_batch import SOURCES

    from nlp import batch
    from nlp.batch.copies import distinct_copies, unique_copies
    from nlp.pipeline import Checker
    from nlp.store import Store

    reads, rewrites = [0], [0]

    def counting(name: str, calls: list[int]) -> None:
        original = getattr(Store, name)

        def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls[0] += 1
            return original(self, *args, **kwargs)

        setattr(Store, name, counted)

    counting("result_and_text", reads)
    counting("replace_findings", rewrites)
    checker = Checker()
    checker.warm()
    with tempfile.TemporaryDirectory(prefix="xxgk-growth-") as tmp:
        folder = Path(tmp) / args.kind
        (distinct_copies if args.copies == "distinct" else unique_copies)(SOURCES[args.kind](), folder, args.n)
        store = Store(Path(tmp) / "growth.sqlite")
        print(f"{args.kind} x {args.n} ({args.copies}), --jobs 1 in process")
        print(f"{'reports':>13} {'CPU ms/rep':>10} {'user':>6} {'sys':>6} {'store reads/rep':>15} "
              f"{'rewrites/rep':>12} {'RSS MB':>7}")
        u0, s0, r0, w0, first = *_times(), 0, 0, 0
        warm: list[tuple[int, float]] = []  # (reports, peak RSS MB) after the first bucket: the warm-up
        for i, _ in enumerate(batch.run([folder], checker, store, jobs=1), 1):
            if i % args.every == 0 or i == args.n:
                u, s = _times()
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                per = 1000 / (i - first)
                print(f"{first + 1:>6}-{i:<6} {per * (u - u0 + s - s0):>10.1f} {per * (u - u0):>6.1f} "
                      f"{per * (s - s0):>6.1f} {(reads[0] - r0) / (i - first):>15.2f} "
                      f"{(rewrites[0] - w0) / (i - first):>12.2f} {rss:>7.0f}", flush=True)
                u0, s0, r0, w0, first = u, s, reads[0], rewrites[0], i
                warm = warm or [(i, rss)]
        if warm and first > warm[0][0]:
            print(f"peak RSS {warm[0][1]:.0f} MB after the warm-up ({warm[0][0]} reports), {rss:.0f} MB at the end: "
                  f"{1024 * (rss - warm[0][1]) / (first - warm[0][0]):.1f} KB a report")


if __name__ == "__main__":
    main()
