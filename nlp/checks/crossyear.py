"""Checks across the years of one unit: this report against the unit's reports of other years.

The context's ``history`` holds the unit's other reports as :class:`YearReport` (built from
the store by the pipeline, or from the same batch); each check compares this report with
the report of the year before (and, for a cumulative count or a jump, the nearest earlier
year), and every finding carries both reports as evidence (sha256, source, year, the cells).
A finding belongs to the later report of the pair, so its id is stable whichever of the two
is checked again; the pipeline recomputes the later report's cross-year findings when the
earlier one is re-checked.

- ``crossyear.carried_over.v1``: this year's 上年结转 against last year's 结转下年度, per
  column of table B (the template's identity across years: an error when they differ);
- ``crossyear.in_force.v1``: 规章 and 规范性文件 现行有效 against last year's 现行有效 + this
  year's 制发 − 废止 (table A of the 2021 template; a warning: repeals of documents not counted
  as 制发 make it approximate);
- ``crossyear.cumulative.v1``: a 历年累计 (cumulative) count of the pre-2019 statistics table
  that falls below an earlier year's (it restarted, or one of the two is wrong);
- ``crossyear.magnitude.v1``: a key figure that is ten times or a tenth of last year's
  (本年新收, 办结, 行政许可, 行政处罚 …): a prompt to look, ``info``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from nlp.checks._evidence import _fmt
from nlp.checks.registry import CheckContext, NotAssessable, register
from nlp.schema import REQUEST_COLUMNS, Finding, column_zh, finding

MAGNITUDE_RATIO = 10.0
"""A figure this many times last year's (or as small as its reciprocal) is a jump."""
MAGNITUDE_FLOOR = 100
"""Jumps are looked at only when the larger of the two figures is at least this."""


@dataclass(frozen=True)
class YearReport:
    """One report of a unit, as the cross-year checks read it: its tables as JSON
    (report-json.md), its claims as JSON, its text and sections."""

    sha256: str
    source: str
    year: Optional[int]
    unit: str  # the unit's key
    tables: Mapping[str, Any] = field(default_factory=dict)
    claims: Sequence[Mapping[str, Any]] = ()
    text: str = ""
    sections: Sequence[Mapping[str, Any]] = ()
    unit_json: Optional[Mapping[str, Any]] = None  # the unit as ``nlp.units.Unit.to_json`` gives it
    memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    """What a check derives from this report alone (its sections' shingles), kept while the
    history keeps the report: a report is compared with several later ones."""

    def ref(self) -> dict[str, Any]:
        """The report as evidence: which report, which year."""
        return {"sha256": self.sha256, "source": self.source, "year": self.year}

    @classmethod
    def from_result(cls, result: Mapping[str, Any], text: str = "", unit: Optional[str] = None) -> "YearReport":
        """From a stored JSON result (``ReportResult.to_json``) and the report's text."""
        return cls(
            sha256=result["sha256"],
            source=result.get("source") or "",
            year=(result.get("report") or {}).get("year"),
            unit=unit or ((result.get("unit") or {}).get("key") or ""),
            tables=result.get("tables") or {},
            claims=result.get("claims") or (),
            text=text,
            sections=result.get("sections") or (),
            unit_json=result.get("unit"),
        )


def this_year(ctx: CheckContext) -> YearReport:
    """The report being checked, read the way the history is (made once a report; its claims
    only when its text has 历年累计, the one place a check reads them)."""
    if ctx.current is not None:
        return ctx.current
    if "this_year" not in ctx.memo:
        ctx.memo["this_year"] = _year_report(ctx)
    return ctx.memo["this_year"]


def _year_report(ctx: CheckContext) -> YearReport:
    t = ctx.tables
    tables = {name: (tb.to_json() if tb is not None else None)
              for name, tb in (("active", t.active), ("requests", t.requests), ("review", t.review))}
    # the claims as JSON only where :func:`cumulative_count` reads them (a text with 历年累计): no
    # other check reads this report's claims, and they are most of the cost of making it
    claims = [c.to_json() for c in ctx.claims or ()] if "历年累计" in ctx.text else ()
    return YearReport(
        sha256=ctx.sha256,
        source=ctx.doc.source,
        year=ctx.year,
        unit=ctx.unit.key if ctx.unit is not None else "",
        tables=tables,
        claims=claims,
        text=ctx.text,
        sections=[dict(vars(s)) for s in ctx.sections.sections],  # asdict's, its fields being plain values
        unit_json=ctx.unit.to_json() if ctx.unit is not None else None,
    )


def year_before(cur: YearReport, earlier: Sequence[YearReport]) -> set:
    """What :func:`_previous` reads: the year before's report (``reads`` of the checks of one year and the one before)."""
    return {cur.year - 1} if cur.year is not None else set()


def nearest_earlier(cur: YearReport, earlier: Sequence[YearReport]) -> set:
    """The nearest earlier year a report of the unit is there for (whether there is one, and which)."""
    years = [h.year for h in earlier if h.year is not None and cur.year is not None and h.year < cur.year]
    return {max(years)} if years else set()


def _cumulative_reads(cur: YearReport, earlier: Sequence[YearReport]) -> set:
    """What :func:`cumulative` reads: whether an earlier year is there and, when this report has a
    历年累计, the earlier years from the latest back to the first with one."""
    years = nearest_earlier(cur, earlier)
    if years and cumulative_count(cur) is not None:
        for h in sorted((h for h in earlier if h.year is not None and h.year < (cur.year or 0)), key=lambda h: -h.year):
            years.add(h.year)
            if cumulative_count(h) is not None:
                break
    return years


def _previous(ctx: CheckContext, *, consecutive: bool = True) -> tuple[YearReport, YearReport]:
    """This report and the unit's report of the year before (or the nearest earlier year)."""
    if ctx.year is None:
        raise NotAssessable("未能识别报告年度")
    earlier = [h for h in ctx.history or () if h.year is not None and h.year < ctx.year and h.sha256 != ctx.sha256]
    if consecutive:
        earlier = [h for h in earlier if h.year == ctx.year - 1]
    if not earlier:
        raise NotAssessable(f"没有该单位{ctx.year - 1}年度的报告可比" if consecutive else "没有该单位往年的报告可比")
    prev = max(earlier, key=lambda h: (h.year, h.sha256))
    return this_year(ctx), prev


def _b_row(r: YearReport, row: str) -> Optional[list]:
    b = (r.tables or {}).get("requests") or {}
    return (b.get("rows") or {}).get(row)


def _pair_evidence(cur: YearReport, prev: YearReport, **more: Any) -> dict[str, Any]:
    return {"report": cur.ref(), "previous": prev.ref(), "reports": [prev.ref(), cur.ref()], **more}


@register("crossyear.carried_over.v1", kind="cross_year", severity="error", needs=("unit", "history"),
          reads=year_before, title="本年上年结转等于上年报告的结转下年度(逐列)")
def carried_over(ctx: CheckContext) -> list[Finding]:
    """表B 上年结转 of this year, per column, equals 结转下年度 of last year's report."""
    cur, prev = _previous(ctx)
    now, before = _b_row(cur, "carried_in"), _b_row(prev, "carried_out")
    if now is None or before is None:
        raise NotAssessable("本年或上年报告中没有读到表B")
    out = []
    for i, col in enumerate(REQUEST_COLUMNS):
        a = now[i] if i < len(now) else None
        b = before[i] if i < len(before) else None
        if a is None or b is None or abs(float(a) - float(b)) < 1e-6:
            continue
        col_zh = column_zh("requests", col)
        out.append(finding(
            "crossyear.carried_over.v1", "cross_year", "error",
            f"表B「{col_zh}」列:本年度({cur.year})上年结转 {_fmt(a)},与{prev.year}年度报告的结转下年度 {_fmt(b)} 不符"
            f"(相差{_fmt(abs(float(a) - float(b)))};{prev.source or prev.sha256[:12]})",
            sha256=ctx.sha256, locus=("carried_over", col),
            evidence=_pair_evidence(cur, prev, column=col, this_year={"row": "carried_in", "col": col, "value": a},
                                    last_year={"row": "carried_out", "col": col, "value": b}),
        ))
    return out


_A_CHAINS = (("rules", "规章"), ("normative_docs", "规范性文件"))


@register("crossyear.in_force.v1", kind="cross_year", severity="warning", needs=("unit", "history"),
          reads=year_before, title="现行有效件数=上年现行有效+本年制发−本年废止")
def in_force(ctx: CheckContext) -> list[Finding]:
    """规章 / 规范性文件 现行有效 of this year equals last year's + 本年制发 − 本年废止 (table A, 2021 template)."""
    cur, prev = _previous(ctx)
    a_now, a_prev = (cur.tables or {}).get("active") or {}, (prev.tables or {}).get("active") or {}
    out, assessed = [], False
    for key, zh in _A_CHAINS:
        row, old = a_now.get(key) or {}, a_prev.get(key) or {}
        needed = (row.get("issued"), row.get("repealed"), row.get("in_force"), old.get("in_force"))
        if any(v is None for v in needed):
            continue
        assessed = True
        issued, repealed, in_force_now, in_force_before = (float(v) for v in needed)
        expected = in_force_before + issued - repealed
        if abs(expected - in_force_now) < 1e-6:
            continue
        out.append(finding(
            "crossyear.in_force.v1", "cross_year", "warning",
            f"{zh}现行有效件数不连贯:{prev.year}年度现行有效 {_fmt(in_force_before)} + 本年制发 {_fmt(issued)} − 本年废止 "
            f"{_fmt(repealed)} = {_fmt(expected)},而本年度报告现行有效 {_fmt(in_force_now)}(相差{_fmt(abs(expected - in_force_now))})",
            sha256=ctx.sha256, locus=("in_force", key),
            evidence=_pair_evidence(cur, prev, row=key, expected=expected, stated=in_force_now,
                                    arithmetic=f"{_fmt(in_force_before)} + {_fmt(issued)} - {_fmt(repealed)} = {_fmt(expected)}"),
        ))
    if not assessed:
        raise NotAssessable("本年或上年报告的表A没有规章、规范性文件的制发、废止、现行有效数(2021年版表格才有)")
    return out


_STATS_ROW = re.compile(r"主动公开(?:政府)?(?:信息|文件)数\s*条\s*(\d+)\s+(\d+)|主动公开(?:政府)?(?:信息|文件)数\s*条\s*(\d{3,})")


def cumulative_count(r: YearReport) -> Optional[tuple[int, int]]:
    """``(this year, 历年累计)`` of the 主动公开 row of a pre-2019 statistics table, or None.

    Digits glued together (``206912106``) are cut after the year's figure when the narrative
    states it (主动公开政府信息2069条)."""
    if "历年累计" not in r.text:
        return None
    m = _STATS_ROW.search(r.text, r.text.index("历年累计"))
    if m is None:
        return None
    if m.group(1):
        return int(m.group(1)), int(m.group(2))
    glued = m.group(3)
    stated = {int(c["value"]) for c in r.claims if c.get("metric") == "proactive.total" and c.get("value")}
    for v in sorted(stated, key=lambda v: -len(str(v))):
        if glued.startswith(str(v)) and len(glued) > len(str(v)):
            return v, int(glued[len(str(v)):])
    return None


@register("crossyear.cumulative.v1", kind="cross_year", severity="warning", needs=("unit", "history"),
          reads=_cumulative_reads,
          title="历年累计数不小于往年的历年累计")
def cumulative(ctx: CheckContext) -> list[Finding]:
    """The 历年累计 主动公开 count of a statistics table never falls below an earlier year's."""
    cur, prev = _previous(ctx, consecutive=False)
    now = cumulative_count(cur)
    if now is None:
        raise NotAssessable("本报告没有带历年累计的统计表")
    earlier = sorted((h for h in ctx.history or () if h.year is not None and h.year < (cur.year or 0)),
                     key=lambda h: -h.year)  # the latest first: read back only to the first with a count
    found = next(((h, c) for h in earlier if (c := cumulative_count(h)) is not None), None)
    if found is None:
        raise NotAssessable("该单位往年报告没有带历年累计的统计表")
    h, (_, before) = found
    if now[1] >= before:
        return []
    restart = abs(now[1] - now[0]) < 1e-6
    why = "像是从本年重新计数" if restart else "累计数不应减少"
    return [finding(
        "crossyear.cumulative.v1", "cross_year", "warning",
        f"历年累计主动公开信息数下降:本年度({cur.year})统计表历年累计 {now[1]},少于{h.year}年度报告的历年累计 {before}({why})",
        sha256=ctx.sha256, locus=("cumulative", "proactive"),
        evidence=_pair_evidence(cur, h, this_year={"year_count": now[0], "cumulative": now[1]},
                                earlier_year={"cumulative": before}, restart=restart),
    )]


_KEY_FIGURES: tuple[tuple[str, Any, str], ...] = (
    ("requests", ("new", -1), "表B 本年新收申请总计"),
    ("requests", ("closed", -1), "表B 办理结果总计"),
    ("active", ("licensing",), "表A 行政许可"),
    ("active", ("penalty",), "表A 行政处罚"),
    ("active", ("coercion",), "表A 行政强制"),
    ("review", ("reconsideration", -1), "表C 行政复议总计"),
)


def _figure(r: YearReport, table: str, path: tuple) -> Optional[float]:
    v: Any = (r.tables or {}).get(table)
    if table == "requests" and v:
        v = v.get("rows")
    for step in path:
        if v is None:
            return None
        if isinstance(v, dict):
            v = v.get(step)
        elif isinstance(v, list):
            v = v[step] if -len(v) <= step < len(v) else None
    if isinstance(v, dict):
        return None
    return None if v is None else float(v)


@register("crossyear.magnitude.v1", kind="cross_year", severity="info", needs=("unit", "history"),
          reads=year_before, title="主要数字与上年相比无数量级跳变")
def magnitude(ctx: CheckContext) -> list[Finding]:
    """A key figure ten times (or a tenth of) last year's: a prompt to look, not an error."""
    cur, prev = _previous(ctx)
    out, compared = [], 0
    for table, path, zh in _KEY_FIGURES:
        a, b = _figure(cur, table, path), _figure(prev, table, path)
        if a is None or b is None:
            continue
        compared += 1
        hi, lo = max(a, b), min(a, b)
        if hi < MAGNITUDE_FLOOR or (lo > 0 and hi / lo < MAGNITUDE_RATIO):
            continue
        ratio = "上年为0" if b == 0 else f"为上年的{a / b:.2g}倍"
        out.append(finding(
            "crossyear.magnitude.v1", "cross_year", "info",
            f"{zh}:本年度 {_fmt(a)},{prev.year}年度 {_fmt(b)},{ratio},请核实是否填报有误",
            sha256=ctx.sha256, locus=("magnitude", table, path[0]),
            evidence=_pair_evidence(cur, prev, figure=zh, this_year_value=a, last_year_value=b),
        ))
    if not compared:
        raise NotAssessable("本年与上年报告没有可比的表格数字")
    return out


def neighbours(reports: Iterable[YearReport], year: Optional[int]) -> list[YearReport]:
    """The reports whose cross-year findings depend on a report of ``year``: those of later years."""
    return [r for r in reports if year is not None and r.year is not None and r.year > year]
