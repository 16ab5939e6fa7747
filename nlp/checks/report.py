"""The report as a whole: the standard tables present, the template that fits the year,
sections that say nothing."""

from __future__ import annotations

import re
from typing import Any

from nlp.checks.registry import CheckContext, register
from nlp.schema import TABLE_SHORT, Finding, Tables, finding

_TABLE_NAMES = ("active", "requests", "review")
_TABLE_FULL = {"active": "表A(主动公开政府信息情况)", "requests": "表B(收到和处理政府信息公开申请情况)",
               "review": "表C(行政复议、行政诉讼情况)"}


def _is_pre2019(tables: Tables, ctx: CheckContext) -> bool:
    return tables.template == "pre2019" or (ctx.year is not None and ctx.year <= 2018)


@register("tables.missing.v1", kind="missing_table", severity="error")
def tables_missing(ctx: CheckContext) -> list[Finding]:
    """A standard table the template needs is missing, or its section heading is there with
    no table. Nothing for a report of 2018 or before (no standard tables then)."""
    tables = ctx.tables
    if _is_pre2019(tables, ctx):
        return []
    out: list[Finding] = []
    for name in _TABLE_NAMES:
        if tables.get(name) is not None and name not in tables.empty_sections:
            continue
        sec = ctx.sections.get(name) if ctx.sections is not None else None
        title = _TABLE_FULL[name]
        if name in tables.empty_sections:
            heading = sec.heading if sec is not None else ""
            message = f"“{heading}”一节只有标题,没有{title}" if heading else f"{title}所在章节只有标题,没有表格"
        elif sec is not None:
            message = f"“{sec.heading}”一节没有读到{title}"
        else:
            message = f"报告缺少{title}及其所在章节"
        evidence: dict[str, Any] = {
            "table": name,
            "template": tables.template,
            "year": ctx.year,
            "section": None if sec is None else {"heading": sec.heading, "start": sec.start, "end": sec.end},
            "cells": [],
        }
        out.append(
            finding(
                "tables.missing.v1",
                "missing_table",
                "error",
                message,
                sha256=ctx.sha256,
                locus=f"{name}:missing",
                evidence=evidence,
                span=(sec.start, sec.end) if sec is not None else None,
            )
        )
    return out


@register("template.year.v1", kind="template", severity="warning")
def template_year(ctx: CheckContext) -> list[Finding]:
    """The template does not fit the year: the 2019 template in a report for 2021 or later,
    the 2021 template for 2019/2020, standard tables in a report for 2018 or before. Only where
    the form really is the other edition: a hybrid report (table A of one edition, table B of
    the other) is not taken for the old form."""
    tables = ctx.tables
    year = ctx.year
    if year is None:
        return []
    used = {t.definition.template for t in tables.all()} & {"2019", "2021"}
    if not used:
        used = {tables.template} & {"2019", "2021"}
    problem = None
    if year <= 2018 and tables.all():
        problem = f"{year}年度的报告不应有2019年后的标准表格,却读到了{'、'.join(TABLE_SHORT[t.name] for t in tables.all())}"
        expected = "pre2019"
    elif year >= 2021 and used == {"2019"}:
        problem = f"{year}年度的报告应使用2021年版表格,却使用了2019年版"
        expected = "2021"
    elif year in (2019, 2020) and used == {"2021"}:
        problem = f"{year}年度的报告应使用2019年版表格,却使用了2021年版"
        expected = "2019"
    if problem is None:
        return []
    return [
        finding(
            "template.year.v1",
            "template",
            "warning",
            f"表格模板与年度不符:{problem}",
            sha256=ctx.sha256,
            locus="template",
            evidence={
                "year": year,
                "year_evidence": ctx.meta.year_evidence if ctx.meta else None,
                "template": tables.template,
                "templates_read": sorted(used),
                "expected": expected,
                "cells": [],
            },
        )
    ]


_NOTHING_SAID = re.compile(r"^(?:本(?:年度|年)?|今年)?(?:暂)?(?:无|没有)(?:存在的?主要问题|问题|其他需要报告的事项)?$")


@register("sections.problems_empty.v1", kind="section_content", severity="warning")
def problems_empty(ctx: CheckContext) -> list[Finding]:
    """Section 五 (存在的主要问题及改进情况) that says nothing but 无: the template asks for the
    problems and how they were improved (a quality check of the peer system)."""
    sec = ctx.sections.get("problems") if ctx.sections is not None else None
    if sec is None or not ctx.text:
        return []
    body = _PUNCT_SPACE.sub("", ctx.text[sec.body_start:sec.end])
    if body and not _NOTHING_SAID.match(body):
        return []
    what = "为空" if not body else f"只写了“{ctx.text[sec.body_start:sec.end].strip()}”"
    return [
        finding(
            "sections.problems_empty.v1",
            "section_content",
            "warning",
            f"“{sec.heading.strip()}”一节{what},未说明存在的问题及改进情况",
            sha256=ctx.sha256,
            locus="problems",
            evidence={"section": "problems", "heading": sec.heading, "body": ctx.text[sec.body_start:sec.end].strip()},
            span=(sec.start, sec.end),
        )
    ]


_PUNCT_SPACE = re.compile(r"[\s,，、.。:：;；!！()（）\-—_|*#]+")


