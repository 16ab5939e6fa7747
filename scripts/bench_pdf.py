#!/usr/bin/env python
"""CPU time of reading a PDF: ``nlp.ingest.ingest`` per file, median over repeats.

    .venv/bin/python scripts/bench_pdf.py [PDFS...] [--repeat 5]

Default inputs: the print shop's text-layer PDFs (tests/fixtures/printshop/*/report.pdf and
its constructed variants; the scans are OCR's, not the text layer's). CPU time
(``time.process_time``), not wall time: the machines are shared, and CPU is what a batch pays.
Prints one line per file (pages, median ms, ms per page) and the median over the files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PRINTSHOP = ROOT / "tests" / "fixtures" / "printshop"


def default_pdfs() -> list[Path]:
    return sorted(p for p in PRINTSHOP.rglob("report.pdf"))


def cpu_ms(path: Path, repeat: int) -> float:
    """Median CPU ms of ingesting ``path`` (after one warm-up read)."""
    from nlp.ingest import ingest

    ingest(path)
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        ingest(path)
        times.append((time.process_time() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    import pypdfium2

    pdfs = args.pdfs or default_pdfs()
    figures = []
    for p in pdfs:
        pages = len(pypdfium2.PdfDocument(str(p)))
        ms = cpu_ms(p, args.repeat)
        figures.append(ms)
        print(f"{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}: {pages} pages, {ms:.0f} ms CPU "
              f"({ms / pages:.0f} ms/page)")
    if figures:
        print(f"median over {len(figures)} PDFs: {statistics.median(figures):.0f} ms CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
