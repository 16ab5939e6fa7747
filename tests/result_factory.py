"""Hand-made ``ReportResult`` objects for the store, export and app tests (fast, no pipeline).

``make_result()`` builds a small report in the shape the pipeline returns: a display text that
differs from the cleaned text (so offsets matter), a table C, claims in every status and
findings that name table cells in their evidence.
"""

from __future__ import annotations

import hashlib
from typing import Optional

from nlp.schema import (
    TABLE_C,
    Cell,
    Claim,
    Document,
    Finding,
    ReportMeta,
    ReportResult,
    Section,
    Sections,
    Table,
    Tables,
    finding,
    stable_id,
)

# (display piece, cleaned piece): the display keeps traditional characters and pinyin debris
_PIECES = [
    ("某某區(qū)人民政府2024年度政府信息公开工作年度报告\n", "某某区人民政府2024年度政府信息公开工作年度报告\n"),
    ("一、总体情况\n", "一、总体情况\n"),
    ("2024年,受理政府信息公开申请共110件,", "2024年,受理政府信息公开申请共110件,"),
    ("同意公開9件,", "同意公开9件,"),
    ("申请行政复议12件,申请行政诉讼8件。\n", "申请行政复议12件,申请行政诉讼8件。\n"),
    ("公开财政信息近70条。\n", "公开财政信息近70条。\n"),
    ("四、政府信息公开行政复议、行政诉讼情况\n", "四、政府信息公开行政复议、行政诉讼情况\n"),
]


def _texts() -> tuple[str, str, tuple[int, ...]]:
    display, text, offsets = "", "", []
    for d, t in _PIECES:
        base = len(display)
        # align piece by piece: equal lengths map 1:1, otherwise everything to the piece start
        for i in range(len(t)):
            offsets.append(base + (i if len(d) == len(t) else min(i, len(d) - 1)))
        display += d
        text += t
    offsets.append(len(display))
    return display, text, tuple(offsets)


def _claim(sha: str, text: str, words: str, number: str, value: float, metric: str, status: str,
           table_value: Optional[float], evidence: str, **kw) -> Claim:
    start = text.index(words)
    num_start = text.index(number, start)
    return Claim(
        id=stable_id(sha, metric, start, prefix="C-"),
        text=words, start=start, end=start + len(words), value=value, number_text=number,
        num_start=num_start, num_end=num_start + len(number), metric=metric, status=status,
        table_value=table_value, evidence=evidence, unit="件", confidence=kw.pop("confidence", 0.9),
        sentence=words, section="overview", **kw,
    )


def make_result(name: str = "report-a", *, agency: str = "某某区人民政府", year: int = 2024,
                reader_version: str = "0.1.0", litigation_status: str = "ambiguous",
                extra_finding: bool = True) -> ReportResult:
    """A small checked report. ``name`` decides the sha256 (different names, different
    reports); ``litigation_status`` the status of the 行政诉讼 claim; ``extra_finding`` whether
    the info finding is there (drop it to orphan a decision on it)."""
    sha = hashlib.sha256(name.encode()).hexdigest()
    display, text, offsets = _texts()
    doc = Document(source=f"{name}.txt", sha256=sha, format="txt", display_text=display,
                   text=text, offsets=offsets, script="hant")
    head_end = text.index("\n") + 1
    sections = Sections(
        meta=ReportMeta(title=text[: head_end - 1], agency=agency, year=year, script="hant"),
        sections=(Section("overview", "一、总体情况", head_end, head_end + 7, len(text)),),
    )
    review_rows = {
        "reconsideration": (10, 0, 1, 1, 12),
        "litigation_direct": (1, 0, 1, 2, 4),
        "litigation_after": (7, 0, 1, 0, 9),  # 9 where 8 adds up: a row-sum defect
    }
    cells = {
        (row, col): Cell(value=v, raw=str(v))
        for row, values in review_rows.items()
        for col, v in zip(TABLE_C.columns, values)
    }
    tables = Tables(template="2021", review=Table(TABLE_C, cells, shape="pipes"))
    claims = [
        _claim(sha, text, "受理政府信息公开申请共110件", "110", 110, "requests.received_all",
               "match", 110, "本年新收+上年结转 总计 100 + 10 = 110", reading="new+carried_in"),
        _claim(sha, text, "同意公开9件", "9", 9, "requests.granted", "match", 9,
               "(一)予以公开 总计 9"),
        _claim(sha, text, "申请行政复议12件", "12", 12, "reconsideration.total", "match", 12,
               "行政复议 总计 12"),
        _claim(sha, text, "申请行政诉讼8件", "8", 8, "litigation.total", litigation_status, 13,
               "行政诉讼 总计 4 + 9 = 13; 8 ≠ 13", needs_review=True, confidence=0.55),
        _claim(sha, text, "公开财政信息近70条", "近70", 70, "other", "unchecked", None,
               "无表格数字", approx=True, qualifier="近", confidence=0.35),
    ]
    findings = [
        finding("table_c.row_sum.v1", "table_arithmetic", "error",
                "表C 复议后起诉: 7 + 0 + 1 + 0 = 8 ≠ 总计 9", sha256=sha, locus="litigation_after",
                evidence={"cells": [{"table": "review", "row": "litigation_after", "col": c}
                                    for c in TABLE_C.columns], "sum": 8, "total": 9}),
        finding("claims.mismatch.v1", "claim_mismatch", "warning",
                "行政诉讼 8 与表C 不一致 (4 + 9 = 13)", sha256=sha, locus=claims[3].id,
                evidence={"claim": claims[3].id,
                          "cells": [["review", "litigation_direct", "total"],
                                    ["review", "litigation_after", "total"]]},
                span=(claims[3].start, claims[3].end)),
    ]
    if extra_finding:
        findings.append(Finding(id=stable_id(sha, "note", prefix="F-"), check="notes.approx.v1",
                                kind="approx_number", severity="info",
                                message="近70 是约数", evidence={"claim": claims[4].id}))
    return ReportResult(document=doc, sections=sections, tables=tables, claims=claims,
                        findings=findings, reader_version=reader_version, model_version="test-0")
