"""``xxgk units``: aliases kept in the store regroup reports at once; coverage of a folder."""

from __future__ import annotations

import json

from conftest import ROOT, xxgk
from nlp.store import Store


def test_coverage_of_a_folder_for_a_year_and_a_region():
    proc = xxgk("units", "coverage", "--year", "2024", "--region", "太原市", "--format", "json", str(ROOT / "samples"))
    assert proc.returncode == 0, proc.stderr
    cov = json.loads(proc.stdout)
    assert [r["name"] for r in cov["reported"]] == ["太原市万柏林区人民政府"]
    assert "太原市人民政府" in {r["name"] for r in cov["missing"]}
    bad = xxgk("units", "coverage", "--year", "2024", "--region", "不存在的地方", str(ROOT / "samples"))
    assert bad.returncode == 2 and "not a division" in bad.stderr


def test_an_alias_regroups_the_stored_reports(tmp_path):
    db = tmp_path / "x.sqlite"
    assert xxgk("check", str(ROOT / "data" / "corpus" / "002_shuyang_county_gov_2025.md"), "--db", str(db)).returncode == 0
    listed = xxgk("units", "list", "--db", str(db), "--format", "json")
    assert json.loads(listed.stdout.splitlines()[0])["key"] == "-:沐阳县人民政府"  # the report's typo: no division
    assert xxgk("units", "alias", "沐阳县人民政府", "沭阳县人民政府", "--db", str(db), "--reviewer", "王").returncode == 0
    row = json.loads(xxgk("units", "list", "--db", str(db), "--format", "json").stdout.splitlines()[0])
    assert row["key"] == "321322:人民政府" and row["years"] == [2025] and row["level"] == "county"
    with Store(db) as store:
        assert store.aliases() == {"沐阳县人民政府": "沭阳县人民政府"}
    assert xxgk("units", "unalias", "沐阳县人民政府", "--db", str(db)).returncode == 0
    with Store(db) as store:
        assert store.aliases() == {}


def test_indicators_of_the_stored_reports(tmp_path):
    db = tmp_path / "x.sqlite"
    assert xxgk("check", str(ROOT / "samples" / "002_d63969c0f6426144.txt"), "--db", str(db)).returncode == 0
    proc = xxgk("units", "indicators", "--db", str(db), "--format", "json", "--sort", "carry_rate")
    assert proc.returncode == 0, proc.stderr
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert row["name"] == "太原市万柏林区人民政府" and row["substantive_rate"]["value"] == 20.0
    assert row["carry_rate"]["peers"] is None and row["prompts"] == []  # one county: no peers to compare
    text = xxgk("units", "indicators", "--db", str(db))
    assert "实质公开率 20.0" in text.stdout
    bad = xxgk("units", "indicators", "--db", str(db), "--sort", "nope")
    assert bad.returncode == 2 and "carry_rate" in bad.stderr
