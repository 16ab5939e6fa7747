"""The structure holds: tests mirror the modules (sklearn's test_all_tests_are_importable, in
our size), every module imports first in a fresh interpreter, commands register once."""

from __future__ import annotations

import importlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from conftest import ROOT

# Modules whose behaviour is tested through another module's test file (paths under tests/).
TESTED_ELSEWHERE = {
    "errors": "cli/test_check.py",
    "pipeline": "cli/test_check.py",
    "metrics": "test_reconcile.py",
    "cli/render": "cli/test_check.py",
    "cli/ls": "cli/test_queue.py",
    "cli/serve": "service/test_api.py",
    "service/auth": "service/test_api.py",
    "service/problems": "service/test_api.py",
    "service/server": "service/test_api.py",
    "history": "checks/test_crossyear.py",
    "export/parquet": "cli/test_export.py",
}


def _modules() -> list[str]:
    """Every module of nlp, dotted (``nlp.cli.queue``), packages included."""
    out = []
    for path in sorted((ROOT / "nlp").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def test_every_nlp_module_has_a_test_file():
    missing = []
    for mod in sorted((ROOT / "nlp").rglob("*.py")):
        rel = mod.relative_to(ROOT / "nlp").with_suffix("")
        if any(part.startswith("_") for part in rel.parts):
            continue
        key = rel.as_posix()
        test = TESTED_ELSEWHERE.get(key, (rel.parent / f"test_{rel.name}.py").as_posix())
        if not (ROOT / "tests" / test).exists():
            missing.append(f"nlp/{key}.py -> tests/{test}")
    assert not missing, missing


def _import_alone(module: str) -> tuple[str, int, str]:
    """Import ``module`` first, in a fresh interpreter: (module, exit code, last stderr line)."""
    proc = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    lines = proc.stderr.strip().splitlines()
    return module, proc.returncode, lines[-1] if lines else ""


def test_every_module_imports_first_in_a_fresh_interpreter():
    """No import cycle that works only in one order (``import nlp.cli_queue`` failed so)."""
    modules = _modules()
    assert {"nlp", "nlp.config", "nlp.cli", "nlp.cli._util", "nlp.cli.queue"} <= set(modules)
    with ThreadPoolExecutor(max_workers=3) as pool:
        failed = [(m, err) for m, rc, err in pool.map(_import_alone, modules) if rc != 0]
    assert not failed, failed


def test_commands_register_once_whatever_is_imported_again():
    import nlp.cli
    from nlp.cli._util import app

    def registered() -> tuple[list, list]:
        return ([g.name for g in app.registered_groups],
                [c.name or c.callback.__name__ for c in app.registered_commands])

    before = registered()
    importlib.reload(nlp.cli)
    importlib.import_module("nlp.cli.queue")
    assert registered() == before
    groups, commands = before
    assert groups == ["model", "queue", "ls", "units"]
    assert len(commands) == len(set(commands)) and {"check", "app", "config"} <= set(commands)
    assert nlp.cli.app is app


def test_no_stage_imports_a_later_stage():
    """A stage is a module (nlp/sections.py) or a package (nlp/ingest/, nlp/tables/): every
    file of it is read. import-linter's reader-in-order contract holds the same, with chains."""
    order = ["ingest", "sections", "tables", "claims", "reconcile", "store"]
    for i, stage in enumerate(order):
        package = ROOT / "nlp" / stage
        files = sorted(package.rglob("*.py")) if package.is_dir() else [ROOT / "nlp" / f"{stage}.py"]
        assert any(f.exists() for f in files), stage
        for src in files:
            text = src.read_text(encoding="utf-8")
            for later in order[i + 1:]:
                assert f"from nlp.{later}" not in text and f"import nlp.{later}" not in text, (src, later)


def test_the_claims_stage_imports_only_the_front_of_the_model_package():
    """``nlp.claims`` imports ``nlp.model`` (its ``__init__``: the estimators, persistence and
    rules), never a module inside it; and that front imports none of the trainer's modules."""
    import ast

    def model_imports(path):
        found = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nlp.model"):
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("nlp.model")}
        return found

    assert model_imports(ROOT / "nlp" / "claims.py") == {"nlp.model"}
    front = model_imports(ROOT / "nlp" / "model" / "__init__.py")
    assert front and not front & {"nlp.model.dataset", "nlp.model.train", "nlp.model.evaluate", "nlp.model.card"}
