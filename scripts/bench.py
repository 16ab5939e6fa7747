#!/usr/bin/env python
"""Benchmark: time per report for each stage and for the whole check, the claims stage's
ratio to jieba alone tokenising the same text, and peak memory. Prints figures (medians over
repeats; the machines are shared and noisy, so read ratios and medians, not single runs).

Usage: .venv/bin/python scripts/bench.py [PATHS...] [--repeat 5] [--claims] [--model SPEC]
Default inputs: the bundled samples and the corpus copies under data/corpus.
``--claims``: the claims stage and jieba alone only (``bench_claims``), the figure the model's
speed budget is stated in (the claims stage no slower per report than before).
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


def _median_ms(fn, repeat: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        times.append((clock() - t0) * 1000)
    return statistics.median(times)


def _median_cpu_ms(fn, repeat: int) -> float:
    """``_median_ms`` by the process's CPU time (``time.process_time``): what the figures of the
    CPU work are stated in (a shared machine's load moves wall clock more than CPU)."""
    return _median_ms(fn, repeat, clock=time.process_time)


def bench_claims(reports: list, model, repeat: int = 5) -> list[dict]:
    """The claims stage per report (after one warm-up call) and jieba alone on the narrative it
    reads: ``[{"file", "chars", "claims", "claims_cpu", "jieba"}]`` (ms, median over ``repeat``;
    ``claims_cpu`` by CPU time). ``reports`` are ``nlp.model.dataset.Report`` (ingest, sections,
    tables done)."""
    import jieba

    from nlp.claims import extract_claims, narrative_text

    rows = []
    for r in reports:
        extract_claims(r.doc, r.sections, r.tables, model=model)  # warm-up
        narrative = narrative_text(r.doc, r.sections, r.tables)
        rows.append({
            "file": r.path.name, "chars": len(narrative),
            "claims": _median_ms(lambda: extract_claims(r.doc, r.sections, r.tables, model=model), repeat),
            "claims_cpu": _median_cpu_ms(lambda: extract_claims(r.doc, r.sections, r.tables, model=model), repeat),
            "jieba": _median_ms(lambda: jieba.lcut(narrative), repeat),
        })
    return rows


def _print_claims(rows: list[dict]) -> None:
    ratios = [r["claims"] / r["jieba"] for r in rows if r["jieba"] > 0]
    print(f"claims stage median: {statistics.median(r['claims'] for r in rows):.1f} ms; jieba alone on the same "
          f"narrative text: {statistics.median(r['jieba'] for r in rows):.1f} ms; median ratio claims/jieba: "
          f"{statistics.median(ratios):.2f}x; claims stage CPU (process_time) a report, mean of the medians: "
          f"{statistics.mean(r['claims_cpu'] for r in rows):.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--claims", action="store_true", help="time the claims stage and jieba only")
    ap.add_argument("--model", default=None, help="a model file or 'rules' (default: the model setting)")
    args = ap.parse_args()

    import jieba

    from nlp.checks import run_checks
    from nlp.claims import extract_claims, load_nlp
    from nlp.ingest import ingest
    from nlp.model.dataset import Report, read_report
    from nlp.pipeline import Checker, expand_inputs
    from nlp.reconcile import reconcile
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    paths = expand_inputs(args.paths or [ROOT / "samples", ROOT / "data" / "corpus"])
    paths = [p for p in paths if p.suffix.lower() in {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}]
    t0 = time.perf_counter()
    checker = Checker(args.model)
    model = checker.model
    load_nlp()
    jieba.initialize()
    load_s = time.perf_counter() - t0

    if args.claims:
        rows = bench_claims([read_report(p) for p in paths], model, args.repeat)
        print(f"{len(rows)} reports, {args.repeat} repeats each; model {checker.model_version or args.model}")
        for r in rows:
            print(f"{r['file'][:38]:38} {r['chars']:>6} claims {r['claims']:>8.1f} ms  jieba {r['jieba']:>7.1f} ms")
        _print_claims(rows)
        return

    rows = []
    for p in paths:
        doc = ingest(p)
        secs = find_sections(doc)
        tables = parse_tables(doc, secs)
        claims = extract_claims(doc, secs, tables, model=model)
        (stage,) = bench_claims([Report(p, doc, secs, tables)], model, args.repeat)
        r = {
            "file": p.name,
            "chars": len(doc.text),
            "ingest": _median_ms(lambda: ingest(p), args.repeat),
            "sections": _median_ms(lambda: find_sections(doc), args.repeat),
            "tables": _median_ms(lambda: parse_tables(doc, secs), args.repeat),
            **{k: stage[k] for k in ("claims", "claims_cpu", "jieba")},
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
    print(f"median time per report (whole check): {med['check']:.1f} ms")
    _print_claims(rows)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:.0f} MB")


if __name__ == "__main__":
    main()
