"""The history a batch keeps (nlp/history.py): one report a unit and year is what the
cross-year checks read, whatever the order; with a store, the batch's reports are read back
from it, not kept in memory; the parent re-runs only the cross-year checks of a worker's
result, and gets what a whole assessment with the history gives."""

from __future__ import annotations

from dataclasses import replace

from batch.stores import dump
from conftest import CORPUS
from nlp.batch.copies import unique_copies
from nlp.config import Settings
from nlp.history import History, assess_cross_year
from nlp.pipeline import Checker, check_batch
from nlp.store import Store


def _pingtan(tmp_path, copies: int):
    originals = sorted(p for p in CORPUS.glob("*pingtan*") if p.suffix == ".txt")  # 2012, 2018, 2022
    return unique_copies(originals, tmp_path / "in", copies)


def test_of_several_reports_of_one_unit_and_year_the_largest_sha256_is_read(tmp_path):
    paths = _pingtan(tmp_path, 6)  # two copies of each year
    checker = Checker("rules", Settings())
    history = checker.history = History(None)
    results = [checker.check(p) for p in paths]
    for r in results:
        history.add(r)
    unit = history.unit_of(results[0].sections.meta.agency)
    by_year: dict = {}
    for r in results:
        by_year.setdefault(r.sections.meta.year, []).append(r.document.sha256)
    assert len(by_year) == 3 and all(len(v) == 2 for v in by_year.values())
    assert [h.sha256 for h in history.for_unit(unit)] == [max(by_year[y]) for y in sorted(by_year)]
    for y, shas in by_year.items():
        assert history.shown(unit.key, max(shas)) and not history.shown(unit.key, min(shas))
    assert set(history.reports(unit)) == {r.document.sha256 for r in results}
    assert len(history._kept) == 3  # the reports not read are not kept


def test_a_batch_with_a_store_keeps_no_report_in_memory_but_a_few_read_back(tmp_path, monkeypatch):
    paths = _pingtan(tmp_path, 9)
    with Store(tmp_path / "big.sqlite") as store:
        list(check_batch(paths, Checker("rules", Settings()), store))
    monkeypatch.setattr(History, "CACHED", 1)
    with Store(tmp_path / "small.sqlite") as store:
        checker = Checker("rules", Settings())
        for _ in check_batch(paths, checker, store):
            history = checker.history  # the batch's (the checker's own is restored after it)
        assert not history._kept and len(history._cache) <= 1
        assert len(history.reports(history.unit_of(store.overview()[0]["agency"]))) == 9
    assert dump(tmp_path / "small.sqlite") == dump(tmp_path / "big.sqlite")


def test_the_cross_year_checks_alone_give_what_a_whole_assessment_gives(tmp_path):
    paths = _pingtan(tmp_path, 3)
    checker = Checker("rules", Settings())
    history = checker.history = History(None)
    for p in paths[:-1]:
        history.add(checker.check(p))
    full = checker.check(paths[-1])  # 2022, with 2012 and 2018 seen
    checker.history = History(None)  # a worker: no other years
    alone = checker.check(paths[-1])
    checker.history = history
    unit = history.unit_of(full.sections.meta.agency)
    again = assess_cross_year(alone, history, unit, checker.settings)
    assert again is not None and again.to_json() == full.to_json()
    assert alone.to_json()["checklist"] != full.to_json()["checklist"]  # the worker's lacked the history
    shuffled = replace(alone, findings=list(reversed(alone.findings)))
    if len({f.check for f in alone.findings}) > 1:
        assert assess_cross_year(shuffled, history, unit, checker.settings) is None  # out of order: assess whole
