"""The ``xxgk`` command line (Typer + Rich). Each command is a thin wrapper: it parses its
input, calls one library function and renders the result. Groups live in their own modules
and are joined with ``add_typer``.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="xxgk",
    help="Audit 政府信息公开工作年度报告: tables, claims, reconciliation.",
    no_args_is_help=True,
    add_completion=False,
)


def _register_groups() -> None:
    from nlp import cli_model, cli_queue

    app.add_typer(cli_model.app, name="model")
    app.add_typer(cli_queue.app, name="queue")
    app.add_typer(cli_queue.ls_app, name="ls")


def main() -> None:
    _register_groups()
    app()
