"""Shared fixtures: where the seeds, the corpus and the gold files are, and a fresh store.

The seeds are bundled in ``samples/``; the corpus and gold files come from ``../shared``
(beside the clone, as in CI) or, failing that, from the copies under ``data/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

from lsfixtures import ls_client, ls_server  # noqa: F401  (the real Label Studio server)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"


def _first_existing(*paths: Path) -> Path:
    for p in paths:
        if p.exists():
            return p
    return paths[0]


SEEDS = _first_existing(SHARED / "seeds", SAMPLES)
CORPUS = _first_existing(SHARED / "corpus", ROOT / "data" / "corpus")
GOLD = _first_existing(SHARED / "corpus" / "gold", ROOT / "data" / "gold")


def seed_path(prefix: str) -> Path:
    """The bundled seed whose file name starts with ``prefix`` ("000" … "004")."""
    (path,) = sorted(SAMPLES.glob(f"{prefix}_*"))
    return path


def xxgk(*args: str, cwd: Path = ROOT, env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """Run the ``xxgk`` command as a user does: a real subprocess (``python -m nlp``)."""
    return subprocess.run(
        [sys.executable, "-m", "nlp", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def corpus_path(prefix: str) -> Path:
    (path,) = sorted(p for p in CORPUS.glob(f"{prefix}_*") if p.is_file())
    return path


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD
