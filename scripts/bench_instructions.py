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

Usage: .venv/bin/python scripts/bench_instructions.py [--kinds text,html] [--cycles 1,4]
(needs valgrind and gcc; about 10 minutes for text on one core, load does not matter).
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
lib, folder, db = sys.argv[1:4]
cg = ctypes.CDLL(lib)
import nlp.claims
from nlp.cli import main
from nlp.config import settings
model = nlp.claims.load_model(settings().model)
nlp.claims.load_model = lambda spec: model  # loaded once, before counting: start-up, not a report
nlp.claims.load_nlp("rules")
sys.argv = ["xxgk", "check", folder, "--jobs", "1", "--db", db, "--format", "json", "--no-progress"]
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


def _count(lib: Path, script: str, *args: str) -> int:
    """Instructions callgrind collected between cg_start and cg_stop in ``script``."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONHASHSEED="0")
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
                           sys.executable, "-c", script, str(lib), *args],
                          cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = re.findall(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not found:
        sys.exit(f"valgrind run failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return int(found[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kinds", default="text")
    ap.add_argument("--cycles", default="1,4", help="n1,n2 in rounds of the sources (default 1,4)")
    args = ap.parse_args()
    c1, c2 = map(int, args.cycles.split(","))

    from nlp.batch.copies import unique_copies

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    print(f"commit {commit}{' + CHANGES NOT COMMITTED' if dirty else ''}; callgrind instructions (millions)")
    print(f"{'kind':5} {'sources':>7} {'n1':>4} {'n2':>4} {'check M/rep':>11} {'jieba raw M/rep':>15} {'ratio':>6}")
    with tempfile.TemporaryDirectory(prefix="xxgk-instr-") as tmp:
        lib = Path(tmp) / "libcg.so"
        (Path(tmp) / "cg.c").write_text(_HELPER)
        subprocess.run(["gcc", "-shared", "-fPIC", "-O1", "-o", str(lib), str(Path(tmp) / "cg.c")], check=True)
        for kind in args.kinds.split(","):
            sources = SOURCES[kind]()
            counts = {}
            for c in (c1, c2):
                folder = Path(tmp) / f"{kind}-{c}"
                unique_copies(sources, folder, c * len(sources))
                counts[c] = _count(lib, _CHECK, str(folder), str(Path(tmp) / f"{kind}-{c}.sqlite"))
            check = (counts[c2] - counts[c1]) / ((c2 - c1) * len(sources))
            texts = Path(tmp) / f"{kind}-raw.json"
            texts.write_text(json.dumps([_raw_text(p) for p in sources], ensure_ascii=False), encoding="utf-8")
            jieba = (_count(lib, _JIEBA, str(texts), "2") - _count(lib, _JIEBA, str(texts), "1")) / len(sources)
            print(f"{kind:5} {len(sources):>7} {c1 * len(sources):>4} {c2 * len(sources):>4} {check / 1e6:>11.1f} "
                  f"{jieba / 1e6:>15.1f} {check / jieba:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
