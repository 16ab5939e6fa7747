"""Triage indicators per unit (nlp/indicators.py) over the store: each indicator from tables B
and C, the peers' median and quartiles by level and year, prompts only beyond the quartile on
the side that asks a look and only over enough cases, filters and sorting; the units register."""

from __future__ import annotations

from dataclasses import replace

import pytest

from builders import B_002, C_002, b_row, c_row, tables_2021
from conftest import seed_path
from nlp.indicators import INDICATORS, MIN_N, peer_stats, report_indicators, unit_indicators, unit_list
from nlp.store import Store
from result_factory import make_result

# six 区 of 太原市 (county level) and the city (a peer of no one), each with its table B and C
COUNTIES = {
    # name: (new, granted, partial, unavailable, carried_out, reconsideration corrected, total)
    "太原市小店区人民政府": (100, 40, 10, 30, 5, 0, 10),
    "太原市迎泽区人民政府": (120, 50, 10, 40, 10, 1, 10),
    "太原市杏花岭区人民政府": (80, 30, 10, 30, 5, 1, 8),
    "太原市尖草坪区人民政府": (90, 45, 5, 25, 8, 0, 6),
    "太原市晋源区人民政府": (60, 30, 6, 14, 4, 0, 4),
    "太原市万柏林区人民政府": (110, 5, 5, 50, 40, 6, 12),  # few disclosed, much carried over, corrected
}


def _tables(new: int, granted: int, partial: int, unavailable: int, carried_out: int, corrected: int, total: int):
    closed = new - carried_out
    other = closed - granted - partial - unavailable
    b = {"new": b_row(new), "granted": b_row(granted), "partial": b_row(partial),
         "unavailable.not_held": b_row(unavailable), "other.other": b_row(other), "closed": b_row(closed),
         "carried_out": b_row(carried_out)}
    c = {"reconsideration": c_row(total - corrected, corrected, 0, 0)}
    return tables_2021(b, c)


@pytest.fixture
def store():
    s = Store(":memory:")
    for name, figures in COUNTIES.items():
        s.save(replace(make_result(name, agency=name), tables=_tables(*figures)))
    s.save(replace(make_result("city", agency="太原市人民政府"), tables=_tables(500, 200, 50, 150, 20, 2, 30)))
    s.save(replace(make_result("old", agency="太原市晋源区人民政府", year=2023), tables=_tables(50, 25, 5, 10, 2, 0, 2)))
    return s


def test_the_indicators_of_seed_002_from_its_tables():
    # seed 002 as read by hand: 予以公开 9 + 部分公开 11 of 办结 100; 无法提供 77; 复议 12, 0 纠正; 结转 10 of 100 + 10
    figures = {(t.name, r, c): v for t in tables_2021(B_002, C_002).all() for (r, c), cell in t.cells.items()
               for v in [cell.value]}
    got = {k: v["value"] for k, v in report_indicators(figures).items()}
    assert got == {"substantive_rate": 20.0, "unavailable_share": 77.0, "correction_rate": 0.0,
                   "carry_rate": 9.09, "requests": 100.0}


def test_a_missing_cell_or_a_zero_denominator_gives_no_value():
    got = report_indicators({("requests", "granted", "total"): 1})
    assert all(v["value"] is None for v in got.values())
    zero = report_indicators({("review", "reconsideration", "corrected"): 0, ("review", "reconsideration", "total"): 0})
    assert zero["correction_rate"]["value"] is None


def test_peers_median_and_quartiles_by_level_and_year(store):
    rows = unit_indicators(store, year=2024, level="county")
    assert {r["name"] for r in rows} == set(COUNTIES)
    wbl = next(r for r in rows if r["name"] == "太原市万柏林区人民政府")
    sub = wbl["substantive_rate"]
    assert sub["value"] == 14.29 and sub["denominator"] == 70
    rates = sorted(r["substantive_rate"]["value"] for r in rows)
    assert sub["peers"] == peer_stats(rates) and sub["peers"]["n"] == 6
    assert sub["peers"]["median"] == pytest.approx((rates[2] + rates[3]) / 2, abs=0.01)
    # 14.29% is far below the lower quartile of the six: a prompt, in words, never a finding
    assert any("实质公开率14.29%,远低于同级(县级, 2024年, 6个单位)下四分位数" in p for p in wbl["prompts"])
    assert [p[:3] for p in wbl["prompts"]] == ["实质公", "无法提", "结转率"]
    # beyond a quartile is a quarter of the peers; only the far ones are prompted
    others = [r for r in rows if r is not wbl]
    assert any(r["carry_rate"]["value"] > r["carry_rate"]["peers"]["q3"] for r in others)
    assert not any(r["prompts"] for r in others)
    city = unit_indicators(store, level="city")[0]
    assert city["substantive_rate"]["peers"] is None and city["prompts"] == []  # no peers of its level


def test_rates_over_few_cases_are_shown_but_not_compared(store):
    rows = unit_indicators(store, year=2024, level="county")
    wbl = next(r for r in rows if r["name"] == "太原市万柏林区人民政府")
    corr = wbl["correction_rate"]
    assert corr["value"] == 50.0 and corr["denominator"] == 12 < MIN_N
    assert corr["peers"] is None and corr["prompt"] is None  # no county has 30 复议 cases


def test_filters_and_sorting(store):
    by_carry = unit_indicators(store, year=2024, level="county", sort="carry_rate")
    values = [r["carry_rate"]["value"] for r in by_carry]
    assert values == sorted(values, reverse=True) and by_carry[0]["name"] == "太原市万柏林区人民政府"
    assert [r["name"] for r in unit_indicators(store, year=2024, level="county", prompted_only=True)] == ["太原市万柏林区人民政府"]
    assert {r["year"] for r in unit_indicators(store, region="晋源区")} == {2023, 2024}
    assert unit_indicators(store, region="杭州市") == []
    ascending = unit_indicators(store, year=2024, sort="requests", descending=False)
    assert ascending[0]["requests"]["value"] == 60 and ascending[-1]["name"] == "太原市人民政府"


def test_the_units_register_with_aliases(store):
    units = unit_list(store)
    jy = next(u for u in units if u["name"] == "太原市晋源区人民政府")
    assert jy["level"] == "county" and jy["region"] == "山西省太原市晋源区" and jy["years"] == [2023, 2024]
    store.save(replace(make_result("typo", agency="太原市晋源区政府", year=2022), tables=_tables(40, 20, 5, 10, 1, 0, 1)))
    assert next(u for u in unit_list(store) if u["name"] == "太原市晋源区人民政府")["years"] == [2022, 2023, 2024]


def test_every_indicator_has_a_chinese_name_and_a_formula():
    assert all(i.zh and i.formula and i.look in ("low", "high", None) for i in INDICATORS)


def test_stored_seeds_give_their_indicators():
    from builders import _checker  # the session's one Checker (its model loaded once)

    s = Store(":memory:")
    checker = _checker()
    for prefix in ("000", "002", "004"):
        s.save(checker.check(seed_path(prefix)))
    rows = {r["name"]: r for r in unit_indicators(s)}
    wbl = rows["太原市万柏林区人民政府"]
    assert (wbl["substantive_rate"]["value"], wbl["carry_rate"]["value"]) == (20.0, 9.09)
    assert not any("开远" in n for n in rows)  # a 2016 report has no table B: no indicators
