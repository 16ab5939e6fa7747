"""Active learning (nlp/review/suggest.py; pushed by ``xxgk queue suggest``, which the learning
loop runs against the real Label Studio in tests/test_learning_loop.py)."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from conftest import seed_path
from nlp.claims import claim_records
from nlp.cli import app
from nlp.model.dataset import read_report
from nlp.review.items import priority
from nlp.review.suggest import suggest


def _folder(tmp_path, *prefixes):
    d = tmp_path / "pool"
    d.mkdir()
    for p in prefixes:
        shutil.copy(seed_path(p), d)
    return d


def test_suggestions_are_the_unlabelled_quantities_of_highest_priority(tmp_path):
    pool = _folder(tmp_path, "001", "003")
    empty = tmp_path / "no-annotations"
    items = suggest(pool, 1000, model="rules", annotations_dirs=[empty])
    quantities = sum(r["kind"] == "quantity" for p in pool.iterdir()
                     for r in claim_records(*(lambda r: (r.doc, r.sections, r.tables))(read_report(p))))
    assert len(items) == quantities > 0
    pr = [priority(it.confidence, it.metric) for it in items]
    assert pr == sorted(pr, reverse=True)
    assert len({it.item_id for it in items}) == len(items)
    assert suggest(pool, 3, model="rules", annotations_dirs=[empty]) == items[:3]
    assert len(suggest(pool, 1000, model="rules", annotations_dirs=[empty], per_report=2)) == 4
    it = items[0]
    assert it.sentence and it.number_text in it.sentence and it.text in it.sentence and it.needs_review


def test_a_labelled_number_is_never_suggested(tmp_path):
    pool = _folder(tmp_path, "001")
    empty = tmp_path / "no-annotations"
    first = suggest(pool, 2, model="rules", annotations_dirs=[empty])
    ann = tmp_path / "annotations"
    ann.mkdir()
    rows = [{"item_id": it.item_id, "report_sha256": it.report_sha256, "num_start": it.num_start,
             "num_end": it.num_end, "metric": "other", "annotated_at": "2026-01-01T00:00:00Z"} for it in first]
    (ann / "annotations.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    again = suggest(pool, 1000, model="rules", annotations_dirs=[ann])
    assert not {it.item_id for it in first} & {it.item_id for it in again}
    assert len(again) == len(suggest(pool, 1000, model="rules", annotations_dirs=[empty])) - 2


def test_cli_dry_run_lists_and_pushes_nothing(tmp_path):
    pool = _folder(tmp_path, "003")
    res = CliRunner().invoke(app, ["queue", "suggest", "3", "--from", str(pool), "--model", "rules", "--dry-run",
                                   "--annotations", str(tmp_path / "none")])
    assert res.exit_code == 0, res.output
    assert "3 suggestion(s)" in res.output and "new task" not in res.output
