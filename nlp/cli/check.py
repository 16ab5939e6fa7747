"""``xxgk check``: read reports, print their tables, claims and findings, store them.

A thin wrapper over ``nlp.pipeline.check_batch`` (the batch engine, ``nlp.batch``); the
rendering is ``nlp.cli.render``.
"""

from __future__ import annotations

from collections import Counter
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from nlp.batch import count, default_jobs
from nlp.cli._util import DbOption, Format, FormatOption, ModelOption, app, err, exits
from nlp.cli.render import finding_kinds, print_kinds, print_outcome, progress
from nlp.config import settings
from nlp.pipeline import Checker, check_batch
from nlp.store import Store


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def check(
    paths: List[str] = typer.Argument(
        None, help="Report files, folders, globs ('reports/**/*.pdf') or http(s) URLs (.txt .md .html .pdf .docx).",
        show_default=False),
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
    store: bool = typer.Option(True, "--store/--no-store", help="Write the results to the SQLite file."),
    model: Optional[str] = ModelOption,
    manifest: List[Path] = typer.Option(
        [], "--manifest", "-m", help="A file of inputs, one path, folder, glob or URL a line ('-': standard input).",
        show_default=False, metavar="FILE"),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", "-j", min=1, help="Processes to check in (default: the cores).", show_default=False),
    force: bool = typer.Option(
        False, "--force", help="Check reports already stored by this pipeline version again."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local processes, or a Dask cluster."),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler", help="The Dask scheduler's address, tcp://host:8786 (default: a local cluster "
        "on 127.0.0.1).", show_default=False),
    detail: bool = typer.Option(
        False, "--detail", help="--format table: each report's full summary (the default for one input; a batch "
        "prints one line a report and its findings by kind)."),
    show_progress: bool = typer.Option(
        True, "--progress/--no-progress", help="A progress bar on standard error for a batch (rate, ETA, failures)."),
) -> None:
    """Check reports: tables, claims, findings; print them and store them.

    Runs in --jobs processes (or on Dask with --engine dask); a report already stored with the same content and pipeline version is not checked again (--force checks it), so a batch that was stopped can simply be run again.

    A batch in the table format prints one line a report and its findings by kind (--detail: every summary).

    Example: xxgk check samples/ --format table --db xxgk.sqlite
    """
    if not paths and not manifest:
        err.print("nothing to check: name reports, folders, globs or URLs, or a --manifest", highlight=False)
        raise typer.Exit(2)
    with exits():
        s = settings()
        checker = Checker(model, settings=s)
        checker.model  # load it now: a missing model stops here, once (E013)
        target = Store(db or s.db) if store else None
        total = count(paths or [], manifest)
    workers = min(jobs or default_jobs(), total) if total is not None else (jobs or default_jobs())
    kinds: Counter = Counter()
    found: Counter = Counter()  # findings by kind
    detail = detail or total == 1
    with exits(), progress(err, total=total, enabled=show_progress and (total is None or total > 1)) as advance:
        for o in check_batch(paths or [], checker, target, jobs=workers, force=force, engine=engine.value,
                             scheduler=scheduler, manifests=manifest, whole=fmt is not Format.json):
            failed = print_outcome(o, fmt.value, advance, detail)
            kinds["failed" if failed else "checked" if o.checked else "stored" if o.stored else "skipped"] += 1
            if fmt is Format.table and not detail:
                found += finding_kinds(o)
    if fmt is Format.table:
        if not detail:
            print_kinds(err, found)
        where = f"; stored in {db or s.db}" if target is not None and kinds["checked"] else ""
        parts = [f"checked {kinds['checked']} report(s)"]
        parts += [f"{kinds['stored']} already stored"] if kinds["stored"] else []
        parts += [f"{kinds['skipped']} skipped"] if kinds["skipped"] else []
        err.print(", ".join(parts) + f", {kinds['failed']} failed{where}", highlight=False)
    if kinds["failed"]:
        raise typer.Exit(1)
