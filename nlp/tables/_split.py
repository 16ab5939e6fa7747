"""Cutting runs of glued digits into table cells, using the table's own arithmetic.

Crawler and PDF text often loses the separators between the cells of a row:
``713000074`` is the seven figures ``71 3 0 0 0 0 74`` of a row of table B. ``split_run``
lists the ways to cut such runs into a given number of values that obey what is certain of any
real figure and of the row:

- a value has no leading zero unless it is exactly 0 (a run that is one whole cell as written,
  such as ``"00"``, is kept as it is);
- a separator that *is* in the text is always a cut (the runs are given as separate segments);
- within a :class:`Group` whose ``total_last`` is set, the last value is the sum of the others
  (table B: six applicant columns and 总计; table C: four results and 总计).

The search never enumerates hopeless cuts: a group whose total is the last value of the row
fixes the total first (a suffix) and then only cuts the rest into parts that add up to it.

:func:`readings` turns a row's value tokens into its candidate :class:`Reading` s (the tokens
as they are when there are enough, else the cuts of :func:`split_run`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional, Sequence

from nlp.schema import Number
from nlp.tables._tokens import Tok, cell_value

__all__ = ["Group", "Piece", "Splits", "split_run", "pieces_text", "Reading", "readings", "CUT", "fmt_values"]

Piece = tuple[int, int, int]
"""One value: ``(segment index, start, end)`` inside that segment's digits."""


class Splits(list):
    """The solutions of :func:`split_run`; ``complete`` is False when the search stopped at
    its budget (a pathological run) and other solutions may exist."""

    complete: bool = True


@dataclass(frozen=True)
class Group:
    """``size`` consecutive values; if ``total_last``, the last is the sum of the others."""

    size: int
    total_last: bool = False


def split_run(
    segments: Sequence[str],
    groups: Sequence[Group],
    *,
    max_len: int = 9,
    limit: int = 64,
    budget: int = 20_000,
) -> Splits:
    """Every way (up to ``limit``) to cut ``segments`` into ``sum(g.size)`` values.

    ``segments``: digit strings, in reading order; a boundary between two segments is a
    separator of the source and always a cut. ``groups``: the row's values, in order.
    ``max_len``: the longest value considered (a whole segment may be longer).
    ``budget``: the most search steps spent; past it the solutions found so far are returned
    with ``complete=False`` (real rows take a few hundred steps; a 30-digit run of large
    random figures, tens of thousands).

    Returns a list of solutions, each a list of :data:`Piece` (one per value), in a stable
    order (shorter leading values first).
    """
    segs = tuple(segments)
    if not segs or any(not s.isdigit() for s in segs):
        return Splits()
    text = "".join(segs)
    n = len(text)
    seg_end = [0] * (n + 1)  # for a position, the end of the segment holding it
    seg_start = [0] * (n + 1)
    seg_index = [0] * (n + 1)
    bounds = []
    pos = 0
    for i, s in enumerate(segs):
        for p in range(pos, pos + len(s)):
            seg_end[p] = pos + len(s)
            seg_start[p] = pos
            seg_index[p] = i
        bounds.append(pos)
        pos += len(s)
    seg_end[n] = n
    seg_start[n] = n
    total_values = sum(g.size for g in groups)
    if total_values < len(segs) or total_values > n:
        return Splits()
    steps = [0]

    def spent() -> bool:
        steps[0] += 1
        return steps[0] > budget

    def ok(p: int, q: int) -> bool:
        """Is text[p:q] a possible value?"""
        if q <= p or q > seg_end[p]:
            return False
        whole = p == seg_start[p] and q == seg_end[p]
        if whole:
            return True
        if q - p > max_len:
            return False
        return not (q - p > 1 and text[p] == "0")

    def remaining_values(gi: int) -> int:
        return sum(g.size for g in groups[gi:])

    # without a written cell like "00", every value of k digits is at least 10**(k-1)
    strict = not any(len(x) > 1 and x[0] == "0" for x in segs)

    @lru_cache(maxsize=None)
    def sum_parts(p: int, end: int, count: int, target: int) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Cut text[p:end] into ``count`` values adding up to ``target``."""
        if spent():
            return ()
        if count == 0:
            return ((),) if p == end and target == 0 else ()
        if end - p < count:
            return ()
        longest_part = -(-(end - p) // count)  # some value takes at least this many digits
        if strict and longest_part > 1 and 10 ** (longest_part - 1) > target:
            return ()
        out: list[tuple[tuple[int, int], ...]] = []
        last_q = min(end - (count - 1), seg_end[p], p + len(str(target)))
        for q in range(p + 1, last_q + 1):
            if not ok(p, q):
                continue
            v = int(text[p:q])
            if v > target:
                break
            if end - q > (count - 1) * len(str(target - v)):
                continue  # the rest is too long to add up to what is left
            for tail in sum_parts(q, end, count - 1, target - v):
                out.append(((p, q),) + tail)
                if len(out) >= limit:
                    return tuple(out)
        return tuple(out)

    longest = max(max_len, max(len(x) for x in segs))

    @lru_cache(maxsize=None)
    def free_parts(p: int, count: int, reserve: int, exact: bool) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Cut from ``p`` ``count`` values (any), leaving at least ``reserve`` digits
        (exactly none if ``exact``)."""
        if spent():
            return ()
        if count == 0:
            return ((),) if not exact or p == n else ()
        out: list[tuple[tuple[int, int], ...]] = []
        for q in range(p + 1, min(seg_end[p], n - reserve - (count - 1)) + 1):
            if not ok(p, q):
                continue
            if exact and n - q > (count - 1) * longest:
                continue  # too much left for the values still to come
            for tail in free_parts(q, count - 1, reserve, exact):
                out.append(((p, q),) + tail)
                if len(out) >= limit * 4:
                    return tuple(out)
        return tuple(out)

    @lru_cache(maxsize=None)
    def solve(gi: int, p: int) -> tuple[tuple[tuple[int, int], ...], ...]:
        if gi == len(groups):
            return ((),) if p == n else ()
        g = groups[gi]
        rest = remaining_values(gi + 1)
        out: list[tuple[tuple[int, int], ...]] = []
        if g.total_last and g.size >= 2:
            if gi == len(groups) - 1:
                # the total is a suffix of the row: fix it, then cut the rest to add up to it
                for lt in range(1, n - p - (g.size - 1) + 1):
                    a = n - lt
                    if not ok(a, n):
                        continue
                    total = int(text[a:n])
                    for head in sum_parts(p, a, g.size - 1, total):
                        out.append(head + ((a, n),))
                        if len(out) >= limit:
                            return tuple(out)
                # prefer shorter leading values (stable order)
                out.sort(key=lambda sol: [q - p0 for p0, q in sol])
                return tuple(out)
            for head in free_parts(p, g.size - 1, rest + 1, False):
                q = head[-1][1] if head else p
                total = str(sum(int(text[a:b]) for a, b in head))
                b = q + len(total)
                if text[q:b] != total or not ok(q, b):
                    continue
                for tail in solve(gi + 1, b):
                    out.append(head + ((q, b),) + tail)
                    if len(out) >= limit:
                        return tuple(out)
            return tuple(out)
        for head in free_parts(p, g.size, rest, gi == len(groups) - 1):
            q = head[-1][1] if head else p
            for tail in solve(gi + 1, q):
                out.append(head + tail)
                if len(out) >= limit:
                    return tuple(out)
        return tuple(out)

    sols = solve(0, 0)
    # the three searches call themselves through their closures (a reference cycle each): empty
    # those cells, so that the caches are freed now and not left to the cyclic garbage collector
    del sum_parts, free_parts, solve
    result = Splits()
    result.complete = steps[0] <= budget
    for sol in sols:
        pieces = []
        for a, b in sol:
            i = seg_index[a]
            base = bounds[i]
            pieces.append((i, a - base, b - base))
        result.append(pieces)
    return result


def pieces_text(segments: Sequence[str], pieces: Sequence[Piece]) -> list[str]:
    """The digit strings of a solution."""
    return [segments[i][a:b] for i, a, b in pieces]


# ---------------------------------------------------------------------------
# A row's readings
# ---------------------------------------------------------------------------

@dataclass
class Reading:
    """One way to read a row: the cells' tokens or digit slices."""

    cells: list[tuple[Tok, Optional[tuple[int, int]]]]  # token, slice of its digits (or None)

    def raw(self) -> list[str]:
        return [t.text if s is None else t.text[s[0]:s[1]] for t, s in self.cells]

    def values(self) -> list[Optional[Number]]:
        return [cell_value(x) if (t.kind == "num") else None for x, (t, _) in zip(self.raw(), self.cells)]


_HEAD = re.compile(r"([+-]?)(\d+)")
"""A figure's sign and integer digits."""


def readings(vals: Sequence[Tok], k: int, groups: Sequence[Group], limit: int = 64) -> tuple[list[Reading], str]:
    """The candidate readings of a row of ``k`` cells from its value tokens, and how."""
    if len(vals) >= k:
        return [Reading([(t, None) for t in vals[:k]])], "direct"
    with_sums = any(g.total_last for g in groups)
    # a figure with a decimal or a unit ("13575394432.52元") can only be cut in its integer part,
    # the last value keeping the rest; where the row must add up, only bare digit runs are cut
    heads = [_HEAD.match(t.text) if t.kind == "num" else None for t in vals]
    digs = [t.digits if with_sums else (h.group(2) if h else None) for t, h in zip(vals, heads)]
    if not vals or any(d is None for d in digs):
        return [Reading([(t, None) for t in vals])], "short"
    signs = [len(h.group(1)) if h and not with_sums else 0 for h in heads]
    segs = [d for d in digs if d is not None]
    sols = split_run(segs, groups, limit=limit)
    how = "sum"
    if not sols and any(g.total_last for g in groups):
        sols = split_run(segs, [Group(k)], limit=limit)
        how = "nosum"
    if not sols:
        return [Reading([(t, None) for t in vals])], "short"
    if not sols.complete and how == "sum" and len(sols) == 1:
        how = "partial"  # the search stopped at its budget: other cuts may fit
    out = []
    for sol in sols:
        # the value that ends a figure's digits keeps its decimals and unit
        cells = []
        for i, a, b in sol:
            lo = 0 if a == 0 else a + signs[i]  # the first value keeps the sign
            hi = len(vals[i].text) if b == len(segs[i]) else b + signs[i]  # the last, the rest
            cells.append((vals[i], (lo, hi)))
        out.append(Reading(cells))
    return out, how


CUT = ("sum", "nosum", "partial")
"""How a row was read when its digits had to be cut: by the sums, with no cut adding up, or
with the search stopped at its budget."""


def fmt_values(vals: Sequence[Any]) -> str:
    """A reading for a note: ``71|3|0``."""
    return "|".join("" if v is None else str(v) for v in vals)
