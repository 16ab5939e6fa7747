"""The units of the store and their triage indicators: prompts to look, never findings.

    unit_list(store)                       -> the register: each unit, its level, region, years
    unit_indicators(store, year=2024, level="county", sort="carry_rate")
                                           -> a row per unit and year: the indicators, the peers'
                                              median and quartiles, and the prompts

An indicator is computed from a report's tables B and C (:data:`INDICATORS`): 实质公开率
(予以公开 + 部分公开) / 办结, 无法提供占比 无法提供 / 办结, 复议纠错率 结果纠正 / 行政复议 总计,
结转率 结转下年度 / (本年新收 + 上年结转), and the requests of the year (本年新收). Peers are the
units of the same level with a report for the same year; their median and quartiles come from
every stored report of that level and year, whatever a view filters. A rate whose denominator
is under :data:`MIN_N` is shown but not compared (a small sample says little), and a unit is
prompted only where its figure lies far beyond the quartile (:data:`FENCE` interquartile ranges)
on the side that asks a look (实质公开率 below the lower quartile; the others above the upper).
The app shows these as they come: it computes nothing.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence

from nlp.units import LEVEL_ZH, Unit, identify

if TYPE_CHECKING:
    from nlp.store import Store

__all__ = ["INDICATORS", "LEVEL_ZH", "MIN_N", "Indicator", "indicator_table", "peer_stats", "report_indicators", "stored_coverage",
           "stored_units", "unit_indicators", "unit_list"]

MIN_N = 30
"""A rate over fewer cases than this is shown but neither compared nor prompted (the peer
system's guard: units with 受理 under 30 are not rated)."""
MIN_PEERS = 4
"""Quartiles of fewer peers than this are not computed."""
FENCE = 1.5
"""A figure is prompted beyond its quartile by this many interquartile ranges (Tukey's fences):
a quarter of the peers lie beyond each quartile, only the far ones ask a look."""

Cell = tuple[str, str, str]


@dataclass(frozen=True)
class Indicator:
    """A triage indicator: its key, Chinese name, how it is computed (in words), the cells it
    adds up as numerator and denominator (a count has no denominator), and the side that asks
    a look (``low`` / ``high`` / None)."""

    key: str
    zh: str
    formula: str
    numerator: tuple[Cell, ...]
    denominator: tuple[Cell, ...] = ()
    look: Optional[str] = "high"

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)


def _b(*rows: str) -> tuple[Cell, ...]:
    return tuple(("requests", r, "total") for r in rows)


_UNAVAILABLE = ("unavailable.not_held", "unavailable.needs_creation", "unavailable.unclear")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("substantive_rate", "实质公开率", "(予以公开 + 部分公开) / 办结(表B)", _b("granted", "partial"), _b("closed"),
              look="low"),
    Indicator("unavailable_share", "无法提供占比", "无法提供 / 办结(表B)", _b(*_UNAVAILABLE), _b("closed")),
    Indicator("correction_rate", "复议纠错率", "行政复议 结果纠正 / 行政复议 总计(表C)",
              (("review", "reconsideration", "corrected"),), (("review", "reconsideration", "total"),)),
    Indicator("carry_rate", "结转率", "结转下年度 / (本年新收 + 上年结转)(表B)", _b("carried_out"), _b("new", "carried_in")),
    Indicator("requests", "本年新收申请", "本年新收(表B 总计)", _b("new"), look=None),
)
"""The indicators, in the order they are shown."""
CELLS: tuple[Cell, ...] = tuple(dict.fromkeys(c for i in INDICATORS for c in i.numerator + i.denominator))


def _sum(figures: Mapping[Cell, Any], cells: Sequence[Cell]) -> Optional[float]:
    vals = [figures.get(c) for c in cells]
    if any(v is None for v in vals):
        return None
    return float(sum(vals))


def report_indicators(figures: Mapping[Cell, Any]) -> dict[str, dict[str, Optional[float]]]:
    """Each indicator of one report from its table figures: ``{"value", "numerator",
    "denominator"}`` (a rate in percent; None where a cell is missing or the denominator 0)."""
    out = {}
    for ind in INDICATORS:
        num = _sum(figures, ind.numerator)
        den = _sum(figures, ind.denominator) if ind.is_rate else None
        if ind.is_rate:
            value = None if num is None or not den else round(100.0 * num / den, 2)
        else:
            value = num
        out[ind.key] = {"value": value, "numerator": num, "denominator": den}
    return out


def peer_stats(values: Sequence[float]) -> Optional[dict[str, float]]:
    """Median and quartiles (inclusive method) of the peers' values, or None for too few."""
    vals = sorted(v for v in values if v is not None)
    if len(vals) < MIN_PEERS:
        return None
    q1, med, q3 = statistics.quantiles(vals, n=4, method="inclusive")
    return {"median": round(med, 2), "q1": round(q1, 2), "q3": round(q3, 2), "n": len(vals)}


def _comparable(ind: Indicator, v: Mapping[str, Optional[float]]) -> bool:
    return v["value"] is not None and (not ind.is_rate or (v["denominator"] or 0) >= MIN_N)


def stored_units(store: "Store") -> list[tuple[Optional[Unit], Optional[int], dict[str, Any]]]:
    """Every stored report (latest results) as ``(unit, year, row)``: its agency read through the
    store's aliases (``nlp.units.identify``); ``row`` is ``Store.report_units``' row."""
    aliases = store.aliases()
    return [(identify(r["agency"], aliases), r["year"], r) for r in store.report_units()]


def unit_list(store: "Store") -> list[dict[str, Any]]:
    """The register of the stored reports' units: key, name, short name, level (and in Chinese),
    region (names from the province down), the years reported and the reports' sha256 by year."""
    rows: dict[str, dict[str, Any]] = {}
    for unit, year, r in stored_units(store):
        if unit is None:
            continue
        row = rows.setdefault(unit.key, {"key": unit.key, "name": unit.name, "short": unit.short, "level": unit.level,
                                         "level_zh": LEVEL_ZH[unit.level], "region": "".join(unit.region_names()),
                                         "agencies": [], "years": [], "reports": {}})
        if r["agency"] and r["agency"] not in row["agencies"]:
            row["agencies"].append(r["agency"])
        if year is not None:
            row["reports"].setdefault(year, []).append(r["sha256"])
            row["years"] = sorted(row["reports"])
    return sorted(rows.values(), key=lambda r: r["key"])


def unit_indicators(store: "Store", *, year: Optional[int] = None, level: Optional[str] = None,
                    region: Optional[str] = None, prompted_only: bool = False, sort: Optional[str] = None,
                    descending: bool = True) -> list[dict[str, Any]]:
    """A row per stored report with a unit: the unit (key, name, level, region), the year, the
    report (sha256, source), and per indicator ``{value, numerator, denominator, peers: {median,
    q1, q3, n} | None, prompt: str | None}``, plus ``prompts`` (the prompts' words, in order).

    Peers are every stored report of the same level and year. ``year``, ``level`` and
    ``region`` (a name its region contains, 太原市) filter the rows, ``prompted_only`` keeps the
    rows with a prompt; ``sort`` is an indicator key (rows without that value come last).
    """
    figures = store.table_figures(CELLS)
    rows = []
    for unit, y, r in stored_units(store):
        if unit is None or r["sha256"] not in figures:
            continue
        rows.append({"unit": unit.key, "name": unit.name, "level": unit.level, "level_zh": LEVEL_ZH[unit.level],
                     "region": "".join(unit.region_names()), "year": y, "sha256": r["sha256"], "source": r["source"],
                     **report_indicators(figures[r["sha256"]])})
    groups: dict[tuple[str, Optional[int]], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["level"], row["year"]), []).append(row)
    for (lvl, y), members in groups.items():
        for ind in INDICATORS:
            stats = peer_stats([m[ind.key]["value"] for m in members if _comparable(ind, m[ind.key])])
            for m in members:
                v = m[ind.key]
                v["peers"] = stats
                v["prompt"] = _prompt(ind, v, stats, lvl, y) if stats and _comparable(ind, v) else None
    for row in rows:
        row["prompts"] = [row[i.key]["prompt"] for i in INDICATORS if row[i.key]["prompt"]]
    out = [row for row in rows
           if (year is None or row["year"] == year) and (level is None or row["level"] == level)
           and (not region or region in row["region"] or region in row["name"])
           and (not prompted_only or row["prompts"])]
    if sort:
        present = [r for r in out if r[sort]["value"] is not None]
        absent = [r for r in out if r[sort]["value"] is None]
        out = sorted(present, key=lambda r: r[sort]["value"], reverse=descending) + absent
    return out


def _fmt(ind: Indicator, v: float) -> str:
    return f"{v:g}%" if ind.is_rate else f"{v:g}"


def _prompt(ind: Indicator, v: Mapping[str, Any], stats: Mapping[str, float], level: str, year: Optional[int]) -> Optional[str]:
    """The words of a prompt to look, when the figure lies beyond the quartile on the side of
    the indicator that asks a look; None otherwise."""
    value = v["value"]
    peers = f"同级({LEVEL_ZH[level]}{'' if year is None else f', {year}年'}, {stats['n']}个单位)"
    spread = FENCE * (stats["q3"] - stats["q1"])
    if ind.look == "low" and value < stats["q1"] - spread:
        return f"{ind.zh}{_fmt(ind, value)},远低于{peers}下四分位数{_fmt(ind, stats['q1'])}(中位数{_fmt(ind, stats['median'])})"
    if ind.look == "high" and value > stats["q3"] + spread:
        return f"{ind.zh}{_fmt(ind, value)},远高于{peers}上四分位数{_fmt(ind, stats['q3'])}(中位数{_fmt(ind, stats['median'])})"
    return None


def indicator_table(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """:func:`unit_indicators` rows as a flat table in Chinese, for a view or a sheet: the unit,
    level, region, year, then per indicator its value, the peers' median and quartiles (in
    words) and the cases it rests on, then the prompts; ``sha256`` last (to open the report)."""
    out = []
    for r in rows:
        line: dict[str, Any] = {"单位": r["name"], "级别": r["level_zh"], "地区": r["region"], "年度": r["year"]}
        for ind in INDICATORS:
            v = r[ind.key]
            line[ind.zh] = v["value"]
            peers = v.get("peers")
            line[f"{ind.zh}·同级中位数"] = peers["median"] if peers else None
            line[f"{ind.zh}·同级四分位"] = f"{_fmt(ind, peers['q1'])}–{_fmt(ind, peers['q3'])}" if peers else ""
            if ind.is_rate:
                line[f"{ind.zh}·件数"] = v["denominator"]
        line["提示"] = ";".join(r["prompts"])
        line["报告文件"] = r["source"]
        line["sha256"] = r["sha256"]
        out.append(line)
    return out


def stored_coverage(store: "Store", year: int, region: str) -> dict[str, Any]:
    """For a year and a region, which units of the store have a report and which have none
    (``nlp.units.coverage`` over the stored reports, aliases applied). ValueError for a name
    that is no division."""
    from nlp.units import coverage

    return coverage([(u, y, r["sha256"]) for u, y, r in stored_units(store)], year, region).to_json()
