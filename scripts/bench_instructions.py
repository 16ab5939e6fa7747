#!/usr/bin/env python
"""Instructions a report of `xxgk check` against jieba alone on the same raw files, counted
by valgrind's callgrind: counts, not seconds, so the figure is the same on a loaded or slowed
machine (issue 12's CPU ratio, where scripts/bench_batch.py's CPU seconds drift with the host).

Each count is taken between two client requests (a 3-line C helper built with gcc against
valgrind's callgrind.h; instrumentation off until then), so the interpreter's start-up and
the imports are not counted:

- the check: the real `xxgk check FOLDER --jobs 1 --db NEW --format json --no-progress` (nlp.cli.main in the
  counted process, the model loaded once before counting) over n1 and over n2 unique copies
  (``nlp.batch.copies.unique_copies``, cycled as bench_batch's default) of the text or HTML
  sources; a report = (count(n2) - count(n1)) / (n2 - n1), so what each run does once
  (opening the store, the command's set-up) cancels;
- jieba: ``jieba.lcut`` over the same sources' raw files (decoded as the reader decodes them,
  bench_batch's ``jieba raw``), once and twice: a report = the difference / the sources.

- ``--jobs 1,2``: ``--jobs 2`` too, counted in its parent (from cg_start) and in each forked
  worker (from its initializer to its end; callgrind follows a fork, each process prints its own
  count): a report's parent and workers' instructions, their total / jobs 1's, and the speed-up
  two free cores could give at most, min(2 x C1 / (W + P), C1 / P) (C1: jobs 1 a report; W, P:
  jobs 2's workers and parent a report).
- ``--later N``: the store holds N cycled copies first (checked by ``--jobs 1`` outside valgrind,
  not counted; the counted copies are new to it): the cost a report later in a long batch.
- ``--tree PATH``: count another checkout's code (a base worktree) with this script.

Usage: .venv/bin/python scripts/bench_instructions.py [--kinds text,html] [--cycles 1,4] [--jobs 1,2]
[--later N] [--no-jieba] [--tree PATH]
(needs valgrind and gcc; about 10 minutes for text on one core, load does not matter; --jobs 2
about as long again, on a loaded host much longer).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_batch import SOURCES, _raw_text  # noqa: E402  (the same sources and raw text)

_HELPER = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_ZERO_STATS; }
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }
"""

_CHECK = """
import ctypes, sys
lib, folder, db, jobs = sys.argv[1:5]
cg = ctypes.CDLL(lib)
import nlp.claims
import nlp.batch.engines as engines
from nlp.cli import main
from nlp.config import settings
model = nlp.claims.load_model(settings().model)
nlp.claims.load_model = lambda spec: model  # loaded once, before counting: start-up, not a report
nlp.claims.load_nlp("rules")
_init = engines._init_worker
def _counted_worker(*args):  # a forked worker counts from here (not what it inherits)
    cg.cg_start()
    _init(*args)
engines._init_worker = _counted_worker
sys.argv = ["xxgk", "check", folder, "--jobs", jobs, "--db", db, "--format", "json", "--no-progress"]
cg.cg_start()
try:
    main()
except SystemExit as exit:
    if exit.code:
        raise
finally:
    cg.cg_stop()
"""

_JIEBA = """
import ctypes, json, sys
lib, texts, rounds = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8")), int(sys.argv[3])
cg = ctypes.CDLL(lib)
import jieba
jieba.initialize()
cg.cg_start()
for _ in range(rounds):
    for text in texts:
        jieba.lcut(text)
cg.cg_stop()
"""


def _counts(lib: Path, script: str, *args: str, tree: Path = ROOT) -> tuple[int, list[int]]:
    """Instructions callgrind collected in ``script`` run in ``tree`` (whose ``nlp`` it then
    imports): the process's (between cg_start and cg_stop) and each forked worker's (from its
    start to its end), the workers in pid order."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONHASHSEED="0")
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", script, str(lib), *args],
                          cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = re.search(r"==(\d+)==", proc.stderr)
    found = {int(pid): int(n) for pid, n in re.findall(r"==(\d+)== Collected : (\d+)", proc.stderr)}
    if proc.returncode != 0 or first is None or int(first.group(1)) not in found:
        sys.exit(f"valgrind run failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    parent = int(first.group(1))
    return found.pop(parent), [found[pid] for pid in sorted(found)]


def _count(lib: Path, script: str, *args: str) -> int:
    """Instructions callgrind collected between cg_start and cg_stop in ``script`` (one process)."""
    return _counts(lib, script, *args)[0]


def _copies(sources: list[Path], folder: Path, start: int, n: int) -> None:
    """``n`` unique copies of ``sources`` cycled, the ``start``-th copy first (``unique_copies``
    numbering: a copy ``k`` is unique by ``k``, so copies from ``start`` on are new to a store
    holding the first ``start``)."""
    from nlp.batch.copies import make_unique

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        src = sources[i % len(sources)]
        (folder / f"{i:06d}_{src.name}").write_bytes(make_unique(src.read_bytes(), src.suffix, i + 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kinds", default="text")
    ap.add_argument("--cycles", default="1,4", help="n1,n2 in rounds of the sources (default 1,4)")
    ap.add_argument("--jobs", default="1", help="count --jobs 1, 2 or both (1,2): jobs 2 as its parent and its workers")
    ap.add_argument("--later", type=int, default=0,
                    help="the store already holds this many copies (checked first, not counted): the cost later in a long batch")
    ap.add_argument("--no-jieba", action="store_true", help="skip the jieba count")
    ap.add_argument("--tree", type=Path, default=ROOT, help="count this checkout's code (default: this one)")
    args = ap.parse_args()
    c1, c2 = map(int, args.cycles.split(","))
    jobs_list = [int(j) for j in args.jobs.split(",")]
    tree = args.tree.resolve()

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=tree,
                           capture_output=True, text=True).stdout.strip()
    print(f"{tree} commit {commit}{' + CHANGES NOT COMMITTED' if dirty else ''}; callgrind instructions (millions)"
          f"{f'; the store holds {args.later} copies first' if args.later else ''}")
    print(f"{'kind':5} {'sources':>7} {'n1':>4} {'n2':>4} {'jobs':>4} {'check M/rep':>11} {'parent':>7} {'workers':>7} "
          f"{'/jobs 1':>7} {'bound':>6} {'jieba raw M/rep':>15} {'ratio':>6}")
    with tempfile.TemporaryDirectory(prefix="xxgk-instr-") as tmp:
        lib = Path(tmp) / "libcg.so"
        (Path(tmp) / "cg.c").write_text(_HELPER)
        subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(lib), str(Path(tmp) / "cg.c")], check=True)
        for kind in args.kinds.split(","):
            sources = SOURCES[kind]()
            first = Path(tmp) / f"{kind}-first.sqlite"
            if args.later:
                _copies(sources, Path(tmp) / f"{kind}-first", 0, args.later)
                subprocess.run([sys.executable, "-c", "import sys; from nlp.cli import main; sys.argv[0] = \"xxgk\"; main()",
                                "check", str(Path(tmp) / f"{kind}-first"), "--jobs", "1",
                                "--db", str(first), "--format", "json", "--no-progress"],
                               cwd=tree, stdout=subprocess.DEVNULL, check=True)
                shutil.rmtree(Path(tmp) / f"{kind}-first")
            jieba = None
            if not args.no_jieba:
                texts = Path(tmp) / f"{kind}-raw.json"
                texts.write_text(json.dumps([_raw_text(p) for p in sources], ensure_ascii=False), encoding="utf-8")
                jieba = (_count(lib, _JIEBA, str(texts), "2") - _count(lib, _JIEBA, str(texts), "1")) / len(sources)
            one = None
            for jobs in jobs_list:
                counts = {}
                for c in (c1, c2):
                    folder = Path(tmp) / f"{kind}-{c}"
                    if not folder.exists():
                        _copies(sources, folder, args.later, c * len(sources))
                    db = Path(tmp) / f"{kind}-{c}-{jobs}.sqlite"
                    if args.later:
                        shutil.copyfile(first, db)
                    counts[c] = _counts(lib, _CHECK, str(folder), str(db), str(jobs), tree=tree)
                    db.unlink()
                per = (c2 - c1) * len(sources)
                parent = (counts[c2][0] - counts[c1][0]) / per
                workers = (sum(counts[c2][1]) - sum(counts[c1][1])) / per
                total = parent + workers
                if jobs == 1:
                    one = total
                ratio = f"{total / one:>7.3f}" if one and jobs > 1 else f"{'':>7}"
                bound = f"{min(jobs * one / total, one / parent):>5.2f}x" if one and jobs > 1 else f"{'':>6}"
                print(f"{kind:5} {len(sources):>7} {c1 * len(sources):>4} {c2 * len(sources):>4} {jobs:>4} {total / 1e6:>11.1f} "
                      f"{parent / 1e6:>7.1f} {workers / 1e6:>7.1f} {ratio} {bound} "
                      f"{jieba / 1e6 if jieba else float('nan'):>15.1f} {total / jieba if jieba else float('nan'):>6.2f}", flush=True)


if __name__ == "__main__":
    main()
