#!/usr/bin/env python
"""Benchmark: time per report for each stage and for the whole check, the claims stage's
ratio to jieba alone tokenising the same text, and peak memory. Prints figures (medians over
repeats; the machines are shared and noisy, so read ratios and medians, not single runs).

Usage: .venv/bin/python scripts/bench.py [PATHS...] [--repeat 5]
Default inputs: the bundled samples and the corpus copies under data/corpus.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    import jieba

    from nlp.checks import run_checks
    from nlp.claims import extract_claims, load_nlp, narrative_text
    from nlp.ingest import ingest
    from nlp.pipeline import Checker, expand_inputs
    from nlp.reconcile import reconcile
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    paths = expand_inputs(args.paths or [ROOT / "samples", ROOT / "data" / "corpus"])
    paths = [p for p in paths if p.suffix.lower() in {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}]
    t0 = time.perf_counter()
    checker = Checker()
    model = checker.model
    load_nlp()
    jieba.initialize()
    load_s = time.perf_counter() - t0

    rows = []
    for p in paths:
        doc = ingest(p)
        secs = find_sections(doc)
        tables = parse_tables(doc, secs)
        claims = extract_claims(doc, secs, tables, model=model)
        narrative = narrative_text(doc, secs)
        r = {
            "file": p.name,
            "chars": len(doc.text),
            "ingest": _median_ms(lambda: ingest(p), args.repeat),
            "sections": _median_ms(lambda: find_sections(doc), args.repeat),
            "tables": _median_ms(lambda: parse_tables(doc, secs), args.repeat),
            "claims": _median_ms(lambda: extract_claims(doc, secs, tables, model=model), args.repeat),
            "jieba": _median_ms(lambda: jieba.lcut(narrative), args.repeat),
            "reconcile": _median_ms(lambda: run_checks(doc, secs, tables, reconcile(doc, secs, tables, claims)), args.repeat),
            "check": _median_ms(lambda: checker.check(p), args.repeat),
        }
        rows.append(r)

    cols = ["ingest", "sections", "tables", "claims", "jieba", "reconcile", "check"]
    print(f"{len(rows)} reports, {args.repeat} repeats each; model and pipeline load once: {load_s:.2f} s")
    print(f"{'file':38} {'chars':>6} " + " ".join(f"{c:>9}" for c in cols) + "   (ms, median)")
    for r in rows:
        print(f"{r['file'][:38]:38} {r['chars']:>6} " + " ".join(f"{r[c]:>9.1f}" for c in cols))
    med = {c: statistics.median(r[c] for r in rows) for c in cols}
    print(f"{'MEDIAN':38} {'':>6} " + " ".join(f"{med[c]:>9.1f}" for c in cols))
    ratios = [r["claims"] / r["jieba"] for r in rows if r["jieba"] > 0]
    print(f"median time per report (whole check): {med['check']:.1f} ms")
    print(f"claims stage median: {med['claims']:.1f} ms; jieba alone on the same narrative text: {med['jieba']:.1f} ms; "
          f"median ratio claims/jieba: {statistics.median(ratios):.2f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
