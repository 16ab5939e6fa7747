"""scripts/pages_accuracy.py holds the reader's reading of report openings against what their
pages published: here on three openings of data/pages copied to a folder of their own, one of
them given a wrong published year, and a text that is no report."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from conftest import ROOT


def test_pages_accuracy_counts_what_the_reader_reads_against_the_published_fields(tmp_path):
    pages = ROOT / "data" / "pages"
    index = {m["id"]: m for m in map(json.loads, (pages / "index.jsonl").read_text("utf-8").splitlines())}
    rows = [index["p125"], index["p252"], {**index["p018"], "year": 1999}]  # p018 has table 二
    for m in rows:
        shutil.copy(pages / f"{m['id']}.txt", tmp_path)
    (tmp_path / "x01.txt").write_text("这是一段没有标题的文字。\n", "utf-8")
    rows.append({**index["p125"], "id": "x01"})
    (tmp_path / "index.jsonl").write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in rows), "utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "pages_accuracy.py"), "--pages", str(tmp_path), "--list"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "openings 4: recognised 3, not recognised (E012) 1" in out.stdout
    assert "year equal to the published one: 2 of 3" in out.stdout
    assert "p018\tyear\t2020 (published 1999" in out.stdout
    assert "x01\tnot recognised\tE012" in out.stdout
    assert "template of table 二: 1 of 1" in out.stdout
