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

``--paired`` (rows labelled ``paired``, printed after the unpaired ones): a host whose speed
drifts (the same jieba over the same files has taken 18 and 35 ms a report minutes apart)
makes the unpaired figures above unreadable, since each is one long run divided by jieba
timed at other moments. The paired mode measures each figure as the median of many ratios of
two measurements taken back to back on the same inputs, so that a drift slower than one
pair cancels out. The n copies (the same as the unpaired rows') are split, in input order,
into chunks of ``--chunk`` (default 1,000) reports, each a folder of hard links. Two
long-lived driver processes, one for ``--jobs 1`` (A) and one for ``--jobs 2`` (B), each load
the checker once and then run the real command in-process for each chunk: the ``xxgk check``
Typer command itself (``xxgk check CHUNK --jobs J --db STORE --format json``, its JSON lines
to /dev/null), its ``Checker`` replaced by the one the driver warmed, so the start-up
(imports, model, spaCy, jieba's dictionary: ~12 s of CPU, serial) is paid once and not
counted; every chunk's work a report (listing, hashing, skip look-ups, the engine and its
forked workers, the parent's assessing again and storing, the JSON output) is the command's.
Each driver writes all its chunks into ONE store (one a jobs value), so the batch's work
across reports grows through the chunks as in one run of n. For each chunk, in this order:
jieba raw over the chunk's own raw files (``jieba.lcut`` once each, this process), A, jieba
raw again, with B before the first jieba in odd chunks and after the last in even ones
(A B / B A alternate: ABBA over pairs of chunks). Per chunk:

- ``ratio raw`` = A's CPU (its process and its reaped workers, ``getrusage``) / the mean of the
  two jieba rounds around it: the issue's "whole check at most 2x jieba alone on the same raw
  files", start-up excluded;
- ``speed-up`` = A's wall / B's wall (the two runs adjacent in time);
- ``CPU ms/rep`` of A and B, and B's ``parent`` (the driver's own CPU, without its workers);
- ``growth`` (A's, then B's): the parent's minor+major page faults a report, its reaped workers',
  the bytes the parent wrote a report (``wchar``: system calls; ``disk``: to the block layer,
  ``/proc/self/io``) and the store's size after the chunk: what grows with the store along a run.

The paired rows print the median over the chunks, and (``spread``) the lowest and highest
chunk. A chunk's fixed costs (forking the workers, collecting garbage before the fork,
opening the store) are paid once a chunk instead of once a run: a little more a report than
in one run, and more for B. The first chunk (nothing in the store yet) is in the medians.

Usage: .venv/bin/python scripts/bench_batch.py [--n 10000] [--pdf-n 1000] [--jobs 1,2] [--kinds text,html,pdf]
                                               [--copies cycled|distinct|both] [--paired] [--chunk 1000]
                                               [--no-unpaired]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


_DRIVER = (  # the paired mode's driver: `xxgk check CHUNK --jobs J --db STORE --format json` a line of stdin, in-process
    "import json, os, resource, sys, time\n"
    "out = os.fdopen(os.dup(1), 'w')\n"
    "os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # the command's JSON lines\n"
    "import nlp.cli.check as command\n"
    "from nlp.cli import app\n"
    "from nlp.config import settings\n"
    "from nlp.pipeline import Checker\n"
    "warm = Checker(None, settings=settings()).warm()  # what the command builds, loaded once\n"
    "command.Checker = lambda model=None, settings=None: warm\n"
    "def cpu(who):\n"
    "    u = resource.getrusage(who)\n"
    "    return u.ru_utime + u.ru_stime\n"
    "def faults(who):\n"
    "    u = resource.getrusage(who)\n"
    "    return u.ru_minflt, u.ru_majflt\n"
    "def io():  # this process's bytes read and written through the block layer (/proc/self/io)\n"
    "    try:\n"
    "        got = dict(l.split(': ') for l in open('/proc/self/io').read().split('\\n') if l)\n"
    "        return int(got['read_bytes']), int(got['write_bytes']), int(got['wchar'])\n"
    "    except (OSError, KeyError, ValueError):\n"
    "        return 0, 0, 0\n"
    "out.write('ready\\n'); out.flush()\n"
    "for line in sys.stdin:\n"
    "    folder, jobs, db = line.rstrip('\\n').split('\\t')\n"
    "    f0, g0, i0 = faults(resource.RUSAGE_SELF), faults(resource.RUSAGE_CHILDREN), io()\n"
    "    s0, c0, t0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN), time.perf_counter()\n"
    "    try:\n"
    "        code = app(['check', folder, '--jobs', jobs, '--db', db, '--format', 'json'], standalone_mode=False)\n"
    "    except SystemExit as e:\n"
    "        code = e.code\n"
    "    wall = time.perf_counter() - t0\n"
    "    s1, c1 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)\n"
    "    f1, g1, i1 = faults(resource.RUSAGE_SELF), faults(resource.RUSAGE_CHILDREN), io()\n"
    "    size = sum(os.path.getsize(db + x) for x in ('', '-wal') if os.path.exists(db + x))\n"
    "    out.write(json.dumps({'code': code or 0, 'wall': wall, 'parent': s1 - s0, 'workers': c1 - c0,\n"
    "                          'minflt': f1[0] - f0[0], 'majflt': f1[1] - f0[1], 'wminflt': g1[0] - g0[0],\n"
    "                          'wmajflt': g1[1] - g0[1], 'read': i1[0] - i0[0], 'written': i1[1] - i0[1],\n"
    "                          'wchar': i1[2] - i0[2],\n"
    "                          'store': size, 'load': os.getloadavg()[0]}) + '\\n'); out.flush()\n"
)


class _Driver:
    """A process that has loaded the checker once and runs the real `xxgk check` command
    in-process on each chunk it is given (the paired mode: :data:`_DRIVER`)."""

    def __init__(self, jobs: int, db: Path, log: Path) -> None:
        self.jobs, self.db = jobs, db
        self._log = open(log, "wb")
        self.proc = subprocess.Popen([sys.executable, "-c", _DRIVER], cwd=ROOT, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self._log, text=True)
        if self.proc.stdout.readline().strip() != "ready":
            sys.exit(f"the driver for --jobs {jobs} did not start: see {log}")

    def run(self, folder: Path) -> dict:
        """Check ``folder`` into this driver's store: wall s, CPU s of the driver (the
        batch's parent) and of its reaped workers, the load average after."""
        self.proc.stdin.write(f"{folder}\t{self.jobs}\t{self.db}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            sys.exit(f"the driver for --jobs {self.jobs} died: see {self._log.name}")
        got = json.loads(line)
        if got["code"]:
            sys.exit(f"xxgk check {folder} --jobs {self.jobs} exited {got['code']}: see {self._log.name}")
        return got

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()
        self._log.close()


def _chunks(paths: list[Path], folder: Path, size: int) -> list[Path]:
    """``paths`` in order, in folders of ``size`` hard links (copies where links fail)."""
    out = []
    for k in range(0, len(paths), size):
        chunk = folder / f"chunk{k // size:03d}"
        chunk.mkdir(parents=True)
        for p in paths[k:k + size]:
            try:
                os.link(p, chunk / p.name)
            except OSError:
                shutil.copyfile(p, chunk / p.name)
        out.append(chunk)
    return out


def _paired(label: str, paths: list[Path], tmp: Path, size: int, jobs: tuple[int, int]) -> list[str]:
    """The paired rows (module docstring, ``--paired``) for the copies ``paths``."""
    a_jobs, b_jobs = jobs
    chunks = _chunks(paths, tmp / f"{label}-chunks", size)
    a = _Driver(a_jobs, tmp / f"{label}-paired-{a_jobs}.sqlite", tmp / f"{label}-driver-{a_jobs}.log")
    b = _Driver(b_jobs, tmp / f"{label}-paired-{b_jobs}.sqlite", tmp / f"{label}-driver-{b_jobs}.log")
    rows: list[dict] = []
    growth: list = []
    print(f"paired {label}: {len(chunks)} chunks of up to {size}; per chunk:", flush=True)
    print(f"  {'chunk':>5} {'order':>7} {'jieba raw ms':>13} {f'A={a_jobs} CPU ms':>13} {'ratio raw':>9} "
          f"{f'B={b_jobs} CPU ms':>13} {'B parent':>8} {'A wall':>7} {'B wall':>7} {'speed-up':>8} {'load':>5}", flush=True)
    try:
        for i, chunk in enumerate(chunks):
            files = sorted(chunk.iterdir())
            texts = [_raw_text(p) for p in files]
            n = len(files)
            if i % 2:
                got_b = b.run(chunk)
            j0 = _jieba_cpu(texts, repeat=1)
            got_a = a.run(chunk)
            j1 = _jieba_cpu(texts, repeat=1)
            if not i % 2:
                got_b = b.run(chunk)
            jieba_ms = (j0 + j1) / 2 * 1000
            a_ms = (got_a["parent"] + got_a["workers"]) / n * 1000
            b_ms = (got_b["parent"] + got_b["workers"]) / n * 1000
            row = {"jieba": jieba_ms, "a": a_ms, "ratio": a_ms / jieba_ms, "b": b_ms,
                   "b_parent": got_b["parent"] / n * 1000, "a_wall": got_a["wall"], "b_wall": got_b["wall"],
                   "speedup": got_a["wall"] / got_b["wall"], "load": (got_a["load"] + got_b["load"]) / 2,
                   "jieba_spread": abs(j1 - j0) / min(j0, j1)}
            rows.append(row)
            print(f"  {i:>5} {'BA' if i % 2 else 'AB':>7} {j0 * 1000:>6.1f}/{j1 * 1000:<6.1f} {a_ms:>13.1f} "
                  f"{row['ratio']:>9.2f} {b_ms:>13.1f} {row['b_parent']:>8.1f} {got_a['wall']:>7.1f} "
                  f"{got_b['wall']:>7.1f} {row['speedup']:>7.2f}x {row['load']:>5.1f}", flush=True)
            growth.append((i, got_a, got_b, n))
            print(f"  {'':>5} {'growth':>7} " + "  ".join(_growth(got, n) for got in (got_a, got_b)), flush=True)
    finally:
        a.close()
        b.close()

    def med(key: str, fmt: str = ".2f") -> str:
        got = [r[key] for r in rows]
        return f"{statistics.median(got):{fmt}} ({min(got):{fmt}}-{max(got):{fmt}})"

    return [f"paired   {label}: {len(paths)} reports in {len(rows)} chunks; median (lowest-highest chunk):",
            f"  CPU / jieba raw, jobs {a_jobs} (check CPU / mean of the jieba rounds around it): {med('ratio')}",
            f"  speed-up, jobs {b_jobs} / jobs {a_jobs} (wall of adjacent runs, ABBA): {med('speedup')}x",
            f"  CPU ms a report: jobs {a_jobs} {med('a', '.1f')}; jobs {b_jobs} {med('b', '.1f')}, "
            f"its parent {med('b_parent', '.1f')}; jieba raw ms {med('jieba', '.1f')}",
            f"  jieba rounds around a check differ by {med('jieba_spread', '.0%')}",
            *(f"  growth, jobs {j} (first chunk -> last): parent page faults a report {first[k]['minflt'] / first[3]:.0f} -> "
              f"{last[k]['minflt'] / last[3]:.0f} (major {first[k]['majflt'] / first[3]:.2f} -> {last[k]['majflt'] / last[3]:.2f}), "
              f"workers' {first[k]['wminflt'] / first[3]:.0f} -> {last[k]['wminflt'] / last[3]:.0f}; "
              f"written KB a report {first[k]['wchar'] / first[3] / 1024:.0f} -> {last[k]['wchar'] / last[3] / 1024:.0f} "
              f"(to disk {first[k]['written'] / first[3] / 1024:.0f} -> {last[k]['written'] / last[3] / 1024:.0f}); "
              f"store {first[k]['store'] / 2 ** 20:.1f} -> {last[k]['store'] / 2 ** 20:.1f} MB"
              for k, j in ((1, a_jobs), (2, b_jobs)) for first, last in ((growth[0], growth[-1]),))]


def _growth(got: dict, n: int) -> str:
    """What a chunk's run cost beside CPU (``--paired``): the parent's minor (and major) page
    faults a report, its workers' (reaped: a chunk's pool ends with it), the bytes the parent
    wrote (``/proc/self/io``: ``wchar`` through system calls, ``write_bytes`` to the block
    layer, KB a report) and the store's size after it (the file and its WAL, MB)."""
    return (f"flt {got['minflt'] / n:>6.0f}+{got['majflt'] / n:.1f} wrk {got['wminflt'] / n:>6.0f}+{got['wmajflt'] / n:.1f} "
            f"wchar {got['wchar'] / n / 1024:>5.0f}K disk {got['written'] / n / 1024:>5.0f}K "
            f"store {got['store'] / 2 ** 20:>7.1f}M")


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


def _unpaired(mode: str, kind: str, n: int, folder: Path, tmp: Path, originals: list[Path],
              jobs_list: tuple[int, ...], startup: float) -> None:
    """The unpaired rows: one whole run a jobs value, jieba rounds between them."""
    jieba = _JiebaRounds({"text": [_extracted_text(p) for p in originals],
                          "raw": [_raw_text(p) for p in originals]})
    jieba.round()
    runs = []
    for jobs in jobs_list:
        db = tmp / f"{mode}-{kind}-{jobs}.sqlite"
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="copies for text and for HTML (default 10,000)")
    ap.add_argument("--pdf-n", type=int, default=1_000, help="copies of PDFs (default 1,000)")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--kinds", default="text,html,pdf")
    ap.add_argument("--copies", choices=("cycled", "distinct", "both"), default="cycled",
                    help="cycled: the sources' copies (default); distinct: another unit's each round; both")
    ap.add_argument("--paired", action="store_true",
                    help="also the paired rows: check and jieba, jobs 1 and 2, back to back on chunks")
    ap.add_argument("--chunk", type=int, default=1_000, help="reports a chunk of the paired mode (default 1,000)")
    ap.add_argument("--no-unpaired", action="store_true", help="only the paired rows (with --paired)")
    args = ap.parse_args()
    jobs_list = tuple(map(int, args.jobs.split(",")))
    if args.paired and len(jobs_list) != 2:
        ap.error("--paired compares two --jobs values (1,2)")

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
    startup = 0.0 if args.no_unpaired else _startup()
    if not args.no_unpaired:
        print(f"start-up (imports, model, pipeline): {startup:.2f} s CPU, subtracted from the per-report CPU below")
        print(f"{'copies':8} {'kind':5} {'reports':>7} {'jobs':>4} {'wall s':>7} {'rep/s':>7} {'CPU ms/rep':>10} {'parent':>6} "
                  f"{'jieba ms':>8} {'ratio':>6} {'jieba raw':>9} {'ratio raw':>9} {'raw spread':>14} {'peak MB':>7} {'load':>5}  speed-up")
    paired: list[str] = []
    with tempfile.TemporaryDirectory(prefix="xxgk-bench-") as tmp:
        for mode in modes:
            for kind in args.kinds.split(","):
                originals = SOURCES[kind]()
                n = args.pdf_n if kind == "pdf" else args.n
                folder = Path(tmp) / mode / kind
                paths = makers[mode](originals, folder, n)
                if not args.no_unpaired:
                    _unpaired(mode, kind, n, folder, Path(tmp), originals, jobs_list, startup)
                if args.paired:
                    paired.extend(_paired(f"{mode}-{kind}", sorted(paths), Path(tmp), args.chunk, jobs_list))
    for line in paired:
        print(line, flush=True)
    print(f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
