#!/usr/bin/env python
"""Benchmark the batch engine: reports/s on 1 and 2 processes for text, HTML and PDF inputs,
CPU time per report, its ratio to jieba alone on the same texts, and peak memory.

Inputs are unique copies (nlp.batch.copies) of the bundled samples and data/corpus reports
(text: .txt/.md; HTML) and of the print shop's PDFs (tests/fixtures/printshop/*/report.pdf),
written into a temporary folder. Each configuration is one real `xxgk check FOLDER --jobs J`
run into a fresh store; its CPU time (the command and its workers) and peak RSS come from the
operating system (wait4), the parent's own CPU (``parent``: ms a report, of the CPU column)
from the command itself. jieba alone: `jieba.lcut` over each distinct report's text, in this
process, two ways: ``jieba ms`` (and ``ratio``: the figure of the notes so far) over the
text the reader extracts (``ingest(p).text``), ``jieba raw`` (and ``ratio raw``: the issue's
words, "jieba alone tokenising the same raw files") over the raw file decoded as the reader
decodes it (.txt/.md: the same text; HTML: the page as published, markup and all; PDF: the
reader's text layer, a PDF's bytes being no text). jieba is timed in rounds interleaved with
the runs (one before the first, one after each): its figures are the rounds' median, ``raw
spread`` the lowest and highest round of ``jieba raw`` and how many rounds. The machines are shared: read ratios, and
run twice; each row gives the load average over its run (above the core count, the wall
figures and the speed-up measure the sharing).

``--copies``: ``cycled`` (default; the figures of the notes so far) cycles the sources, each
copy made unique by bytes no reader reads (``nlp.batch.copies.unique_copies``): one unit then
has ~n/9 reports of one year, which makes the checks across reports (the unit's other years,
the year's other units) far heavier than real batches do. ``distinct``
(``nlp.batch.copies.distinct_copies``) makes each round of the cycle another unit's (its places
renamed, its narrative's clauses without figures partly rewritten): one report a unit and
year, no two alike, as far as the few sources allow; ``both`` prints both, labelled.

Usage: .venv/bin/python scripts/bench_batch.py [--n 10000] [--pdf-n 1000] [--jobs 1,2] [--kinds text,html,pdf]
                                               [--copies cycled|distinct|both]
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


_PARENT = "xxgk-parent-cpu"
_CHECK = (  # `xxgk check ARGS`, writing its own CPU seconds (without its workers') last on stderr
    "import atexit, resource, sys\n"
    "def own():\n"
    "    u = resource.getrusage(resource.RUSAGE_SELF)\n"
    f"    sys.stderr.write(f'\\n{_PARENT} {{u.ru_utime + u.ru_stime}}\\n')\n"
    "atexit.register(own)\n"
    "sys.argv = ['xxgk', 'check', *sys.argv[1:]]\n"
    "from nlp.cli import main\n"
    "main()\n"
)


def _run(folder: Path, jobs: int, db: Path) -> tuple[float, float, float, float, float]:
    """(wall s, CPU s of the command and its workers, CPU s of the command's own process
    (the batch's parent: reading, assessing again, storing), peak RSS MB of the largest
    process, the machine's load average over the run: what the wall figures shared the cores
    with)."""
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _CHECK, str(folder), "--jobs", str(jobs), "--db", str(db),
                             "--format", "json"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f"xxgk check failed ({status}):\n{stderr[-2000:]}")
    parent = float(stderr.rsplit(_PARENT, 1)[1].split()[0])
    return wall, usage.ru_utime + usage.ru_stime, parent, usage.ru_maxrss / 1024, (load0 + os.getloadavg()[0]) / 2


def _startup() -> float:
    """CPU seconds of `xxgk check` with nothing to check (imports and model load)."""
    proc = subprocess.Popen([sys.executable, "-c", "from nlp.pipeline import Checker; Checker().warm()"], cwd=ROOT)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def _extracted_text(path: Path) -> str:
    """The report's text as the reader extracts it (what the checks read)."""
    from nlp.ingest import ingest

    return ingest(path).text


def _raw_text(path: Path) -> str:
    """The raw file as text, decoded as the reader decodes it: a .txt/.md file's text, an
    HTML page as published (markup, scripts and all; its ``<meta>`` charset declared to the
    decoder as the HTML reader does). A PDF's or DOCX's bytes are not text: the reader's text
    layer (the extracted text) stands for them."""
    from nlp.ingest.decode import decode
    from nlp.ingest.html import _META_CHARSET, _XML_ENCODING  # the HTML reader's own charset patterns

    suffix = path.suffix.lower()
    if suffix not in (".txt", ".md", ".htm", ".html"):
        return _extracted_text(path)
    data = path.read_bytes()
    declared = None
    if suffix in (".htm", ".html"):
        mo = _META_CHARSET.search(data[:8192]) or _XML_ENCODING.search(data[:8192])
        declared = mo.group(1).decode("ascii", "replace") if mo else None
    return decode(data, str(path), declared)[0]


def _jieba_cpu(texts: list[str], repeat: int = 3) -> float:
    """Median CPU seconds per report of jieba.lcut over each text (mean over the texts)."""
    import jieba

    jieba.initialize()
    per = []
    for text in texts:
        runs = []
        for _ in range(repeat):
            t0 = time.process_time()
            jieba.lcut(text)
            runs.append(time.process_time() - t0)
        per.append(statistics.median(runs))
    return statistics.mean(per)


class _JiebaRounds:
    """jieba alone over the same texts in rounds interleaved with the check runs (one before
    the first run and one after each): a shared machine's load drifts over a run, and one
    reading taken before the runs has given 9.7 and 8.2 ms on the same files. Each way of
    reading the files (``texts``: name -> texts) gets the median of its rounds (ms a report)
    and their spread."""

    def __init__(self, texts: dict[str, list[str]]) -> None:
        self.texts = texts
        self.rounds: dict[str, list[float]] = {name: [] for name in texts}

    def round(self) -> None:
        for name, texts in self.texts.items():
            self.rounds[name].append(_jieba_cpu(texts) * 1000)

    def median(self, name: str) -> float:
        return statistics.median(self.rounds[name])

    def spread(self, name: str) -> str:
        got = self.rounds[name]
        return f"{min(got):.1f}-{max(got):.1f}/{len(got)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="copies for text and for HTML (default 10,000)")
    ap.add_argument("--pdf-n", type=int, default=1_000, help="copies of PDFs (default 1,000)")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--kinds", default="text,html,pdf")
    ap.add_argument("--copies", choices=("cycled", "distinct", "both"), default="cycled",
                    help="cycled: the sources' copies (default); distinct: another unit's each round; both")
    args = ap.parse_args()

    from nlp.batch.copies import distinct_copies, unique_copies

    makers = {"cycled": unique_copies, "distinct": distinct_copies}
    modes = list(makers) if args.copies == "both" else [args.copies]

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    # HEAD alone can lie: a worktree whose branch moved on keeps its old files. Say when the
    # files checked are not the commit's (tracked files changed or staged).
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    state = " + CHANGES NOT COMMITTED (the figures are not this commit's)" if dirty else ""
    print(f"commit {commit or '?'}{state}; {os.cpu_count()} cores; load average now {os.getloadavg()[0]:.1f}")
    startup = _startup()
    print(f"start-up (imports, model, pipeline): {startup:.2f} s CPU, subtracted from the per-report CPU below")
    print(f"{'copies':8} {'kind':5} {'reports':>7} {'jobs':>4} {'wall s':>7} {'rep/s':>7} {'CPU ms/rep':>10} {'parent':>6} "
          f"{'jieba ms':>8} {'ratio':>6} {'jieba raw':>9} {'ratio raw':>9} {'raw spread':>14} {'peak MB':>7} {'load':>5}  speed-up")
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        for mode in modes:
            for kind in args.kinds.split(","):
                originals = SOURCES[kind]()
                n = args.pdf_n if kind == "pdf" else args.n
                folder = Path(tmp) / mode / kind
                makers[mode](originals, folder, n)
                jieba = _JiebaRounds({"text": [_extracted_text(p) for p in originals],
                                      "raw": [_raw_text(p) for p in originals]})
                jieba.round()
                runs = []
                for jobs in map(int, args.jobs.split(",")):
                    db = Path(tmp) / f"{mode}-{kind}-{jobs}.sqlite"
                    runs.append((jobs, _run(folder, jobs, db)))
                    jieba.round()
                jieba_ms, raw_ms = jieba.median("text"), jieba.median("raw")
                base = None
                for jobs, (wall, cpu, parent, peak, load) in runs:
                    rate = n / wall
                    cpu_ms = (cpu - startup) / n * 1000
                    parent_ms = (parent - startup) / n * 1000  # the parent's own share of cpu_ms
                    base = base or rate
                    print(f"{mode:8} {kind:5} {n:>7} {jobs:>4} {wall:>7.1f} {rate:>7.1f} {cpu_ms:>10.1f} {parent_ms:>6.1f} "
                          f"{jieba_ms:>8.1f} {cpu_ms / jieba_ms:>6.2f} {raw_ms:>9.1f} {cpu_ms / raw_ms:>9.2f} "
                          f"{jieba.spread('raw'):>14} {peak:>7.0f} {load:>5.1f}  {rate / base:.2f}x", flush=True)
    print(f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
