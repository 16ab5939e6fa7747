"""Behaviour is kept on purpose: the JSON result of every bundled sample and data/corpus
report equals the committed snapshot (tests/snapshots/reports, written by
``scripts/snapshot.py --update``), and a store written by an earlier version keeps every
reviewer decision after its reports are checked again by this one: attached to its item, or,
where this version no longer reports the item (a retrained model calls a number no claim, or
is now sure of a metric it doubted), kept and listed as orphaned — never attached elsewhere."""

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
        old_items = {("claim", r["id"]): dict(r) for r in store.claims()}
        old_items |= {("finding", r["id"]): dict(r) for r in store.findings()}
        sources = [ROOT / r["source"] for r in store.overview()]
        results = {}
        for outcome in check_many(sources):
            assert outcome.result is not None, outcome.error
            store.save(outcome.result)
            results[outcome.result.document.sha256] = outcome.result
        # every decision is kept (decision and comment), attached or listed as orphaned
        after = {d["item_id"]: d for d in store.current_decisions()}
        assert after.keys() == before.keys()
        orphans = {d["item_id"] for d in store.orphaned_decisions()}
        assert len(orphans) <= 2, orphans
        # an orphan is an item the new version no longer reports, never an id that moved: no
        # claim of its report covers the old claim's number now, and no finding of the old
        # finding's check is about the same claim
        for item_id in orphans:
            d = before[item_id]
            old = old_items[(d["item_kind"], item_id)]
            res = results[d["report_sha256"]]
            if d["item_kind"] == "claim":
                a, b = int(old["start"]), int(old["stop"])
                assert not [c for c in res.claims if c.start < b and a < c.end], f"claim {item_id} moved"
            else:
                about = old["evidence"].get("claim_id") if isinstance(old["evidence"], dict) else None
                assert about and not [f for f in res.findings if f.check == old["check_name"]
                                      and (f.evidence or {}).get("claim_id") == about], f"finding {item_id} moved"
        for kind, query in (("claim", store.claims), ("finding", store.findings)):
            items = {row["id"]: row for row in query()}
            for item_id, d in before.items():
                if d["item_kind"] == kind and item_id not in orphans:
                    assert item_id in items, f"{kind} {item_id} lost its item"
                    assert items[item_id]["decision"] == d["decision"]
                    assert items[item_id]["comment"] == d["comment"]
