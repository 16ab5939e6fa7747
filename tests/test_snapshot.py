"""Behaviour is kept on purpose: the JSON result of every bundled sample and data/corpus
report equals the committed snapshot (tests/snapshots/reports, written by
``scripts/snapshot.py --update``), and a store written by an earlier version keeps every
reviewer decision attached after its reports are checked again by this one."""

from __future__ import annotations

import difflib
import importlib.util
import shutil
from pathlib import Path

import pytest

from nlp.pipeline import check_many
from nlp.store import Store

ROOT = Path(__file__).resolve().parents[1]
OLD_STORE = ROOT / "tests" / "fixtures" / "store-v0.1.sqlite"


def _snapshot_module():
    spec = importlib.util.spec_from_file_location("snapshot", ROOT / "scripts" / "snapshot.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_results_equal_the_snapshot():
    snap = _snapshot_module()
    now = snap.current()
    before = {p.name: p.read_text("utf-8") for p in snap.SNAPSHOT.glob("*.json")}
    assert sorted(now) == sorted(before)
    for name in sorted(now):
        if now[name] != before[name]:
            diff = "".join(
                list(difflib.unified_diff(before[name].splitlines(True), now[name].splitlines(True), "snapshot", "now"))[:60]
            )
            pytest.fail(f"{name} differs from the snapshot (scripts/snapshot.py --update if meant):\n{diff}")


@pytest.mark.slow
def test_an_old_store_keeps_every_decision_attached_after_a_recheck(tmp_path):
    db = tmp_path / "old.sqlite"
    shutil.copy(OLD_STORE, db)
    with Store(db) as store:
        before = {d["item_id"]: d for d in store.current_decisions()}
        assert len(before) >= 15 and not store.orphaned_decisions()
        sources = [ROOT / r["source"] for r in store.overview()]
        for outcome in check_many(sources):
            assert outcome.result is not None, outcome.error
            store.save(outcome.result)
        assert not store.orphaned_decisions()
        after = {d["item_id"]: d for d in store.current_decisions()}
        assert after.keys() == before.keys()
        for kind, query in (("claim", store.claims), ("finding", store.findings)):
            items = {row["id"]: row for row in query()}
            for item_id, d in before.items():
                if d["item_kind"] == kind:
                    assert item_id in items, f"{kind} {item_id} lost its item"
                    assert items[item_id]["decision"] == d["decision"]
                    assert items[item_id]["comment"] == d["comment"]
