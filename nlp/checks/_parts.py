"""Reading the narrative's arithmetic from its claims: totals with their listed parts
(其中/包括/分别为 …, or 24个…、4个…共37家), the share written after a part (占73%, (17.46%)), and
rates with the two counts before them (转接551次, 转接成功337次, 转接成功率97%).

Pure functions over the text and the claims; ``nlp.checks.narrative`` turns them into findings.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from nlp.reconcile import EPS, SENTENCE_BREAKS, claim_interval, is_count, is_percent, sentence_bounds
from nlp.schema import Claim

__all__ = ["PartsGroup", "clause_start", "counts_in_order", "has_share", "parts_groups", "rate_checks", "same_unit",
           "share_checks", "share_of", "share_totals", "BACKWARD_MARKER", "FORWARD_MARKER"]

FORWARD_MARKER = re.compile(
    r"(?=[其包分含]|(?<=[条件项篇份个家]))"  # where a marker may start: a quick test before the alternatives
    r"(?:其中|包括|分别为|分别是|(?<=[（(，,：:])含|(?<=[条件项篇份个家])[^，,。；;：:\d（()）]{0,12}中(?=[，,：:]))"
)
"""Words after a total that open its parts; “在…公开的1913条政府信息中,” opens them too (but not
across a bracket: in “13条(其中:…)” the marker is the bracket's 其中, and its parts end at the
bracket's close)."""
_MARKER_OPENS = "其包分含"
_MARKER_AFTER = "条件项篇份个家"
_MARKER_PLACE = re.compile(f"[{_MARKER_OPENS}{_MARKER_AFTER}](?:(?<=[{_MARKER_OPENS}])|(?=[^，,。；;：:\\d（()）]{{0,12}}中))")
"""A character a marker starts at (其 包 分 含), or one it starts after with a 中 close enough
(条 件 项 篇 份 个 家: “…条政府信息中,”)."""


def forward_markers(text: str) -> Iterator[re.Match]:
    """``FORWARD_MARKER.finditer(text)``, trying the pattern only where a marker may start: at
    其 包 分 含, or just after 条 件 项 篇 份 个 家 (``re`` finds nothing to skip to in a pattern
    that opens with a look-ahead: four times faster). No marker ends with one of
    ``_MARKER_AFTER``, so none starts right where the one before it ends."""
    pos = 0
    while (hit := _MARKER_PLACE.search(text, pos)) is not None:
        i = hit.start()
        m = FORWARD_MARKER.match(text, i) if text[i] in _MARKER_OPENS else FORWARD_MARKER.match(text, i + 1)
        pos = i + 1 if m is None else m.end()
        if m is not None:
            yield m


_CLAUSE_ENDS = "。；;，,：:！!？?\n"
"""What ends the clause a backward total's parts are read in."""
BACKWARD_MARKER = re.compile(r"(?:一共|总共|共计|合计|总计|共有|共)\s*$")
_OPEN_BRACKETS = "（("
_CLOSE_BRACKETS = "）)"
_BRACKET_CHAR = re.compile(f"[{_OPEN_BRACKETS}{_CLOSE_BRACKETS}]")


@dataclass(frozen=True)
class PartsGroup:
    """A stated total and the parts the text lists for it."""

    total: Claim
    parts: tuple[Claim, ...]
    marker: str  # 其中 | 包括 | 含 | 分别为 | 共 (parts before the total) …
    direction: str  # forward: total, marker, parts | backward: parts, 共, total
    left_out: tuple[Claim, ...] = ()
    """Counts of items after the marker that the list left out for their unit (``ITEM_UNITS``:
    “…805条,…74件”, 条 and 件 counted in one total)."""
    next_sentence: tuple[Claim, ...] = ()
    """The counts of the next sentence of its paragraph (“…105条。通过公示栏张贴公开信息71条。”)."""
    nested: tuple[Claim, ...] = ()
    """Parts of a part: in a stretch of the list between semicolons, the counts after its first
    when they add up to it (“行政复议7件,结果维持6件,尚未审结1件;行政诉讼4件,…”)."""

    @property
    def interval(self) -> tuple[float, float]:
        ivs = [claim_interval(p) for p in self.parts]
        return sum(i[0] for i in ivs), sum(i[1] for i in ivs)

    def adds_up(self) -> bool:
        """The parts are consistent with the total: intervals intersect, so 1300余 against
        1200余 + 98 holds. Forward, a leading run of at least two parts may hold instead (the
        sentence may go on to other counts of the same unit: “其中网上30件,当面20件,已办结48件”),
        or the parts without the parts of a part (``nested``), or with all the counts of items the
        list left out for their unit (``left_out``), or with those and the next sentence's counts
        (``next_sentence``)."""
        def fits(parts: Sequence[Claim]) -> bool:
            return _sum_fits(parts, self.total)

        shortest = 2 if self.direction == "forward" else len(self.parts)
        if any(fits(self.parts[:n]) for n in range(len(self.parts), shortest - 1, -1)):
            return True
        if self.nested and fits([p for p in self.parts if p not in self.nested]):
            return True
        if self.left_out and fits(self.parts + self.left_out):  # the list and all it left out
            return True
        return bool(self.next_sentence) and fits(self.parts + self.left_out + self.next_sentence)




def _sum_fits(parts: Sequence[Claim], total: Claim) -> bool:
    """Whether the parts' values can add up to the total's: the interval of their sum meets the
    total's (1200余 + 98 against 1300余)."""
    t_lo, t_hi = claim_interval(total)
    ivs = [claim_interval(p) for p in parts]
    return sum(i[0] for i in ivs) <= t_hi + EPS and sum(i[1] for i in ivs) >= t_lo - EPS


ITEM_UNITS = frozenset("条件篇份期项个")
"""Units a total of published items or requests may count together (“公开信息3374条,其中…文件35件,
…要闻384条”); times (次), people, money and the like are never items of it."""


def same_unit(a: Claim, b: Claim) -> bool:
    return not a.unit or not b.unit or a.unit == b.unit


def _enclosing_bracket_end(text: str, pos: int, limit: int) -> Optional[int]:
    """If ``pos`` is inside an open bracket of its sentence, the index of its closing bracket
    (before ``limit``). Walks the brackets only (``_BRACKET_CHAR``), not every character."""
    lo, _ = sentence_bounds(text, pos)
    depth = 0
    for i in reversed([m.start() for m in _BRACKET_CHAR.finditer(text, lo, pos)]):
        if text[i] in _CLOSE_BRACKETS:
            depth += 1
        elif depth:
            depth -= 1
        else:  # the bracket ``pos`` is in: its close, past the brackets opened inside it
            for m in _BRACKET_CHAR.finditer(text, pos, limit):
                if text[m.start()] in _OPEN_BRACKETS:
                    depth += 1
                elif depth == 0:
                    return m.start()
                else:
                    depth -= 1
            return None
    return None


_SHARE_AFTER = re.compile(
    r"^[^，。；;,\d(（]{0,3}(?:[，,]\s*(?:约)?占[^，。；;,\d]{0,8}|[(（]\s*(?:约?占[^，。；;,\d]{0,8})?)"
    r"(?P<pct>\d+(?:\.\d+)?)\s*[%％]"
)


def share_of(text: str, c: Claim) -> Optional[tuple[float, int]]:
    """The share written after a count, as ``(percent, decimals)``: “1397条,占73%” → (73.0, 0),
    “208 件(17.46%)” → (17.46, 2); None when there is none."""
    m = _SHARE_AFTER.match(text[c.num_end : c.num_end + 30])
    if m is None:
        return None
    pct = m.group("pct")
    return float(pct), len(pct.split(".")[1]) if "." in pct else 0


def has_share(text: str, c: Claim) -> bool:
    """Whether the count is followed by its share (“1397条,占73%”): it is a part of a total."""
    return share_of(text, c) is not None


def _continued_parts(text: str, counts: Sequence[Claim], parts: list[Claim], end: int) -> list[Claim]:
    """Parts given with their shares may go on in the next sentences
    (“其中,区直…1397条,占73%。各乡镇…534条,占27%。”): take them while each has a share."""
    if not parts or not all(has_share(text, p) for p in parts):
        return parts
    out = list(parts)
    while end < len(text) and text[end] in SENTENCE_BREAKS:
        s_lo, s_hi = sentence_bounds(text, end + 1)
        nxt = [c for c in counts if s_lo <= c.num_start and c.num_end <= s_hi and same_unit(c, out[0])]
        if not nxt or not has_share(text, nxt[0]) or FORWARD_MARKER.search(text, s_lo, s_hi):
            break
        out.extend(c for c in nxt if has_share(text, c))
        end = s_hi
    return out


def counts_in_order(claims: Sequence[Claim]) -> list[Claim]:
    """The claims that are counts (``nlp.reconcile.is_count``), in the order of their numbers: what
    the totals, rates and shares below are read from (``CheckContext.counts``, once a report)."""
    return sorted((c for c in claims if is_count(c)), key=lambda c: c.num_start)


def parts_groups(text: str, claims: Sequence[Claim], counts: Optional[Sequence[Claim]] = None) -> list[PartsGroup]:
    """:func:`find_parts_groups` (the checks read them once a report: ``CheckContext.parts_groups``)."""
    return find_parts_groups(text, claims, counts)


def find_parts_groups(text: str, claims: Sequence[Claim], counts: Optional[Sequence[Claim]] = None) -> list[PartsGroup]:
    """Find totals and their listed parts from the claims' values and positions.

    Forward: a count, then 其中/包括/含/分别为 and at least two counts of the same unit up to the
    end of the sentence (or of the bracket the marker opens, or the next marker). When the
    marker opens a sentence, the total is the last count of the previous sentence (“…915条,
    完成任务114%。包括…”). Backward: at least two counts in one clause, then 共/合计/总计 N
    (“24个…、4个…共37家”). Percentages (占10%) are never parts or totals. A part that is
    itself a sub-total (“其中…共58户,已发放57户”) ends the list: what follows is its own part;
    counts in brackets the marker is not in are sub-parts, never parts or the total. Parts that
    do not add up to that total but do to an earlier count of the region take it for their
    total (:func:`_summed_total`), beside any list it has already: the text broke it down twice.
    A list keeps the counts of items of another unit (``left_out``) and of the next sentence
    (``next_sentence``) beside its parts: with them it may add up (:meth:`PartsGroup.adds_up`).
    Otherwise a total keeps the group with the most parts (“办结1191件(含上年结转189件)。其中…”).
    ``counts``: the claims' :func:`counts_in_order`, when already made.
    """
    counts = counts_in_order(claims) if counts is None else counts
    starts = [c.num_start for c in counts]

    def starting(lo: int, hi: int) -> list[Claim]:
        """The counts whose number starts in ``[lo, hi]`` (those that may lie within it), in order."""
        return counts[bisect.bisect_left(starts, lo):bisect.bisect_right(starts, hi)]

    best: dict[str, PartsGroup] = {}
    again: list[PartsGroup] = []  # lists that took an earlier count for their total (``_summed_total``)

    def keep(g: PartsGroup) -> None:
        old = best.get(g.total.id)
        if old is None or len(g.parts) > len(old.parts):
            best[g.total.id] = g

    for m in forward_markers(text):
        s_lo, s_hi = sentence_bounds(text, m.start())
        region_lo = s_lo
        if not text[s_lo : m.start()].strip(" \t　:：,，（("):
            region_lo = sentence_bounds(text, max(0, s_lo - 1))[0]
        end = s_hi
        bracket = _enclosing_bracket_end(text, m.start(), s_hi)
        if bracket is not None:
            end = bracket
        nxt = FORWARD_MARKER.search(text, m.end(), end)
        if nxt is not None:
            end = nxt.start()
        spans = _bracket_spans(text, region_lo, max(end, s_hi))
        inner = [o for o, c in spans if o < m.start() <= c]
        outside = max(inner) if inner else m.start()  # “1639条(其中…)”: the total is outside
        parts = [c for c in starting(m.end(), end) if m.end() <= c.num_start and c.num_end <= end
                 and _same_level(c.num_start, m.start(), spans)]
        if bracket is None and nxt is None:
            parts = _continued_parts(text, counts, parts, end)
        before = [c for c in starting(region_lo, m.start()) if region_lo <= c.num_start and c.num_end <= m.start()
                  and _same_level(c.num_start, outside, spans)]
        if not parts or not before:
            continue
        unit_parts = [p for p in parts if p.unit]
        common = _common_unit(unit_parts, before[-1])
        same = [c for c in before if not common or not c.unit or c.unit == common]
        total = (same or before)[-1]
        left_out = [p for p in parts if not same_unit(p, total) and p.unit in ITEM_UNITS and total.unit in ITEM_UNITS]
        parts = [p for p in parts if same_unit(p, total)]
        next_sentence: list[Claim] = []
        for i, p in enumerate(parts):
            if BACKWARD_MARKER.search(text[max(0, p.num_start - 4) : p.num_start]):
                parts, left_out = parts[: i + 1], []  # “其中会审通过二批,共58户,已发放补助57户”: 57 is a part of 58
                break
        else:
            if parts and bracket is None and nxt is None and end < len(text) and text[end] in "。！？!?":
                n_lo, n_hi = sentence_bounds(text, end + 1)  # the next sentence of its paragraph
                next_sentence = [c for c in starting(n_lo, n_hi) if n_lo <= c.num_start and c.num_end <= n_hi
                                 and same_unit(c, total) and c.num_start > parts[-1].num_start]
        if parts:
            g = PartsGroup(total, tuple(parts), m.group(0), "forward", tuple(left_out), tuple(next_sentence),
                           _nested(text, parts))
            summed = _summed_total(g, same) if len(parts) >= 2 and not g.adds_up() else g
            if summed is g:
                keep(g)
            else:
                again.append(summed)
    for t in counts:
        marker = BACKWARD_MARKER.search(text[max(0, t.num_start - 4) : t.num_start])
        if t.id in best or marker is None:
            continue
        lo = t.num_start
        while lo > 0 and text[lo - 1] not in _CLAUSE_ENDS:
            lo -= 1
        spans = _bracket_spans(text, lo, t.num_start)
        parts = [c for c in starting(lo, t.num_start) if lo <= c.num_start and c.num_end <= t.num_start and c.id != t.id
                 and _same_level(c.num_start, t.num_start, spans)]
        if len(parts) >= 2:
            keep(PartsGroup(t, tuple(parts), marker.group(0), "backward"))
    return sorted([*best.values(), *again], key=lambda g: (g.total.num_start, g.parts[0].num_start))


def _nested(text: str, parts: Sequence[Claim]) -> tuple[Claim, ...]:
    """The parts that are parts of a part (``PartsGroup.nested``): in each stretch of the list
    between semicolons of at least three parts, the ones after the first when they add up to it."""
    out: list[Claim] = []
    stretch: list[Claim] = []
    for p in [*parts, None]:
        if p is None or (stretch and _SEMICOLON.search(text, stretch[-1].num_end, p.num_start)):
            if len(stretch) >= 3 and _sum_fits(stretch[1:], stretch[0]):
                out.extend(stretch[1:])
            stretch = []
        if p is not None:
            stretch.append(p)
    return tuple(out)


_SEMICOLON = re.compile(r"[；;]")


def _summed_total(g: PartsGroup, candidates: Sequence[Claim]) -> PartsGroup:
    """``g`` with, for its total, the nearest of the ``candidates`` before the marker that its
    parts add up to, when the nearest count (``g.total``) is not one: “受理申请49件,其中…8件,…
    传真4件,占8.2%。其中,同意公开14件、部分公开1件…结转22件” breaks the 49 down twice (by how the
    requests came, then by how they were answered), and the second list's total is the 49, not
    the 4 that ends the sentence before it. ``g`` itself when none is."""
    for c in reversed(candidates):
        if c.id != g.total.id and c.num_start < g.total.num_start:
            other = PartsGroup(c, g.parts, g.marker, g.direction, g.left_out, g.next_sentence, g.nested)
            if other.adds_up():
                return other
    return g


def _common_unit(parts: Sequence[Claim], nearest: Claim) -> Optional[str]:
    """The parts' most common unit; of units as common, the unit of the count ``nearest`` before
    the marker, else the one listed first (“…5191项。其中…1638条,…135项”: 项). Decided so, not by
    the order of a set, which varies from run to run."""
    tally = Counter(p.unit for p in parts)
    return max(tally, key=lambda u: (tally[u], u == nearest.unit)) if tally else None


def _bracket_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The bracketed stretches ``(open, close)`` of ``text[lo:hi]`` (an unclosed one runs to hi)."""
    spans, stack = [], []
    for m in _BRACKET_CHAR.finditer(text, lo, min(hi, len(text))):
        i = m.start()
        if text[i] in _OPEN_BRACKETS:
            stack.append(i)
        elif stack:
            spans.append((stack.pop(), i))
    spans.extend((o, hi) for o in stack)
    return spans


def _same_level(pos: int, anchor: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` sits in the same brackets as ``anchor`` (“预决算197条(政府32条、部门165条)”:
    32 and 165 are parts of 197, not of the total before the marker)."""
    return all((o < pos <= c) == (o < anchor <= c) for o, c in spans)




_CLAUSE_START = frozenset("。；;，,：:！!？?\n、")
"""The characters a clause starts after."""


def clause_start(text: str, pos: int) -> int:
    """Where the clause of ``text`` holding ``pos`` starts (after the last of ``_CLAUSE_START`` before it)."""
    lo = pos
    while lo > 0 and text[lo - 1] not in _CLAUSE_START:
        lo -= 1
    return lo


def rate_checks(text: str, claims: Sequence[Claim], counts: Optional[Sequence[Claim]] = None,
                percents: Optional[Sequence[Claim]] = None) -> list[tuple[Claim, Claim, Claim, float]]:
    """``(rate, part, whole, computed %)`` for each rate that two counts before it in its
    sentence determine: the rate's words before 率 (“转接成功”) are all in the part's clause
    (“转接成功337次”; “按时办结率” does not take “办结50件”); the whole is the nearest earlier
    count of the same unit ≥ part. ``counts`` and ``percents``: the claims' :func:`counts_in_order`
    and their percentages, when already made (the checks read the rates once a report:
    ``CheckContext.rates``)."""
    out = []
    counts = counts_in_order(claims) if counts is None else counts
    for r in [c for c in claims if is_percent(c)] if percents is None else percents:
        if r.value is None:
            continue
        c_lo = clause_start(text, r.num_start)
        words = text[c_lo : r.num_start]
        k = words.rfind("率")
        if k < 0:
            continue
        stem = re.sub(r"^(其中|并且|且|的|和|及)", "", words[:k].strip())
        if len(stem) < 2:
            continue
        s_lo, _ = sentence_bounds(text, r.num_start)
        before = [c for c in counts if s_lo <= c.num_start and c.num_end <= c_lo]
        part = None
        for c in reversed(before):
            if stem in text[clause_start(text, c.num_start) : c.num_start]:
                part = c
                break
        if part is None or not part.value:
            continue
        whole = None
        for c in reversed(before):
            if c.num_start < part.num_start and same_unit(c, part) and c.value and float(c.value) >= float(part.value):
                whole = c
                break
        if whole is None:
            continue
        out.append((r, part, whole, 100.0 * float(part.value) / float(whole.value)))
    return out




def share_checks(text: str, claims: Sequence[Claim],
                 groups: Optional[Sequence[PartsGroup]] = None) -> list[tuple[Claim, Claim, float, float, int]]:
    """``(part, total, stated %, computed %, decimals)`` for every part of a listed total that
    carries its share (“包括政府文件94条,占10%”, “予以公开208件(17.46%)”). ``groups``: the
    claims' :func:`parts_groups`, when they are already found."""
    out = []
    for g in parts_groups(text, claims) if groups is None else groups:
        t = g.total
        if t.approx or not t.value:
            continue
        for p in g.parts:
            sh = share_of(text, p)
            if sh is None or p.approx:
                continue
            out.append((p, t, sh[0], 100.0 * float(p.value) / float(t.value), sh[1]))
    return out


SHARES_WHOLE_PP = 1.0
"""Shares of a list that add up to 100 within this many points (beyond their rounding) split
the sum of their counts: that sum is their total (“8件,占16.3%;35件,占71.4%;2件,占4.1%;4件,占8.2%”)."""


def share_totals(text: str, claims: Sequence[Claim], groups: Optional[Sequence[PartsGroup]] = None,
                 counts: Optional[Sequence[Claim]] = None) -> list[tuple[Claim, float, int, list[tuple[str, Claim, float]]]]:
    """``(count, stated %, decimals, totals)`` for each count the text follows with its share
    (占73%, (17.46%)), ``totals`` the narrative totals it may be a share of, each
    ``(how, claim, value)``:

    - ``group``: the total of the listed parts it belongs to (:func:`parts_groups`);
    - ``list``: the sum of the counts of its list of shares, when the shares add up to 100
      (``list=100`` when they add up to exactly 100: one of them may have been rounded the
      other way so that they do);
    - ``whole``: the nearest earlier count of its sentence (or, when its sentence has none,
      of the sentence before) of the same unit that is larger and has no share of its own;
    - ``linked``: the total the claims stage linked the share to (:func:`linked_totals`), when
      none of the above is that claim.

    Approximate counts and totals are left out (their shares fit too much). ``groups`` and
    ``counts``: the claims' :func:`parts_groups` and :func:`counts_in_order`, when already made.
    """
    every = counts_in_order(claims) if counts is None else counts
    counts = [c for c in every if not c.approx]
    with_share = {c.id: share_of(text, c) for c in counts}
    shared_sentences = _shared_sentences(text, counts, with_share)
    linked = linked_totals(claims) if shared_sentences else {}  # what no count with a share reads
    groups = parts_groups(text, claims, every) if groups is None else groups
    out = []
    for c in counts:
        sh = with_share[c.id]
        if sh is None:
            continue
        totals: list[tuple[str, Claim, float]] = []
        for g in groups:
            if any(p.id == c.id for p in g.parts) and not g.total.approx and g.total.value:
                totals.append(("group", g.total, float(g.total.value)))
        siblings = _share_list(text, counts, with_share, c, shared_sentences)
        if len(siblings) >= 2:
            pcts = [with_share[s.id] for s in siblings]
            slack = SHARES_WHOLE_PP + sum(0.5 * 10.0 ** (-d) for _, d in pcts)
            if abs(sum(p for p, _ in pcts) - 100.0) <= slack:
                how = "list=100" if abs(sum(p for p, _ in pcts) - 100.0) < 1e-6 else "list"
                totals.append((how, siblings[0], float(sum(float(s.value) for s in siblings))))
        s_lo, _ = sentence_bounds(text, c.num_start)
        before = [w for w in counts if s_lo <= w.num_start < c.num_start]
        if not before and s_lo > 0:
            p_lo = sentence_bounds(text, s_lo - 1)[0]
            before = [w for w in counts if p_lo <= w.num_start < s_lo]
        for w in reversed(before):
            if with_share[w.id] is None and same_unit(w, c) and float(w.value) > float(c.value):
                totals.append(("whole", w, float(w.value)))
                break
        t = linked.get(c.id)
        if t is not None and same_unit(t, c) and float(t.value) > float(c.value) and t.id not in {x.id for _, x, _ in totals}:
            totals.append(("linked", t, float(t.value)))
        out.append((c, sh[0], sh[1], totals))
    return out


def linked_totals(claims: Sequence[Claim]) -> dict[str, Claim]:
    """Count id → the total the claims stage linked a share claim (metric ``share``) following
    that count to (``part_id`` the count, ``total_id`` the total: ``nlp.claims.link_shares``): the
    first such total, in claim order, that is a count of the narrative with a value and not
    approximate. Made once for all the counts of :func:`share_totals`."""
    by_id = {c.id: c for c in claims}
    out: dict[str, Claim] = {}
    for s in claims:
        t = by_id.get(s.total_id) if s.metric == "share" else None
        if t is not None and s.part_id not in out and is_count(t) and not t.approx and t.value:
            out[s.part_id] = t
    return out


def _shared_sentences(text: str, counts: Sequence[Claim], with_share: dict) -> dict[str, tuple[int, int]]:
    """Claim id → its sentence's bounds, for the counts given with a share (found once for
    all the lists :func:`_share_list` reads)."""
    return {x.id: sentence_bounds(text, x.num_start) for x in counts if with_share[x.id] is not None}


def _share_list(text: str, counts: Sequence[Claim], with_share: dict, c: Claim,
                sentence_of: dict[str, tuple[int, int]]) -> list[Claim]:
    """The counts with shares of ``c``'s list: its sentence's, and the next and previous
    sentences' while each sentence's counts all have shares (:func:`_continued_parts`).
    ``sentence_of``: :func:`_shared_sentences`."""
    s = sentence_of[c.id]
    members = [x for x in counts if with_share[x.id] is not None and same_unit(x, c)]
    by_sentence: dict[tuple[int, int], list[Claim]] = {}
    for x in members:
        by_sentence.setdefault(sentence_of[x.id], []).append(x)
    order = sorted(by_sentence)
    i = order.index(s)
    lo = hi = i
    while lo > 0 and order[lo - 1][1] + 1 >= order[lo][0] and _all_shared(text, counts, with_share, order[lo - 1]):
        lo -= 1
    while hi + 1 < len(order) and order[hi][1] + 1 >= order[hi + 1][0] and _all_shared(text, counts, with_share, order[hi + 1]):
        hi += 1
    return [x for k in order[lo:hi + 1] for x in by_sentence[k]]


def _all_shared(text: str, counts: Sequence[Claim], with_share: dict, bounds: tuple[int, int]) -> bool:
    inside = [x for x in counts if bounds[0] <= x.num_start < bounds[1]]
    return bool(inside) and all(with_share[x.id] is not None for x in inside)
