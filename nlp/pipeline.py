"""Compose the stages: ``check(path) -> ReportResult``.

    ingest -> find_sections -> parse_tables -> extract_claims -> reconcile -> run_checks

``Checker`` holds what is costly to load (the claim model, the spaCy pipeline) so a batch
loads it once, and the ``Settings`` it passes down (size limit, review threshold, confidence
floor); ``check`` uses a default one. ``check_many`` runs a batch and goes on past a bad
file, yielding the error in its place; ``check_batch`` also stores each result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional, Union

from nlp.config import Settings, settings as current_settings
from nlp.errors import Errors, XxgkError
from nlp.schema import READER_VERSION, ReportResult, Tables

if TYPE_CHECKING:
    from nlp.store import Store

PathLike = Union[str, Path]
History = Callable[[Optional[str], Optional[int]], Optional["Tables"]]
"""``(agency, year) -> Tables``: a unit's tables of a year, when a store knows them."""


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

    def check(self, path: PathLike, history: Optional[History] = None) -> ReportResult:
        """Read one report and return its tables, claims and findings.

        ``history(agency, year)``: the tables of the same unit's report for a year, when known
        (``Store.tables_of``); last year's then help cut the glued rows of this year's."""
        from nlp.checks import run_checks
        from nlp.claims import extract_claims
        from nlp.ingest import ingest
        from nlp.reconcile import reconcile
        from nlp.sections import find_sections
        from nlp.tables import parse_tables

        doc = ingest(path, max_bytes=self.settings.max_bytes)
        sections = find_sections(doc)
        meta = sections.meta
        previous = history(meta.agency, meta.year - 1) if history is not None and meta.year else None
        tables = parse_tables(doc, sections, previous)
        if not tables.all() and all(s.key == "preamble" for s in sections.sections):
            raise XxgkError(Errors.E012, path=path)
        claims = extract_claims(doc, sections, tables, model=self.model)
        claims = reconcile(doc, sections, tables, claims, settings=self.settings)
        findings = run_checks(doc, sections, tables, claims, settings=self.settings)
        return ReportResult(
            document=doc,
            sections=sections,
            tables=tables,
            claims=claims,
            findings=findings,
            reader_version=READER_VERSION,
            model_version=self.model_version,
        )


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
    """The result of one input of a batch: a result or the error that stopped it."""

    path: Path
    result: Optional[ReportResult] = None
    error: Optional[str] = None


def check_many(paths: Iterable[PathLike], checker: Optional[Checker] = None,
               history: Optional[History] = None) -> Iterator[Outcome]:
    """Check every input in order; a bad file yields its one-line error and the batch goes on.
    ``history``: see :meth:`Checker.check`."""
    checker = checker or Checker()
    for path in expand_inputs(paths):
        try:
            yield Outcome(path, result=checker.check(path, history))
        except XxgkError as err:
            yield Outcome(path, error=str(err))
        except Exception as err:  # a defect of ours must not stop the batch either
            if checker.settings.debug:
                raise
            detail = f"{type(err).__name__}: {err}".splitlines()[0]
            yield Outcome(path, error=Errors.E009.format(path=path, detail=detail))


def check_batch(inputs: Iterable[PathLike], checker: Optional[Checker] = None,
                store: Optional["Store"] = None) -> Iterator[Outcome]:
    """``check_many``, and each good result saved to ``store`` (when given) before it is
    yielded: what ``xxgk check`` runs. A bad file yields its one-line error; the batch goes on.
    """
    history = store.tables_of if store is not None else None  # last year's tables help cut glued rows
    for outcome in check_many(inputs, checker, history):
        if store is not None and outcome.result is not None:
            store.save(outcome.result)
        yield outcome
