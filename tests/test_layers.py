"""The layers hold: the import-linter contracts of pyproject.toml ([tool.importlinter]) pass.

Nothing imports the CLI; the foundations (errors, config, schema) import nothing above them;
the reading stages import no service, the CLI or the app; the app reads nlp only through its
front modules. ``lint-imports`` prints which import breaks which contract.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout
