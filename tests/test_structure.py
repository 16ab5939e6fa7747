"""Tests mirror the stage modules: every module of nlp/ has a test file (sklearn's
test_all_tests_are_importable, in our size)."""

from __future__ import annotations

from conftest import ROOT

# Modules whose behaviour is tested through another module's test file.
TESTED_ELSEWHERE = {
    "cli_model": "test_training.py",
    "cli_queue": "test_queue.py",
    "render": "test_cli.py",
    "errors": "test_cli.py",
    "pipeline": "test_cli.py",
    "metrics": "test_reconcile.py",
}


def test_every_nlp_module_has_a_test_file():
    missing = []
    for mod in sorted((ROOT / "nlp").glob("*.py")):
        name = mod.stem
        if name.startswith("_"):
            continue
        test = TESTED_ELSEWHERE.get(name, f"test_{name}.py")
        if not (ROOT / "tests" / test).exists():
            missing.append(f"nlp/{mod.name} -> tests/{test}")
    assert not missing, missing


def test_no_stage_imports_a_later_stage():
    order = ["ingest", "sections", "tables", "claims", "reconcile", "store"]
    for i, stage in enumerate(order):
        src = (ROOT / "nlp" / f"{stage}.py")
        if not src.exists():
            continue
        text = src.read_text(encoding="utf-8")
        for later in order[i + 1:]:
            assert f"from nlp.{later} import" not in text and f"import nlp.{later}" not in text, (stage, later)
