#!/usr/bin/env python
"""Benchmark the batch engine: reports/s on 1 and 2 processes for text, HTML and PDF inputs,
CPU time per report, its ratio to jieba alone on the same texts, and peak memory.

Inputs are unique copies (nlp.batch.copies) of the bundled samples and data/corpus reports
(text: .txt/.md; HTML) and of the print shop's PDFs (tests/fixtures/printshop/*/report.pdf),
written into a temporary folder. Each configuration is one real `xxgk check FOLDER --jobs J`
run into a fresh store; its CPU time (the command and its workers) and peak RSS come from the
operating system (wait4). jieba alone: `jieba.lcut` over each distinct report's text, in this
process. The machines are shared: read ratios, and run twice.

Usage: .venv/bin/python scripts/bench_batch.py [--n 10000] [--pdf-n 1000] [--jobs 1,2] [--kinds text,html,pdf]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOURCES = {
    "text": lambda: sorted(p for d in (ROOT / "samples", ROOT / "data" / "corpus") for p in d.iterdir()
                           if p.suffix in (".txt", ".md")),
    "html": lambda: sorted((ROOT / "data" / "corpus").glob("*.htm*")),
    "pdf": lambda: sorted((ROOT / "tests" / "fixtures" / "printshop").glob("*/report.pdf")),
}


def _run(folder: Path, jobs: int, db: Path) -> tuple[float, float, float]:
    """(wall s, CPU s of the command and its workers, peak RSS MB of the largest process)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "nlp", "check", str(folder), "--jobs", str(jobs), "--db", str(db),
                             "--format", "json"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"xxgk check failed ({status}):\n{stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _startup() -> float:
    """CPU seconds of `xxgk check` with nothing to check (imports and model load)."""
    proc = subprocess.Popen([sys.executable, "-c", "from nlp.pipeline import Checker; Checker().warm()"], cwd=ROOT)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def _jieba_cpu(originals: list[Path], repeat: int = 5) -> float:
    """Median CPU seconds per report of jieba.lcut over the report's text."""
    import jieba

    from nlp.ingest import ingest

    jieba.initialize()
    texts = [ingest(p).text for p in originals]
    per = []
    for text in texts:
        runs = []
        for _ in range(repeat):
            t0 = time.process_time()
            jieba.lcut(text)
            runs.append(time.process_time() - t0)
        per.append(statistics.median(runs))
    return statistics.mean(per)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="copies for text and for HTML (default 10,000)")
    ap.add_argument("--pdf-n", type=int, default=1_000, help="copies of PDFs (default 1,000)")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--kinds", default="text,html,pdf")
    args = ap.parse_args()

    from nlp.batch.copies import unique_copies

    startup = _startup()
    print(f"start-up (imports, model, pipeline): {startup:.2f} s CPU, subtracted from the per-report CPU below")
    print(f"{'kind':5} {'reports':>7} {'jobs':>4} {'wall s':>7} {'rep/s':>7} {'CPU ms/rep':>10} "
          f"{'jieba ms':>8} {'ratio':>6} {'peak MB':>7}  speed-up")
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        for kind in args.kinds.split(","):
            originals = SOURCES[kind]()
            n = args.pdf_n if kind == "pdf" else args.n
            folder = Path(tmp) / kind
            unique_copies(originals, folder, n)
            jieba_ms = _jieba_cpu(originals) * 1000
            base = None
            for jobs in map(int, args.jobs.split(",")):
                db = Path(tmp) / f"{kind}-{jobs}.sqlite"
                wall, cpu, peak = _run(folder, jobs, db)
                rate = n / wall
                cpu_ms = (cpu - startup) / n * 1000
                base = base or rate
                print(f"{kind:5} {n:>7} {jobs:>4} {wall:>7.1f} {rate:>7.1f} {cpu_ms:>10.1f} {jieba_ms:>8.1f} "
                      f"{cpu_ms / jieba_ms:>6.2f} {peak:>7.0f}  {rate / base:.2f}x", flush=True)
    print(f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
