"""Finding a table's rows by their labels, in the template's order.

Labels are compared by :func:`nlp.text.norm_label` with ``RowDef.labels`` (:class:`Matcher`,
indexed by a label's last character), so that a column header ``其他`` or ``总计`` is never
taken for a row, and a label must be followed by its figures to count (:func:`best_run`: the
run of rows in order that has most rows). Rows a conversion moved out of order are then looked
for near the run by their exact labels (:func:`_complete`); figures standing on a line of
their own under a stack of labels are read but flagged (:func:`detached`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Optional, Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from nlp.schema import RowDef, TableDef
from nlp.sections import is_table_heading
from nlp.tables._tokens import Tok
from nlp.text import norm_label

__all__ = ["Hit", "Joins", "Matcher", "best_run", "detached", "is_stop", "label_distance", "DETACHED", "MAX_GAP"]

MAX_GAP = 40
"""Tokens allowed between two rows of one table before the run is taken to have ended."""


@dataclass
class Hit:
    row: int  # index into TableDef.rows
    first: int  # index of the label's first token
    last: int  # index of the label's last token
    values: list[Tok]
    fuzzy: bool = False  # the label is the row's with characters lost or misprinted


FUZZY_MIN = 6
"""Labels of this many characters or more are matched with characters lost or misprinted."""


def max_distance(label: str) -> int:
    """The most characters a printed label may differ from a template label of this length
    and still name its row: one in four (``本机关不掌握相关政府信息`` printed without 相关 is 2
    of 12)."""
    return len(label) // 4 if len(label) >= FUZZY_MIN else 0


def label_distance(printed: str, rd: RowDef) -> int:
    """How many characters a printed label differs from the nearest of the row's labels
    (edit distance, compared by :func:`nlp.text.norm_label`)."""
    norm = norm_label(printed)
    return min(Levenshtein.distance(norm, norm_label(lab)) for lab in rd.labels)


@dataclass(frozen=True)
class _LabelIndex:
    """A table's normalised row labels, indexed for matching many tokens."""

    short: tuple[bool, ...]  # the row has a 2-character label (规章, 其他, 总计)
    own: tuple[frozenset[str], ...]  # each row's normalised labels
    by_last: dict[str, tuple[tuple[int, str], ...]]  # last character -> (row, label)
    long: tuple[tuple[int, str], ...]  # labels of 6+ characters, matched inside a remark
    any_long: Optional[re.Pattern]  # any of ``long`` (most words hold none: one search)
    near: dict[int, tuple[tuple[int, str, int], ...]]  # a length -> (row, label, max_distance) within reach
    windows: dict[tuple[int, int], tuple[tuple, tuple]] = field(default_factory=dict, compare=False)

    def fuzzy_window(self, n: int, r: int) -> tuple[tuple[tuple[int, str, int], ...], tuple[tuple[int, str, int], ...]]:
        """The long labels within reach of a printed label of ``n`` characters, split into
        those of the next rows (``r`` .. ``r + 2``, a short-labelled row only up to ``r + 1``)
        and the others (remembered: the table definitions are module constants)."""
        got = self.windows.get((n, r))
        if got is None:
            def ahead(ri: int) -> bool:
                return r <= ri <= r + 2 and not (self.short[ri] and ri - r > 1)
            near = self.near.get(n, ())
            got = self.windows[(n, r)] = (tuple(e for e in near if ahead(e[0])),
                                          tuple(e for e in near if not ahead(e[0])))
        return got


_LABELS: dict[int, _LabelIndex] = {}


def _labels_of(rows: Sequence[RowDef]) -> _LabelIndex:
    """Cached by identity: the table definitions are module constants."""
    got = _LABELS.get(id(rows))
    if got is None:
        short: list[bool] = []
        own: list[frozenset[str]] = []
        by_last: dict[str, list[tuple[int, str]]] = {}
        long: list[tuple[int, str]] = []
        for ri, rd in enumerate(rows):
            labels = [x for x in (norm_label(lab) for lab in rd.labels) if x]
            short.append(min(len(x) for x in labels) <= 2)
            own.append(frozenset(norm_label(lab) for lab in rd.labels))
            for lab in labels:
                by_last.setdefault(lab[-1], []).append((ri, lab))
                if len(lab) >= 6:
                    long.append((ri, lab))
        any_long = re.compile("|".join(re.escape(lab) for _, lab in long)) if long else None
        near = {n: tuple((ri, lab, max_distance(lab)) for ri, lab in long
                         if max_distance(lab) and abs(n - len(lab)) <= max_distance(lab))
                for n in range(FUZZY_MIN, 61)}
        got = _LABELS[id(rows)] = _LabelIndex(
            tuple(short), tuple(own), {k: tuple(v) for k, v in by_last.items()}, tuple(long), any_long, near)
    return got


def _fuzzy(norm: str, index: _LabelIndex, r: int) -> Optional[int]:
    """The row among the next ones (``r`` .. ``r + 2``, a short-labelled row only ``r`` ..
    ``r + 1``) whose long label ``norm`` is with a few characters lost or misprinted: the one
    row whose label is nearest, within :func:`max_distance`. The labels of those rows are
    measured first; the others only when one of them is within reach, and only to see that
    none is as near."""
    if not FUZZY_MIN <= len(norm) <= 60:
        return None
    ahead, others = index.fuzzy_window(len(norm), r)
    d0 = None
    rows: set[int] = set()
    for ri, lab, k in ahead:
        d = Levenshtein.distance(norm, lab, score_cutoff=k)
        if d <= k:
            if d0 is None or d < d0:
                d0, rows = d, {ri}
            elif d == d0:
                rows.add(ri)
    if d0 is None or len(rows) != 1:
        return None  # none of the next rows within reach, or two as near
    for ri, lab, k in others:
        cut = min(k, d0)
        if Levenshtein.distance(norm, lab, score_cutoff=cut) <= cut:
            return None  # another row as near or nearer
    return rows.pop()


Cands = list[tuple[int, list[tuple[int, int, bool]]]]
"""A label token's readings that name rows of one form: ``[(last token, [(row, score, short
label)])]``, the label alone first, then joined with the labels after it."""


class _Forms:
    """The row labels of several table forms indexed together, so that a label token is read
    once for all of them: a label's last character -> ``(form, row, label)``, and the long
    labels (6+ characters) of every form in one pattern (built once: the table definitions are
    module constants, :func:`_forms_of`)."""

    def __init__(self, forms: tuple[Sequence[RowDef], ...]) -> None:
        self.indexes = tuple(_labels_of(rows) for rows in forms)
        self.none: tuple[Cands, ...] = tuple([] for _ in forms)  # no row of any form (never changed)
        rows_of: dict[str, list[tuple[int, int]]] = {}  # a label -> the (form, row) it names
        for f, ix in enumerate(self.indexes):
            for entries in ix.by_last.values():
                for ri, lab in entries:
                    rows_of.setdefault(lab, []).append((f, ri))
        by_last: dict[str, list[tuple[str, tuple[tuple[int, int], ...], bool]]] = {}
        for lab, rows in rows_of.items():
            by_last.setdefault(lab[-1], []).append((lab, tuple(rows), len(lab) >= 2))
        # last character -> (label, its rows, whether a label glued after other words may end with it)
        self.by_last = {c: tuple(v) for c, v in by_last.items()}
        self.rows_of = {lab: tuple(sorted(rows)) for lab, rows in rows_of.items()}  # a label -> its (form, row)
        long = [(f, ri, lab) for f, ix in enumerate(self.indexes) for ri, lab in ix.long]
        longs = sorted({lab for _, _, lab in long})
        # each long label: the longest label (with a remark around it) it is read inside, its rows
        self.long_rows = tuple((lab, 2 * len(lab) + 10, tuple((f, ri) for f, ri, lb in long if lb == lab))
                               for lab in longs)
        self.any_long = re.compile("|".join(map(re.escape, longs))) if longs else None
        self.near: dict[int, tuple[tuple[str, ...], int]] = {}  # a length -> (long labels within reach, the largest reach)
        for n in range(FUZZY_MIN, 61):
            within = {lab: k for ix in self.indexes for _, lab, k in ix.near.get(n, ())}
            if within:
                self.near[n] = (tuple(sorted(within)), max(within.values()))

    def candidates(self, spans: list[tuple[int, str]], i: int) -> Sequence[Cands]:
        """Per form, the readings of the label at ``i`` (``spans``: alone, then joined,
        :class:`Joins`) that name its rows: score 3 the label itself, 2 the label glued after
        other words, 1 a long label with a remark around it (a label with characters lost or
        misprinted is :func:`_fuzzy`'s, asked only where no row is named otherwise). A joined
        (broken) label must match exactly. ``none`` (shared) when no reading names a row."""
        out: Optional[list[Cands]] = None
        for last, norm in spans:
            if not norm:
                continue
            if last != i:  # a broken label: only the label itself counts
                exact = self.rows_of.get(norm)
                if exact is not None:
                    out = self._add(out, last, [(fr, 3) for fr in exact])
                continue
            if self.names_none(norm):
                continue
            n = len(norm)
            entries = self.by_last.get(norm[-1], ())
            long = n >= FUZZY_MIN and self.any_long is not None and self.any_long.search(norm) is not None
            scores: dict[tuple[int, int], int] = {}  # (form, row) -> score
            for lab, rows, may_glue in entries:
                if norm == lab:
                    for fr in rows:
                        scores[fr] = 3
                elif may_glue and norm.endswith(lab):
                    for fr in rows:
                        if scores.get(fr, 0) < 2:
                            scores[fr] = 2
            if long:
                for lab, reach, rows in self.long_rows:
                    if n <= reach and lab in norm:
                        for fr in rows:
                            if fr not in scores:
                                scores[fr] = 1
            if not scores:
                continue
            if n > 60:  # a sentence, not a label, unless it ends as a label of the form
                out = self._add(out, last, [(fr, sc) for fr, sc in sorted(scores.items())
                                            if norm[-1] in self.indexes[fr[0]].by_last])
            else:
                out = self._add(out, last, sorted(scores.items()))
        return self.none if out is None else out

    def names_none(self, norm: str) -> bool:
        """Does the label ``norm`` alone name no row of any form? It ends with no row's label
        and is a sentence (over 60 characters) or holds no long label."""
        if not norm:
            return True
        if norm[-1] in self.by_last:
            return False
        n = len(norm)
        return n > 60 or n < FUZZY_MIN or self.any_long is None or self.any_long.search(norm) is None

    def _add(self, out: Optional[list[Cands]], last: int, scored: list[tuple[tuple[int, int], int]]) -> list[Cands]:
        """``out`` (made when None) with the readings ending at token ``last``: ``scored``,
        ``((form, row), score)`` in order, grouped by form."""
        if out is None:
            out = [[] for _ in self.indexes]
        at = -1  # the form whose readings ``found`` gathers
        for (f, ri), sc in scored:
            if f != at:
                at, found = f, []
                out[f].append((last, found))
            found.append((ri, sc, self.indexes[f].short[ri]))
        return out

    def may_misprint(self, norm: str) -> bool:
        """Can ``norm`` be a long row label of one of the forms with characters lost or
        misprinted (:func:`_fuzzy`)? False when no long label is within the reach of the most
        lenient of those of its length."""
        labels, reach = self.near.get(len(norm), ((), 0))
        return bool(labels) and process.extractOne(
            norm, labels, scorer=Levenshtein.distance, score_cutoff=reach) is not None


_FORMS: dict[tuple[int, ...], _Forms] = {}


def _forms_of(forms: tuple[Sequence[RowDef], ...]) -> _Forms:
    """Cached by identity: the table definitions are module constants."""
    key = tuple(id(rows) for rows in forms)
    got = _FORMS.get(key)
    if got is None:
        got = _FORMS[key] = _Forms(forms)
    return got


_BRACKET = re.compile(r"[()\[\]【】（）［］]")
"""The brackets a remark stands in, which :func:`nlp.text.norm_label` drops with the remark."""


class Joins:
    """What the table forms looked for in one token list share, read in one pass over its
    label tokens: each label alone and joined with the labels right after it (a label broken
    by a space or a line end), the rows of each form it names (:meth:`candidates`), the labels
    that may name a row of a form (:meth:`live`), and where each table's stop words are
    (:meth:`stops`). ``forms``: the table forms looked for."""

    def __init__(self, toks: Sequence[Tok], forms: Sequence[TableDef]) -> None:
        self.toks = toks
        self.forms = tuple(f.rows for f in forms)
        self.index = _forms_of(self.forms)
        self.labels = [i for i, t in enumerate(toks) if t.kind == "label"]
        self._label_at = set(self.labels)
        self.memo: dict[int, list[tuple[int, str]]] = {}
        self._cands: dict[int, Sequence[Cands]] = {}
        self._live: Optional[list[list[int]]] = None
        self._stops: dict[str, list[int]] = {}
        self._stop_like: Optional[list[int]] = None
        self._bounds: dict[str, list[int]] = {}

    def __call__(self, i: int) -> list[tuple[int, str]]:
        """``[(last token, normalised label)]``, the label at ``i`` alone first, then joined
        with the labels after it where the joined label may be a row's (:meth:`_may_name`)."""
        spans = self.memo.get(i)
        if spans is None:
            toks = self.toks
            tok = toks[i]
            spans = self.memo[i] = [(i, tok.norm)]
            if i + 1 not in self._label_at:
                return spans  # a figure or the end follows (most labels): nothing to join
            joined = tok.text
            for j in range(i + 1, min(i + 4, len(toks))):
                nxt = toks[j]
                if nxt.kind != "label" or nxt.start - tok.end > 3 or len(joined) + len(nxt.text) > 80:
                    break
                joined += nxt.text
                tok = nxt
                if self._may_name(joined, tok):
                    spans.append((j, norm_label(joined)))
        return spans

    def _may_name(self, joined: str, last: Tok) -> bool:
        """May the labels ``joined``, ending with the token ``last``, be a row's label? Without
        brackets, :func:`nlp.text.norm_label` only drops spaces, punctuation and leading
        ordinals (ending with punctuation), so a joined label ends as its last part's
        normalised label does: no row's label ends with that character, no row is named (most
        joins: a narrative line and the next)."""
        return last.norm[-1] in self.index.by_last or _BRACKET.search(joined) is not None

    def values_after(self, j: int) -> tuple[list[Tok], int]:
        """The tokens from ``j`` up to the next label (a row's figures and blanks), and that
        label's index."""
        labels = self.labels
        p = bisect_left(labels, j)
        k = labels[p] if p < len(labels) else max(j, len(self.toks))
        return list(self.toks[j:k]), k

    def form_of(self, rows: Sequence[RowDef]) -> Optional[int]:
        """The number of the form whose rows are ``rows`` (None: not one of them)."""
        return next((f for f, r in enumerate(self.forms) if r is rows), None)

    def candidates(self, i: int) -> Sequence[Cands]:
        """Per form, the readings of the label at ``i`` that name its rows (remembered)."""
        got = self._cands.get(i)
        if got is None:
            got = self._cands[i] = self.index.candidates(self(i), i)
        return got

    def live(self, f: int) -> list[int]:
        """The label tokens that may name a row of form ``f`` (the others never do, whatever
        the row looked for): those with candidates, and those a misprinted long label of the
        forms may be (:meth:`_Forms.may_misprint`). One pass serves every form."""
        if self._live is None:
            toks, indexes = self.toks, self.index.indexes
            live: list[list[int]] = [[] for _ in indexes]
            none, near = self.index.none, self.index.near
            label_at, names_none = self._label_at, self.index.names_none
            for i in self.labels:
                if i + 1 not in label_at and names_none(toks[i].norm):
                    cands = none  # alone (no label to join it with), it names no row
                else:
                    cands = self.candidates(i)
                n = len(toks[i].norm)
                misprint: Optional[bool] = None  # asked only for a form the label names no row of
                if cands is none:  # most labels
                    if n not in near or not self.index.may_misprint(toks[i].norm):
                        continue  # names no row of any form, nor may be a misprinted one
                    misprint = True
                for g, ix in enumerate(indexes):
                    if not cands[g]:
                        if not ix.near.get(n):
                            continue  # no long label of the form within reach
                        if misprint is None:
                            misprint = n in near and self.index.may_misprint(toks[i].norm)
                        if not misprint:
                            continue
                    live[g].append(i)
            self._live = live
        return self._live[f]

    def stops(self, key: str) -> list[int]:
        """The label tokens that end table ``key`` (:func:`is_stop`), in order."""
        got = self._stops.get(key)
        if got is None:
            if self._stop_like is None:  # one search over the labels serves every table
                self._stop_like = [i for i in self.labels if _may_stop(self.toks[i])]
            toks = self.toks
            got = self._stops[key] = [i for i in self._stop_like if is_stop(toks[i], key)]
        return got

    def bounds(self, key: str) -> list[int]:
        """The label tokens a table ``key`` does not start before: its stop words and its
        section's heading (:func:`nlp.sections.is_table_heading`), in order."""
        got = self._bounds.get(key)
        if got is None:
            toks, stops = self.toks, set(self.stops(key))
            # a heading's numeral is followed by 、 or . (token texts are folded already)
            got = self._bounds[key] = [i for i in self.labels if i in stops or (
                ("、" in toks[i].text or "." in toks[i].text) and is_table_heading(key, toks[i].text))]
        return got


class Matcher:
    """Which row of one table form a label token names (read through the token list's
    :class:`Joins`)."""

    def __init__(self, joins: Joins, rows: Sequence[RowDef]) -> None:
        form = joins.form_of(rows)
        if form is None:
            raise ValueError("the table form is not one of the token list's Joins")
        self.toks = joins.toks
        self.joins = joins
        self.form = form
        self.index = _labels_of(rows)

    def candidates(self, i: int) -> Cands:
        return self.joins.candidates(i)[self.form]

    @property
    def live(self) -> list[int]:
        """The label tokens that may name one of the rows (:meth:`Joins.live`)."""
        return self.joins.live(self.form)

    def __call__(self, i: int, r: int) -> Optional[tuple[int, int, bool]]:
        """The row (index >= r) whose label is the label token(s) at ``i``: (row, last token,
        fuzzy). A label with characters lost (fuzzy) counts only where no label matches
        otherwise, and only as one of the next rows."""
        cands = self.candidates(i)
        for last, found in cands:
            best: Optional[tuple[int, int]] = None
            for ri, sc, short in found:
                if ri < r or (sc < 3 and short and ri - r > 1):
                    continue  # a short label glued to other words: only as the next row
                if best is None or sc > best[0]:
                    best = (sc, ri)
                if sc == 3:
                    break
            if best is not None:
                return best[1], last, False
        if cands and cands[0][0] == i:
            return None  # the label alone names a row (not one of these): not a misprint
        ri = _fuzzy(self.toks[i].norm, self.index, r)
        return None if ri is None else (ri, i, True)


_STOP_ALL = ("存在的主要问题", "其他需要报告", "存在问题及改进")
_STOP = {
    "active": ("收到和处理政府信息公开申请", "本年新收政府信息公开申请数量", "申请人情况"),
    "requests": ("结果维持", "行政复议行政诉讼", "行政复议和行政诉讼", "行政复议提起行政诉讼"),
    "review": (),
    "stats": (),
}


_STOP_RE = {key: re.compile("|".join(map(re.escape, _STOP_ALL + words))) for key, words in _STOP.items()}


_STOP_ANY = re.compile("|".join(map(re.escape, _STOP_ALL + tuple(w for words in _STOP.values() for w in words))))


def _may_stop(tok: Tok) -> bool:
    """Is the label a stop word of some table (:func:`is_stop` of one of the keys)?"""
    return _STOP_ANY.search(tok.norm) is not None or ("。" in tok.text and len(tok.norm) > 30)


def is_stop(tok: Tok, key: str) -> bool:
    if _STOP_RE[key].search(tok.norm):  # holds one of _STOP_ALL or _STOP[key]
        return True
    return "。" in tok.text and len(tok.norm) > 30


class _Chains:
    """The runs of one table form in one token list, read over the labels that may name a row
    (:attr:`Matcher.live`). Once a run has a row, the rest of it depends only on where that
    row's figures end and which row comes next: runs started at different labels that meet
    there share the rest, read once (:meth:`rest`)."""

    def __init__(self, toks: Sequence[Tok], tdef: TableDef, match: Matcher) -> None:
        self.toks = toks
        self.rows = tdef.rows
        self.match = match
        self.live = match.live
        self.stops = match.joins.stops(tdef.name)
        self.rests: dict[tuple[int, int], tuple[Hit, ...]] = {}

    def _hit(self, i: int, r: int) -> Optional[tuple[Hit, int]]:
        """The row (index >= r) the label at ``i`` names, with its figures, and the token
        after them; None when it names none or no figures follow."""
        m = self.match(i, r)
        if m is None:
            return None
        ri, j, fuzzy = m
        vals, k = self.match.joins.values_after(j + 1)
        return (Hit(ri, i, j, vals, fuzzy), k) if vals else None

    def run(self, p: int, r0: int) -> list[Hit]:
        """The run started by the first of the live labels from ``live[p]`` on that names a
        row >= ``r0`` with figures after it."""
        for i in self.live[p:]:
            got = self._hit(i, r0)
            if got is not None:
                hit, k = got
                return [hit, *self.rest(k, hit.row + 1)]
        return []

    def rest(self, i0: int, r: int) -> tuple[Hit, ...]:
        """The rows of a run after a row whose figures end before token ``i0``, ``r`` the
        next row: up to :data:`MAX_GAP` tokens apart, until a stop word (remembered)."""
        got = self.rests.get((i0, r))
        if got is None:
            got = self.rests[(i0, r)] = self._rest(i0, r)
        return got

    def _rest(self, i0: int, r: int) -> tuple[Hit, ...]:
        if r >= len(self.rows):
            return ()
        end = i0 + MAX_GAP + 1
        s = bisect_left(self.stops, i0)
        if s < len(self.stops):
            end = min(end, self.stops[s])
        live = self.live
        for p in range(bisect_left(live, i0), len(live)):
            i = live[p]
            if i >= end:
                break
            got = self._hit(i, r)
            if got is not None:
                hit, k = got
                return (hit, *self.rest(k, hit.row + 1))
        return ()


def _runs(toks: Sequence[Tok], tdef: TableDef, match: Matcher) -> list[list[Hit]]:
    """Every maximal run of the table's rows in order, one per starting label."""
    out: list[list[Hit]] = []
    seen_starts: set[int] = set()
    chains = _Chains(toks, tdef, match)
    for p, i in enumerate(chains.live):
        if i in seen_starts:
            continue
        m = match(i, 0)
        if m is None:
            continue
        hits = chains.run(p, m[0])
        if hits:
            seen_starts.update(h.first for h in hits)
            out.append(hits)
    return out


def _exact(toks: Sequence[Tok], hit: Hit, index: _LabelIndex) -> bool:
    """Is the hit's label the row's label itself (not glued to other words)?"""
    norm = "".join(toks[j].norm for j in range(hit.first, hit.last + 1))
    return norm in index.own[hit.row]


def best_run(toks: Sequence[Tok], tdef: TableDef, span: Optional[tuple[int, int]], key: str,
             joins: Optional[Joins] = None) -> list[Hit]:
    """The table: the run with most rows once completed (:func:`_complete`), then the one
    whose rows have their own labels and the right number of figures, then one inside
    ``span`` (its section).
    A sentence naming a row (``市政府规章22件``) may start a run; the table's own rows win.
    ``joins``: the token list's :class:`Joins`, shared by the table forms looked for in it."""
    best: list[Hit] = []
    best_key: tuple = ()
    if joins is None or joins.toks is not toks or joins.form_of(tdef.rows) is None:
        joins = Joins(toks, (tdef,))
    match = Matcher(joins, tdef.rows)
    runs = sorted(_runs(toks, tdef, match), key=len, reverse=True)[:8]
    for hits in runs:
        window = _window(toks, hits, key, match)
        if best_key and len(hits) + _most_added(tdef, hits, window, match) < best_key[0]:
            continue  # fewer rows than the best run, however completed
        full = _complete(toks, tdef, hits, match, window)
        if best_key and len(full) < best_key[0]:
            continue  # fewer rows than the best: the rest of its key does not matter
        fit = sum(1 for h in full if len(h.values) == len(tdef.cols_of(tdef.rows[h.row])))
        exact = sum(1 for h in full if _exact(toks, h, match.index))
        first = min(toks[h.first].start for h in full)
        inside = span is not None and span[0] <= first < span[1]
        k = (len(full), fit + exact, inside, -first)
        if k > best_key:
            best, best_key = full, k
    return best


FILL_REACH = (200, 80)
"""Tokens before and after a run of rows where the table's missing rows are looked for (back
to the table's heading at most; before the run only a label that is exactly the row's)."""

_ROW_SHAPES = ("markdown", "row_per_line", "html", "docx", "pdf")
"""Shapes where a row's label and its figures share a line (or a grid row)."""


def _window(toks: Sequence[Tok], hits: list[Hit], key: str, match: Matcher) -> tuple[int, int]:
    """The tokens ``[lo, hi)`` where the rows a run missed are looked for (:data:`FILL_REACH`
    around the run, not past a stop word or the table's heading)."""
    first = min(h.first for h in hits)
    last = max(h.last + len(h.values) for h in hits)  # a hit's figures are the tokens right after its label
    lo = max(0, first - FILL_REACH[0])
    bounds = match.joins.bounds(key)
    b = bisect_left(bounds, first) - 1  # the nearest stop word or table heading before the run
    if b >= 0 and bounds[b] >= lo:
        lo = bounds[b] + 1
    hi = min(len(toks), last + FILL_REACH[1])
    stops = match.joins.stops(key)
    s = bisect_left(stops, last + 1)  # the next stop word after it
    if s < len(stops) and stops[s] < hi:
        hi = stops[s]
    return lo, hi


def _most_added(tdef: TableDef, hits: list[Hit], window: tuple[int, int], match: Matcher) -> int:
    """The most rows :func:`_complete` can add to a run: one a live label of the window, and
    only rows the run has not."""
    live = match.live
    return min(len(tdef.rows) - len(hits), bisect_left(live, window[1]) - bisect_left(live, window[0]))


def _complete(toks: Sequence[Tok], tdef: TableDef, hits: list[Hit], match: Matcher,
              window: tuple[int, int]) -> list[Hit]:
    """Add the rows the in-order run missed because a conversion moved them (a PDF block
    printed after the rest, ``| 规章 | 0 | 0 | 0 |`` below ``行政事业性收费``): each such row is
    taken where its own label, exactly, is followed by figures no other row took, near the run
    (in ``window``, :func:`_window`)."""
    used = {(t.start, t.end) for h in hits for t in h.values}
    taken = {i for h in hits for i in range(h.first, h.last + 1)}
    have = {h.row for h in hits}
    first = min(h.first for h in hits)
    lo, hi = window
    extra: list[Hit] = []
    live = match.live  # the labels with candidates among them
    for p in range(bisect_left(live, lo), len(live)):
        i = live[p]
        if i >= hi:
            break
        if i in taken:
            continue
        for end, found in match.candidates(i):
            need = 3 if i < first else 2
            row = next((ri for ri, sc, short in found if ri not in have and sc >= (3 if short else need)), None)
            if row is None:
                continue
            vals, _ = match.joins.values_after(end + 1)
            if vals and used.isdisjoint((t.start, t.end) for t in vals):
                extra.append(Hit(row, i, end, vals))
                have.add(row)
                used.update((t.start, t.end) for t in vals)
            break
    return sorted(hits + extra, key=lambda h: h.row)


DETACHED = "the figures stand on a line of their own, read as the row of the label above them"


def detached(hit: Hit, toks: Sequence[Tok], k: int, tdef: TableDef) -> bool:
    """Figures (of the ``k`` read) on a line of their own under a stack of row labels, where
    rows keep label and figures together: a PDF conversion that printed several labels, then
    the rows of figures, so which figures go with which label is a guess."""
    label = toks[hit.last]
    apart = any(t.line != label.line and (label.shape in _ROW_SHAPES or t.shape in _ROW_SHAPES)
                for t in hit.values[:k])
    if not apart:
        return False
    if len(hit.values) > k:
        return True  # more figure rows than labels below this one
    i = hit.first - 1
    joins = Joins(toks, (tdef,))
    while i >= 0 and toks[i].kind == "label":
        if any(sc >= 2 for _, found in joins.candidates(i)[0] for _, sc, _ in found):
            return True  # another row's label, left without figures just above
        i -= 1
    return False
