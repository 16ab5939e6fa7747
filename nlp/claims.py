"""Stage 4: the narrative's quantitative claims, by a spaCy pipeline.

    extract_claims(Document, Sections, Tables, model=None) -> list[Claim]

The pipeline (``load_nlp()``) is ``spacy.blank("zh")`` with the jieba segmenter (the
project's user dictionary ``nlp/data/userdict.txt`` loaded into jieba first) and two
components:

- ``xxgk_quantities``: every number of the text as a span in ``doc.spans["xxgk_quantities"]``
  (label = its kind: ``quantity``, ``zero`` for a zero written in words, or a kind that is
  never a claim: ``date``, ``docno``, ``phone`` …; see ``nlp.numbers``);
- ``xxgk_metric_classifier``: the claim candidates with a metric and a confidence from the
  model (``nlp.model``; the keyword rules when there is none) in ``doc.spans["claims"]``
  (label = metric).

Span values are read through ``span._.xxgk_value``, ``xxgk_unit``, ``xxgk_approx``,
``xxgk_qualifier``, ``xxgk_kind``, ``xxgk_metric``, ``xxgk_confidence`` (getters over
``doc.user_data``).

``extract_claims`` takes the pipeline's steps without making a spaCy Doc (it reads words and
offsets only): the same words (``_segment``), the same quantities on them (``_aligned``), the
same candidates and records (``_candidates``, ``claim_record``), one ``decide`` for the
report (``decide_claims``: for several reports, as a batch reads them); the components call the
same functions, so a Doc through ``nlp`` gets the same claims.

About 800 lines, one stage on purpose: the components, the record each candidate hands the
model (``claim_record``, which training reads too, so training and prediction cannot drift)
and the narrative the stage reads (``narrative_chunks``) are read together.
"""

from __future__ import annotations

import bisect
import math
import re
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.config import settings
from nlp.metrics import ZERO_OBJECT_METRIC
from nlp.model import RulesClassifier, load_model
from nlp.numbers import CLAIM_KINDS, Quantity, find_quantities
from nlp.schema import Claim, Document, Sections, Tables, stable_id

USERDICT = Path(__file__).resolve().parent / "data" / "userdict.txt"
QUANTITIES_KEY = "xxgk_quantities"
CLAIMS_KEY = "claims"
NARRATIVE_SECTIONS = ("preamble", "overview", "problems", "other")
TABLE_SECTIONS = ("active", "requests", "review")

_CLAUSE_SEP = "，,；;。！？!?\n：:、()（）|"
_ZERO_CLAUSE_SEP = "，,；;。！？!?\n|()（）"
_SENT_SEP = "。！？!?\n"

# ---------------------------------------------------------------------------
# Extension attributes (registered once, early; getters over doc.user_data)
# ---------------------------------------------------------------------------


def _info(span: Span) -> dict[str, Any]:
    return span.doc.user_data.get(("xxgk", span.start_char, span.end_char), {})


def _claim_info(span: Span) -> dict[str, Any]:
    return span.doc.user_data.get(("xxgk_claim", span.start_char, span.end_char, span.label_), {})


_SPAN_ATTRS = {
    "xxgk_value": lambda s: _info(s).get("value"),
    "xxgk_unit": lambda s: _info(s).get("unit"),
    "xxgk_approx": lambda s: bool(_info(s).get("approx")),
    "xxgk_qualifier": lambda s: _info(s).get("qualifier"),
    "xxgk_kind": lambda s: _info(s).get("kind"),
    "xxgk_number_text": lambda s: _info(s).get("number_text"),
    "xxgk_metric": lambda s: _claim_info(s).get("metric"),
    "xxgk_confidence": lambda s: _claim_info(s).get("confidence"),
}


_DOC_ATTRS = {
    "xxgk_section": lambda d: d.user_data.get("xxgk_section"),
    "xxgk_claims": lambda d: list(d.spans[CLAIMS_KEY]) if CLAIMS_KEY in d.spans else [],
}


def register_extensions() -> None:
    """Register the ``span._.xxgk_*`` and ``doc._.xxgk_section``/``xxgk_claims`` attributes
    (idempotent)."""
    for name, getter in _SPAN_ATTRS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)
    for name, getter in _DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, getter=getter)


register_extensions()

# ---------------------------------------------------------------------------
# jieba: the user dictionary, and its accurate mode in one pass
# ---------------------------------------------------------------------------

_JIEBA_READY = False


def load_userdict(path: Path = USERDICT) -> None:
    """Load the project's domain words into jieba (global; once per process)."""
    global _JIEBA_READY
    if _JIEBA_READY:
        return
    import jieba

    jieba.setLogLevel(60)
    if path.exists():
        jieba.load_userdict(str(path))
    _JIEBA_READY = True


def _jieba_words(text: str) -> list[str]:
    """``jieba.lcut(text)`` (accurate mode, HMM on) by jieba's own steps: the same blocks
    (``re_han_default``/``re_skip_default``), the same best route over jieba's dictionary, the
    same HMM (``jieba.finalseg``) on a run of characters no word covers. Only the route is
    found differently (``_best_route``: one pass, where jieba builds the word graph first and
    then walks it): ~35% less CPU, the same words (tests/test_claims.py compares them)."""
    import jieba

    dt = jieba.dt
    dt.check_initialized()
    freq, logtotal, hmm = dt.FREQ, math.log(dt.total), jieba.finalseg.cut
    words: list[str] = []
    for block in jieba.re_han_default.split(text):
        if not block:
            continue
        if jieba.re_han_default.match(block):
            words += _cut_block(block, freq, logtotal, hmm)
            continue
        for x in jieba.re_skip_default.split(block):
            if jieba.re_skip_default.match(x):
                words.append(x)
            else:
                words += x  # a character a word
    return words


_UNSEEN, _ABSENT = object(), object()
_LOGP: dict[tuple[int, float], dict[str, Any]] = {}
_LOGP_MAX = 500_000
"""The most fragments ``_log_probs`` remembers before it starts again (memory stays bounded)."""


def _log_probs(freq: dict[str, int], logtotal: float) -> dict[str, Any]:
    """The memo of ``_best_route``'s fragments, filled as they are met: ``log(freq[w]) -
    logtotal`` for a word, None for a prefix of a word (frequency 0), ``_ABSENT`` for no
    prefix of any. One for jieba's dictionary as it stands (a word added changes its total,
    and the memo with it)."""
    key = (id(freq), logtotal)
    got = _LOGP.get(key)
    if got is None or len(got) > _LOGP_MAX:
        _LOGP.clear()
        got = _LOGP[key] = {}
    return got


def _best_route(block: str, freq: dict[str, int], logtotal: float) -> list[int]:
    """Where the word the best route takes at each character of ``block`` ends (exclusive):
    jieba's ``get_DAG`` + ``calc`` in one pass from the end. The score of a word is
    ``log(freq) - logtotal`` plus the best score after it, summed in jieba's order (the same
    floats; the first term remembered by word, ``_log_probs``); a tie goes to the longer word
    (jieba takes the max of ``(score, end)``); where no dictionary word starts, the character
    alone with frequency 1."""
    n = len(block)
    score = [0.0] * (n + 1)
    end = [0] * n
    log = math.log
    memo = _log_probs(freq, logtotal)
    unseen, absent = _UNSEEN, _ABSENT
    for k in range(n - 1, -1, -1):
        best, to = None, k + 1
        i, frag = k + 1, block[k]
        while True:
            w = memo.get(frag, unseen)
            if w is unseen:
                f = freq.get(frag)
                w = memo[frag] = absent if f is None else log(f) - logtotal if f else None
            if w is absent:
                break  # the dictionary holds every prefix of its words (frequency 0)
            if w is not None:
                s = w + score[i]
                if best is None or s >= best:
                    best, to = s, i
            if i == n:
                break
            i += 1
            frag = block[k:i]
        score[k] = best if best is not None else log(1) - logtotal + score[k + 1]
        end[k] = to
    return end


def _cut_block(block: str, freq: dict[str, int], logtotal: float, hmm: Callable[[str], Iterable[str]]) -> list[str]:
    """jieba's ``__cut_DAG`` on one block: the words of the best route, each run of
    single characters between them by ``_single_run`` (``hmm``: ``jieba.finalseg.cut``)."""
    end = _best_route(block, freq, logtotal)
    words: list[str] = []
    run = ""
    x, n = 0, len(block)
    while x < n:
        y = end[x]
        if y - x == 1:
            run += block[x]
        else:
            if run:
                words += _single_run(run, freq, hmm)
                run = ""
            words.append(block[x:y])
        x = y
    if run:
        words += _single_run(run, freq, hmm)
    return words


def _single_run(run: str, freq: dict[str, int], hmm: Callable[[str], Iterable[str]]) -> list[str]:
    """A run of characters the route takes one by one, as jieba gives it: one character as it
    is, a dictionary word as its characters, else cut by the HMM (``_hmm_blocks``)."""
    if len(run) == 1:
        return [run]
    return list(run) if freq.get(run) else _hmm_blocks(run, hmm)


def _hmm_blocks(run: str, hmm: Callable[[str], Iterable[str]]) -> list[str]:
    """``list(hmm(run))`` (``jieba.finalseg.cut``) block by block, as it cuts them (its
    ``re_han`` blocks, each alone): a block of one Chinese character is that character (the
    HMM's best path over one character gives it back, as B/M/E/S alike), so the HMM runs only
    on the longer ones (a run such as 2016年 or 12条 is mostly such blocks)."""
    import jieba.finalseg

    han = jieba.finalseg.re_han
    words: list[str] = []
    for block in han.split(run):
        if len(block) == 1 and han.match(block):
            words.append(block)
        elif block:
            words += hmm(block)
    return words


# ---------------------------------------------------------------------------
# Components
# ---------------------------------------------------------------------------


@Language.factory(
    "xxgk_quantities",
    assigns=["doc.spans", "span._.xxgk_value", "span._.xxgk_unit", "span._.xxgk_approx",
             "span._.xxgk_qualifier", "span._.xxgk_kind"],
    requires=[],
    default_config={"spans_key": QUANTITIES_KEY},
)
def make_quantities(nlp: Language, name: str, spans_key: str) -> "QuantityFinder":
    """Find every number (``nlp.numbers.find_quantities``) and mark its kind."""
    return QuantityFinder(spans_key)


class QuantityFinder:
    """Doc → Doc: ``doc.spans[spans_key]`` holds every quantity, labelled by kind."""

    def __init__(self, spans_key: str = QUANTITIES_KEY) -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        found = doc.user_data.pop("xxgk_found", None)  # found by _make_doc already
        chunk = _chunk_of(doc)
        spans = []
        for (start, end), key, info in _aligned(chunk, found if found is not None else find_quantities(chunk.text)):
            doc.user_data[("xxgk",) + key] = info
            spans.append(Span(doc, start, end, label=info["kind"]))
        doc.spans[self.spans_key] = spans
        return doc


def _aligned(chunk: "_Chunk", found: Iterable[Quantity]
             ) -> Iterator[tuple[tuple[int, int], tuple[int, int], dict[str, Any]]]:
    """Each quantity of ``found`` on the words of ``chunk`` (``_Chunk.expand``: the words it
    touches): its ``(first word, end word)``, its ``(start_char, end_char)`` there and its
    info (``_quantity_info``); a quantity on the words of one before it is left out."""
    seen = set()
    for q in found:
        words = chunk.expand(q.start, q.end)
        if words is None:
            continue
        key = chunk.span_chars(*words)
        if key in seen:
            continue
        seen.add(key)
        yield words, key, _quantity_info(q)


def _quantity_info(q: Quantity) -> dict[str, Any]:
    return {"value": q.value, "unit": q.unit, "approx": q.approx, "qualifier": q.qualifier,
            "kind": q.kind, "number_text": q.number_text, "start": q.start, "end": q.end,
            "num_start": q.num_start, "num_end": q.num_end, "objects": q.objects}


@Language.factory(
    "xxgk_metric_classifier",
    assigns=["doc.spans", "span._.xxgk_metric", "span._.xxgk_confidence"],
    requires=["doc.spans"],
    default_config={"spans_key": CLAIMS_KEY, "source_key": QUANTITIES_KEY, "model_path": None,
                    "keep_not_claims": False},
)
def make_metric_classifier(nlp: Language, name: str, spans_key: str, source_key: str,
                           model_path: Optional[str], keep_not_claims: bool) -> "MetricClassifier":
    """Give each claim candidate a metric and a confidence (the model, or rules)."""
    return MetricClassifier(spans_key, source_key, model_path, keep_not_claims)


class MetricClassifier:
    """Doc → Doc: ``doc.spans[spans_key]`` holds the claims, labelled by metric.

    Parameters
    ----------
    spans_key, source_key : str
        Where the claims go and where the quantities are read.
    model_path : str or None
        A skops model; ``None`` or ``"rules"`` = the keyword rules (``RulesClassifier``)
        unless a model is passed per call (``nlp(doc, component_cfg={"xxgk_metric_classifier": {"model": m}})``).
    keep_not_claims : bool
        Also put numbers that are not claims in the group (metric ``not_a_claim``).
    """

    def __init__(self, spans_key: str = CLAIMS_KEY, source_key: str = QUANTITIES_KEY,
                 model_path: Optional[str] = None, keep_not_claims: bool = False) -> None:
        self.spans_key = spans_key
        self.source_key = source_key
        self.model_path = model_path
        self.keep_not_claims = keep_not_claims
        self._model: Any = None

    def default_model(self) -> Any:
        """The model of ``model_path``, loaded on first use. A method, not a ``model``
        property: spaCy probes a component's ``model`` attribute when it adds the pipe, and
        that must neither load a file nor fail when the file is missing (E013 belongs to
        the call that needs it)."""
        if self._model is None:
            self._model = load_model(self.model_path or "rules")
        return self._model

    def __call__(self, doc: Doc, model: Any = None, keep_not_claims: Optional[bool] = None) -> Doc:
        (out,) = self.pipe([doc], model=model, keep_not_claims=keep_not_claims)
        return out

    def pipe(self, stream: Iterable[Doc], batch_size: int = 256, model: Any = None,
             keep_not_claims: Optional[bool] = None) -> Iterator[Doc]:
        """The docs of ``stream`` with their claims, the model asked once per batch of
        ``batch_size`` docs (one ``predict_proba`` over every candidate of the batch: the
        chunks of a report piped together: one batch, as ``extract_claims`` decides them)."""
        model = model if model is not None else self.default_model()
        keep = self.keep_not_claims if keep_not_claims is None else keep_not_claims
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._label(batch, model, keep)
                batch = []
        if batch:
            yield from self._label(batch, model, keep)

    def _candidates(self, doc: Doc, keep: bool) -> list[tuple[Span, dict[str, Any]]]:
        section = doc.user_data.get("xxgk_section")
        spans = list(doc.spans.get(self.source_key, []))
        return [(spans[i], claim_record(doc, info, section, objects))
                for i, info, objects in _candidates(map(_info, spans), keep)]

    def _label(self, docs: list[Doc], model: Any, keep: bool) -> list[Doc]:
        cands = [self._candidates(doc, keep) for doc in docs]
        decided = iter(decide([r for cs in cands for _, r in cs], model))
        for doc, cs in zip(docs, cands):
            claims = []
            for span, rec in cs:
                metric, conf, source = next(decided)
                if metric == "not_a_claim" and not keep:
                    continue
                out = Span(doc, span.start, span.end, label=metric)
                doc.user_data[("xxgk_claim", out.start_char, out.end_char, metric)] = {
                    "metric": metric, "confidence": conf, "source": source, "record": rec}
                claims.append(out)
            doc.spans[self.spans_key] = claims
        return docs


def _candidates(infos: Iterable[dict[str, Any]], keep: bool
                ) -> Iterator[tuple[int, dict[str, Any], Optional[tuple[str, ...]]]]:
    """The claim candidates among the quantities' ``infos``: ``(index, info, objects)``, a zero
    in words once per thing it denies (``objects``: that one), a quantity once (``objects``
    None: its own), any other kind only with ``keep`` (the not-claims too)."""
    for i, info in enumerate(infos):
        if info.get("kind") == "zero":
            for obj in info.get("objects", ()):
                yield i, info, (obj,)
        elif info.get("kind") in CLAIM_KINDS or keep:
            yield i, info, None


ZERO_WORDS_CONFIDENCE = 0.95
"""The confidence of a zero stated in words (its metric is read from what it denies) when the
model gives none: a trained ``ClaimClassifier`` gives how often such a zero was right in its
training labels (``zero_confidence``)."""


def decide(records: list[dict[str, Any]], model: Any, parts: Optional[list[int]] = None
           ) -> list[tuple[str, float, str]]:
    """``(metric, confidence, source)`` of each claim record, as the claims stage decides it:
    a zero in words by what it denies (``ZERO_OBJECT_METRIC``; ``not_a_claim`` where an
    earlier zero of its sentence denied the same thing, ``_zero_said``), a quantity by the model (one
    ``predict_proba`` for all of them), any other kind ``not_a_claim``. The component and the
    evaluation (``nlp.model.evaluate``) both decide through this function. ``parts``: the
    records are those of several reports (how many each, in order): each gets what a call of
    its own gives it (``ClaimClassifier.predict_proba``'s ``parts``)."""
    rows = [r for r in records if r["kind"] == "quantity"]
    found: list[tuple[str, float]] = []
    if rows:
        if parts is None:
            proba = model.predict_proba(rows)
        else:
            quantities = [sum(r["kind"] == "quantity" for r in records[e - n:e]) for e, n in zip(accumulate(parts), parts)]
            proba = model.predict_proba(rows, parts=[q for q in quantities if q])
        classes = list(model.classes_)
        best = proba.argmax(axis=1)
        found = [(str(classes[j]), float(proba[i, j])) for i, j in enumerate(best)]
    source_of_model = "rules" if isinstance(model, RulesClassifier) else "model"
    out = []
    k = 0
    a = 0
    for e in (accumulate(parts) if parts else (len(records),)):  # report by report
        said: list[Any] = [None, set()]  # the sentence of the last zero in words, the objects its zeros denied
        for rec in records[a:e]:
            if rec["kind"] == "zero":
                conf = model.zero_confidence(rec) if hasattr(model, "zero_confidence") else None
                out.append(("not_a_claim" if _zero_said(rec, said) else ZERO_OBJECT_METRIC[rec["objects"][0]],
                            conf or ZERO_WORDS_CONFIDENCE, "zero_words"))
            elif rec["kind"] == "quantity":
                out.append((*found[k], source_of_model))
                k += 1
            else:
                out.append(("not_a_claim", 0.99, "rules"))
        a = e
    return out


# ---------------------------------------------------------------------------
# Claim records: the context of a number, for the classifier
# ---------------------------------------------------------------------------


_SEP_RES: dict[str, re.Pattern] = {}


class _Seps:
    """The bounds of the clause (or sentence: ``seps``) around ``[start, end)`` of one text, by
    bisection: the places of each set of separators found once (a report's numbers ask for
    their clause, their sentence and the clause before). Without a separator before, the
    clause starts at 0; without one after, it ends at the text's end."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.places: dict[str, list[int]] = {}

    def bounds(self, start: int, end: int, seps: str = _CLAUSE_SEP) -> tuple[int, int]:
        places = self.places.get(seps)
        if places is None:
            pattern = _SEP_RES.get(seps)
            if pattern is None:
                pattern = _SEP_RES[seps] = re.compile("[" + re.escape(seps) + "]")
            places = self.places[seps] = [m.start() for m in pattern.finditer(self.text)]
        i = bisect.bisect_left(places, start)  # places[i - 1]: the last separator before start
        j = bisect.bisect_left(places, end)  # places[j]: the first at end or after
        return (places[i - 1] + 1 if i else 0), (places[j] if j < len(places) else max(end, len(self.text)))


class _Chunk:
    """What the claim records of one text read, made once: the text, its separators
    (``_Seps``), its words and where each starts (they tile the text: a word's single space
    after it is its own, any other whitespace a word), and, once its quantities are known
    (``index_quantities``), the starts of those of kind ``quantity`` (a list's numbers)."""

    def __init__(self, text: str, words: list[str], starts: list[int], seps: Optional[_Seps] = None) -> None:
        self.text = text
        self.words = words
        self.starts = starts
        self.seps = seps if seps is not None else _Seps(text)
        self.quantity_starts: Optional[list[int]] = None
        self.quantity_at: dict[int, dict[str, Any]] = {}

    def index_quantities(self, infos: Iterable[dict[str, Any]]) -> None:
        infos = [i for i in infos if i.get("kind") == "quantity"]
        self.quantity_starts = sorted(i["start"] for i in infos)
        self.quantity_at = {i["start"]: i for i in infos}

    def tokens(self, a: int, b: int) -> list[str]:
        """The words wholly inside ``[a, b)`` that are not whitespace."""
        starts, words = self.starts, self.words
        i = bisect.bisect_left(starts, a)
        out = []
        n = len(starts)
        while i < n and starts[i] < b:
            w = words[i]
            if starts[i] + len(w) <= b and w.strip():
                out.append(w)
            i += 1
        return out

    def expand(self, a: int, b: int) -> Optional[tuple[int, int]]:
        """``(first word, end word)`` of the words ``[a, b)`` touches, as spaCy's
        ``Doc.char_span(a, b, alignment_mode="expand")`` takes them (a start on the space
        after a word begins at the next word); None where spaCy gives None (outside the
        text), or no word (whitespace only)."""
        n = len(self.text)
        if not (0 <= a < n and 0 < b <= n):
            return None
        first = bisect.bisect_right(self.starts, a) - 1
        if a == self.starts[first] + len(self.words[first]):
            first += 1
        end = bisect.bisect_right(self.starts, b - 1)
        return (first, end) if first < end else None

    def span_chars(self, first: int, end: int) -> tuple[int, int]:
        """``(start_char, end_char)`` of the words ``[first, end)`` (a Span's)."""
        return self.starts[first], self.starts[end - 1] + len(self.words[end - 1])


def _chunk_of(doc: Doc) -> _Chunk:
    """The ``_Chunk`` of a Doc: ``_make_doc``'s, or made from its tokens once."""
    chunk = doc.user_data.get("xxgk_chunk")
    if chunk is None or len(chunk.starts) != len(doc):
        chunk = doc.user_data["xxgk_chunk"] = _Chunk(doc.text, [t.text for t in doc], [t.idx for t in doc])
    return chunk


_LIST_CUE = re.compile(r"其中|包括|分别|包含|涉及")


def claim_record(doc: Doc, info: dict[str, Any], section: Optional[str],
                 objects: Optional[tuple[str, ...]] = None) -> dict[str, Any]:
    """The context of one quantity as a plain dict (the classifier's input, JSON-able).

    Offsets (``start``/``end``/``num_*``/``clause_*``/``sent_*``) index ``doc.text``.
    """
    chunk = _chunk_of(doc)
    if chunk.quantity_starts is None:
        chunk.index_quantities(map(_info, doc.spans.get(QUANTITIES_KEY, [])))
    return _record(chunk, info, section, objects)


def _record(chunk: _Chunk, info: dict[str, Any], section: Optional[str],
            objects: Optional[tuple[str, ...]] = None) -> dict[str, Any]:
    """``claim_record`` on a ``_Chunk`` whose quantities are indexed."""
    text = chunk.text
    bounds = chunk.seps.bounds
    s, e = info["start"], info["end"]
    zero = info["kind"] == "zero"
    ca, cb = bounds(s, e, _ZERO_CLAUSE_SEP if zero else _CLAUSE_SEP)
    sa, sb = bounds(s, e, _SENT_SEP)
    if ca > sa:
        pa = max(bounds(ca - 1, ca - 1)[0], sa)
        prev_a, prev_b = pa, ca - 1
    else:
        prev_a = prev_b = ca
    prev = text[prev_a:prev_b]
    before_in_sent = text[sa:s]
    starts = chunk.quantity_starts
    n_before = bisect.bisect_left(starts, s) - bisect.bisect_left(starts, sa)
    # the quantity before this one in the sentence: its words and unit (a list's head)
    prev_q = None
    k = bisect.bisect_left(starts, s) - 1
    if k >= 0 and starts[k] >= sa:
        pinfo = chunk.quantity_at.get(starts[k])
        if pinfo is not None:
            pca, pcb = bounds(pinfo["start"], pinfo["end"])
            prev_q = {"left": text[pca:pinfo["start"]], "unit": pinfo["unit"],
                      "gap": ca - pcb}
    return {
        "kind": info["kind"],
        "value": info["value"],
        "unit": info["unit"],
        "qualifier": info["qualifier"],
        "approx": info["approx"],
        "number_text": info["number_text"],
        "objects": list(objects if objects is not None else info.get("objects", ())),
        "section": section,
        "left": text[ca:s],
        "left_tokens": chunk.tokens(ca, s),
        "right_tokens": chunk.tokens(e, min(cb, e + 12)),
        "prev": prev,
        "prev_tokens": chunk.tokens(prev_a, prev_b),
        # an item of a list: a list word before it in the sentence after another quantity, or
        # opening the sentence (…公开政府信息915条。包括政府文件94条, …)
        "in_list": bool(_LIST_CUE.search(before_in_sent)) and (
            n_before > 0 or bool(_LIST_CUE.match(before_in_sent.lstrip(" \t(（:：、")))),
        "prev_quantity": prev_q,
        "n_before": n_before,
        "clause": text[ca:cb],
        "sentence": text[sa:sb],
        "start": s, "end": e, "num_start": info["num_start"], "num_end": info["num_end"],
        "clause_start": ca, "clause_end": cb, "sent_start": sa, "sent_end": sb,
    }


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def load_nlp(model_path: Optional[str] = None) -> Language:
    """The claims pipeline (cached): blank zh with jieba, the user dictionary loaded,
    ``xxgk_quantities`` then ``xxgk_metric_classifier`` with ``model_path`` (default: the
    ``model`` setting, the shipped model; ``"rules"`` for the rules). The model is read on
    first use, and only when no model is passed per call (``extract_claims`` passes its own);
    a missing file is E013 then."""
    return _load_nlp(settings().model if model_path is None else str(model_path))


@lru_cache(maxsize=4)
def _load_nlp(model_path: str) -> Language:
    import spacy

    load_userdict()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    # The stage reads a token's text and offsets only, never its lexical attributes (shape,
    # like_num, is_stop...). Computing them is most of what a new word costs, and each report's
    # words are new in its memory zone (extract_claims): without them a Doc costs about half.
    nlp.vocab.lex_attr_getters = {}
    nlp.add_pipe("xxgk_quantities")
    nlp.add_pipe("xxgk_metric_classifier", config={"model_path": model_path})
    return nlp


# ---------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------


def _is_prose_line(line: str) -> bool:
    """A line of sentences, not a table's: long enough with a clause break, or a short sentence
    of its own (“本年度无依申请公开信息。”: no cell of a table ends with 。)."""
    s = line.strip()
    if line.count("|") >= 2:
        return False
    return (len(s) >= 16 and bool(re.search(r"[，,。；;]", s))) or (len(s) >= 6 and s.endswith("。"))


def narrative_chunks(doc: Document, sections: Optional[Sections],
                     tables: Optional[Tables] = None) -> list[tuple[int, int, Optional[str]]]:
    """The ``(start, end, section_key)`` runs of ``doc.text`` that are narrative.

    Narrative sections (preamble, overview, problems, other) are read whole; the table
    sections (active, requests, review) only by their prose lines (a report before 2019, or
    a paragraph beside a table). Table extents (``tables``, ``doc.source_tables``) are cut out.
    """
    text = doc.text
    cut: list[tuple[int, int]] = []
    if tables is not None:
        read = tables.all() + ([tables.stats] if tables.stats is not None else [])
        cut += [(t.start, t.end) for t in read if t.start is not None and t.end is not None]
    cut += [(st.start, st.end) for st in doc.source_tables]
    if sections is None or not sections.sections:
        parts = [(0, len(text), None, True)]
    else:
        parts = [(s.body_start, s.end, s.key, s.key not in TABLE_SECTIONS) for s in sections.sections]
    out: list[tuple[int, int, Optional[str]]] = []
    for a, b, key, whole in parts:
        pos = a
        for line in text[a:b].splitlines(keepends=True):
            la, lb = pos, pos + len(line)
            pos = lb
            if not whole and not _is_prose_line(line):
                continue
            if whole and line.count("|") >= 2 and not _is_prose_line(line):
                continue
            for pa, pb in _subtract(la, lb, cut):
                if out and out[-1][1] == pa and out[-1][2] == key:
                    out[-1] = (out[-1][0], pb, key)
                else:
                    out.append((pa, pb, key))
    return out


def _subtract(a: int, b: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``[a, b)`` without the ``cuts`` intervals (a table inside a one-line crawler text)."""
    parts = [(a, b)]
    for ca, cb in cuts:
        nxt = []
        for pa, pb in parts:
            if cb <= pa or ca >= pb:
                nxt.append((pa, pb))
                continue
            if pa < ca:
                nxt.append((pa, ca))
            if cb < pb:
                nxt.append((cb, pb))
        parts = nxt
    return [(pa, pb) for pa, pb in parts if pb > pa]


def narrative_text(doc: Document, sections: Optional[Sections], tables: Optional[Tables] = None) -> str:
    """The narrative the claims stage reads (``narrative_chunks``), joined by newlines: the
    text to time jieba on for comparison."""
    return "\n".join(doc.text[a:b] for a, b, _ in narrative_chunks(doc, sections, tables))


_RUNS = re.compile(r"\s+|\S+")


def _make_doc(nlp: Language, text: str, kinds: Optional[Iterable[str]] = None) -> Doc:
    """``nlp.make_doc(text)`` on ``_segment``'s words: the numbers found kept for the
    ``xxgk_quantities`` component (``xxgk_found``), the ``_Chunk`` for ``claim_record``."""
    chunk, spaces, found = _segment(text, kinds)
    d = Doc(nlp.vocab, words=chunk.words, spaces=spaces)
    d.user_data.update({"xxgk_found": found, "xxgk_chunk": chunk})
    return d


def _segment(text: str, kinds: Optional[Iterable[str]] = None) -> tuple[_Chunk, list[bool], list[Quantity]]:
    """``(chunk, spaces, found)``: the words of ``text`` with jieba run only where ``claim_record`` reads words: each
    number's clause and the clause before it (clauses as ``claim_record`` cuts them for the
    number's kind), of the numbers of ``kinds`` (None: every kind; the claims stage asks for the
    candidates' kinds, ``CLAIM_KINDS``), by ``_jieba_words`` (jieba's words, less CPU).
    Elsewhere a run of (non-)space is one token. jieba cuts the text into blocks at every
    clause break (none is a word character) and segments each block alone, so the words there
    are those of the whole text and the claims are the same (tests/test_claims.py compares the
    records). ``chunk``: the text, its words, their starts and its separators (``_Chunk``);
    ``spaces``: whether a word has a space after it (a Doc's ``spaces``); ``found``: the
    numbers of ``text`` (``find_quantities``)."""
    found = find_quantities(text)
    keep = None if kinds is None else frozenset(kinds)
    seps = _Seps(text)
    ranges = []
    for q in found:
        if keep is not None and q.kind not in keep:
            continue
        sa = seps.bounds(q.start, q.end, _SENT_SEP)[0]
        ca, cb = seps.bounds(q.start, q.end, _ZERO_CLAUSE_SEP if q.kind == "zero" else _CLAUSE_SEP)
        ranges.append((max(seps.bounds(ca - 1, ca - 1)[0], sa) if ca > sa else ca, cb))
    words: list[str] = []
    pos = 0
    for a, b in sorted(ranges):
        if b <= pos:
            continue
        a = max(a, pos)
        words += _RUNS.findall(text[pos:a])
        words += _jieba_words(text[a:b])
        pos = b
    words += _RUNS.findall(text[pos:])
    words, spaces, starts = _words_and_spaces(words, text)
    return _Chunk(text, words, starts, seps), spaces, found


def _words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool], list[int]]:
    """``spacy.util.get_words_and_spaces(words, text)`` for ``words`` that tile ``text`` (each
    after the other, whitespace in words of its own), in one pass (spaCy's looks each word up
    in the rest of the text), and the start of each word: a whitespace word is dropped, one
    space after a word becomes its trailing space, any other whitespace a word of its own."""
    out: list[str] = []
    spaces: list[bool] = []
    starts: list[int] = []
    add_word, add_space, add_start = out.append, spaces.append, starts.append
    pos = 0  # how far the words and spaces made reach
    at = 0  # where ``w`` starts
    n = len(text)
    for w in words:
        start = at
        at += len(w)
        if w.isspace():
            continue
        if start > pos:  # the whitespace before it, as a word
            add_word(text[pos:start])
            add_space(False)
            add_start(pos)
        add_word(w)
        add_start(start)
        if at < n and text[at] == " ":
            add_space(True)
            pos = at + 1
        else:
            add_space(False)
            pos = at
    if pos < n:
        out.append(text[pos:])
        spaces.append(False)
        starts.append(pos)
    return out, spaces, starts


def extract_claims(doc: Document, sections: Optional[Sections], tables: Optional[Tables] = None,
                   model: Any = None, *, keep_not_claims: bool = False) -> list[Claim]:
    """The quantitative claims of a report's narrative.

    Parameters
    ----------
    doc, sections, tables:
        The earlier stages' output; ``sections`` None = the whole text is narrative.
        ``tables`` only marks text to leave out (table extents).
    model:
        A fitted classifier (``ClaimClassifier``/``RulesClassifier``), a skops path,
        ``"rules"``, or None for the shipped model (``load_model``).
    keep_not_claims:
        Also return numbers that are not claims (metric ``not_a_claim``).

    Returns
    -------
    list[Claim]
        In text order; offsets index ``doc.text``; ``status`` is left ``unchecked`` (the
        reconcile stage sets it). A zero written in words about two things (未收到…行政复议、
        行政诉讼) gives one claim per thing, on the same span.

    The three steps (:func:`claim_candidates`, one :func:`decide` for their records,
    :meth:`Candidates.claims`); :func:`decide_claims` takes the last two for several reports
    at once (a batch: one classifier call for them all).
    """
    clf = load_model(model)
    [claims] = decide_claims([claim_candidates(doc, sections, tables, keep_not_claims=keep_not_claims)], clf)
    return claims


class Candidates:
    """A report's claim candidates, before the model decides them: ``cands`` are
    ``(chunk, (start_char, end_char), record)`` of the narrative ``chunks``
    (:func:`narrative_chunks`)."""

    def __init__(self, doc: Document, chunks: list[tuple[int, int, Optional[str]]],
                 cands: list[tuple[int, tuple[int, int], dict[str, Any]]], keep_not_claims: bool) -> None:
        self.doc, self.chunks, self.cands, self.keep_not_claims = doc, chunks, cands, keep_not_claims

    @property
    def records(self) -> list[dict[str, Any]]:
        return [rec for _, _, rec in self.cands]

    def claims(self, decided: list[tuple[str, float, str]]) -> list[Claim]:
        """The claims of the candidates as ``decide`` decided their records."""
        keep, cands = self.keep_not_claims, self.cands
        kept = [(c, key, metric) for (c, key, _), (metric, _, _) in zip(cands, decided)
                if metric != "not_a_claim" or keep]
        # a span's claim of one metric holds what its last candidate was decided (as the
        # component's doc.user_data does: a zero in words about two things of one metric)
        last = {(c, key, metric): (rec, conf, source)
                for (c, key, rec), (metric, conf, source) in zip(cands, decided)}
        return link_shares(_claims_of(self.doc, self.chunks,
                                      [(c, metric, *last[c, key, metric]) for c, key, metric in kept]))


def claim_candidates(doc: Document, sections: Optional[Sections], tables: Optional[Tables] = None,
                     *, keep_not_claims: bool = False) -> Candidates:
    """The claim candidates of a report's narrative and their records (the first step of
    :func:`extract_claims`)."""
    load_userdict()  # jieba's words are those of the pipeline's segmenter
    chunks = narrative_chunks(doc, sections, tables)
    kinds = None if keep_not_claims else CLAIM_KINDS  # jieba only around the candidates' numbers
    cands: list[tuple[int, tuple[int, int], dict[str, Any]]] = []
    for c, (a, b, section) in enumerate(chunks):
        cands += [(c, key, rec) for key, rec in _chunk_candidates(doc.text[a:b], section, kinds, keep_not_claims)]
    return Candidates(doc, chunks, cands, keep_not_claims)


def decide_claims(reports: list[Candidates], model: Any) -> list[list[Claim]]:
    """Each report's claims, the records of them all decided by one :func:`decide` (one
    ``predict_proba``: the model decides a record by itself, so a report's claims do not
    depend on the others'). ``model``: a fitted classifier (``load_model``'s)."""
    decided = decide([rec for r in reports for rec in r.records], model, [len(r.cands) for r in reports])
    out, i = [], 0
    for r in reports:
        out.append(r.claims(decided[i:i + len(r.cands)]))
        i += len(r.cands)
    return out


def _chunk_candidates(text: str, section: Optional[str], kinds: Optional[Iterable[str]], keep: bool
                      ) -> list[tuple[tuple[int, int], dict[str, Any]]]:
    """The claim candidates of one narrative chunk as the pipeline makes them, without a
    spaCy Doc (the stage reads words and offsets only): ``_segment``'s words, the quantities
    on them (``_aligned``, as ``xxgk_quantities``), the candidates' records (``_candidates``,
    ``claim_record``, as ``xxgk_metric_classifier``), each with its span's
    ``(start_char, end_char)``."""
    chunk, _, found = _segment(text, kinds)
    aligned = list(_aligned(chunk, found))
    chunk.index_quantities(info for _, _, info in aligned)
    return [(aligned[i][1], _record(chunk, info, section, objects))
            for i, info, objects in _candidates((info for _, _, info in aligned), keep)]


def _claims_of(doc: Document, chunks: list[tuple[int, int, Optional[str]]],
               decided: list[tuple[int, str, dict[str, Any], float, str]]) -> list[Claim]:
    """The claims, as plain values, of the decided candidates ``(chunk, metric, record,
    confidence, source)``, in text order."""
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for c, metric, rec, conf, source in decided:
        a, _, key = chunks[c]
        ctext = rec["clause"].strip()
        lead = len(rec["clause"]) - len(rec["clause"].lstrip())
        cstart = a + rec["clause_start"] + lead
        n = seen.get(ctext, 0)
        seen[ctext] = n + 1
        claims.append(Claim(
            id=stable_id(doc.sha256, ctext, n, prefix="C-"),
            text=ctext,
            start=cstart,
            end=cstart + len(ctext),
            value=rec["value"],
            number_text=doc.text[a + rec["num_start"]:a + rec["num_end"]],
            num_start=a + rec["num_start"],
            num_end=a + rec["num_end"],
            approx=bool(rec["approx"]),
            qualifier=rec["qualifier"],
            unit=rec["unit"],
            metric=metric,
            confidence=round(float(conf), 4),
            sentence=rec["sentence"].strip(),
            section=key,
            source=source,
        ))
    claims.sort(key=lambda c: (c.num_start, c.metric))
    return claims


SHARE_REACH = 600
"""How far before a share (in characters) its total may be stated."""


def link_shares(claims: list[Claim]) -> list[Claim]:
    """Each share (metric ``share``) linked to the count it follows and the total it is a
    share of (``part_id``, ``total_id``, ``share_of``); the other claims as they are.

    The part is the nearest claim before the share in its sentence (…477条,占23.1%). The total
    is the nearest claim before the part (within ``SHARE_REACH`` characters) whose metric is
    the one the part's metric is a part of (``Metric.part_of``: proactive.part → proactive.total,
    an outcome of requests → requests.received_all …), else, for a metric that is a part of
    none, the nearest larger count of the same unit before it. ``share_of`` is the total's
    metric, else the part's ``part_of``, else the part's own metric (a rate of the count itself:
    信件71件,答复率100%)."""
    from dataclasses import replace

    from nlp.metrics import METRICS, SHARE

    out = list(claims)
    for i, s in enumerate(claims):
        if s.metric != SHARE:
            continue
        before = [c for c in claims[:i] if c.metric not in (SHARE, "not_a_claim")]
        part = next((c for c in reversed(before) if c.sentence == s.sentence), None)
        total, base = None, None
        if part is not None:
            metric = METRICS.get(part.metric)
            base = metric.part_of if metric is not None else ""
            reach = [c for c in before if c.num_start < part.num_start and s.num_start - c.num_start <= SHARE_REACH]
            if base:
                total = next((c for c in reversed(reach) if c.metric == base), None)
            else:
                total = next((c for c in reversed(reach) if c.unit == part.unit and c.value is not None
                              and part.value is not None and c.value > part.value), None)
        share_of = total.metric if total else (base or (part.metric if part else None))
        out[i] = replace(s, share_of=share_of, part_id=part.id if part else None, total_id=total.id if total else None)
    return out


def _zero_said(rec: dict[str, Any], said: list[Any]) -> bool:
    """Whether the zero in words before the record's, in the same sentence, denied its object
    already (``said``: that sentence and the objects denied in it, updated): a second phrase
    that restates it (未收到任何…申请,无依申请公开政府信息) is not another claim (labelling guide
    §8.13: one claim an object a sentence). A report's records come in its text's order, so a
    sentence's zeros are consecutive among its zeros (``decide`` starts ``said`` afresh for each
    report's records)."""
    sentence = (rec.get("sent_start"), rec.get("sentence"), rec.get("section"))
    if said[0] != sentence:
        said[0], said[1] = sentence, set()
    obj = rec["objects"][0]
    if obj in said[1]:
        return True
    said[1].add(obj)
    return False


def claim_records(doc: Document, sections: Optional[Sections], tables: Optional[Tables] = None,
                  ) -> list[dict[str, Any]]:
    """Every quantity of the narrative as a claim record (``claim_record``), not-claims too,
    offsets shifted to ``doc.text``, with ``section``: the training and evaluation input."""
    nlp = load_nlp()
    out = []
    quantities = nlp.get_pipe("xxgk_quantities")
    for a, b, key in narrative_chunks(doc, sections, tables):
        d = quantities(_make_doc(nlp, doc.text[a:b]))  # the words extract_claims reads
        for span in d.spans[QUANTITIES_KEY]:
            info = _info(span)
            objs = info.get("objects") or ()
            for obj in (objs if info["kind"] == "zero" else (None,)):
                r = claim_record(d, info, key, objects=(obj,) if obj else ())
                for k in ("start", "end", "num_start", "num_end", "clause_start", "clause_end",
                          "sent_start", "sent_end"):
                    r[k] += a
                r["number_text"] = doc.text[r["num_start"]:r["num_end"]]
                out.append(r)
    return out


def to_displacy(claims: Iterable[Claim], text: str, title: Optional[str] = None,
                use_number_span: bool = True) -> dict[str, Any]:
    """The dict displaCy's span style takes with ``manual=True``:
    ``displacy.render(to_displacy(claims, doc.text), style="span", manual=True)``.

    Tokens are characters (Chinese has no spaces), so span offsets are character offsets.
    """
    tokens = list(text)
    spans = []
    for c in claims:
        s, e = (c.num_start, c.num_end) if use_number_span else (c.start, c.end)
        if e <= s:
            continue
        spans.append({"start_token": s, "end_token": e, "label": c.metric})
    return {"text": text, "tokens": tokens, "spans": spans, "title": title}
