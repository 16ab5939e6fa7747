"""The ``xxgk`` command line (Typer + Rich). Each command is a thin wrapper: it parses its
input, calls one library function and renders the result. Groups live in their own modules
and are joined with ``add_typer``: ``xxgk model …`` (nlp/cli_model.py), ``xxgk queue …`` and
``xxgk ls …`` (nlp/cli_queue.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

app = typer.Typer(
    name="xxgk",
    help="Audit 政府信息公开工作年度报告: tables, claims, reconciliation.",
    no_args_is_help=True,
    add_completion=False,
)

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

DEFAULT_DB = "xxgk.sqlite"

# Options shared by several commands (defined once).
DbOption = typer.Option(
    DEFAULT_DB, "--db", envvar="XXGK_DB", help="The SQLite file results are stored in."
)


class Format(str, Enum):
    table = "table"
    json = "json"


@app.command()
def check(
    paths: List[Path] = typer.Argument(..., help="Report files or folders (.txt .md .html .pdf .docx)."),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table: a readable summary; json: one JSON object a report (JSON Lines for several)."),
    db: str = DbOption,
    store: bool = typer.Option(True, "--store/--no-store", help="Write the results to the SQLite file."),
    model: Optional[str] = typer.Option(None, "--model", help="A model file, or 'rules' for the rules-only baseline; default: the bundled model."),
) -> None:
    """Check reports: tables, claims, findings; print them and store them.

    Example: xxgk check samples/ --format table --db xxgk.sqlite
    """
    from nlp.pipeline import Checker, check_many, expand_inputs
    from nlp.render import print_summary, progress

    checker = Checker(model)
    target = _open_store(db) if store else None
    inputs = expand_inputs(paths)
    failed = 0
    with progress(err, total=len(inputs), enabled=len(inputs) > 1) as advance:
        for outcome in check_many(inputs, checker):
            advance(outcome.path)
            if outcome.error:
                failed += 1
                err.print(f"[red]error[/red] {outcome.error}", highlight=False, markup=True)
                continue
            result = outcome.result
            if target is not None:
                target.save(result)
            if fmt is Format.json:
                sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
            else:
                print_summary(out, result)
    if fmt is Format.table:
        ok = len(inputs) - failed
        where = f"; stored in {db}" if target is not None else ""
        err.print(f"checked {ok} of {len(inputs)} report(s), {failed} failed{where}", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command("app")
def run_app(
    db: str = DbOption,
    port: int = typer.Option(8501, "--port", help="The port to serve on."),
    address: str = typer.Option("127.0.0.1", "--address", help="The address to bind (127.0.0.1 unless you mean otherwise)."),
) -> None:
    """Open the reviewer app (Streamlit) on the results that `check` stored.

    Example: xxgk app --db xxgk.sqlite --port 8501
    """
    from nlp.config import PATHS

    script = PATHS.app
    env = {**os.environ, "XXGK_DB": str(Path(db).resolve())}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.address", address, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.maxUploadSize", "20", "--client.toolbarMode", "minimal",
    ]
    err.print(f"xxgk app on http://{address}:{port}  (store: {db}; Ctrl+C to stop)", highlight=False)
    raise typer.Exit(subprocess.call(cmd, env=env))


def _open_store(db: str):
    from nlp.errors import XxgkError
    from nlp.store import Store

    try:
        return Store(db)
    except XxgkError as e:
        err.print(f"[red]error[/red] {e}")
        raise typer.Exit(2)


def _register_groups() -> None:
    from nlp import cli_model, cli_queue

    app.add_typer(cli_model.app, name="model")
    app.add_typer(cli_queue.app, name="queue")
    app.add_typer(cli_queue.ls_app, name="ls")


_register_groups()


def main() -> None:
    app()
