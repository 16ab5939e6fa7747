"""The history a batch keeps (nlp/history.py): one report a unit and year is what the
cross-year checks read, whatever the order; with a store, the batch's reports are read back
from it, not kept in memory; the parent re-runs only the cross-year checks of a worker's
result, and gets what a whole assessment with the history gives."""

from __future__ import annotations

from dataclasses import replace

from batch.stores import dump
from conftest import CORPUS, SAMPLES
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


def test_the_year_index_finds_what_comparing_with_every_report_finds():
    """``History.peers``' index (nlp/history.py ``_YearIndex``) against ``crossunit.near`` over
    every report of the year: the same near reports and the same count of other units'."""
    import random

    from nlp.checks.crossunit import near
    from nlp.history import _StoredYear, _YearIndex

    class _Unit:
        def __init__(self, key: str) -> None:
            self.key = key

    rnd = random.Random(1)
    units = [_Unit(f"u{i}") for i in range(6)]
    store = Store()  # the store's index (nlp/history.py ``_StoredYear``) against the same
    for year in range(200):
        index, every = _YearIndex(), {}
        stored = _StoredYear(store, year, {})
        texts = [frozenset(rnd.sample(range(200), rnd.randint(0, 40))) for _ in range(8)]  # copies share one
        for _ in range(rnd.randint(1, 40)):
            sha, unit = f"{rnd.randint(0, 30):02d}", rnd.choice(units)
            fp = rnd.choice(texts) if rnd.random() < 0.6 else frozenset(rnd.sample(range(200), rnd.randint(0, 40)))
            fp = frozenset(h + (rnd.random() < 0.2) * (1 << 63) for h in fp)  # hashes past SQLite's signed integers
            index.add(sha, unit, fp)
            every[sha] = (unit, fp)  # a report checked again: its latest fingerprint
            store.peer_put([(f"{year}-{sha}", "rv", year, unit.key, fp)])
            stored.stored = None
        for _ in range(10):
            sha, unit = f"{rnd.randint(0, 30):02d}", rnd.choice(units)
            mine = rnd.choice(texts) if rnd.random() < 0.5 else frozenset(rnd.sample(range(200), rnd.randint(0, 40)))
            others = {s: fp for s, (u, fp) in every.items() if s != sha and u.key != unit.key}
            assert index.near(mine, sha, unit.key) == sorted(s for s, fp in others.items() if near(mine, fp))
            assert index.others(sha, unit.key) == len(others)
            assert [s.split("-")[1] for s in stored.near(mine, f"{year}-{sha}", unit.key)] == index.near(mine, sha, unit.key)
            assert stored.others(f"{year}-{sha}", unit.key) == len(others)


def test_only_the_checks_whose_input_the_worker_lacked_run_again(tmp_path):
    first, second = SAMPLES / "000_783649b23b5da190.txt", SAMPLES / "003_900adca07bd00cd2.txt"  # 2021, two units
    checker = Checker("rules", Settings())
    checker.history = History(None)  # a worker: no other years, no other units
    alone = checker.check(second)
    history = checker.history = History(None)
    unit = history.unit_of(alone.sections.meta.agency)
    assert assess_cross_year(alone, history, unit, checker.settings) is alone  # nothing new: nothing run again
    history.add(checker.check(first))  # another unit's report of the year: the cross-unit checks see it
    full = checker.check(second)
    again = assess_cross_year(alone, history, unit, checker.settings)
    assert again is not alone and again.to_json() == full.to_json()
    assert alone.to_json()["checklist"] != full.to_json()["checklist"]


def _peers_of(db, result) -> tuple:
    """``History.peers`` of a checked report, from the store's index and from one built in
    memory from the same store (a store opened read-only: ``_YearIndex``, as before the index
    was stored): the near reports and the count compared."""
    out = []
    for readonly in (False, True):
        with Store(db, readonly=readonly) as store:
            history = History(store)
            unit = history.unit_of(result.sections.meta.agency)
            peers = history.peers(unit, result.sections.meta.year, result.document.sha256,
                                  result.document.text, result.sections.sections)
            out.append((peers.compared, [r.sha256 for r in peers.reports]))
    assert out[0] == out[1]
    return out[0]


def test_the_stored_index_outlives_its_batch_and_follows_replaced_and_removed_reports(tmp_path, monkeypatch):
    """The index of a year's fingerprints lives in the store: a second batch into it finds the
    first's reports as peers without fingerprinting them again; a report stored again under
    another reader version, or removed, is indexed as the store holds it."""
    from checks.test_crossunit import REISSUED, SEED, folder_of
    from nlp.history import _StoredYear

    folder = folder_of(tmp_path, wbl_2024=SEED, xd_2024=REISSUED)
    db = tmp_path / "i.sqlite"
    with Store(db) as store:
        (wbl,) = [o.result for o in check_batch([folder / "wbl_2024.txt"], store=store)]
        # held in memory till History.FLUSH reports are, and written when the batch ends
        assert list(store.peer_missing(2024)) == [] and store.peer_compared(2024) == 1
        store.peer_drop(wbl.document.sha256)  # as a report stored outside a batch: derived from the store when asked
        assert [r["sha256"] for r in store.peer_missing(2024)] == [wbl.document.sha256]
        History(store)._year(2024)
        assert list(store.peer_missing(2024)) == [] and store.peer_compared(2024) == 1
    assert _peers_of(db, wbl) == (0, [])
    monkeypatch.setattr(History, "FLUSH", 1)  # each report written to the index as it is added
    with Store(db) as store:
        (xd,) = [o.result for o in check_batch([folder / "xd_2024.txt"], store=store)]  # a second batch
        assert list(store.peer_missing(2024)) == [] and store.peer_compared(2024) == 2
        assert [r.sha256 for r in History(store).peers(
            History(store).unit_of(xd.sections.meta.agency), 2024, xd.document.sha256,
            xd.document.text, xd.sections.sections).reports] == [wbl.document.sha256]
    assert _peers_of(db, wbl) == (1, [xd.document.sha256])
    with Store(db) as store:  # xd stored again, by a later reader that reads wbl's unit in it
        meta = replace(xd.sections.meta, agency=wbl.sections.meta.agency)
        store.save(replace(xd, reader_version="9.9.9", sections=replace(xd.sections, meta=meta)))
    assert _peers_of(db, wbl) == (0, [])
    with Store(db) as store:  # removed (both readers' rows)
        with store._write() as con:
            con.execute("DELETE FROM reports WHERE sha256 = ?", (xd.document.sha256,))
    assert _peers_of(db, wbl) == (0, [])
    with Store(db) as store:
        year = History(store)._year(2024)
        assert isinstance(year, _StoredYear) and year._stored() == 1 == store.peer_compared(2024)
        # xd's fingerprint (its alone) went with it: only wbl's, and its shingles, are left
        assert store._rows("SELECT COUNT(*) AS n FROM peer_prints")[0]["n"] == 1
        assert store._rows("SELECT COUNT(*) AS n FROM peer_postings WHERE print NOT IN (SELECT id FROM peer_prints)"
                           )[0]["n"] == 0


def test_relink_recomputes_only_the_later_reports_that_read_the_changed_year(tmp_path, monkeypatch):
    """The cross-year checks declare the earlier years they read (``CheckSpec.reads``): a unit's
    years checked newest first, relink skips the later reports that do not read the year just
    added, and the store is what recomputing every later report gives."""
    from nlp import history as hist
    from nlp.checks import REGISTRY

    paths = sorted(_pingtan(tmp_path, 3), key=lambda p: Checker("rules", Settings()).check(p).sections.meta.year,
                   reverse=True)  # 2022, 2018, 2012: each year relinks the later ones
    calls = []
    original = hist.check_report

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("current") is not None and kwargs.get("history") is not None:
            calls.append(kwargs["current"].year)
        return original(*args, **kwargs)

    monkeypatch.setattr(hist, "check_report", counted)
    for name, db in (("skip", "a.sqlite"), ("every", "b.sqlite")):
        if name == "every":
            for n in hist.CROSS_YEAR_CHECKS:
                monkeypatch.setitem(REGISTRY, n, replace(REGISTRY[n], reads=None))  # every year read
        calls.clear()
        for p in paths:  # one batch a report: the order they arrive in
            with Store(tmp_path / db) as store:
                list(check_batch([p], Checker("rules", Settings()), store))
        if name == "skip":
            skipped = list(calls)
    assert dump(tmp_path / "a.sqlite") == dump(tmp_path / "b.sqlite")
    assert len(skipped) < len(calls)


def _as_read(r) -> tuple:  # type: ignore[no-untyped-def]
    """A YearReport as the cross-year checks read it: its tables' three (the statistics table is
    not read) as JSON text, its claims only where its text has 历年累计 (``cumulative_count``)."""
    import json

    tables = json.dumps({k: (r.tables or {}).get(k) for k in ("active", "requests", "review")}, ensure_ascii=False)
    claims = json.dumps(list(r.claims), ensure_ascii=False) if "历年累计" in r.text else ""
    return (r.sha256, r.source, r.year, r.unit, tables, claims, r.text, json.dumps(list(r.sections)), r.unit_json)


def test_the_report_kept_after_it_is_stored_is_the_one_read_back_from_the_store(tmp_path):
    """History.add keeps the report it was given (``current_of``: no read back from the store):
    it is what the store's JSON gives, as the checks read it, and so is its context for relink."""
    from nlp.checks.crossyear import YearReport
    from nlp.history import _context_parts

    paths = sorted(_pingtan(tmp_path, 6), key=lambda p: Checker("rules", Settings()).check(p).sections.meta.year,
                   reverse=True)  # newest first: each year relinks the later ones
    with Store(tmp_path / "a.sqlite") as store:
        checker = Checker("rules", Settings())
        for _ in check_batch(paths, checker, store):
            history = checker.history
        # each year's report the cross-year checks read is kept (its other copy only if it was
        # that when it was added: relink reads the others from the store)
        assert len([sha for sha, kept in history._cache.items() if history.shown(kept.unit, sha)]) == 3
        for sha, kept in history._cache.items():
            data, text = store.result_and_text(sha)
            read = YearReport.from_result(data, text, kept.unit)
            assert _as_read(kept) == _as_read(read)
            assert kept.memo["context"] == _context_parts(data, text)
