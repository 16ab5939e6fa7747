"""Compose the stages: ``check(path) -> ReportResult``.

    ingest -> find_sections -> parse_tables -> extract_claims -> reconcile -> run_checks

``Checker`` holds what is costly to load (the claim model, the spaCy pipeline) so a batch
loads it once, and the ``Settings`` it passes down (size limit, review threshold, confidence
floor); ``check`` uses a default one. ``check_many`` runs a batch and goes on past a bad
file, yielding the error in its place; ``check_batch`` also stores each result, in processes
or on a Dask cluster, skipping what is stored already (``nlp.batch``), with the reviewers'
corrections the store holds for it applied.

Corrections (``nlp/corrections.py``): ``Checker.finish`` applies them between the claims
stage and reconciliation, so the checks and claim statuses are computed from the corrected
tables. ``rereconcile(store, sha256)`` runs the stages after ingest again on a stored report
(no file needed) with its current corrections and stores the result; ``correct(store, …)``
records one correction and does that (what the app and the HTTP API call).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Sequence, Union

from nlp.config import Settings, settings as current_settings
from nlp.errors import Errors, XxgkError
from nlp.schema import (READER_VERSION, Claim, Correction, Document, ReportMeta, ReportResult, Sections, Tables, json_text,
                        tables_from_json)

if TYPE_CHECKING:
    from nlp.history import History
    from nlp.review.annotations import Annotation
    from nlp.store import Store

PathLike = Union[str, Path]


GROUP = 8
"""How many reports a batch reads before the classifier decides their claims together
(:meth:`Checker.check_many`): one call's fixed cost and its lookups shared (about -0.9 ms of
CPU a report against one call a report)."""


class Checker:
    """Checks reports with one loaded model.

    Parameters
    ----------
    model:
        A path to a skops model, ``"rules"`` for the rules-only baseline, or ``None`` for
        the ``model`` setting (the bundled ``models/claim_model.skops``; E013 names the fix
        when it is missing).
    settings:
        The settings the stages use (default: ``nlp.config.settings()``, read now).
    """

    def __init__(self, model: Optional[Union[str, Path, object]] = None, settings: Optional[Settings] = None) -> None:
        self.settings = settings or current_settings()
        self.model_spec = model
        self._model: object = None
        self._loaded = False
        self._pipeline_version: Optional[str] = None

    @property
    def model(self) -> object:
        if not self._loaded:
            from nlp.claims import load_model

            self._model = load_model(self.settings.model if self.model_spec is None else self.model_spec)
            self._loaded = True
        return self._model

    @property
    def model_version(self) -> Optional[str]:
        return getattr(self.model, "version_", None) or getattr(self.model, "version", None)

    @property
    def pipeline_version(self) -> str:
        """One version for everything that makes a result: the reader's version, the
        registered checks (their versioned names), the model's version and the settings the
        stages read. A batch skips a report stored with the same content and this version.

        >>> Checker("rules").pipeline_version  # doctest: +SKIP
        'reader 0.1.0; checks 3f9c0d2e1b7a; model rules; settings 5d41402abc4b'
        """
        if self._pipeline_version is None:
            self._pipeline_version = pipeline_version(self.model_version, self.settings)
        return self._pipeline_version

    def warm(self) -> "Checker":
        """Load everything a first check would (model, spaCy pipeline, jieba's dictionary),
        so that worker processes forked after this share it; returns self."""
        from nlp.claims import load_nlp

        self.model  # noqa: B018 - loads it (E013 when missing)
        load_nlp("rules")  # the spaCy pipeline and jieba's dictionary; the model is passed per call
        self.pipeline_version  # noqa: B018
        return self

    history: Optional["History"] = None
    """Where the unit's other years come from (``nlp.history.History``); ``check_batch`` sets it."""

    def check(self, path: PathLike, corrections: Sequence[Correction] = ()) -> ReportResult:
        """Read one report and return its tables, claims, findings and checklist (with
        ``corrections`` applied before reconciling, see ``finish``)."""
        from nlp.claims import decide_claims

        read = self._read(path)
        [claims] = decide_claims([read.candidates], self.model)
        return self.finish(read.doc, read.sections, read.tables, claims, corrections, self.model_version)

    def check_many(self, paths: Iterable[PathLike], group: int = GROUP) -> Iterator[Union[ReportResult, Exception]]:
        """What :meth:`check` gives for each path, or the exception that stopped it, in order,
        the claims of up to ``group`` reports decided by one classifier call (the model
        decides a record by itself: the same claims). A report is finished (reconciled and
        assessed, with ``history``) only when the one before it has been taken, as
        :meth:`check` would; one whose unit's year before is in the group (its tables read
        last year's: :meth:`previous_tables`) begins the next group."""
        read: list[Union[_Read, Exception]] = []
        for path in paths:
            try:
                doc, sections = self._sections(path)
            except Exception as err:  # noqa: BLE001 - its outcome, the group goes on
                read.append(err)
                continue
            if len(read) >= group or self._waits(sections.meta, read):
                yield from self._finished(read)
                read = []
            try:
                read.append(self._read(path, doc, sections))
            except Exception as err:  # noqa: BLE001
                read.append(err)
        yield from self._finished(read)

    def _sections(self, path: PathLike) -> tuple[Document, Sections]:
        from nlp.ingest import ingest
        from nlp.sections import find_sections

        doc = ingest(path, max_bytes=self.settings.max_bytes)
        return doc, find_sections(doc)

    def _read(self, path: PathLike, doc: Optional[Document] = None, sections: Optional[Sections] = None) -> "_Read":
        """A report read up to its claim candidates (ingested and sectioned unless given)."""
        from nlp.claims import claim_candidates
        from nlp.tables import parse_tables

        if doc is None or sections is None:
            doc, sections = self._sections(path)
        tables = parse_tables(doc, sections, self.previous_tables(sections.meta))
        if not tables.all() and all(s.key == "preamble" for s in sections.sections):
            raise XxgkError(Errors.E012, path=path)
        return _Read(doc, sections, tables, claim_candidates(doc, sections, tables))

    def _waits(self, meta: ReportMeta, read: list[Union["_Read", Exception]]) -> bool:
        """Whether one of ``read``, which the history does not hold yet, is the year before
        ``meta``'s of its unit (:meth:`previous_tables` would read it)."""
        if self.history is None or not meta.year:
            return False
        unit = self.history.unit_of(meta.agency)
        return unit is not None and any(
            isinstance(r, _Read) and r.sections.meta.year == meta.year - 1
            and getattr(self.history.unit_of(r.sections.meta.agency), "key", None) == unit.key for r in read)

    def _finished(self, read: list[Union["_Read", Exception]]) -> Iterator[Union[ReportResult, Exception]]:
        """The results of reports read to their candidates: their claims decided together
        (each alone when that fails, so that a bad one fails only itself), then each
        finished when it is asked for."""
        from nlp.claims import decide_claims

        reports = [r for r in read if isinstance(r, _Read)]
        try:
            decided: list = decide_claims([r.candidates for r in reports], self.model)
        except Exception:  # noqa: BLE001 - which one: each alone
            decided = [_attempt(decide_claims, [r.candidates], self.model) for r in reports]
            decided = [d if isinstance(d, Exception) else d[0] for d in decided]
        claims = iter(decided)
        for r in read:
            got = r if isinstance(r, Exception) else next(claims)
            if isinstance(got, Exception):
                yield got
            else:
                yield _attempt(self.finish, r.doc, r.sections, r.tables, got, (), self.model_version)

    def previous_tables(self, meta: "ReportMeta") -> Optional[Tables]:
        """The same unit's tables of the year before, from ``history`` (the store and this
        batch): last year's figures settle how this year's glued table rows are cut."""
        if self.history is None or not meta.year:
            return None
        unit = self.history.unit_of(meta.agency)
        last = [r for r in self.history.for_unit(unit) if r.year == meta.year - 1]
        return tables_from_json(last[-1].tables) if last else None

    def finish(self, doc: Document, sections: Sections, tables: Tables, claims: Sequence[Claim],
               corrections: Sequence[Correction] = (), model_version: Optional[str] = None) -> ReportResult:
        """The stages after the claims stage: the reviewers' corrections applied to the tables
        and claims as read, then reconciliation and the checks (with the unit's other years,
        and the same year's reports of other units near this one, from ``history``) on the
        corrected ones."""
        from nlp.corrections import apply_corrections
        from nlp.reconcile import reconcile

        tables, claims = apply_corrections(tables, claims, corrections)
        claims = reconcile(doc, sections, tables, claims, settings=self.settings)
        return self.assess(doc, sections, tables, claims, corrections, model_version)

    def assess(self, doc: Document, sections: Sections, tables: Tables, claims: list,
               corrections: Sequence[Correction] = (), model_version: Optional[str] = None) -> ReportResult:
        """The checks over a read and reconciled report (``corrections``: those already
        applied to it), its unit and its other years (``history``): the last step of
        :meth:`finish`, which a batch's parent runs again on a worker's result when the unit
        has other years the worker did not see."""
        from nlp.checks import check_report
        from nlp.units import identify

        hist = self.history
        unit = hist.unit_of(sections.meta.agency) if hist is not None else identify(sections.meta.agency)
        others = hist.for_unit(unit, exclude=doc.sha256) if hist is not None else None
        peers = None
        if hist is not None:
            peers = hist.peers(unit, sections.meta.year, doc.sha256, doc.text, sections.sections)
        checked = check_report(doc, sections, tables, claims, settings=self.settings, unit=unit, history=others,
                               peers=peers)
        return ReportResult(
            document=doc,
            sections=sections,
            tables=tables,
            claims=claims,
            findings=checked.findings,
            reader_version=READER_VERSION,
            model_version=model_version,
            corrections=list(corrections),
            checklist=checked.checklist,
            unit=unit.to_json() if unit is not None else None,
            pipeline_version=self.version_of(model_version),
        )

    def version_of(self, model_version: Optional[str]) -> str:
        """The pipeline version of a result made by this checker's stages and settings with
        the model ``model_version`` (a report reconciled again keeps the model that read it)."""
        if model_version == self.model_version:
            return self.pipeline_version
        return pipeline_version(model_version, self.settings)


@dataclass
class _Read:
    """A report read up to its claims (:meth:`Checker._read`)."""

    doc: Document
    sections: Sections
    tables: Tables
    candidates: Any  # nlp.claims.Candidates


def _attempt(step: Any, *args: Any) -> Any:
    """``step(*args)``, or the exception it raised."""
    try:
        return step(*args)
    except Exception as err:  # noqa: BLE001 - the caller's outcome
        return err


RESULT_SETTINGS = ("review_threshold", "confidence_floor")
"""The settings that change a result (they are part of :func:`pipeline_version`)."""


def pipeline_version(model_version: Optional[str], settings: Settings) -> str:
    """The pipeline version of a model version under ``settings`` (see
    :attr:`Checker.pipeline_version`)."""
    import hashlib

    from nlp.checks import CHECKS

    names = sorted(CHECKS)
    checks_digest = hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]
    values = ";".join(f"{k}={getattr(settings, k)!r}" for k in RESULT_SETTINGS)
    settings_digest = hashlib.sha256(values.encode()).hexdigest()[:12]
    return f"reader {READER_VERSION}; checks {checks_digest}; model {model_version}; settings {settings_digest}"


_default: Optional[Checker] = None


def check(path: PathLike, model: Optional[Union[str, Path]] = None) -> ReportResult:
    """Check one report with the bundled model (or ``model``).

    >>> result = check("samples/002_d63969c0f6426144.txt")  # doctest: +SKIP
    >>> result.tables.requests.value("new", "total")  # doctest: +SKIP
    100
    """
    global _default
    if model is not None:
        return Checker(model).check(path)
    now = current_settings()
    if _default is None or _default.settings != now:  # settings changed: load again
        _default = Checker(settings=now)
    return _default.check(path)


def expand_inputs(paths: Iterable[PathLike]) -> list[Path]:
    """Files to check, in input order: a folder means every (non-hidden) file in it,
    sorted by name, recursively. A path that does not exist is kept, so that checking it
    reports the error in its place."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            out.append(p)
    return out


@dataclass
class Outcome:
    """The result of one input of a batch: a result, the error that stopped it, or why it was
    not checked.

    ``path`` is the input (a URL stays a string). ``skipped`` says why an input was not
    checked: already stored by the same pipeline version (then ``stored`` holds the stored
    JSON result), the same content as an earlier input, or not a report file type.
    """

    path: Union[Path, str]
    result: Optional[ReportResult] = None
    error: Optional[str] = None
    skipped: Optional[str] = None
    stored: Optional[dict] = None
    rows: Any = None
    """The result's store rows (``nlp.store.rows_of``), when a batch's worker made them."""
    fingerprinted: bool = False
    fingerprint: Optional[frozenset[int]] = None
    """When ``fingerprinted``: the fingerprint of the result's narrative
    (``nlp.checks.crossunit.narrative_print``; None: too short to compare), made by the worker,
    for the writing process's index of the year (it only looks it up)."""

    @property
    def checked(self) -> bool:
        """Whether the input was checked now (it has a ``result``), without reading the result."""
        return self.result is not None

    def data(self) -> Optional[dict]:
        """The JSON result (report-json.md): checked now, or as stored."""
        return self.result.to_json() if self.result is not None else self.stored

    def json_text(self) -> Optional[str]:
        """:meth:`data` as one line of JSON (the stored text when the rows are made)."""
        if self.rows is not None:
            return self.rows.result_json
        data = self.data()
        return None if data is None else json_text(data)


def outcome(checker: Checker, path: PathLike, source: Optional[str] = None) -> Outcome:
    """Check one file; an error becomes the outcome's one-line ``error`` (an internal one
    E009, unless the ``debug`` setting lets it stop the batch). ``source``: what to call the
    input in the result and in errors, when the file is a copy (a fetched URL, an upload)."""
    [out] = outcomes(checker, [path], [source])
    return out


def outcomes(checker: Checker, paths: Sequence[PathLike], sources: Optional[Sequence[Optional[str]]] = None
             ) -> Iterator[Outcome]:
    """:func:`outcome` of each of ``paths`` in order (``sources``: what to call each), their
    claims decided together (:meth:`Checker.check_many`)."""
    for path, source, got in zip(paths, sources or [None] * len(paths), checker.check_many(paths)):
        yield _outcome(checker, path, source, got)


def _outcome(checker: Checker, path: PathLike, source: Optional[str], got: Union[ReportResult, Exception]) -> Outcome:
    shown = source or path
    if isinstance(got, XxgkError):
        msg = str(got)
        return Outcome(shown, error=msg.replace(str(path), source) if source else msg)
    if isinstance(got, Exception):  # a defect of ours must not stop the batch either
        if checker.settings.debug:
            raise got
        detail = f"{type(got).__name__}: {got}".splitlines()[0]
        return Outcome(shown, error=Errors.E009.format(path=shown, detail=detail))
    if source:
        got.document = dataclasses.replace(got.document, source=source)
    return Outcome(shown, result=got)


def check_many(paths: Iterable[PathLike], checker: Optional[Checker] = None) -> Iterator[Outcome]:
    """Check every input in order; a bad file yields its one-line error and the batch goes on."""
    yield from outcomes(checker or Checker(), expand_inputs(paths))


def check_batch(inputs: Iterable[PathLike], checker: Optional[Checker] = None,
                store: Optional["Store"] = None, **options: Any) -> Iterator[Outcome]:
    """Check a batch, each good result saved to ``store`` (when given) by this process before
    it is yielded, in input order: what ``xxgk check`` runs. A report the store holds
    corrections for is reconciled again with them before it is saved (a re-check keeps them).
    A bad file yields its one-line error; the batch goes on. A report stored with the same
    content and pipeline version is not checked again (``force=True`` checks it anyway).

    The cross-year checks see the unit's other years in the store and earlier in the batch
    (``nlp.history.History``), the cross-unit checks the same year's reports of other units;
    saving a report recomputes the cross-year findings of the unit's later reports in the
    store, and the cross-unit findings of the reports it is near (``nlp.history.relink``).

    ``options`` (see :func:`nlp.batch.run`): ``jobs`` (processes, default 1), ``force``,
    ``engine`` (``"local"`` or ``"dask"``), ``scheduler`` (a Dask address), ``manifests``
    (files of one path or URL a line).
    """
    from nlp.batch import run

    yield from run(inputs, checker or Checker(), store, **options)


# ---------------------------------------------------------------------------
# corrections: reconcile again with the reviewers' figures
# ---------------------------------------------------------------------------


def stored_corrections(store: "Store", sha256: str, history: bool = False) -> list[Correction]:
    """The corrections that apply to a stored report (every one ever made with ``history``)."""
    return [Correction.from_row(r) for r in store.corrections(sha256, history=history)]


def with_corrections(result: ReportResult, store: "Store", checker: Optional[Checker] = None) -> ReportResult:
    """A freshly checked ``result`` reconciled again with the corrections ``store`` holds for
    its report (the same result when there are none)."""
    corrections = stored_corrections(store, result.document.sha256)
    if not corrections:
        return result
    from nlp.corrections import restore_originals

    checker = checker or Checker()
    claims = restore_originals(result.claims, stored_corrections(store, result.document.sha256, history=True))
    return checker.finish(result.document, result.sections, result.tables, claims, corrections,
                          result.model_version)


def rereconcile(store: "Store", sha256: str, settings: Optional[Settings] = None) -> ReportResult:
    """Reconcile a stored report again with its current corrections, and store the result.

    The stages after ingest run again on the stored document (sections, tables; the claims as
    stored, with their values as read), the corrections are applied, and the checks and claim
    statuses are computed from the corrected tables (the cross-year checks with the unit's
    other stored years, whose own cross-year findings are recomputed after it, as a re-check
    does). No file and no model are needed. Decisions and corrections are untouched; the
    computed rows are replaced.

    Raises E035 when the store lacks the report or stored it before it kept what this needs
    (check the file again with ``xxgk check``).

    >>> result = rereconcile(Store("xxgk.sqlite"), sha)  # doctest: +SKIP
    """
    from nlp.corrections import restore_originals
    from nlp.history import History, relink
    from nlp.sections import find_sections
    from nlp.tables import parse_tables

    doc = store.get_document(sha256)
    stored = store.get_result(sha256)
    if doc is None or stored is None:
        detail = "no such report" if stored is None else "it was stored by an older version, without its source tables"
        raise XxgkError(Errors.E035, sha=sha256[:12], detail=detail)
    checker = Checker("rules", settings=settings)  # reconciling needs no model
    history = checker.history = History(store)
    sections = find_sections(doc)
    tables = parse_tables(doc, sections)
    claims = restore_originals(store.get_claims(sha256), stored_corrections(store, sha256, history=True))
    result = checker.finish(doc, sections, tables, claims, stored_corrections(store, sha256),
                            stored.get("model_version"))
    store.save(result)
    relink(store, history, result, checker.settings)
    return result


def correct(
    store: "Store",
    sha256: str,
    *,
    cell: Optional[tuple[str, str, str]] = None,
    claim_id: Optional[str] = None,
    value: Any = None,
    metric: Optional[str] = None,
    reason: str,
    reviewer: str,
    withdraw: bool = False,
    annotations: Optional[PathLike] = None,
    settings: Optional[Settings] = None,
) -> ReportResult:
    """Record a reviewer's correction of a cell or a claim (``Store.record_correction``),
    reconcile the report again with it (``rereconcile``) and return the new result.

    A corrected claim also becomes an annotation record for training, appended to
    ``corrections.jsonl`` in ``annotations`` (default: the ``annotations_dir`` setting,
    ``annotations/``).

    >>> correct(store, sha, cell=("requests", "new", "total"), value=110,
    ...         reason="表中印作“11O”", reviewer="王")  # doctest: +SKIP
    """
    row_id = store.record_correction(sha256, cell=cell, claim_id=claim_id, value=value, metric=metric,
                                     reason=reason, reviewer=reviewer, withdraw=withdraw)
    result = rereconcile(store, sha256, settings=settings)
    if claim_id is not None and not withdraw:
        from nlp.review.annotations import append

        rows = [r for r in store.corrections(sha256, history=True) if r["id"] == row_id]
        claim = next((c for c in result.claims if c.id == claim_id), None)
        if rows and claim is not None:
            folder = annotations or (settings or current_settings()).annotations_dir
            append(Path(folder) / CORRECTIONS_FILE,
                   [correction_annotation(Correction.from_row(rows[0]), claim, sha256, result.document.source)])
    return result


CORRECTIONS_FILE = "corrections.jsonl"
"""The file in the annotations folder that corrected claims are appended to."""


def correction_annotation(c: Correction, claim: Claim, sha256: str, source: str = "") -> "Annotation":
    """A claim correction as a record of the one annotation contract
    (``nlp.review.annotations.Annotation``): the claim — the same item the review queue makes
    of it, so the latest of a Label Studio label and a correction wins — its span and
    number, the reviewer's metric and value, who, when and why (``comment``)."""
    from nlp.review.annotations import Annotation
    from nlp.schema import stable_id

    return Annotation(
        item_id=stable_id(sha256, claim.id, prefix="Q-"), report_sha256=sha256, source=source,
        text=claim.text, sentence=claim.sentence, number_text=claim.number_text,
        start=claim.start, end=claim.end, num_start=claim.num_start, num_end=claim.num_end,
        metric=c.metric or claim.metric, value=c.value, not_a_claim=False, comment=c.reason,
        annotator=c.reviewer, annotated_at=c.created_at,
        extra={"origin": "correction", "claim_id": claim.id, "correction_id": c.id,
               "predicted_metric": c.original_metric, "predicted_value": c.original_value},
    )
