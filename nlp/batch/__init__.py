"""The batch engine behind ``xxgk check``: many reports, in processes or on a cluster,
resumable, into the store.

:func:`run` reads its inputs lazily (:mod:`nlp.batch.inputs`: folders, globs, manifests,
URLs), hashes each file, and sends what needs checking to an engine
(:mod:`nlp.batch.engines`: this process, ``jobs`` local processes, or Dask) with a bounded
number in flight, so memory stays flat whatever the corpus size. Outcomes come back in input
order; this process alone writes the store, one short transaction a report, as each arrives.

**Skipping and resuming.** A report whose content (SHA-256) is stored with the same pipeline
version (reader, checks, model, settings: ``Checker.pipeline_version``) is not checked again
(``force=True`` checks it anyway); its stored result is passed on instead. A batch killed at
any moment (even SIGKILL) and run again therefore checks only what it had not stored, and ends
with the store an uninterrupted run gives: each report is stored whole or not at all. A file
whose content an earlier input of the same batch had is skipped as a duplicate. Failed inputs
are not stored, so a new run tries them again (a URL may answer next time).

>>> for o in run(["reports/"], Checker(), Store("xxgk.sqlite"), jobs=2):  # doctest: +SKIP
...     print(o.path, o.error or o.skipped or "checked")
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections import deque
from contextlib import ExitStack
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Union

from nlp.batch.engines import Shipped, Task, engine_for, validate
from nlp.batch.inputs import Input, expand, fetch, rereadable
from nlp.errors import Errors, XxgkError

if TYPE_CHECKING:
    from nlp.pipeline import Checker, Outcome
    from nlp.store import Store

__all__ = ["run", "settle", "count", "default_jobs", "expand", "Input"]

FETCHERS = 4
"""URLs fetched at once."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def count(inputs: Iterable[Any] = (), manifests: Iterable[Any] = ()) -> Optional[int]:
    """How many inputs a batch has (None when a manifest can be read only once: standard
    input, a pipe)."""
    manifests = list(manifests)
    if not all(map(rereadable, manifests)):
        return None
    return sum(1 for _ in expand(inputs, manifests))


def _sha256(path: Path, limit: int) -> Optional[str]:
    """The file's SHA-256, or None when the checker should see it (and say what is wrong):
    missing, not a file, larger than the limit, unreadable."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            return None
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


class _Prepared:
    """An input made ready in the parent: its file, its hash, or why it stops here."""

    __slots__ = ("input", "path", "sha256", "error", "fetched")

    def __init__(self, inp: Input, path: Optional[Path] = None, sha256: Optional[str] = None,
                 error: Optional[str] = None, fetched: bool = False) -> None:
        self.input, self.path, self.sha256, self.error, self.fetched = inp, path, sha256, error, fetched


def _prepare(inp: Input, tmp: Path, max_bytes: int) -> _Prepared:
    if inp.skip:
        return _Prepared(inp)
    if inp.is_url:
        try:
            path = fetch(inp.source, tmp, max_bytes=max_bytes)
        except XxgkError as e:
            return _Prepared(inp, error=str(e))
        return _Prepared(inp, path, _sha256(path, max_bytes), fetched=True)
    path = Path(inp.source)
    return _Prepared(inp, path, _sha256(path, max_bytes))


def _ordered(futures: Iterator[Future], window: int) -> Iterator[Any]:
    """The results of lazily submitted futures, in order, at most ``window`` in flight."""
    pending: deque = deque()
    for fut in futures:
        pending.append(fut)
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class _Lazy:
    """An engine started on its first task (a batch of stored reports starts none)."""

    def __init__(self, stack: ExitStack, start: Callable[[], Any], window: int) -> None:
        self._stack, self._start, self._engine, self.window = stack, start, None, window
        self.sees_history = True

    def submit(self, task: Task) -> Any:
        if self._engine is None:
            self._engine = self._stack.enter_context(self._start())
            self.window = self._engine.window
            self.sees_history = self._engine.sees_history
        return self._engine.submit(task)


def _done(value: "Outcome") -> Future:
    fut: Future = Future()
    fut.set_result(value)
    return fut


def run(
    inputs: Iterable[Union[str, os.PathLike]],
    checker: "Checker",
    store: Optional["Store"] = None,
    *,
    jobs: int = 1,
    force: bool = False,
    engine: str = "local",
    scheduler: Optional[str] = None,
    manifests: Iterable[Union[str, os.PathLike]] = (),
    whole: bool = True,
) -> Iterator["Outcome"]:
    """Check a batch; yield one :class:`~nlp.pipeline.Outcome` an input, in input order.

    Parameters
    ----------
    inputs, manifests:
        Files, folders, globs, URLs; files of one of those a line (:mod:`nlp.batch.inputs`).
    checker:
        Its model and settings are every worker's.
    store:
        Where each good result is saved (by this process) before it is yielded; also what
        is skipped. None: nothing stored, nothing skipped.
    jobs:
        Worker processes (``local``) or local Dask workers (``dask`` without a scheduler).
    force:
        Check reports already stored by the same pipeline version too.
    engine, scheduler:
        ``local`` (default) or ``dask``; a Dask scheduler's address for ``dask``.
    whole:
        Whether the caller reads each outcome's whole ``result`` (its tables' cells and claims);
        False: only its JSON (``Outcome.json_text``), rows and findings, and a worker's result
        comes without its tables and claims (``nlp.batch.engines.Shipped``; a stored batch only).
    """
    from nlp.pipeline import Outcome

    from nlp.history import History

    validate(engine, scheduler)
    before, history = checker.history, History(store)
    checker.history = history  # the unit's other years: the store's, then the batch's
    version = checker.pipeline_version
    limit = checker.settings.max_bytes
    seen: set[bytes] = set()
    tmp = Path(tempfile.mkdtemp(prefix="xxgk-batch-"))
    try:
        with ExitStack() as stack:
            eng = _Lazy(stack, lambda: engine_for(engine, checker, max(1, jobs), scheduler, history.aliases),
                        max(1, jobs) * 4)
            io = stack.enter_context(ThreadPoolExecutor(FETCHERS, thread_name_prefix="xxgk-fetch"))
            prepared = _ordered((io.submit(_prepare, inp, tmp, limit) for inp in expand(inputs, manifests)),
                                window=FETCHERS * 4)

            def submitted() -> Iterator[tuple[_Prepared, Future]]:
                for prep in prepared:
                    name = prep.input.source
                    if prep.input.skip:
                        yield prep, _done(Outcome(name, skipped=prep.input.skip))
                    elif prep.error:
                        yield prep, _done(Outcome(name, error=prep.error))
                    elif prep.sha256 and bytes.fromhex(prep.sha256) in seen:
                        yield prep, _done(Outcome(name, skipped="the same content as an earlier input: skipped"))
                    elif prep.sha256 and store is not None and not force and store.checked(prep.sha256, version):
                        seen.add(bytes.fromhex(prep.sha256))
                        yield prep, _done(Outcome(name, skipped="already checked by this pipeline version",
                                                  stored=store.get_result(prep.sha256)))
                    else:
                        if prep.sha256:
                            seen.add(bytes.fromhex(prep.sha256))
                        assert prep.path is not None
                        task = Task(str(prep.path), name if prep.fetched else None,  # rows made by the worker
                                    whole=whole or prep.fetched or store is None)
                        yield prep, eng.submit(task)

            pending: deque = deque()
            for item in submitted():
                pending.append(item)
                while pending and (len(pending) >= eng.window or pending[0][1].done()):
                    yield _finish(*pending.popleft(), store, checker, eng.sees_history)
            while pending:
                yield _finish(*pending.popleft(), store, checker, eng.sees_history)
        history.flush()  # the batch's last reports into the store's cross-unit index (else the next run derives them)
    finally:
        checker.history = before  # a checker shared by several batches keeps none of this one's
        shutil.rmtree(tmp, ignore_errors=True)


def _finish(prep: _Prepared, fut: Any, store: Optional["Store"], checker: "Checker", seen: bool) -> "Outcome":
    """Wait for one outcome (in input order), settle it (:func:`settle`), drop a fetched copy."""
    from nlp.pipeline import Outcome

    try:
        out = fut.result()
    except Exception as e:  # a worker died (killed, out of memory): this input fails, the batch goes on
        detail = f"worker lost: {type(e).__name__}: {e}".splitlines()[0]
        out = Outcome(prep.input.source, error=Errors.E009.format(path=prep.input.source, detail=detail))
    if prep.fetched and prep.path is not None:
        prep.path.unlink(missing_ok=True)
    settle(out, store, checker, seen, named=True)  # the workers name units with this history's aliases
    if not prep.fetched and not prep.input.is_url:
        out.path = Path(prep.input.source)
    return out


def settle(out: "Outcome", store: Optional["Store"], checker: "Checker", seen: bool = True,
           named: bool = False) -> "Outcome":
    """The writing process's part of one checked report (a batch's parent, the HTTP API):
    make its result final, then store it. Returns ``out``, its result and rows updated.

    A report the store holds reviewers' corrections for is reconciled again with them
    (``nlp.pipeline.with_corrections``; workers never see the store). The cross-year checks
    see the unit's other years in the store and earlier in the batch (``checker.history``):
    a worker that did not see them (``seen`` False) had none, so when the unit has some (or
    the store's aliases name another unit than the worker's, or the year has other units'
    reports for the cross-unit checks), the result is assessed again with them (of the
    cross-year and cross-unit checks, those whose input the worker lacked:
    ``nlp.history.assess_cross_year``); ``named``: the worker named the report's unit with the
    aliases of ``checker.history`` (a batch's: given to its workers when it starts), so its unit
    is the one the history would name (not named again). A worker's outcome
    (``nlp.batch.engines.Shipped``) is read without its tables' cells and claims: assessing it
    again reads them as the worker's ``current``; only corrections or a whole new assessment
    read them back. Storing a
    report recomputes the cross-year findings of the unit's later reports in the store
    (``nlp.history.relink``).
    """
    from nlp.history import assess_cross_year, current_of, relink
    from nlp.pipeline import stored_corrections, with_corrections
    from nlp.store import rows_of
    from nlp.units import Unit

    # a worker's result: read without its tables and claims until needed (Shipped)
    shipped = isinstance(out, Shipped) and out.apart
    result, current = (out.light, out.current) if shipped else (out.result, None)
    history = checker.history
    if result is None:
        return out
    if store is not None and stored_corrections(store, result.document.sha256):
        corrected = with_corrections(out.whole_result(checker) if shipped else out.result, store, checker)  # with the history
        result, out.result, out.rows, seen, current = corrected, corrected, None, True, None
    if history is not None:
        if out.fingerprinted:
            history.given(result.document.sha256, out.fingerprint)
        if seen:
            unit, same_unit = None, True
        elif named:
            unit, same_unit = Unit.from_json(result.unit), True
        else:
            unit = history.unit_of(result.sections.meta.agency)
            same_unit = (unit.to_json() if unit is not None else None) == result.unit
        if not seen and (not same_unit or history.shown_of(unit, exclude=result.document.sha256)
                         or history.has_year(result.sections.meta.year)):
            again = assess_cross_year(result, history, unit, checker.settings, current) if same_unit and unit else None
            if again is not result:  # the same result: no check read anything the worker did not have
                before = result
                if again is None:
                    whole = out.whole_result(checker) if shipped else out.result  # with its tables and claims
                    again = checker.assess(whole.document, whole.sections, whole.tables, whole.claims,
                                           whole.corrections, whole.model_version)
                    current = None  # the worker's may name another unit
                result = out.result = again
                if out.rows is not None:  # the worker's, but for what the assessment gives (kept when the same)
                    out.rows = out.rows.reassessed(result, before)
        if history.store is None:
            history.add(out.result)  # kept whole
        else:  # kept as the checks across reports read it, not read back from the store
            history.add(result, current if current is not None else current_of(result, checker.settings))
    if store is not None:
        if out.rows is None:
            out.rows = rows_of(result)  # kept: the outcome's JSON text is the stored one (not made twice)
        store.save_rows(out.rows)
        if history is not None:
            relink(store, history, result, checker.settings)
    return out
