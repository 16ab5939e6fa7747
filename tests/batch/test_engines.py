"""The engines (nlp/batch/engines.py) give the same store: one process, a pool of local
processes, and a Dask local cluster on 127.0.0.1 whose results the client alone writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from batch.stores import dump
from conftest import CORPUS, SAMPLES
from conftest import ROOT as _ROOT

BUNDLED_CORPUS = _ROOT / "data" / "corpus"  # report files only (../shared/corpus also holds README.md and gold/)
from nlp.config import Settings
from nlp.errors import XxgkError
from nlp.pipeline import Checker, check_batch
from nlp.store import Store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from nlp.batch.copies import unique_copies

    folder = tmp_path_factory.mktemp("corpus")
    unique_copies([SAMPLES, BUNDLED_CORPUS], folder, 14)
    (folder / "notes.xlsx").write_bytes(b"not a report")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _run(corpus: Path, db: Path, **options) -> list:
    with Store(db) as store:
        return list(check_batch([corpus], Checker("rules", Settings()), store, **options))


def _shape(outcomes: list) -> list:
    return [(Path(str(o.path)).name, bool(o.result), o.error and o.error.split()[0], o.skipped) for o in outcomes]


@pytest.mark.slow
def test_local_processes_and_a_dask_cluster_give_the_same_store_as_one_process(corpus, tmp_path):
    one = _run(corpus, tmp_path / "one.sqlite", jobs=1)
    assert sum(bool(o.result) for o in one) == 14
    pool = _run(corpus, tmp_path / "pool.sqlite", jobs=2)
    dask = _run(corpus, tmp_path / "dask.sqlite", jobs=2, engine="dask")
    light = _run(corpus, tmp_path / "light.sqlite", jobs=2, whole=False)  # results without tables and claims
    assert _shape(pool) == _shape(one) and _shape(dask) == _shape(one)
    assert [o.json_text() for o in light] == [o.json_text() for o in pool]
    assert dump(tmp_path / "pool.sqlite") == dump(tmp_path / "one.sqlite")
    assert dump(tmp_path / "light.sqlite") == dump(tmp_path / "one.sqlite")
    assert dump(tmp_path / "dask.sqlite") == dump(tmp_path / "one.sqlite")


def test_a_scheduler_without_the_dask_engine_is_a_one_line_error(corpus, tmp_path):
    with pytest.raises(XxgkError, match="E052 engine local: --scheduler is for --engine dask"):
        _run(corpus, tmp_path / "x.sqlite", jobs=2, scheduler="tcp://127.0.0.1:1")


def test_a_workers_outcome_crosses_to_the_parent_light_and_gives_back_the_whole_result():
    import pickle

    from nlp.batch.engines import Shipped
    from nlp.history import current_of
    from nlp.pipeline import outcome

    checker = Checker("rules", Settings())
    out = outcome(checker, sorted(SAMPLES.glob("*.txt"))[0])
    whole = out.result
    assert whole.claims and whole.tables.all() and whole.document.offsets
    sent = pickle.loads(pickle.dumps(Shipped.of(out, checker.settings)))
    assert sent.checked and sent.light.claims == [] and sent.light.document.offsets == ()
    assert sent.current == current_of(whole, checker.settings)  # what the parent assesses again with
    assert sent.result == whole and sent.heavy is None  # read back whole when asked for


def test_a_workers_outcome_sent_without_its_tables_and_claims_is_checked_again_when_they_are_read():
    """A task that does not ask for the whole result comes without its tables' cells and claims
    (``Task.whole``); the writing process that must read them (corrections, a whole new
    assessment) checks the report again as a worker does, and gets what the worker had. With
    the rows, the offsets travel once, as the rows' bytes."""
    import pickle

    from nlp.batch.engines import Shipped, Task
    from nlp.pipeline import outcome
    from nlp.store import rows_of

    checker = Checker("rules", Settings())
    path = sorted(SAMPLES.glob("*.txt"))[0]
    out = outcome(checker, path)
    whole, out.rows = out.result, rows_of(out.result)
    sent = pickle.loads(pickle.dumps(Shipped.of(out, checker.settings, Task(str(path), whole=False))))
    assert sent.heavy is None and sent.apart and sent.result.claims == [] and sent.json_text() == out.rows.result_json
    assert sent.whole_result(checker) == whole and not sent.apart
    sent = pickle.loads(pickle.dumps(Shipped.of(out, checker.settings, Task(str(path)))))
    assert sent.result == whole and sent.result.document.offsets == whole.document.offsets


@pytest.mark.slow
def test_a_corrected_report_checked_again_on_two_processes_keeps_its_correction(tmp_path):
    """A report with a reviewer's correction, checked again (``force``) by workers that send
    no tables and claims: the writing process reads them (checked again here) and stores
    what one process stores."""
    import shutil

    from nlp.pipeline import correct

    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(SAMPLES.glob("*.txt"))[:2]:
        shutil.copyfile(p, folder / p.name)
    [first, _] = _run(folder, tmp_path / "first.sqlite")
    with Store(tmp_path / "first.sqlite") as store:
        correct(store, first.result.document.sha256, cell=("requests", "new", "total"), value=4321,
                reason="原件", reviewer="王审", annotations=tmp_path / "ann", settings=Settings())
    for name, options in (("one", {"jobs": 1}), ("light", {"jobs": 2, "whole": False})):
        shutil.copyfile(tmp_path / "first.sqlite", tmp_path / f"{name}.sqlite")
        again = _run(folder, tmp_path / f"{name}.sqlite", force=True, **options)
        assert all(o.checked for o in again)
    assert dump(tmp_path / "light.sqlite") == dump(tmp_path / "one.sqlite")


def test_tasks_in_groups_give_what_one_task_at_a_time_gives(corpus, tmp_path, monkeypatch):
    """A batch's tasks go in groups whose claims are decided together (``nlp.pipeline.GROUP``):
    the same outcomes and store as one at a time, a bad file failing only itself."""
    import nlp.pipeline

    grouped = _run(corpus, tmp_path / "grouped.sqlite", jobs=1)
    monkeypatch.setattr(nlp.pipeline, "GROUP", 1)
    alone = _run(corpus, tmp_path / "alone.sqlite", jobs=1)
    assert _shape(grouped) == _shape(alone)
    assert sum(bool(o.result) for o in grouped) == 14 and sum(bool(o.error) for o in grouped) == 1
    assert dump(tmp_path / "grouped.sqlite") == dump(tmp_path / "alone.sqlite")


def test_a_report_whose_last_year_is_in_its_group_reads_it(tmp_path):
    """A report's tables read its unit's year before (``Checker.previous_tables``): when that
    report is in the same group, not yet in the history, the group ends before it, so it
    reads what it reads when checked one at a time."""
    from nlp.history import History

    text = (BUNDLED_CORPUS / "008_pingtan_2022.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text.replace("2022年度", "2021年度"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]

    def checked(many: bool) -> tuple[list, list]:
        checker = Checker("rules", Settings())
        checker.history = History(None)
        read, previous = [], checker.previous_tables
        checker.previous_tables = lambda meta: read.append(previous(meta)) or read[-1]
        results = []
        for r in (checker.check_many(paths) if many else map(checker.check, paths)):
            checker.history.add(r)  # as the batch's parent does before the next report
            results.append(r.to_json())
        return results, read

    (one_a, one_b), read = checked(False)
    assert [one_a["report"]["year"], one_b["report"]["year"]] == [2021, 2022] and read[0] is None and read[1] is not None
    assert checked(True) == ([one_a, one_b], read)
