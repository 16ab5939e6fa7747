"""The app's parts of issue 11, run headless with Streamlit's AppTest: the checklist on the
report page, and the 单位总览 page (triage indicators sorted and filtered, the register of
units, aliases edited, coverage of a region). The app shows what nlp.indicators and the store
computed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from builders import _checker
from conftest import ROOT, seed_path
from nlp.store import Store
from result_factory import make_result
from test_indicators import COUNTIES, _tables
from webapp.helpers import open_page, open_tab, set_reviewer, sha_of, start


@pytest.fixture(scope="module")
def checked():
    checker = _checker()  # the session's one Checker (its model loaded once)
    return [checker.check(p) for p in (seed_path("002"), seed_path("003"),
                                       ROOT / "data" / "corpus" / "002_shuyang_county_gov_2025.md")]


@pytest.fixture
def db(tmp_path: Path, checked, monkeypatch) -> Path:
    path = tmp_path / "app.sqlite"
    with Store(path) as s:
        for result in checked:
            s.save(result)
        for name, figures in COUNTIES.items():
            if "万柏林" not in name:  # seed 002 is 万柏林区's 2024 report
                s.save(replace(make_result(name, agency=name), tables=_tables(*figures)))
    monkeypatch.setenv("XXGK_DB", str(path))
    monkeypatch.setenv("XXGK_ANNOTATIONS_DIR", str(tmp_path / "annotations"))
    return path


def _open(page: str, **params: str) -> AppTest:
    return open_page(start(), page, **params)


def _frame(at: AppTest, column: str):
    """The first table on the page with this column (AppTest does not show a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_report_page_shows_the_checklist(db: Path):
    at = open_tab(_open("report", sha=sha_of(db, "003")), "检查清单")  # the tab app/panels.py adds
    table = _frame(at, "检查内容")
    from nlp.checks import DEFAULT_CHECKS

    assert list(table["检查"]) == list(DEFAULT_CHECKS)
    missing = table[table["检查"] == "tables.missing.v1"].iloc[0]
    assert (missing["结果"], missing["问题数"], missing["最高严重程度"]) == ("发现问题", 3, "错误")
    assert set(table["结果"]) == {"通过", "发现问题", "无法判断"}
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["发现问题"]) == (table["结果"] == "发现问题").sum()
    assert int(metrics["无法判断"]) + int(metrics["通过"]) + int(metrics["发现问题"]) == len(DEFAULT_CHECKS)


def test_units_overview_sorts_and_filters_by_the_indicators(db: Path):
    at = _open("units")
    assert at.title[0].value == "单位总览"
    table = _frame(at, "实质公开率")
    assert "太原市万柏林区人民政府" in set(table["单位"]) and {"实质公开率", "结转率", "提示"} <= set(table.columns)
    wbl = table[table["单位"] == "太原市万柏林区人民政府"].iloc[0]
    assert wbl["实质公开率"] == 20.0 and wbl["结转率"] == 9.09 and wbl["打开"].startswith("/report?sha=")
    at.selectbox(key="units-sort").set_value("requests").run()
    assert not at.exception
    ordered = list(_frame(at, "实质公开率")["本年新收申请"])
    assert ordered == sorted(ordered, reverse=True)
    at.selectbox(key="units-level").set_value("county").run()
    at.selectbox(key="units-year").set_value(2024).run()
    assert set(_frame(at, "实质公开率")["级别"]) == {"县级"}
    at.toggle(key="units-prompted").set_value(True).run()
    prompted = _frame(at, "实质公开率")
    assert all(prompted["提示"]) and len(prompted) < len(table)


def test_an_alias_edited_in_the_app_regroups_the_reports(db: Path):
    at = _open("units")
    register = _frame(at, "报告中的名称")
    assert "沐阳县人民政府" in set(register["单位"])  # the report's typo: a unit of its own
    at.text_input(key="alias-name").set_value("沐阳县人民政府")
    at.text_input(key="alias-target").set_value("沭阳县人民政府")
    next(b for b in at.button if b.label == "登记别名").click().run()  # no reviewer yet: refused, nothing written
    assert Store(db).aliases() == {} and any("复核人" in w.value for w in at.warning)
    set_reviewer(at, "王审")
    at.text_input(key="alias-name").set_value("沐阳县人民政府")
    at.text_input(key="alias-target").set_value("沭阳县人民政府")
    next(b for b in at.button if b.label == "登记别名").click().run()
    assert not at.exception, at.exception
    assert Store(db).aliases() == {"沐阳县人民政府": "沭阳县人民政府"}
    register = _frame(at, "报告中的名称")
    row = register[register["单位"] == "宿迁市沭阳县人民政府"].iloc[0]
    assert row["级别"] == "县级" and row["报告中的名称"] == "沐阳县人民政府"
    at.selectbox(key="alias-remove").set_value("沐阳县人民政府")
    next(b for b in at.button if b.label == "删除").click().run()
    assert Store(db).aliases() == {}


def test_coverage_of_a_region_for_a_year(db: Path):
    at = _open("units")
    at.number_input(key="cov-year").set_value(2024)
    at.text_input(key="cov-region").set_value("太原市").run()
    assert not at.exception, at.exception
    cov = _frame(at, "有报告")
    reported = set(cov[cov["有报告"] == "是"]["单位"])
    assert {"太原市万柏林区人民政府", "太原市小店区人民政府"} <= reported
    assert "太原市人民政府" in set(cov[cov["有报告"] == "否"]["单位"])
