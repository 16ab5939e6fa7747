"""Findings across reports on the report page (AppTest): a cross-year finding names the unit's
other year and links to its page, a cross-unit finding (one report, two issuers) names the other
unit's report and links to it, and the link opens that report's page.

The reports: seed 002 (万柏林区 2024), a 2023 report made from it whose 结转下年度 is 8 (not the
10 carried into 2024), and seed 002 re-issued under 小店区's name; checked into one store by the
real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from builders import _checker
from checks.test_crossunit import REISSUED, SEED
from checks.test_crossyear import year_2023
from nlp.pipeline import check_batch
from nlp.store import Store
from webapp.helpers import expand, open_page, sha_of, start


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("links")
    folder = tmp / "reports"
    folder.mkdir()
    for name, text in {"wbl_2023": year_2023(carry=8), "wbl_2024": SEED, "xd_2024": REISSUED}.items():
        (folder / f"{name}.txt").write_text(text, "utf-8")
    db = tmp / "app.sqlite"
    with Store(db) as store:
        list(check_batch([folder], _checker(), store=store))
    return db


@pytest.fixture
def db(stored: Path, monkeypatch) -> Path:
    monkeypatch.setenv("XXGK_DB", str(stored))
    monkeypatch.setenv("XXGK_ANNOTATIONS_DIR", str(stored.parent / "annotations"))
    return stored


def finding_text(at: AppTest, db: Path, sha: str, check: str) -> str:
    """The words shown in a finding's opened expander on the report page."""
    (f,) = [f for f in Store(db).findings(sha) if f["check_name"] == check][:1]
    at = expand(at, f"x-finding-{f['id']}")
    return "\n".join(m.value for m in at.markdown)


def test_a_cross_year_finding_links_to_the_other_years_report(db: Path):
    sha_2024, sha_2023 = sha_of(db, "wbl_2024"), sha_of(db, "wbl_2023")
    at = open_page(start(), "report", sha=sha_2024[:12])  # a prefix, as the links may carry
    shown = finding_text(at, db, sha_2024, "crossyear.carried_over.v1")
    assert f"[2023年度 · wbl_2023.txt · SHA256 {sha_2023[:12]}](/report?sha={sha_2023})" in shown
    assert "对比的往年报告" in shown and "上年度" in shown and "结转下年度继续办理" in shown
    followed = open_page(start(), "report", sha=sha_2023)  # where the link goes
    assert "2023年" in followed.caption[0].value and "wbl_2023.txt" in followed.caption[0].value


def test_a_report_issued_under_two_names_links_each_to_the_other(db: Path):
    wbl, xd = sha_of(db, "wbl_2024"), sha_of(db, "xd_2024")
    for here, there, name in ((wbl, xd, "xd_2024.txt"), (xd, wbl, "wbl_2024.txt")):
        shown = finding_text(open_page(start(), "report", sha=here), db, here, "crossunit.reissued.v1")
        assert f"(/report?sha={there})" in shown and name in shown and "另一单位的同年报告" in shown
        assert "相似度" in shown and "%" in shown
