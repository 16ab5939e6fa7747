"""Fixtures of the reviewer app's tests: the seeds checked once by the real pipeline, a store
of them (``db``) or of hand-made results (``made_db``), named to the app by ``XXGK_DB``."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES
from nlp.pipeline import check
from nlp.store import Store
from result_factory import make_result


@pytest.fixture(scope="session")
def seed_results():
    """The seeds checked once by the real pipeline."""
    return [check(p) for p in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture
def db(tmp_path: Path, seed_results, monkeypatch) -> Path:
    path = tmp_path / "app.sqlite"
    store = Store(path)
    for result in seed_results:
        store.save(result)
    store.close()
    monkeypatch.setenv("XXGK_DB", str(path))
    monkeypatch.setenv("XXGK_ANNOTATIONS_DIR", str(tmp_path / "annotations"))
    return path


@pytest.fixture
def made_db(tmp_path: Path, monkeypatch) -> Path:
    """A store of hand-made results (no pipeline): two reports, one with a table-C row-sum
    error and a mismatched 行政诉讼 claim."""
    path = tmp_path / "made.sqlite"
    store = Store(path)
    store.save(make_result("a", agency="甲区人民政府", year=2023))
    store.save(make_result("b", agency="乙县人民政府", year=2024, litigation_status="mismatch"))
    store.close()
    monkeypatch.setenv("XXGK_DB", str(path))
    monkeypatch.setenv("XXGK_ANNOTATIONS_DIR", str(tmp_path / "annotations"))
    return path
