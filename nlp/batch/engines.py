"""Where the checks run: in this process, in a pool of local processes, or on a Dask cluster.

Each engine is a context manager with ``submit(task) -> Future`` and ``window`` (how many
tasks to keep in flight: enough to keep every worker busy, few enough that memory stays flat
whatever the corpus size). A worker checks with one ``Checker`` loaded once per process and
sends back the result; it never writes the store (the batch's parent does).

- ``Serial``: checks in the calling process (``--jobs 1``).
- ``LocalPool``: ``--jobs N`` processes. On Linux they are forked from a parent that has
  already loaded the model, the spaCy pipeline and jieba's dictionary (shared, copy on
  write), and die with their parent even when it is killed with SIGKILL.
- ``DaskEngine``: a Dask ``distributed`` cluster at ``scheduler``, or a ``LocalCluster`` of
  ``jobs`` single-threaded worker processes bound to 127.0.0.1. Workers load the checker on
  their first task, from the same model path and settings as the client.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional

from nlp.errors import Errors, XxgkError
from nlp.pipeline import Outcome

if TYPE_CHECKING:
    from nlp.config import Settings
    from nlp.pipeline import Checker
    from nlp.schema import ReportResult


@dataclass(frozen=True)
class Task:
    """One file to check: ``path`` to read, ``source`` to name it by (a URL for a fetched
    copy, an upload's name), ``timeout`` seconds it may take (E063 past it; None: no limit).
    The worker makes the result's store rows too: the writing process then makes again only
    what an assessment with the history changes (``ReportRows.reassessed``). ``whole``: the
    writing process may read the whole result (its tables' cells and claims: ``Shipped.heavy``);
    False: they are not sent (the process reads the rows, the JSON and the findings only)."""

    path: str
    source: Optional[str] = None
    timeout: Optional[float] = None
    whole: bool = True


# ---------------------------------------------------------------------------
# The worker side
# ---------------------------------------------------------------------------

_CHECKER: Optional["Checker"] = None
"""This process's checker (set before a fork, or built on the first task)."""


def _worker_history(aliases: Optional[dict]) -> Any:
    """A worker's history: the store's unit aliases, no other years (the batch's parent
    assesses again a report whose unit has other years: ``nlp.batch._finish``)."""
    from nlp.history import History

    history = History(None)
    history.aliases = dict(aliases or {})
    return history


def _checker(model: Any, settings: Optional["Settings"], aliases: Optional[dict] = None) -> "Checker":
    global _CHECKER
    if _CHECKER is None:
        from nlp.pipeline import Checker

        _CHECKER = Checker(model, settings=settings).warm()
        _CHECKER.history = _worker_history(aliases)
    return _CHECKER


class _Late(BaseException):
    """Raised by the alarm of a task past its time (a BaseException: no handler of a stage
    may swallow it)."""


def _alarm(signum: int, frame: Any) -> None:
    raise _Late


def check_task(task: Task, model: Any = None, settings: Optional["Settings"] = None,
               aliases: Optional[dict] = None) -> "Outcome":
    """Check one task in a worker: its outcome (result or one-line error), with the
    result's store rows and its narrative's fingerprint made here, so that the process
    writing the store only looks up and writes."""
    return _shipped(_check_task(task, model, settings, aliases), model, settings, aliases, task)


def check_tasks(tasks: list[Task], model: Any = None, settings: Optional["Settings"] = None,
                aliases: Optional[dict] = None) -> list["Outcome"]:
    """Check a group of tasks (without time limits) in a worker, their claims decided
    together (``nlp.pipeline.outcomes``): each one's outcome as :func:`check_task` gives it."""
    from nlp.pipeline import outcomes

    checker = _checker(model, settings, aliases)
    return [_shipped(out, model, settings, aliases, task)
            for out, task in zip(outcomes(checker, [t.path for t in tasks], [t.source for t in tasks]), tasks)]


def _shipped(out: "Outcome", model: Any, settings: Optional["Settings"], aliases: Optional[dict],
             task: Optional[Task] = None) -> "Outcome":
    from nlp.store import rows_of

    if out.result is not None:
        checker = _checker(model, settings, aliases)
        doc, history = out.result.document, checker.history
        out.rows = rows_of(out.result)  # the fingerprint: made by the checks (History.peers), or here
        out.fingerprinted, out.fingerprint = True, history.narrative_print(doc.sha256, doc.text, out.result.sections.sections)
        out = Shipped.of(out, checker.settings, task)
    return out


def _light(result: "ReportResult") -> "ReportResult":
    """``result`` without its tables' cells, its claims and its document's offsets and source
    tables (:class:`Shipped`)."""
    from dataclasses import replace

    doc, tables = result.document, result.tables
    return replace(result, document=replace(doc, offsets=(), source_tables=()), claims=[],
                   tables=type(tables)(tables.template, notes=tables.notes, empty_sections=tables.empty_sections))


def _whole(light: "ReportResult", heavy: bytes, rows: Any) -> "ReportResult":
    """``light`` (:func:`_light`) with what it was sent without (``heavy``, pickled; its
    document's offsets there, or, when the result's store ``rows`` were sent, as those hold
    them: uint32 bytes, cheaper to send than a tuple of ints)."""
    from array import array
    from dataclasses import replace

    offsets, source_tables, tables, claims = pickle.loads(heavy)
    if offsets is None:
        back = array("I")
        back.frombytes(rows.report[15])
        offsets = tuple(back)
    return replace(light, document=replace(light.document, offsets=offsets, source_tables=source_tables),
                   tables=tables, claims=claims)


def _with_assessment_of(whole: "ReportResult", light: "ReportResult") -> "ReportResult":
    """``whole``, as the worker checked it, with what ``light`` (the same report, maybe
    assessed again since) holds beyond its tables, claims and document."""
    from dataclasses import replace

    return replace(light, document=whole.document, tables=whole.tables, claims=whole.claims)


class Shipped(Outcome):
    """An outcome as a worker sends it to the batch's parent (:func:`check_task`). Unpickling
    a result's tables (a ``Cell`` a figure), claims and offsets (an int a character) is most
    of what receiving it costs, and the parent seldom reads them: it stores the rows the
    worker made, and assesses the report again with the checks across reports, which read
    the tables and claims only as ``current`` (``nlp.history.current_of``, made here). So
    they travel pickled apart (``heavy``), read back only when ``result`` is asked for;
    ``light`` is the result without them (what ``nlp.batch.settle`` reads, and replaces
    when it assesses the report again). The offsets are not in ``heavy`` when the rows (sent
    too) hold them, as bytes. A task that does not ask for the ``whole`` result (the batch's
    caller reads only the rows and the JSON: ``nlp.batch.run(whole=False)``) is sent without
    ``heavy``: ``result`` is then ``light``, and the writing process, when it must read the
    tables and claims (the report has reviewers' corrections, or is assessed whole again),
    checks it again as the worker did (:meth:`whole_result`)."""

    light: Optional["ReportResult"] = None
    heavy: Optional[bytes] = None
    current: Any = None  # nlp.checks.crossyear.YearReport
    task: Optional[Task] = None  # what was checked, when it came without ``heavy``

    @classmethod
    def of(cls, out: "Outcome", settings: Optional["Settings"] = None, task: Optional[Task] = None) -> "Shipped":
        from nlp.history import current_of

        result, shipped = out.result, cls.__new__(cls)
        shipped.__dict__.update(out.__dict__)
        shipped.current = current_of(result, settings)
        shipped.light = _light(result)
        if task is None or task.whole or out.rows is None:
            offsets = None if out.rows is not None else result.document.offsets  # else the rows' bytes
            shipped.heavy = pickle.dumps((offsets, result.document.source_tables, result.tables, result.claims),
                                         pickle.HIGHEST_PROTOCOL)
        else:
            shipped.task = task
        del shipped.__dict__["result"]
        return shipped

    @property  # type: ignore[override]
    def result(self) -> Optional["ReportResult"]:
        if self.heavy is not None:
            self.light, self.heavy, self.current = _whole(self.light, self.heavy, self.rows), None, None
        return self.light

    def whole_result(self, checker: "Checker") -> Optional["ReportResult"]:
        """The whole result: :attr:`result`, or, sent without its tables and claims, the task
        checked again here as a worker checks it (``checker``'s model and settings, a history
        of no other years with its aliases), then assessed again as this one was (what
        ``nlp.batch.settle`` did with ``light``)."""
        if self.task is None:
            return self.result
        from copy import copy
        from nlp.pipeline import outcome

        worker = copy(checker)
        worker.history = _worker_history(checker.history.aliases if checker.history is not None else {})
        again = outcome(worker, self.task.path, self.task.source).result
        if again is None or again.document.sha256 != self.light.document.sha256:
            raise XxgkError(Errors.E009, path=self.task.source or self.task.path,
                            detail="changed while it was checked")
        self.task = None
        self.light, self.current = _with_assessment_of(again, self.light), None
        return self.light

    @result.setter
    def result(self, value: Optional["ReportResult"]) -> None:
        """``value``: the result itself, or (while ``heavy`` is not read) ``light`` assessed again."""
        self.light = value

    @property
    def checked(self) -> bool:
        return self.light is not None

    @property
    def apart(self) -> bool:
        """Whether the tables and claims are not read yet (``heavy``, or not sent)."""
        return self.heavy is not None or self.task is not None


def _check_task(task: Task, model: Any, settings: Optional["Settings"], aliases: Optional[dict]) -> "Outcome":
    from nlp.pipeline import Outcome, outcome

    checker = _checker(model, settings, aliases)
    if not task.timeout or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return outcome(checker, task.path, task.source)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, task.timeout)
    try:
        return outcome(checker, task.path, task.source)
    except _Late:
        name = task.source or task.path
        return Outcome(name, error=Errors.E063.format(path=name, seconds=f"{task.timeout:g}"))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _die_with_parent() -> None:
    """A worker ends when the batch's process does, however it ended (Linux: the parent-death
    signal; elsewhere a killed parent's workers end when their pipe closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
            if os.getppid() == 1:  # the parent died before prctl took effect
                os._exit(1)
        except (OSError, AttributeError):
            pass


def _init_worker(model: Any, settings: Optional["Settings"], aliases: Optional[dict]) -> None:
    _die_with_parent()
    if _CHECKER is None:  # spawned, not forked: load it here, once
        _checker(model, settings, aliases)
    else:  # forked: the parent's checker, without the parent's store
        _CHECKER.history = _worker_history(aliases)


def _freeze() -> None:
    """Leave what is loaded by now (the model, the spaCy pipeline, jieba's dictionary: millions
    of objects that live as long as the process) out of the garbage collector's passes, which
    otherwise walk them all every few dozen reports; before forking, so that the workers do
    too (and do not write to the pages they share). An engine undoes it when it ends."""
    gc.collect()
    gc.freeze()


# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------


class _Member(Future):
    """The future of one task of a group (:class:`_Groups`): asking for its result first
    sends its group, if that is still open (``ask``)."""

    def __init__(self, ask: Callable[["_Member"], None]) -> None:
        super().__init__()
        self._ask = ask

    def result(self, timeout: Optional[float] = None) -> Any:
        if not self.done():
            self._ask(self)
        return super().result(timeout)


class _Groups:
    """Tasks handed out in groups of ``size`` (a worker checks a group with its claims decided
    together: ``nlp.pipeline.Checker.check_many``). ``submit`` keeps a task until its group is
    full, or until its result is asked for; ``send(tasks)`` starts a group: a future of its
    outcomes, or (``lazy``) an iterator of them that is read as their results are asked for
    (the batch's parent stores a report before the next one is finished)."""

    def __init__(self, send: Callable[[list[Task]], Any], size: int, lazy: bool = False) -> None:
        self._send, self.size, self._lazy = send, size, lazy
        self._open: list[tuple[Task, _Member]] = []
        self._running: Iterator[tuple[_Member, "Outcome"]] = iter(())

    def submit(self, task: Task) -> Future:
        member = _Member(self._ask)
        self._open.append((task, member))
        if len(self._open) >= self.size and not self._lazy:
            self._start()
        return member

    def _start(self) -> None:
        group, self._open = self._open, []
        members = [m for _, m in group]
        job = self._send([t for t, _ in group])
        if self._lazy:
            self._running = zip(members, job)
        else:
            job.add_done_callback(lambda done: _hand_out(done, members))

    def _ask(self, member: _Member) -> None:
        if any(m is member for _, m in self._open):
            self._start()
        while self._lazy and not member.done():
            fut, out = next(self._running)
            fut.set_result(out)


def _hand_out(job: Any, members: list[_Member]) -> None:
    """A group's outcomes to its tasks' futures (a lost worker: the error to each)."""
    try:
        outs = job.result()
    except Exception as e:  # noqa: BLE001 - each task's future fails with it
        for m in members:
            m.set_exception(e)
        return
    for m, out in zip(members, outs):
        m.set_result(out)


class Serial:
    """Check in this process: ``submit`` runs the task at once (with the checker's own
    history: nothing to assess again), or, in groups of ``group`` (:class:`_Groups`), when
    its result is asked for (the ``debug`` setting: at once, so that its error stops the
    batch)."""

    sees_history = True

    def __init__(self, checker: "Checker", group: int = 1) -> None:
        self.checker = checker.warm()
        self.window = 1 if checker.settings.debug else group
        self._groups = _Groups(self._outcomes, self.window, lazy=True)
        _freeze()

    def __enter__(self) -> "Serial":
        return self

    def __exit__(self, *exc: object) -> None:
        gc.unfreeze()

    def submit(self, task: Task) -> Future:
        from nlp.pipeline import outcome

        if self.window > 1 and not task.timeout:
            return self._groups.submit(task)
        fut: Future = Future()
        fut.set_result(outcome(self.checker, task.path, task.source))
        return fut

    def _outcomes(self, tasks: list[Task]) -> Iterator["Outcome"]:
        from nlp.pipeline import outcomes

        return outcomes(self.checker, [t.path for t in tasks], [t.source for t in tasks])


RESULT_PIPE = 1 << 20
"""Bytes the pipe the workers send their outcomes through may hold (Linux; the default is
64 KiB, less than one outcome with its rows: a worker then waits until the parent, busy
storing the report before, has read it, and the other worker waits for its turn to send)."""


def _widen(pool: ProcessPoolExecutor) -> None:
    """Let the pool's result pipe hold several outcomes (:data:`RESULT_PIPE`), where the system
    allows it: a worker then hands its outcome over and goes on with the next report."""
    try:
        import fcntl
    except ImportError:  # not Unix
        return
    reader = getattr(getattr(pool, "_result_queue", None), "_reader", None)  # the executor's own pipe
    if reader is None or not hasattr(fcntl, "F_SETPIPE_SZ"):
        return
    try:
        fcntl.fcntl(reader.fileno(), fcntl.F_SETPIPE_SZ, RESULT_PIPE)
    except OSError:  # above /proc/sys/fs/pipe-max-size: keep the default
        pass


class LocalPool:
    """``jobs`` worker processes on this machine."""

    sees_history = False

    def __init__(self, checker: "Checker", jobs: int, aliases: Optional[dict] = None, group: int = 1) -> None:
        global _CHECKER
        self.jobs = jobs
        self.window = jobs * (4 if group == 1 else 2) * group
        self._groups = _Groups(lambda tasks: self._pool.submit(check_tasks, tasks), group)
        methods = mp.get_all_start_methods()
        checker.warm()
        if "fork" in methods:
            _CHECKER = checker  # the forked workers inherit it loaded
            ctx = mp.get_context("fork")
        else:
            ctx = mp.get_context("spawn")
        _freeze()
        self._pool = ProcessPoolExecutor(
            max_workers=jobs, mp_context=ctx, initializer=_init_worker,
            initargs=(checker.model_spec, checker.settings, aliases),
        )
        _widen(self._pool)
        self._pool.submit(os.getpid).result()  # start (fork) every worker now, before any thread

    def __enter__(self) -> "LocalPool":
        return self

    def __exit__(self, *exc: object) -> None:
        global _CHECKER
        self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)
        _CHECKER = None
        gc.unfreeze()

    def submit(self, task: Task) -> Future:
        """The task's future; without a time limit, in a group (``group`` at the start)."""
        if self._groups.size > 1 and not task.timeout:
            return self._groups.submit(task)
        return self._pool.submit(check_task, task)


class DaskEngine:
    """The batch on Dask ``distributed``: the cluster at ``scheduler`` (``tcp://host:8786``),
    or a local cluster of ``jobs`` worker processes on 127.0.0.1."""

    sees_history = False

    def __init__(self, checker: "Checker", jobs: int, scheduler: Optional[str] = None,
                 aliases: Optional[dict] = None, group: int = 1) -> None:
        self.aliases = aliases
        self._groups = _Groups(self._send, group)
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:
            raise XxgkError(Errors.E052, engine="dask",
                            detail=f"not installed ({e.name}); pip install 'dask[distributed]'") from None
        self.checker = checker
        self._cluster = None
        try:
            if scheduler:
                self._client = Client(scheduler, timeout="10s")
            else:
                self._cluster = LocalCluster(
                    n_workers=jobs, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address=None, silence_logs=40,
                )
                self._client = Client(self._cluster)
        except (OSError, TimeoutError) as e:
            if self._cluster is not None:
                self._cluster.close()
            raise XxgkError(Errors.E052, engine="dask",
                            detail=f"cannot reach the scheduler {scheduler or '(local)'}: {e}".splitlines()[0]) from None
        threads = sum(self._client.nthreads().values()) or jobs
        self.window = max(2, threads * 4) if group == 1 else threads * 2 * group

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def submit(self, task: Task) -> Any:
        if self._groups.size > 1 and not task.timeout:
            return self._groups.submit(task)
        return self._client.submit(check_task, task, self.checker.model_spec, self.checker.settings, self.aliases,
                                   pure=False)

    def _send(self, tasks: list[Task]) -> Any:
        return self._client.submit(check_tasks, tasks, self.checker.model_spec, self.checker.settings, self.aliases,
                                   pure=False)


def validate(name: str, scheduler: Optional[str] = None) -> None:
    """Raise E052 for an engine name or a scheduler that cannot be (before any work)."""
    if name not in ("local", "dask"):
        raise XxgkError(Errors.E052, engine=name, detail="unknown (use local or dask)")
    if scheduler and name != "dask":
        raise XxgkError(Errors.E052, engine=name, detail="--scheduler is for --engine dask")


def engine_for(name: str, checker: "Checker", jobs: int, scheduler: Optional[str] = None,
               aliases: Optional[dict] = None) -> Any:
    """The engine called ``name`` (``local`` or ``dask``), started; ``aliases``: the store's
    unit aliases, for the workers. Its tasks go in groups of ``nlp.pipeline.GROUP``."""
    from nlp.pipeline import GROUP

    validate(name, scheduler)
    if name == "dask":
        return DaskEngine(checker, jobs, scheduler, aliases, GROUP)
    return Serial(checker, GROUP) if jobs <= 1 else LocalPool(checker, jobs, aliases, GROUP)
