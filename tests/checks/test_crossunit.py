"""One report issued under two issuers' names (nlp/checks/crossunit.py, nlp/history.py).

Constructed from real text: seed 002 (太原市万柏林区人民政府, 2024) re-issued as 太原市小店区人民政府's
(every 万柏林 of it written 小店, the figures as they are). Checked with it, both reports get the
finding, each naming the other, the similarity shown both ways; the same report under the same
unit's name, another unit's real report of the same year (corpus 006, 平潭 2024) and the copy
dated another year stay quiet; checking either again recomputes the other's finding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, seed_path
from nlp.checks import NotAssessable
from nlp.pipeline import check_batch
from nlp.store import Store

SEED = seed_path("002").read_text("utf-8")
REISSUED = SEED.replace("万柏林", "小店")
CHECK = "crossunit.reissued.v1"


def folder_of(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.txt").write_text(text, "utf-8")
    return folder


def reissued(rows) -> list:
    return [f for f in rows if (f["check_name"] if isinstance(f, dict) else f.check) == CHECK]


def checklist_line(store: Store, sha: str) -> dict:
    return next(c for c in store.get_result(sha)["checklist"] if c["check"] == CHECK)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """Seed 002, its copy under 小店区, and 平潭's 2024 report, checked into one store."""
    tmp = tmp_path_factory.mktemp("crossunit")
    folder = folder_of(tmp, wbl_2024=SEED, xd_2024=REISSUED)
    db = tmp / "x.sqlite"
    with Store(db) as store:
        results = {o.path.name: o.result for o in check_batch([folder, CORPUS / "006_pingtan_2024.html"], store=store)}
    return db, results


def test_a_report_reissued_under_a_second_name_is_found_on_both(checked):
    db, results = checked
    wbl, xd = results["wbl_2024.txt"], results["xd_2024.txt"]
    assert (wbl.unit["key"], xd.unit["key"]) == ("140109:人民政府", "140105:人民政府")
    with Store(db) as store:
        on_wbl, on_xd = reissued(store.findings(wbl.document.sha256)), reissued(store.findings(xd.document.sha256))
        assert len(on_wbl) == len(on_xd) == 1
        for f, other in ((on_wbl[0], xd), (on_xd[0], wbl)):
            ev = f["evidence"]
            assert f["severity"] == "warning" and ev["other"]["sha256"] == other.document.sha256
            assert {r["sha256"] for r in ev["reports"]} == {wbl.document.sha256, xd.document.sha256}
            assert ev["similarity"] >= 0.95 and "%" in f["message"] and other.unit["name"] in f["message"]
        assert "太原市小店区人民政府" in on_wbl[0]["message"] and "xd_2024.txt" in on_wbl[0]["message"]
        assert checklist_line(store, wbl.document.sha256)["status"] == "fail"
        pingtan = results["006_pingtan_2024.html"].document.sha256
        assert reissued(store.findings(pingtan)) == []  # another unit's own report of the same year
        assert checklist_line(store, pingtan)["status"] == "pass"


def test_the_same_report_under_the_same_units_name_or_another_year_stays_quiet(tmp_path):
    short = SEED.replace("太原市万柏林区人民政府2024年度", "万柏林区人民政府2024年度")  # the unit's short name
    other_year = REISSUED.replace("2024", "2023")
    with Store(tmp_path / "q.sqlite") as store:
        out = {o.path.name: o.result for o in check_batch([folder_of(tmp_path, a=SEED, b=short, c=other_year)], store=store)}
    assert out["a.txt"].unit["key"] == out["b.txt"].unit["key"]
    assert all(reissued(r.findings) == [] for r in out.values())


def test_checking_either_again_recomputes_the_others_finding(tmp_path):
    folder = folder_of(tmp_path, wbl_2024=SEED, xd_2024=REISSUED)
    with Store(tmp_path / "r.sqlite") as store:
        (wbl,) = [o.result for o in check_batch([folder / "wbl_2024.txt"], store=store)]
        sha = wbl.document.sha256
        assert checklist_line(store, sha)["status"] == "not_assessable"  # alone in its year
        list(check_batch([folder / "xd_2024.txt"], store=store))  # the second issuer arrives: wbl relinked
        (f,) = reissued(store.findings(sha))
        store.record_decision(f["id"], "finding", sha, "confirmed_defect", reviewer="王")
        # the two names found to be one unit (an alias), and the copy checked again: both findings go
        store.set_alias("太原市小店区人民政府", "太原市万柏林区人民政府", reviewer="王")
        list(check_batch([folder / "xd_2024.txt"], store=store, force=True))  # stored already: --force
        assert reissued(store.findings(sha)) == []
        line = checklist_line(store, sha)  # one unit now: no other unit's report of 2024 to compare
        assert line["status"] == "not_assessable" and "2024年度其他单位" in line["why"]
        assert [d["decision"] for d in store.current_decisions()] == ["confirmed_defect"]  # kept


def test_a_report_is_not_assessable_without_the_years_other_reports():
    from builders import context, doc_of, sections_of, tables_of
    from nlp.checks import CHECKS
    from nlp.checks.crossunit import Peers
    from nlp.sections import find_sections
    from nlp.units import identify

    doc = doc_of(SEED)
    secs = find_sections(doc)
    ctx = context(tables_of(), text=SEED)
    ctx = type(ctx)(doc, type(secs)(meta=sections_of(2024).meta, sections=secs.sections), tables_of(), [], ctx.settings,
                    identify("太原市万柏林区人民政府"), None, None, Peers(2024, 0, ()))
    with pytest.raises(NotAssessable, match="2024年度其他单位"):
        CHECKS[CHECK](ctx)
