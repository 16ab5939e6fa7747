"""The store: computed rows replaced by a re-run, decisions kept, orphans listed, queries,
and two reviewers writing at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest

from nlp.errors import XxgkError
from conftest import ROOT
from nlp.store import DECISIONS, SCHEMA_VERSION, Store, version_key
from result_factory import make_result


@pytest.fixture(params=["memory", "file"])
def store(request, tmp_path: Path):
    s = Store(":memory:" if request.param == "memory" else tmp_path / "x.sqlite")
    yield s
    s.close()


def _item(store: Store, sha: str, metric: str = "litigation.total") -> dict:
    return next(c for c in store.claims(sha) if c["metric"] == metric)


def test_schema_version_and_wal(tmp_path: Path):
    s = Store(tmp_path / "x.sqlite")
    assert s.schema_version == SCHEMA_VERSION
    assert s._rows("PRAGMA journal_mode")[0]["journal_mode"] == "wal"
    s.close()
    # reopening an existing file keeps its data and schema
    assert Store(tmp_path / "x.sqlite").schema_version == SCHEMA_VERSION


def test_a_first_schema_store_is_migrated_in_place(tmp_path: Path):
    import shutil

    db = tmp_path / "old.sqlite"
    shutil.copy(ROOT / "tests" / "fixtures" / "store-v0.1.sqlite", db)
    with Store(db) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.overview() and s.current_decisions()
        sha = s.overview()[0]["sha256"]
        assert not s.checked(sha, "any version")  # stored before versions were kept: checked again
        claim = s.claims(sha)[0]  # the corrections table and the added columns are there too
        s.record_correction(sha, claim_id=claim["id"], value=1, reason="r", reviewer="w")
        assert len(s.corrections(sha)) == 1
        result = make_result()
        s.save(result)
        assert s.checked(result.document.sha256, result.pipeline_version or "") == bool(result.pipeline_version)


def test_a_store_of_schema_2_without_the_later_additions_opens(tmp_path: Path):
    """A store written before the corrections table and its columns (schema 2: the batch's
    pipeline_version) gets them on open, its rows kept."""
    db = tmp_path / "v2.sqlite"
    result = make_result()
    with Store(db) as s:
        s.save(result)
    con = sqlite3.connect(db)
    con.executescript("DROP VIEW current_corrections; DROP TABLE corrections;"
                      " ALTER TABLE reports DROP COLUMN document_json; ALTER TABLE findings DROP COLUMN claim_id;")
    con.close()
    with Store(db) as s:
        assert s.schema_version == SCHEMA_VERSION == 3
        assert s.get_result(result.document.sha256) == result.to_json() and s.corrections() == []
        s.save(result)
        assert len(s.findings()) == len(result.findings)


def test_a_store_of_schema_2_loses_its_indexes_by_claim_and_finding_id_and_nothing_else(tmp_path: Path):
    """Schema 3 drops the indexes of claims and findings by their ids (random hashes: each row
    written touched a page of its own there); a store of schema 2 opens with every row kept
    and every read giving what it gave."""
    db = tmp_path / "v2.sqlite"
    result = make_result()
    with Store(db) as s:
        s.save(result)
        sha = result.document.sha256
        claims = s.claims(sha)
        assert claims
        s.record_decision(claims[0]["id"], "claim", sha, "false_alarm", "c", "r")  # a human row, kept
    con = sqlite3.connect(db)
    con.executescript("CREATE INDEX claims_id ON claims (id); CREATE INDEX findings_id ON findings (id);"
                      " DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (1), (2);")
    before = {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
              for t in ("reports", "claims", "findings", "cells", "decisions")}
    con.close()
    with Store(db) as s:
        assert s.schema_version == SCHEMA_VERSION == 3
        assert s.get_result(sha) == result.to_json() and len(s.findings()) == len(result.findings)
    con = sqlite3.connect(db)
    assert not con.execute("SELECT name FROM sqlite_master WHERE name IN ('claims_id', 'findings_id')").fetchall()
    assert {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in before} == before
    con.close()


def test_not_a_database_is_a_one_line_error(tmp_path: Path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(XxgkError) as err:
        Store(bad)
    assert err.value.code == "E030" and str(bad) in str(err.value)


def test_save_and_read_back(store: Store):
    result = make_result()
    sha = store.save(result)
    assert store.get_result(sha) == result.to_json()
    assert [r["sha256"] for r in store.results()] == [sha]
    text = store.get_document_text(sha)
    assert text.text == result.document.text
    assert text.display_text == result.document.display_text
    assert text.offsets == result.document.offsets
    assert store.get_result("0" * 64) is None and store.get_document_text("0" * 64) is None
    assert store.resolve_sha(sha[:10]) == sha and store.resolve_sha("zz") is None


def test_claim_spans_are_mapped_onto_display_text(store: Store):
    result = make_result()
    sha = store.save(result)
    display = store.get_document_text(sha).display_text
    by_id = {c.id: c for c in result.claims}
    for row in store.claims(sha):
        claim = by_id[row["id"]]
        assert (row["display_start"], row["display_stop"]) == result.document.to_display(claim.start, claim.end)
    granted = _item(store, sha, "requests.granted")
    assert display[granted["display_start"]: granted["display_stop"]] == "同意公開9件"


def test_resave_replaces_computed_rows_and_keeps_decisions(store: Store):
    sha = store.save(make_result())
    claim = _item(store, sha)
    store.record_decision(claim["id"], "claim", sha, "confirmed_defect", "诉讼总数应为13", "李审")
    store.save(make_result(litigation_status="mismatch"))  # same report, same reader version
    assert len(store.claims(sha)) == 5  # replaced, not appended
    again = _item(store, sha)
    assert again["status"] == "mismatch"
    assert (again["decision"], again["comment"], again["reviewer"]) == ("confirmed_defect", "诉讼总数应为13", "李审")
    assert store.orphaned_decisions() == []


def test_latest_decision_is_current_and_history_is_kept(store: Store):
    sha = store.save(make_result())
    f = store.findings(sha)[0]
    store.record_decision(f["id"], "finding", sha, "needs_follow_up", "问问办公室", "甲")
    store.record_decision(f["id"], "finding", sha, "false_alarm", "原表如此", "乙")
    row = next(x for x in store.findings(sha) if x["id"] == f["id"])
    assert (row["decision"], row["reviewer"]) == ("false_alarm", "乙")
    assert [d["decision"] for d in store.decisions(f["id"])] == ["needs_follow_up", "false_alarm"]
    assert len(store.current_decisions()) == 1


def test_invalid_decision_is_refused(store: Store):
    sha = store.save(make_result())
    with pytest.raises(ValueError):
        store.record_decision("x", "claim", sha, "maybe")
    with pytest.raises(ValueError):
        store.record_decision("x", "table", sha, "false_alarm")


def test_orphaned_decision_is_listed_never_dropped(store: Store):
    sha = store.save(make_result())
    info = next(f for f in store.findings(sha) if f["severity"] == "info")
    store.record_decision(info["id"], "finding", sha, "false_alarm", "无所谓", "甲")
    store.save(make_result(extra_finding=False))  # the re-run no longer reports it
    orphans = store.orphaned_decisions()
    assert [o["item_id"] for o in orphans] == [info["id"]]
    assert orphans[0]["source"] == "report-a.txt" and orphans[0]["comment"] == "无所谓"
    assert len(store.decisions()) == 1
    store.save(make_result())  # it comes back: no longer orphaned, decision still there
    assert store.orphaned_decisions() == []
    assert next(f for f in store.findings(sha) if f["id"] == info["id"])["decision"] == "false_alarm"


def test_latest_reader_version_wins(store: Store):
    sha = store.save(make_result(reader_version="0.9.0"))
    store.save(make_result(reader_version="0.10.0", litigation_status="mismatch"))
    assert version_key("0.10.0") > version_key("0.9.0")
    assert store.get_result(sha)["reader_version"] == "0.10.0"
    assert _item(store, sha)["status"] == "mismatch"
    assert store.get_result(sha, "0.9.0")["reader_version"] == "0.9.0"
    assert len(store.overview()) == 1


def test_overview_counts_and_filters(store: Store):
    a = store.save(make_result("a", agency="甲区人民政府", year=2023))
    b = store.save(make_result("b", agency="乙县人民政府", year=2024, litigation_status="mismatch"))
    rows = {r["sha256"]: r for r in store.overview()}
    assert rows[a]["claims"] == 5 and rows[a]["match"] == 3 and rows[a]["ambiguous"] == 1
    assert rows[b]["mismatch"] == 1 and rows[b]["error"] == 1 and rows[b]["info"] == 1
    assert rows[a]["to_review"] == 3 and rows[a]["open"] == 3 and rows[a]["reviewed"] is False
    assert [r["sha256"] for r in store.overview(year=2023)] == [a]
    assert [r["sha256"] for r in store.overview(agency=["乙县人民政府"])] == [b]
    assert [r["sha256"] for r in store.overview(status="mismatch")] == [b]
    assert len(store.overview(severity=["error"])) == 2
    assert store.overview(severity="info", year=[2023]) == [rows[a]]
    for item in store.claims(a, only_to_review=True):
        store.record_decision(item["id"], "claim", a, "false_alarm", reviewer="甲")
    for item in store.findings(a, only_to_review=True):
        store.record_decision(item["id"], "finding", a, "confirmed_defect", reviewer="甲")
    assert [r["sha256"] for r in store.overview(reviewed=True)] == [a]
    assert [r["sha256"] for r in store.overview(reviewed=False)] == [b]
    opts = store.filter_options()
    assert opts["year"] == [2023, 2024] and opts["agency"] == ["乙县人民政府", "甲区人民政府"]


def test_chart_queries(store: Store):
    store.save(make_result("a", year=2023))
    b = store.save(make_result("b", year=2024, litigation_status="mismatch"))
    assert store.mismatches_by_year() == [
        {"year": 2023, "status": "ambiguous", "n": 1},
        {"year": 2024, "status": "mismatch", "n": 1},
    ]
    kinds = {(r["kind"], r["severity"]): r["n"] for r in store.findings_by_kind()}
    assert kinds[("table_arithmetic", "error")] == 2
    hist = store.confidence_histogram()
    assert len(hist) == 10 and sum(h["n"] for h in hist) == 10
    assert hist[9]["label"] == "0.9–1.0" and hist[9]["n"] == 6
    assert store.confidence_histogram(bins=4, year=2024)[3]["n"] == 3
    progress = store.review_progress()
    assert progress == {"to_review": 6, "decided": 0, "open": 6,
                        "confirmed_defect": 0, "false_alarm": 0, "needs_follow_up": 0}
    store.record_decision(_item(store, b)["id"], "claim", b, "needs_follow_up")
    assert store.review_progress()["needs_follow_up"] == 1
    assert store.review_progress(year=2024)["open"] == 2


def test_cells_know_the_findings_that_name_them(store: Store):
    sha = store.save(make_result())
    cells = {(c["tbl"], c["row_key"], c["col_key"]): c for c in store.cells(sha)}
    assert len(cells) == 15
    arith, mismatch = (f["id"] for f in store.findings(sha)[:2])
    assert cells[("review", "litigation_after", "total")]["finding_ids"] == [arith, mismatch]
    assert cells[("review", "litigation_after", "maintained")]["finding_ids"] == [arith]
    assert cells[("review", "reconsideration", "total")]["finding_ids"] == []


def _reviewer(path: str, name: str, ids: list[str], sha: str, barrier=None) -> None:
    store = Store(path, timeout=60)
    if barrier is not None:
        barrier.wait()
    for i, item in enumerate(ids * 5):
        store.record_decision(item, "claim", sha, DECISIONS[i % 3], f"{name} #{i}", name)
    store.close()


def test_two_reviewers_in_threads_both_persist(tmp_path: Path):
    path = str(tmp_path / "shared.sqlite")
    main = Store(path)
    sha = main.save(make_result())
    ids = [c["id"] for c in main.claims(sha)]
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_reviewer, args=(path, n, ids, sha, barrier)) for n in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = Store(path).decisions()
    assert len(rows) == 2 * 5 * len(ids)
    assert {r["reviewer"] for r in rows} == {"甲", "乙"}


def test_two_reviewers_in_processes_both_persist(tmp_path: Path):
    path = str(tmp_path / "shared.sqlite")
    main = Store(path)
    sha = main.save(make_result())
    ids = [c["id"] for c in main.claims(sha)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_reviewer, args=(path, n, ids, sha)) for n in ("甲", "乙")]
    for p in procs:
        p.start()
    # a re-run saving computed rows at the same time must not lose either reviewer's rows
    for _ in range(5):
        main.save(make_result())
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    rows = main.decisions()
    assert len(rows) == 2 * 5 * len(ids)
    assert {r["reviewer"] for r in rows} == {"甲", "乙"}
    assert main.orphaned_decisions() == []
    # and the file is a plain SQLite database any tool can read
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == len(rows)


def _a_report(year: int, normative: str) -> str:
    return (f"沭阳县人民政府{year}年政府信息公开工作年度报告\n一、总体情况\n全年主动公开政府信息。\n"
            "二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000"
            f"行政规范性文件{normative}第二十条第(五)项信息内容本年处理决定数量行政许可10690第二十条第(六)项信息内容"
            "本年处理决定数量行政处罚3403行政强制0第二十条第(八)项信息内容本年收费金额(单位:万元)行政事业性收费9116.36\n"
            "三、收到和处理政府信息公开申请情况\n无。\n")


def test_a_batch_cuts_glued_rows_with_last_years_tables_of_the_same_unit(tmp_path: Path):
    """check_batch hands each report its unit's other years (nlp.history, the store and the
    batch): last year's 现行有效件数 settles how this year's glued row is cut."""
    from nlp.pipeline import Checker, check_batch

    last = tmp_path / "2021.txt"
    last.write_text(_a_report(2021, " 70 10 665"), encoding="utf-8")
    this = tmp_path / "2022.txt"
    this.write_text(_a_report(2022, "8855698"), encoding="utf-8")
    alone = Checker("rules").check(this)
    assert alone.tables.active.cells[("normative_docs", "in_force")].uncertain
    with Store(tmp_path / "s.sqlite") as store:
        out = [o.result for o in check_batch([last, this], Checker("rules"), store)]
    a = out[1].tables.active
    assert a.row_values("normative_docs") == [88, 55, 698]  # 665 + 88 - 55 = 698
    cell = a.cells[("normative_docs", "in_force")]
    assert not cell.uncertain and "last year" in cell.note



def test_replace_findings_again_with_the_same_findings_changes_nothing(tmp_path):
    """Recomputing a report's cross-year findings as they are writes nothing; other ones
    replace them."""
    from batch.stores import dump
    from result_factory import make_result

    result = make_result()
    checks = {f.check for f in result.findings[:1]}
    kept = [f for f in result.findings if f.check in checks]
    lines = [c for c in result.checklist if c.get("check") in checks]
    db = tmp_path / "s.sqlite"
    with Store(db) as store:
        store.save(result)
        store.replace_findings(result.document.sha256, checks, kept, lines)
        once = dump(db)
        store.replace_findings(result.document.sha256, checks, kept, lines)
        assert dump(db) == once
        store.replace_findings(result.document.sha256, checks, [], lines)
        assert dump(db) != once
        assert not [f for f in store.get_result(result.document.sha256)["findings"] if f["check"] in checks]


def test_replace_findings_writes_the_json_the_whole_result_encoded_gives(tmp_path):
    """Replacing findings re-encodes only the fields from ``findings`` on: the text written is
    the encoder's (``json_text``) of the whole result with them replaced, whether the stored
    text was written so or not (a store written before the compact encoder: ``json.dumps``)."""
    import json

    from result_factory import make_result
    from nlp.schema import json_text
    from nlp.store._units import _replace_findings, _split

    result = make_result()
    sha = result.document.sha256
    checks = {f.check for f in result.findings[:1]}
    lines = [c for c in result.checklist if c.get("check") in checks]
    with Store(tmp_path / "s.sqlite") as store:
        store.save(result)
        text = store.get_result_text(sha)
        head, tail = _split(text)
        assert head and head + json_text(tail)[1:] == text
        expected = json_text(_replace_findings(json.loads(text), checks, [], lines))
        store.replace_findings(sha, checks, [], lines)
        assert store.get_result_text(sha) == expected
        spaced = json.dumps(json.loads(text), ensure_ascii=False)  # not written so: decoded whole
        assert _split(spaced) == ("", json.loads(text))
        store._conn.execute("UPDATE reports SET result_json = ?", (spaced,))  # as the store's writer before
        store.replace_findings(sha, checks, [], lines)
        assert store.get_result_text(sha) == json_text(_replace_findings(json.loads(text), checks, [], lines))


def test_the_cross_unit_index_drops_only_the_reports_that_are_not_latest_of_their_year(tmp_path: Path):
    """``peer_stale``: an indexed report whose latest result is of another year (or gone) leaves
    the year's index; one that is the latest of that year stays."""
    result = make_result()
    sha, rv, year = result.document.sha256, result.reader_version, result.sections.meta.year
    with Store(tmp_path / "s.sqlite") as s:
        s.save(result)
        s.peer_put([(sha, rv, year, "unit", None), ("f" * 64, rv, year, "other", None)])
        assert s.peer_stale(year) == 0  # the unstored one dropped (it had no fingerprint: 0 compared)
        con = sqlite3.connect(tmp_path / "s.sqlite")
        assert [r[0] for r in con.execute("SELECT sha256 FROM peer_entries")] == [sha]
        s.peer_put([(sha, rv, year + 1, "unit", None)])  # indexed in a year it is not of
        s.peer_stale(year + 1)
        assert [r[0] for r in con.execute("SELECT sha256 FROM peer_entries")] == []
        con.close()
