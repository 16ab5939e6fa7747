"""Checks across the units of one year: this report against the same year's reports of other units.

- ``crossunit.reissued.v1``: the narrative (一 总体情况, 五 存在的主要问题, 六 其他事项; numbers
  aside) near-identical to that of another unit's report of the same year: one report issued
  under two issuers' names. The finding is given to both reports, each naming the other, with
  the similarity both ways; checking either again recomputes the other's.

The context's ``peers`` (:class:`Peers`) holds the same year's reports of other units whose
sampled shingles already come near this one's (the pipeline keeps an index of the year, from
the store and the batch, ``nlp.history.History.peers``) and how many reports were compared; the
check measures each candidate's similarity itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from nlp.checks.crossyear import YearReport, this_year
from nlp.checks.editorial import (
    _PUNCT,
    COPY_SECTIONS,
    _shingles,
    masked,
    masked_body,
    section_text,
    shared,
)
from nlp.checks.registry import CheckContext, NotAssessable, register
from nlp.schema import Finding, finding
from nlp.units import Unit, relation

NARRATIVE_SECTIONS = tuple(COPY_SECTIONS)
"""The sections compared: the template's narrative ones, 一 五 六 (二 三 四 are its tables)."""
REISSUE_MIN_CHARS = 300
"""Narratives shorter than this (characters other than punctuation) are not compared."""
REISSUE_SIMILARITY = 0.8
"""Two narratives each sharing this share of its 6-character shingles (numbers masked) with
the other are one report. Different units' reports of one year share at most about 0.2
(data/pages: 6,171 pairs), a government and its own office's report 0.6."""
SAMPLE = 8
"""The year's index keeps one shingle in this many, by its hash (a fingerprint)."""
CANDIDATE_SHARE = 0.5
"""A report whose fingerprint shares this share with this one's is measured in full."""


@dataclass(frozen=True)
class Peers:
    """The same year's reports of other units near this one (``reports``), out of ``compared``;
    ``comparable``: whether this report's narrative is long enough to compare (None: not said,
    the check measures it)."""

    year: int
    compared: int
    reports: Sequence[YearReport] = ()
    comparable: Optional[bool] = None


def narrative(text: str, sections: Sequence[Any]) -> str:
    """The report's narrative sections (一, 五, 六) one after another ("" when none is found)."""
    return "\n".join(section_text(text, sections, key) for key in NARRATIVE_SECTIONS).strip()


def long_enough(words: str) -> bool:
    return len(_PUNCT.sub("", words)) >= REISSUE_MIN_CHARS


_K = 6  # the shingles' length (``editorial._shingles``)


def fingerprint(words: str) -> frozenset[int]:
    """The sampled shingles of a narrative (numbers masked, punctuation dropped, as
    ``editorial._shingles`` cuts them): what the year's index keeps. Each 6-character shingle
    is hashed at once for the whole text (a polynomial of its code points, mixed by a
    multiplication, modulo 2**64; numpy), and one in ``SAMPLE`` kept by the hash's upper bits:
    equal shingles give equal hashes, in any process. The hashes are given as signed 64-bit
    integers (SQLite's, the store's index keeps them as they are)."""
    return _fingerprint(masked(words))


def _fingerprint(s: str) -> frozenset[int]:
    """:func:`fingerprint` of a narrative already ``masked``."""
    n = len(s) - _K + 1
    if n <= 0:
        return frozenset()
    c = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(_K):
        h = h * np.uint64(1_000_003) + c[j:j + n]
    h = h * np.uint64(0x9E3779B97F4A7C15)
    return frozenset(h[(h >> np.uint64(32)) % np.uint64(SAMPLE) == 0].view(np.int64).tolist())


def narrative_print(text: str, sections: Sequence[Any]) -> Optional[frozenset[int]]:
    """The fingerprint of the report's narrative, None when it is too short to compare: what
    the year's index keeps of a report (a batch's worker makes it, its parent only looks up)."""
    # as fingerprint(narrative(...)) if long_enough(...) else None, section by section: masking
    # and punctuation take no match across the line break between two sections (masked_body:
    # copied_text reads the same sections, made once for both)
    parts = [masked_body(section_text(text, sections, key)) for key in NARRATIVE_SECTIONS]
    if sum(n for _, n in parts) < REISSUE_MIN_CHARS:
        return None
    return _fingerprint("".join(m for m, _ in parts))


def near(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two fingerprints are near enough to measure the narratives in full."""
    return near_by(len(a & b), len(a), len(b))


def near_by(shared: int, a: int, b: int) -> bool:
    """:func:`near` of two fingerprints of ``a`` and ``b`` shingles sharing ``shared``."""
    return a > 0 and b > 0 and shared >= CANDIDATE_SHARE * min(a, b)


def _unit_name(r: YearReport) -> str:
    u = r.unit_json or {}
    return u.get("name") or u.get("agency") or r.unit or "另一单位"


@register("crossunit.reissued.v1", kind="reissued", severity="warning", needs=("unit", "peers"),
          title="全文不与同年度其他单位的报告雷同(同一报告以两个单位名义发布)")
def reissued(ctx: CheckContext) -> list[Finding]:
    """The narrative (numbers aside) near-identical to another unit's report of the same year,
    the similarity both ways shown: one report issued under a second issuer's name."""
    peers: Peers = ctx.peers
    mine = narrative(ctx.text, ctx.sections.sections)
    if not (long_enough(mine) if peers.comparable is None else peers.comparable):
        raise NotAssessable("本报告的总体情况、存在问题、其他事项文字过短或未识别,无从比对")
    if not peers.compared:
        raise NotAssessable(f"没有{peers.year}年度其他单位的报告可比")
    out: list[Finding] = []
    cut: list[set[str]] = []  # this narrative's shingles, cut for the first peer measured
    for other in peers.reports:
        if other.sha256 == ctx.sha256 or other.year != ctx.year:
            continue
        theirs_unit = Unit.from_json(other.unit_json)
        if theirs_unit is None or theirs_unit.key == ctx.unit.key or relation(ctx.unit, theirs_unit) == "same":
            continue  # the same unit's report (stored twice, or under two spellings of its name)
        theirs = narrative(other.text, other.sections)
        if not long_enough(theirs):
            continue
        cut = cut or [_shingles(mine)]
        here, there = shared(cut[0], _shingles(theirs))
        if min(here, there) < REISSUE_SIMILARITY:
            continue
        me = this_year(ctx)
        name = _unit_name(other)
        out.append(finding(
            "crossunit.reissued.v1", "reissued", "warning",
            f"本报告(报告单位{ctx.unit.name})的总体情况、存在问题、其他事项与{name}的{other.year}年度报告"
            f"“{Path(other.source).name if other.source else other.sha256[:12]}”文字相同{min(here, there):.0%}(数字除外;本报告{here:.0%}的文字见于对方,"
            f"对方{there:.0%}见于本报告),疑似同一报告以两个单位的名义发布",
            sha256=ctx.sha256, locus=("reissued", other.sha256),
            evidence={"similarity": round(min(here, there), 4), "similarity_this": round(here, 4),
                      "similarity_other": round(there, 4), "unit": ctx.unit.key, "unit_name": ctx.unit.name,
                      "other_unit": theirs_unit.key, "other_unit_name": name, "sections": list(COPY_SECTIONS.values()),
                      "report": me.ref(), "other": other.ref(), "reports": [me.ref(), other.ref()]},
        ))
    return out
