"""The cross-year checks (nlp/checks/crossyear.py) and their plumbing (nlp/history.py).

A constructed series: seed 002 (万柏林区 2024) and a 2023 report made from it by changing the
year and the carry-over rows; consistent it stays silent, broken it finds each break, per
column, with both reports as evidence, and the finding is recomputed when the earlier year is
checked again. The corpus's 平潭 reports (2012, 2018, 2022, 2024) are not consecutive: the
year-to-year checks are not assessable on them, the 历年累计 of their statistics tables is.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CORPUS, seed_path
from nlp.pipeline import check_batch
from nlp.store import Store

SEED = seed_path("002").read_text("utf-8")
CARRY_IN = "二、上年结转政府信息公开申请数量 | 10 | 0 | 0 | 0 | 0 | 0 | 10 |"
CARRY_OUT = "四、结转下年度继续办理 | 10 | 0 | 0 | 0 | 0 | 0 | 10 |"
NORMATIVE = "行政规范性文件 | 4 | 2 | 11 |"


def year_2023(carry: int = 10, in_force: int = 9, new_total: int = 100) -> str:
    """Seed 002 as a 2023 report: its 上年结转 and 结转下年度 set to ``carry`` (so that its own
    balance still holds) and its 现行有效 规范性文件 to ``in_force``."""
    text = SEED.replace("2024", "2023")
    text = text.replace(CARRY_IN, CARRY_IN.replace("10", str(carry)))
    text = text.replace(CARRY_OUT, CARRY_OUT.replace("10", str(carry)))
    text = text.replace(NORMATIVE, f"行政规范性文件 | 4 | 2 | {in_force} |")
    assert text != SEED.replace("2024", "2023") or (carry, in_force) == (10, 11)
    return text


def series(tmp_path: Path, **kw) -> Path:
    folder = tmp_path / "series"
    folder.mkdir()
    (folder / "wbl_2023.txt").write_text(year_2023(**kw), "utf-8")
    (folder / "wbl_2024.txt").write_text(SEED, "utf-8")
    return folder


def cross(result) -> list:
    return [f for f in result.findings if f.check.startswith("crossyear.")]


def checklist(result) -> dict:
    return {c["check"]: c for c in result.checklist}


def test_a_consistent_series_is_silent(tmp_path):
    out = {o.path.name: o.result for o in check_batch([series(tmp_path)])}
    assert out["wbl_2023.txt"].unit["key"] == out["wbl_2024.txt"].unit["key"] == "140109:人民政府"
    assert cross(out["wbl_2024.txt"]) == []
    lines = checklist(out["wbl_2024.txt"])
    assert lines["crossyear.carried_over.v1"]["status"] == "pass"
    assert lines["crossyear.in_force.v1"]["status"] == "pass"  # 9 + 4 - 2 = 11
    assert lines["crossyear.carried_over.v1"]["status"] == "pass"
    assert checklist(out["wbl_2023.txt"])["crossyear.carried_over.v1"]["status"] == "not_assessable"


def test_each_injected_break_is_found_per_column_with_both_reports(tmp_path):
    out = {o.path.name: o.result for o in check_batch([series(tmp_path, carry=8, in_force=12)])}
    found = cross(out["wbl_2024.txt"])
    carried = [f for f in found if f.check == "crossyear.carried_over.v1"]
    assert sorted(f.evidence["column"] for f in carried) == ["natural_person", "total"]
    assert all(f.severity == "error" and "上年结转 10" in f.message and "结转下年度 8" in f.message for f in carried)
    years = [r["year"] for r in carried[0].evidence["reports"]]
    assert years == [2023, 2024] and carried[0].evidence["previous"]["source"].endswith("wbl_2023.txt")
    (chain,) = [f for f in found if f.check == "crossyear.in_force.v1"]
    assert "12 + 本年制发 4 − 本年废止 2 = 14" in chain.message and "11" in chain.message


def test_the_later_year_is_recomputed_when_the_earlier_year_is_checked_again(tmp_path):
    folder = series(tmp_path, carry=8)
    db = tmp_path / "x.sqlite"
    with Store(db) as store:
        list(check_batch([folder / "wbl_2024.txt"], store=store))  # the later year first: nothing to compare
        sha_2024 = next(r["sha256"] for r in store.overview() if r["year"] == 2024)
        assert not [f for f in store.findings(sha_2024) if f["check_name"].startswith("crossyear.")]
        list(check_batch([folder / "wbl_2023.txt"], store=store))  # the earlier year arrives: 2024 relinked
        found = [f for f in store.findings(sha_2024) if f["check_name"] == "crossyear.carried_over.v1"]
        assert len(found) == 2
        store.record_decision(found[0]["id"], "finding", sha_2024, "confirmed_defect", reviewer="王")
        (folder / "wbl_2023.txt").write_text(year_2023(carry=10), "utf-8")  # 2023 corrected and checked again
        list(check_batch([folder / "wbl_2023.txt"], store=store))
        assert not [f for f in store.findings(sha_2024) if f["check_name"] == "crossyear.carried_over.v1"]
        lines = {c["check"]: c for c in store.get_result(sha_2024)["checklist"]}
        assert lines["crossyear.carried_over.v1"]["status"] == "pass"
        assert [d["decision"] for d in store.current_decisions()] == ["confirmed_defect"]  # kept (orphaned)


def test_pingtan_reports_are_not_consecutive_and_their_cumulative_counts_rise(tmp_path):
    paths = sorted(CORPUS.glob("*pingtan*"))
    with Store(tmp_path / "p.sqlite") as store:
        results = {o.path.name: o.result for o in check_batch(paths, store=store)}
        units = {r.unit["key"] for r in results.values()}
        assert units == {"350128:综合实验区"}
        for name, r in results.items():
            lines = checklist(r)
            assert lines["crossyear.carried_over.v1"]["status"] == "not_assessable", name
            assert not cross(r), (name, [f.message for f in cross(r)])
        sha_2018 = results["012_pingtan_2018.txt"].document.sha256
        lines = {c["check"]: c for c in store.get_result(sha_2018)["checklist"]}
        assert lines["crossyear.cumulative.v1"]["status"] == "pass"  # 4359 (2012) → 12106 (2018)


def test_a_cumulative_count_that_falls_is_found():
    from builders import context, sections_of, tables_of
    from nlp.checks import CHECKS
    from nlp.checks.crossyear import YearReport, cumulative_count
    from nlp.units import identify

    old = YearReport("a" * 64, "2012.txt", 2012, "u", text="统计表 指标名称 计量单位 2012年度 历年累计 主动公开信息数 条 739 4359")
    restart = YearReport("b" * 64, "2013.txt", 2013, "u", text="统计表 历年累计 主动公开信息数 条 812 812")
    assert cumulative_count(old) == (739, 4359) and cumulative_count(restart) == (812, 812)
    ctx = context(tables_of("pre2019"), year=2013, sha="b" * 64)
    ctx = type(ctx)(ctx.doc, sections_of(2013), ctx.tables, [], ctx.settings, identify("平潭综合实验区"), [old], restart)
    (f,) = CHECKS["crossyear.cumulative.v1"](ctx)
    assert "812" in f.message and "4359" in f.message and "重新计数" in f.message
    assert [r["year"] for r in f.evidence["reports"]] == [2012, 2013]


@pytest.mark.parametrize("this_year,last_year,fires", [(1034, 98, True), (1034, 500, False), (60, 2, False)])
def test_an_order_of_magnitude_jump_is_a_prompt(this_year, last_year, fires):
    from builders import context, sections_of, tables_of
    from nlp.checks import CHECKS
    from nlp.checks.crossyear import YearReport
    from nlp.units import identify

    prev = YearReport("a" * 64, "2023.txt", 2023, "u", tables={"active": {"penalty": last_year}})
    cur = YearReport("b" * 64, "2024.txt", 2024, "u", tables={"active": {"penalty": this_year}})
    ctx = context(tables_of(), year=2024, sha="b" * 64)
    ctx = type(ctx)(ctx.doc, sections_of(2024), ctx.tables, [], ctx.settings, identify("万柏林区人民政府"), [prev], cur)
    found = CHECKS["crossyear.magnitude.v1"](ctx)
    assert bool(found) == fires
    if fires:
        assert found[0].severity == "info" and "行政处罚" in found[0].message
