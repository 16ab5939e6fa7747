"""scripts/bench.py runs end to end on one report and prints its figures (the figures
themselves are read by people, never asserted: timings belong to the benchmark, not tests)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, SAMPLES


def test_bench_prints_the_stage_table_and_the_claims_ratio():
    sample = SAMPLES / "002_d63969c0f6426144.txt"
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py"), "--repeat", "1", str(sample)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert sample.name in out.stdout
    assert "median time per report (whole check)" in out.stdout
    assert "claims stage CPU (process_time) a report" in out.stdout
    assert "peak memory (RSS)" in out.stdout
