"""``xxgk check``: read reports, print their tables, claims and findings, store them.

A thin wrapper over ``nlp.pipeline.check_batch``; the rendering is ``nlp.cli.render``.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from nlp.cli._util import DbOption, Format, FormatOption, ModelOption, app, err, exits
from nlp.cli.render import print_outcome, progress
from nlp.config import settings
from nlp.pipeline import Checker, check_batch, expand_inputs
from nlp.store import Store


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Report files or folders (.txt .md .html .pdf .docx)."),
    fmt: Format = FormatOption,
    db: Optional[str] = DbOption,
    store: bool = typer.Option(True, "--store/--no-store", help="Write the results to the SQLite file."),
    model: Optional[str] = ModelOption,
) -> None:
    """Check reports: tables, claims, findings; print them and store them.

    Example: xxgk check samples/ --format table --db xxgk.sqlite
    """
    with exits():
        s = settings()
        checker = Checker(model, settings=s)
        checker.model  # load it now: a missing model stops here, once (E013)
        target = Store(db or s.db) if store else None
    inputs = expand_inputs(paths)
    with progress(err, total=len(inputs), enabled=len(inputs) > 1) as advance:
        failed = sum(print_outcome(o, fmt.value, advance) for o in check_batch(inputs, checker, target))
    if fmt is Format.table:
        stored = len(inputs) - failed
        where = f"; stored in {db or s.db}" if target is not None and stored else ""
        err.print(f"checked {len(inputs) - failed} of {len(inputs)} report(s), {failed} failed{where}", highlight=False)
    if failed:
        raise typer.Exit(1)
