"""``xxgk queue push|pull`` and ``xxgk ls start|stop|status``: the Label Studio queue."""

from __future__ import annotations

import typer

app = typer.Typer(help="The annotation queue in Label Studio.", no_args_is_help=True)
ls_app = typer.Typer(help="Run the project's local Label Studio server.", no_args_is_help=True)
