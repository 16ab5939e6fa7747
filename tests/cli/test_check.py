"""``xxgk check`` (nlp/cli/check.py, nlp/pipeline.py::check_batch) as a user runs it: a real
subprocess, real files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, seed_path, xxgk


def test_check_one_report_prints_one_json_object(tmp_path):
    db = tmp_path / "r.sqlite"
    proc = xxgk("check", str(seed_path("002")), "--format", "json", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["report"]["year"] == 2024
    assert result["tables"]["requests"]["rows"]["new"][-1] == 100
    assert db.exists()


def test_check_folder_prints_json_lines_in_input_order(tmp_path):
    proc = xxgk("check", str(SAMPLES), "--format", "json", "--no-store")
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.strip().splitlines()]
    assert [Path(r["source"]).name for r in results] == sorted(p.name for p in SAMPLES.iterdir() if p.is_file())
    for r in results:
        assert set(r) >= {"source", "sha256", "report", "tables", "claims", "findings"}


def test_xxgk_db_env_chooses_the_store(tmp_path):
    db = tmp_path / "env.sqlite"
    proc = xxgk("check", str(seed_path("000")), "--format", "table", env={"XXGK_DB": str(db)})
    assert proc.returncode == 0, proc.stderr
    assert db.exists()
    assert "奎屯" in proc.stdout


def test_finding_ids_are_stable_across_runs(tmp_path):
    runs = [
        json.loads(xxgk("check", str(seed_path("001")), "--format", "json", "--no-store").stdout)
        for _ in range(2)
    ]
    assert [f["id"] for f in runs[0]["findings"]] == [f["id"] for f in runs[1]["findings"]]
    assert [c["id"] for c in runs[0]["claims"]] == [c["id"] for c in runs[1]["claims"]]


def _image_only_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(100, 100, 300, 400, fill=1)  # a "scanned page": no text layer
    c.showPage()
    c.save()


def test_bad_inputs_each_get_one_line_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    good = [seed_path("000"), seed_path("002")]
    for p in good:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(os.urandom(4096))
    html = (ROOT / "samples" / good[1].name).read_text(encoding="utf-8")
    (folder / "truncated.html").write_text("<html><body><p>" + html[:40], encoding="utf-8")
    big = folder / "huge.txt"
    with open(big, "wb") as f:  # 50 MB, sparse
        f.truncate(50 * 1024 * 1024)
    _image_only_pdf(folder / "scan.pdf")
    missing = tmp_path / "does-not-exist.txt"

    proc = xxgk("check", str(folder), str(missing), "--format", "json", "--no-store")
    assert proc.returncode == 1, "some inputs failed: the exit status must say so"
    results = [json.loads(line) for line in proc.stdout.strip().splitlines()]
    names = {Path(r["source"]).name for r in results}
    assert {p.name for p in good} <= names

    errors = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    for bad in ("empty.txt", "garbage.txt", "huge.txt", "scan.pdf", "does-not-exist.txt"):
        lines = [line for line in errors if bad in line]
        assert len(lines) == 1, (bad, proc.stderr)
        assert "Traceback" not in proc.stderr
    # A truncated page that still holds text is read; one that holds none is an error.
    assert "truncated.html" in names or any("truncated.html" in line for line in errors)


def test_unsupported_suffix_is_a_clear_error(tmp_path):
    p = tmp_path / "report.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    proc = xxgk("check", str(p), "--no-store")
    assert proc.returncode == 1
    assert "report.xls" in proc.stderr and "E002" in proc.stderr


def test_every_command_has_help():
    for args in (["--help"], ["check", "--help"], ["app", "--help"], ["config", "--help"], ["model", "--help"],
                 ["queue", "--help"], ["ls", "--help"]):
        proc = xxgk(*args)
        assert proc.returncode == 0, (args, proc.stderr)


def test_a_file_that_is_not_an_annual_report_is_a_clear_error(tmp_path):
    p = tmp_path / "notes.md"
    p.write_text("# 会议纪要\n\n本周讨论了2025年政府信息公开工作年度报告的编写安排,共3项。\n", encoding="utf-8")
    proc = xxgk("check", str(p), "--no-store")
    assert proc.returncode == 1
    assert "notes.md" in proc.stderr and "E012" in proc.stderr


def test_a_missing_model_is_one_error_that_names_the_fix(tmp_path):
    missing = tmp_path / "no_model.skops"
    for args, env in ((["--model", str(missing)], None), ([], {"XXGK_MODEL": str(missing)})):
        proc = xxgk("check", str(seed_path("002")), "--no-store", *args, env=env)
        assert proc.returncode == 2, (args, env, proc.stdout, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr  # once, not once a report
        assert lines[0].startswith("error E013") and str(missing) in lines[0], proc.stderr
        assert "xxgk model train" in lines[0] and "--model rules" in lines[0]
        assert proc.stdout == "", proc.stdout
    proc = xxgk("check", str(seed_path("002")), "--no-store", "--format", "json", "--model", "rules",
                env={"XXGK_MODEL": str(missing)})
    assert proc.returncode == 0, proc.stderr
    sources = {c["source"] for c in json.loads(proc.stdout)["claims"]}
    assert sources <= {"rules", "zero_words"}, sources


def test_check_batch_stores_each_good_result_and_goes_on_past_a_bad_one(tmp_path):
    from nlp.config import Settings
    from nlp.pipeline import Checker, check_batch
    from nlp.store import Store

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    store = Store(":memory:")
    outcomes = list(check_batch([seed_path("002"), empty, seed_path("000")], Checker("rules", Settings()), store))
    assert [o.path.name for o in outcomes] == [seed_path("002").name, "empty.txt", seed_path("000").name]
    assert outcomes[1].error.startswith("E003") and outcomes[1].result is None
    stored = {r["sha256"] for r in store.results()}
    assert stored == {outcomes[0].result.document.sha256, outcomes[2].result.document.sha256}


def test_the_checker_passes_its_settings_down(tmp_path):
    from nlp.config import Settings
    from nlp.errors import XxgkError
    from nlp.pipeline import Checker

    strict = Checker("rules", Settings(review_threshold=1.0)).check(seed_path("002"))
    lenient = Checker("rules", Settings(review_threshold=0.0)).check(seed_path("002"))
    assert strict.claims and all(c.needs_review for c in strict.claims)
    assert not any(c.needs_review for c in lenient.claims)
    with pytest.raises(XxgkError, match="E007"):
        Checker("rules", Settings(max_bytes=10)).check(seed_path("002"))


def test_a_batch_in_the_table_format_prints_one_line_a_report_and_its_findings_by_kind(tmp_path):
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file())
    proc = xxgk("check", str(SAMPLES), "--format", "table", "--no-store", "--model", "rules", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == [p.name for p in files]  # one line a report, in input order
    assert all(" claims " in line and " findings " in line for line in lines)
    assert "findings by kind: " in proc.stderr and f"checked {len(files)} report(s)" in proc.stderr
    detail = xxgk("check", str(SAMPLES), "--format", "table", "--no-store", "--model", "rules", "--jobs", "1",
                  "--detail")
    assert detail.stdout.count("source ") == len(files) and "findings by kind" not in detail.stderr


def test_a_batch_shows_a_progress_bar_unless_no_progress():
    """The bar (rate, ETA, failures) on a terminal's standard error; --no-progress leaves it out
    (logs, and scripts/bench_instructions.py, whose counts its refresh thread would move)."""
    two = [str(seed_path("000")), str(seed_path("001"))]
    args = ("check", *two, "--format", "json", "--no-store", "--model", "rules")
    shown = xxgk(*args, env={"FORCE_COLOR": "1"})  # Rich draws for a terminal
    hidden = xxgk(*args, "--no-progress", env={"FORCE_COLOR": "1"})
    assert shown.returncode == hidden.returncode == 0, shown.stderr + hidden.stderr
    assert "checking" in shown.stderr
    assert "checking" not in hidden.stderr
    assert shown.stdout == hidden.stdout
